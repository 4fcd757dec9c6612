"""Translated editions, the PO catalogues: extract the English units of a source, read, write and update
``locales/<lang>/LC_MESSAGES/*.po`` with Babel, count what is translated, and ``apply`` a JSON of
translations. Part of ``translation``.
"""

from __future__ import annotations

import contextlib
import datetime
import io
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from ..content import i18n
from .tr_markdown import segment_markdown, units_of
from .tr_sources import CODE_DIRS, HEADER, PROJECT, ROOT, Source, TranslationError

# ---- extraction ----


@dataclass
class Unit:
    msgid: str
    locations: list[tuple[str, int | None]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


_KIND_NOTES = {
    "row": "table row: keep every | and the cell order",
    "heading": "heading",
    "item": "list item",
    "para": "paragraph",
}


def extract(source: Source, root: Path = ROOT) -> list[Unit]:
    """The English units of a source, in document order (a repeated text is one unit with several places)."""
    units: dict[str, Unit] = {}

    def add(msgid: str, where: str, note: str = "", lineno: int | None = None) -> None:
        unit = units.setdefault(msgid, Unit(msgid))
        unit.locations.append((where, lineno))
        if note and note not in unit.comments:
            unit.comments.append(note)

    path = root / source.path
    if source.kind == "notebook":
        nb = nbformat.read(path, as_version=4)
        for n, cell in enumerate(nb.cells):
            if cell.cell_type != "markdown":
                continue
            where = f"{source.path}#{cell.get('id') or n}"
            for seg in units_of(segment_markdown(cell.source)):
                add(seg.text, where, _KIND_NOTES[seg.kind])
    elif source.kind == "pages":
        from . import pages

        for msgid, places in pages.units():
            for where in places:
                add(msgid, where, "site page text; keep {placeholders}, [@key] citations and **ids**")
    elif source.kind == "data" and source.path.endswith(".py"):
        for where, text in model_strings(Path(source.path).stem):
            add(text, source.path, where)
    elif source.kind == "data":
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for where, text in i18n.data_prose(Path(source.path).stem, data):
            add(text, source.path, where.lstrip("."))
    elif source.kind == "bank":
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for q in data.get("questions", []):
            qid = q.get("id", "?")
            for f in i18n.BANK_TEXT_FIELDS:
                if isinstance(q.get(f), str) and q[f].strip():
                    add(q[f], source.path, f"question {qid}: {f}")
            for k, o in enumerate(q.get("options") or []):
                for f in i18n.OPTION_TEXT_FIELDS:
                    if isinstance(o, dict) and isinstance(o.get(f), str):
                        add(
                            o[f],
                            source.path,
                            f"question {qid}: option {k + 1} {f}"
                            + (" (the key)" if o.get("correct") and f == "text" else ""),
                        )
    else:
        from babel.messages.extract import extract_from_dir

        for folder in CODE_DIRS:
            if not (root / folder).is_dir():
                continue
            for filename, lineno, message, comments, _ctx in extract_from_dir(
                str(root / folder),
                method_map=[("_build/**", "ignore"), ("**.py", "python")],
                keywords={"_": None, "gettext": None, "N_": None},
                comment_tags=("TRANSLATORS:",),
            ):
                if isinstance(message, str) and message:
                    add(message, f"{folder}/{filename}", " ".join(comments), lineno)
    return list(units.values())


def model_strings(name: str) -> list[tuple[str, str]]:
    """(where, English) of every string a model table gives a widget to show: its presets' labels and notes,
    and every reason the model can return, found by running the pure model over all its inputs (a reason
    made with an f-string is a unit per value it can take)."""
    import itertools

    if name == "regulatory":
        from ..models import regulatory

        out = []
        for key, p in regulatory.PRESETS.items():
            out += [(f"PRESETS[{key}].label", p.label), (f"PRESETS[{key}].note", p.note)]
        for flags in itertools.product((True, False), repeat=4):
            for donor in regulatory.DONORS:
                for c in regulatory.classify(regulatory.Product(*flags, donor)).criteria:
                    out.append((f"classify: criterion {c.number} reason", c.reason))
        return out
    if name == "eligibility":
        from ..models import eligibility

        out = []
        for vid, v in eligibility.VIGNETTES.items():
            out += [(f"VIGNETTES[{vid}].{f}", getattr(v, f)) for f in ("name", "story", "mri", "prior_surgery")]
            out += [(f"VIGNETTES[{vid}].comorbidities", c) for c in v.comorbidities]
        for tid, t in eligibility.TRIALS.items():
            out += [(f"TRIALS[{tid}].{f}", getattr(t, f)) for f in ("label", "population", "note")]
            for c in t.criteria:
                out += [
                    (f"TRIALS[{tid}].{c.id}.text", c.text),
                    (f"TRIALS[{tid}].{c.id}.interpretation", c.interpretation),
                ]
                out += [(f"TRIALS[{tid}].{c.id} reason", c.apply(v).reason) for v in eligibility.VIGNETTES.values()]
        return [(w, s) for w, s in out if isinstance(s, str) and s.strip() and s != "none"]
    raise TranslationError(f"no string table for model {name!r}: one of {', '.join(i18n.MODEL_DATA)}")


def template(source: Source, root: Path = ROOT) -> Catalog:
    cat = Catalog(project=PROJECT, version="1", msgid_bugs_address="", charset="utf-8", fuzzy=False)
    for u in extract(source, root):
        cat.add(u.msgid, locations=u.locations, auto_comments=u.comments)
    return cat


# ---- catalogues ----


def po_path(source: Source, lang: str, root: Path = ROOT) -> Path:
    return root / "locales" / lang / "LC_MESSAGES" / f"{source.catalogue}.po"


def read_catalogue(path: Path, lang: str) -> Catalog:
    with path.open("rb") as handle:
        cat = read_po(handle, locale=lang)
    # Babel writes a fuzzy entry's old English as "#| msgid" but does not read it back: restore it, so
    # the translator still sees what changed after the catalogue is rewritten.
    for msgid, previous in _previous_ids(path).items():
        msg = cat.get(msgid)
        if msg is not None and msg.fuzzy:
            msg.previous_id = [previous]
    return cat


def _previous_ids(path: Path) -> dict[str, str]:
    from babel.messages.pofile import denormalize

    out: dict[str, str] = {}
    previous: list[str] = []
    current: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#| msgid "):
            previous = [line[len("#| msgid ") :]]
        elif line.startswith("#| ") and previous:
            previous.append(line[3:])  # Babel wraps "#|" lines as comments, at a space
        elif line.startswith("msgid "):
            current = [line[len("msgid ") :]]
        elif line.startswith('"') and current is not None:
            current.append(line)
        else:
            if current is not None and previous:
                # only a hint for the translator: a text Babel wrapped oddly is skipped, not fatal
                with contextlib.suppress(ValueError, IndexError):
                    out[denormalize("\n".join(current))] = denormalize(" ".join(previous))
                previous = []
            current = None
    return out


def write_catalogue(cat: Catalog, path: Path, source: Source | None = None) -> None:
    if source is not None and source.kind != "code":
        # Markdown and bank text are not Python format strings ("without a % sign" is not "% s"): without
        # this, Babel's guess would make msgfmt --check reject a correct translation.
        for msg in cat:
            msg.flags.discard("python-format")
    buf = io.BytesIO()
    # width=0: one line per msgid/msgstr line, so a changed unit is a small diff; #| msgid keeps the
    # old English of a fuzzy entry for the translator.
    write_po(buf, cat, width=0, sort_output=False, ignore_obsolete=False, include_previous=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_bytes() != buf.getvalue():
        path.write_bytes(buf.getvalue())


def update(source: Source, lang: str, root: Path = ROOT) -> Path:
    """Merge a fresh extraction of ``source`` into its PO file (created if missing)."""
    path = po_path(source, lang, root)
    tmpl = template(source, root)
    if path.is_file():
        cat = read_catalogue(path, lang)
    else:
        cat = Catalog(
            locale=lang,
            project=PROJECT,
            version="1",
            msgid_bugs_address="",
            charset="utf-8",
            fuzzy=False,
            header_comment=HEADER.format(source=source.path, lang=lang),
            last_translator="see locales/ko/README.md",
            language_team=f"{lang} edition",
        )
    cat.update(tmpl, no_fuzzy_matching=False, update_creation_date=False)
    write_catalogue(cat, path, source)
    return path


@dataclass
class Status:
    source: Source
    translated: list[str] = field(default_factory=list)
    fuzzy: list[tuple[str, str, str]] = field(default_factory=list)  # (msgid, old English, current translation)
    untranslated: list[str] = field(default_factory=list)
    obsolete: int = 0
    catalogue_missing: bool = False
    locations: dict[str, list[str]] = field(default_factory=dict)
    pairs: list[tuple[str, str]] = field(default_factory=list)  # (English, translation) of translated units

    @property
    def total(self) -> int:
        return len(self.translated) + len(self.fuzzy) + len(self.untranslated)


def status(source: Source, lang: str, root: Path = ROOT) -> Status:
    """Each unit of a FRESH extraction of the English against the PO file: translated, fuzzy (marked so,
    or whose English changed since the PO was updated) or untranslated."""
    st = Status(source)
    path = po_path(source, lang, root)
    cat = read_catalogue(path, lang) if path.is_file() else None
    st.catalogue_missing = cat is None
    st.obsolete = len(cat.obsolete) if cat is not None else 0
    for unit in extract(source, root):
        st.locations[unit.msgid] = [w if n is None else f"{w}:{n}" for w, n in unit.locations]
        msg = cat.get(unit.msgid) if cat is not None else None
        if msg is None or not msg.string:
            st.untranslated.append(unit.msgid)
        elif msg.fuzzy:
            old = msg.previous_id[0] if msg.previous_id else ""
            st.fuzzy.append((unit.msgid, old, msg.string))
        else:
            st.translated.append(unit.msgid)
            st.pairs.append((unit.msgid, msg.string))
    return st


# ---- apply (for translators who prefer JSON to PO syntax) ----


def apply(source: Source | list[Source], lang: str, translations: dict[str, str], root: Path = ROOT) -> int:
    """Set ``msgstr`` of the given English units (fuzzy flag cleared) in the catalogue(s) of ``source`` (a
    lesson's notebook and bank together, if both are given); returns how many were set. English found in
    none of them is an error, so a stale JSON cannot write into the wrong entry."""
    sources = source if isinstance(source, list) else [source]
    bad = [en for en, ko in translations.items() if not isinstance(ko, str) or not ko.strip()]
    if bad:
        raise TranslationError("the translation must be non-empty text: " + "; ".join(repr(k[:60]) for k in bad))
    catalogues = []
    for src in sources:
        path = po_path(src, lang, root)
        if not path.is_file():
            update(src, lang, root)
        catalogues.append((path, read_catalogue(path, lang)))
    unknown = [en for en in translations if all(cat.get(en) is None for _p, cat in catalogues)]
    if unknown:
        raise TranslationError(
            f"not in the catalogue of {', '.join(map(str, sources))} (English changed? run update, then todo): "
            + "; ".join(repr(k[:60]) for k in unknown)
        )
    for src, (path, cat) in zip(sources, catalogues):
        touched = False
        for en, ko in translations.items():
            msg = cat.get(en)
            if msg is not None:
                msg.string = ko
                msg.flags.discard("fuzzy")
                msg.previous_id = []
                touched = True
        if touched:
            cat.revision_date = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
            write_catalogue(cat, path, src)
    return len(translations)
