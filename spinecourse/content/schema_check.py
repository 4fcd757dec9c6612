"""JSON Schema checks for the content data files (``content/schemas/<kind>.schema.json``).

Errors name the file, the entry (by its ``id`` where it has one) and the field, so a
clinician-author editing YAML can find the line: ``evidence_status.yml: entry 'respine2024'
(statuses[6]), field 'as_of': '2026-13-01' is not a 'date'``.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from importlib import resources

import jsonschema


@cache
def schema(kind: str) -> dict:
    text = resources.files("spinecourse.content").joinpath(f"schemas/{kind}.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def _plain(value):
    """YAML turns unquoted dates into date objects; the schema speaks JSON, so compare ISO strings."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def problems(data, kind: str, filename: str) -> list[str]:
    """Every schema violation of ``data`` (parsed YAML) as one readable line each (empty = valid)."""
    data = _plain(data)
    validator = jsonschema.Draft202012Validator(schema(kind), format_checker=jsonschema.FormatChecker())
    out = []
    for err in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        path = list(err.absolute_path)
        where = filename
        if len(path) >= 2 and isinstance(path[1], int):
            entry = data[path[0]][path[1]]
            name = (entry.get("id") or entry.get("term")) if isinstance(entry, dict) else None
            where += f": entry {name!r} ({path[0]}[{path[1]}])" if name else f": entry {path[0]}[{path[1]}]"
            rest = path[2:]
        else:
            rest = path
        if err.validator == "required":
            missing = err.message.split("'")[1] if "'" in err.message else err.message
            out.append(f"{where}, field {missing!r}: missing")
            continue
        if err.validator == "additionalProperties":
            out.append(f"{where}: {err.message}")
            continue
        field = ".".join(str(p) for p in rest) or "(top level)"
        out.append(f"{where}, field {field!r}: {err.message}")
    return out
