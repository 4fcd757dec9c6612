"""The one checker for the content data files: JSON Schemas in ``content/schemas/<kind>.schema.json``.

Every data file kind (question banks, claims, challenges, patient reply, evidence status, references,
glossary, lessons, pages) has one schema; loaders, the content lint and the tests all call
``problems(data, kind, filename)`` (a list) or ``check(...)`` (raise). Errors name the file, the entry
(by its ``id``, ``term`` or mapping key) and the field, so a clinician-author editing YAML can find the
line: ``evidence_status.yml: entry 'respine2024' (statuses[6]), field 'as_of': '2026-13-01' is not a 'date'``.

What plain JSON Schema cannot say is written as a few extra keywords (``jsonschema.validators.extend``),
so the schema file still says everything about its kind:

``uniqueBy: "id"``       on an array of mappings: no two entries share that field;
``finite: true``         on a number: not NaN or infinity (YAML reads ``.nan``, ``.inf``);
``referenceKey: true``   on a string: a key of the bibliography (``references.yml``);
``citations: true``      on a string: every ``[@key]`` it cites is a key of the bibliography;
``x-messages``           a mapping keyword -> the message to show instead of jsonschema's
                         (``{instance}`` stands for the bad value).

Checks that compare two fields of one file (a theme that must be one of the file's themes, a model
excerpt that must be words of the model answer) stay small named functions beside the loader.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import math
from functools import cache
from importlib import resources

import jsonschema

KINDS = (
    "questions",
    "claims",
    "challenges",
    "patient_reply",
    "evidence_status",
    "references",
    "glossary",
    "lessons",
    "pages",
)
#: The bibliography the ``referenceKey``/``citations`` keywords check against (None: not checked).
_BIBLIOGRAPHY: contextvars.ContextVar[dict | None] = contextvars.ContextVar("bibliography", default=None)


class ContentSchemaError(ValueError):
    """A content data file does not follow its schema; ``problems`` lists every violation."""

    def __init__(self, filename: str, problems: list[str]):
        super().__init__(f"{filename} is invalid:\n" + "\n".join(problems))
        self.problems = problems


@cache
def schema(kind: str) -> dict:
    if kind not in KINDS:
        raise ValueError(f"no content schema {kind!r}; kinds: {', '.join(KINDS)}")
    text = resources.files("spinecourse.content").joinpath(f"schemas/{kind}.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


# ---- the extra keywords ----


def _unique_by(validator, field, instance, schema):
    if not validator.is_type(instance, "array"):
        return
    seen = set()
    for i, item in enumerate(instance):
        value = item.get(field) if isinstance(item, dict) else None
        if not isinstance(value, (str, int)):
            continue
        if value in seen:
            yield jsonschema.ValidationError(f"duplicate {field} {value!r}", path=[i, field])
        seen.add(value)


def _finite(validator, wanted, instance, schema):
    if wanted and validator.is_type(instance, "number") and not math.isfinite(instance):
        yield jsonschema.ValidationError(f"{instance!r} is not a finite number")


def _reference_key(validator, wanted, instance, schema):
    bib = _BIBLIOGRAPHY.get()
    if wanted and bib is not None and isinstance(instance, str) and instance not in bib:
        yield jsonschema.ValidationError(
            f"unknown reference key {instance!r} (add it to references.yml from docs/checked-references.md, "
            "or cite another key)"
        )


def _citations(validator, wanted, instance, schema):
    bib = _BIBLIOGRAPHY.get()
    if not (wanted and bib is not None and isinstance(instance, str)):
        return
    from .references import keys_in  # references checks its own file through this module

    for key in dict.fromkeys(keys_in(instance)):
        if key not in bib:
            yield jsonschema.ValidationError(f"cites unknown reference key {key!r}")


_Validator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator,
    {"uniqueBy": _unique_by, "finite": _finite, "referenceKey": _reference_key, "citations": _citations},
)


def _plain(value):
    """YAML turns unquoted dates into date objects; the schema speaks JSON, so compare ISO strings."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


# ---- messages that name file, entry and field ----


def _field(path) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(top level)"


def entry_name(filename: str, container: str, index: int, entry) -> str:
    """``file: entry 'id' (container[index])``: how every message, schema or semantic, names an entry."""
    name = (entry.get("id") or entry.get("term")) if isinstance(entry, dict) else None
    return f"{filename}: entry {name!r} ({container}[{index}])" if name else f"{filename}: entry {container}[{index}]"


def _locate(data, path: list, keyed: bool, filename: str) -> tuple[str, list]:
    """(the entry's name, the rest of the path) for an error at ``path``."""
    if keyed and path:  # a mapping of key -> entry (references.yml)
        return f"{filename}: entry {path[0]!r}", path[1:]
    node = data
    for i, step in enumerate(path):  # the first item of a list on the way is the entry (a nested one too)
        try:
            child = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(step, int) and isinstance(node, list):
            return entry_name(filename, _field(path[:i]), step, child), path[i + 1 :]
        node = child
    return filename, path


def _custom(err) -> str | None:
    """The schema's own wording for this keyword (``x-messages``); ``{instance}`` shows the bad value."""
    custom = err.schema.get("x-messages", {}).get(err.validator) if isinstance(err.schema, dict) else None
    return custom.replace("{instance}", repr(err.instance)) if custom else None


def _message(err, data, keyed: bool, filename: str) -> list[str]:
    if "propertyNames" in err.schema_path:  # a bad key: the error sits on the mapping, the key is the instance
        return [f"{filename}: entry {err.instance!r}, field '(key)': {err.message}"]
    where, rest = _locate(data, list(err.absolute_path), keyed, filename)
    custom = _custom(err)
    if err.validator == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        return [f"{where}, field {_field([*rest, missing])!r}: {custom or 'missing'}"]
    if err.validator == "additionalProperties" and isinstance(err.instance, dict):
        known = set(err.schema.get("properties", {}))
        extra = sorted(str(k) for k in err.instance if k not in known) or ["?"]
        return [
            f"{where}, field {_field([*rest, k])!r}: unknown field ({k!r} was unexpected; "
            f"allowed: {', '.join(sorted(known))})"
            for k in extra
        ]
    field = _field(rest) if rest or where == filename else "(entry)"
    return [f"{where}, field {field!r}: {custom or err.message}"]


def problems(data, kind: str, filename: str, check_keys: bool = True) -> list[str]:
    """Every violation of ``data`` (parsed YAML) against the ``kind`` schema, one readable line each
    (empty = valid). ``check_keys=False`` skips the bibliography lookups (``referenceKey``, ``citations``)."""
    data = _plain(data)
    bib = None
    if check_keys and kind != "references":
        from . import references

        bib = references.load()
    sch = schema(kind)
    token = _BIBLIOGRAPHY.set(bib)
    try:
        validator = _Validator(sch, format_checker=jsonschema.FormatChecker())
        errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    finally:
        _BIBLIOGRAPHY.reset(token)
    keyed = bool(sch.get("x-keyed-entries"))
    return [line for err in errors for line in _message(err, data, keyed, filename)]


def check(data, kind: str, filename: str, check_keys: bool = True, error: type[ValueError] = ContentSchemaError):
    """Return ``data`` if it follows the ``kind`` schema; else raise ``error`` listing every problem."""
    found = problems(data, kind, filename, check_keys)
    if not found:
        return data
    if error is ContentSchemaError:
        raise ContentSchemaError(filename, found)
    raise error(f"{filename} is invalid:\n" + "\n".join(found))
