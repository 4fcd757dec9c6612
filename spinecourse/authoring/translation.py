"""The translated editions: extract, update, check, build (issue 21). English is the source; each other
language lives in gettext PO catalogues under ``locales/<lang>/LC_MESSAGES/``, one per source:

=====================================================  =========================================
source                                                 catalogue
=====================================================  =========================================
``course/<lesson>.ipynb`` (Markdown cells)             ``course/<lesson>.po``
``spinecourse/content/data/questions/<lesson>.yml``    ``questions/<lesson>.po``
``spinecourse`` (Python strings wrapped in ``_()``)    ``spinecourse.po`` (the code-side catalogue)
``assignments/source/<quiz>/<quiz>.ipynb`` (Markdown)  ``course/<quiz>.po``
``spinecourse/content/data/<name>.yml`` (prose fields)  ``data/<name>.po`` (source ``data:<name>``)
=====================================================  =========================================

Notebook Markdown is cut into stable units, one per heading, paragraph, list item, block quote or table
row, so that changing one sentence of the English marks one entry out of date. ``update`` merges a fresh
extraction into the PO file with Babel's ``Catalog.update``: a changed unit becomes *fuzzy* (with the old
English kept as ``#| msgid`` and the old Korean as a starting point), a new unit *untranslated*, a removed
one *obsolete* (``#~``). ``check`` always compares against a fresh extraction, so an English change fails
the check even before anyone runs ``update``.

Commands (``python -m spinecourse.authoring.translation COMMAND --lang ko [SOURCE ...]``; a SOURCE is a
notebook path, a bank path, ``code``, ``data:<name>`` (a content data file: ``data:claims``,
``data:challenges``, ``data:patient_reply``), or a lesson name such as ``01_stenosis_anatomy`` = its notebook and its
bank; none = every source of the edition's manifest, ``--all`` = every source of the course):

``update``   extract the English and merge it into the PO files (creates missing ones)
``todo``     print the untranslated and fuzzy entries of a source (what a translator must do)
``stats``    translated / fuzzy / untranslated / obsolete counts per source, notebook-side and code-side
``check``    0 untranslated, 0 fuzzy, and every number, citation key, trial id, abbreviation, URL, link,
             image, inline code and HTML tag of each English unit present in its translation; the glossary
             lint; exits 1 with the list
``build``    the translated notebooks in ``build/<lang>/course/`` (plus JupyterLab settings for the language)
``extract``  write the templates (``build/locales/templates/*.pot``) for PO editors
``apply``    fill entries from a JSON file ``{"English": "translation", ...}`` (clears their fuzzy flag)
``review``   write ``locales/<lang>/REVIEW.md``: the glossary terms a clinician must still check
``quizzes``  the translated nbgrader assignments ``assignments/source/<quiz>_<lang>/`` of the manifest's quizzes
             (Markdown from the catalogue; code cells, nbgrader metadata, solutions and hidden tests the
             English ones); ``--check`` writes nothing and exits 1 when a committed one is out of date
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import datetime
import io
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from ..content import i18n

ROOT = Path(__file__).resolve().parents[2]
COURSE = "course"
BANKS = "spinecourse/content/data/questions"
#: The content data files whose prose widgets show (i18n.DATA_PROSE names the prose keys of each).
DATA = "spinecourse/content/data"
#: The models whose string tables widgets show (i18n.MODEL_DATA; ``model_strings`` enumerates them).
MODELS = "spinecourse/models"
CODE = "spinecourse"
#: Where the code-side catalogue's ``_()`` strings are extracted from: the package and the site builder.
CODE_DIRS = (CODE, "site")
BUILD = "build"
#: The nbgrader course's English quizzes (instructor versions); a translated edition is a sibling folder.
QUIZZES = "assignments/source"
PROJECT = "Stem Cells for Spinal Stenosis"
# the site's appendix pages (spinecourse/authoring/pages.py): one catalogue, pages.po, for all five
PAGES = "site/pages"
PAGES_DOMAIN = "pages"
GLOSSARY = {"ko": "spinecourse/content/data/glossary_ko.yml"}
HEADER = (
    "# {lang} translation of {source} (Stem Cells for Spinal Stenosis; English is the source).\n"
    "# Made and checked with `python -m spinecourse.authoring.translation` (locales/{lang}/README.md).\n"
    "# Licence: as the English course (content CC BY 4.0, code MIT)."
)


class TranslationError(ValueError):
    """A source, catalogue or manifest is not usable; the message says which and why."""


# ---- sources ----


@dataclass(frozen=True)
class Source:
    kind: str  # "notebook" | "bank" | "code" | "pages" | "data"
    path: str  # relative to the repository root

    @property
    def catalogue(self) -> str:
        if self.kind == "code":
            return i18n.CODE_DOMAIN
        if self.kind == "pages":
            return PAGES_DOMAIN
        stem = Path(self.path).stem
        if self.kind == "data":
            return i18n.data_catalogue(stem)
        return f"course/{stem}" if self.kind == "notebook" else f"questions/{stem}"

    def __str__(self) -> str:
        return self.path


def resolve(arg: str, root: Path = ROOT) -> list[Source]:
    """A command-line source: a notebook or bank path, ``code``, or a lesson name (its notebook and bank)."""
    text = arg.strip().rstrip("/")
    if text in ("code", CODE, i18n.CODE_DOMAIN):
        return [Source("code", CODE)]
    if text.startswith("data:") or (text.startswith(DATA + "/") and Path(text).stem in i18n.DATA_PROSE):
        name = Path(text.removeprefix("data:")).stem
        if name in i18n.MODEL_DATA:
            return [Source("data", f"{MODELS}/{name}.py")]
        if name not in i18n.DATA_PROSE or not (root / DATA / f"{name}.yml").is_file():
            names = [*i18n.DATA_PROSE, *i18n.MODEL_DATA]
            raise TranslationError(f"{arg}: not a content data source; use data:{', data:'.join(names)}")
        return [Source("data", f"{DATA}/{name}.yml")]
    if text in (PAGES_DOMAIN, PAGES):
        return [Source("pages", PAGES)]
    path = Path(text)
    if path.is_absolute():
        try:
            path = path.relative_to(root)
        except ValueError as exc:
            raise TranslationError(f"{arg}: not inside the repository {root}") from exc
    rel = path.as_posix()
    if rel.endswith(".ipynb"):
        if not (root / rel).is_file():
            raise TranslationError(f"{arg}: no such notebook")
        return [Source("notebook", rel)]
    if rel.endswith(".yml"):
        if not rel.startswith(BANKS + "/") or not (root / rel).is_file():
            raise TranslationError(f"{arg}: not a question bank in {BANKS}/")
        return [Source("bank", rel)]
    found = []
    if (root / COURSE / f"{text}.ipynb").is_file():
        found.append(Source("notebook", f"{COURSE}/{text}.ipynb"))
    if (root / BANKS / f"{text}.yml").is_file():
        found.append(Source("bank", f"{BANKS}/{text}.yml"))
    if not found and (root / QUIZZES / text / f"{text}.ipynb").is_file():  # a quiz name: its notebook
        found.append(Source("notebook", f"{QUIZZES}/{text}/{text}.ipynb"))
    if not found:
        raise TranslationError(
            f"{arg}: not a notebook, a question bank, 'code', a lesson name (e.g. 01_stenosis_anatomy) "
            "or a quiz name (e.g. 01_anatomy_quiz)"
        )
    return found


def all_sources(root: Path = ROOT) -> list[Source]:
    out = [Source("notebook", p.relative_to(root).as_posix()) for p in sorted((root / COURSE).glob("*.ipynb"))]
    out += [Source("bank", p.relative_to(root).as_posix()) for p in sorted((root / BANKS).glob("*.yml"))]
    out += [Source("data", f"{DATA}/{name}.yml") for name in i18n.DATA_PROSE]
    out += [Source("data", f"{MODELS}/{name}.py") for name in i18n.MODEL_DATA]
    return [*out, Source("code", CODE), Source("pages", PAGES)]


def manifest_path(lang: str, root: Path = ROOT) -> Path:
    return root / "locales" / lang / "manifest.yml"


def manifest(lang: str, root: Path = ROOT) -> list[Source]:
    """The sources the edition covers today (``locales/<lang>/manifest.yml``, key ``sources``): each must be
    fully translated and checked; the others are built with English where no translation exists."""
    path = manifest_path(lang, root)
    if not path.is_file():
        raise TranslationError(f"{path}: no manifest for language {lang!r}")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data.get("sources"), list) or not data["sources"]:
        raise TranslationError(f"{path}: needs a non-empty list 'sources'")
    out: list[Source] = []
    for item in data["sources"]:
        for s in resolve(str(item), root):
            if s not in out:
                out.append(s)
    return out


# ---- notebook Markdown as units ----

_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^(#{1,6}\s+)(.*)$")
_ITEM = re.compile(r"^(\s*(?:[-*+]|\d+[.)])\s+)(.*)$")
_QUOTE = re.compile(r"^(\s*>\s?)(.*)$")
_TABLE_SEP = re.compile(r"^\s*\|?[\s:|-]+\|?\s*$")
_WORDS = re.compile(r"[A-Za-z]{2,}")


@dataclass
class Segment:
    """A piece of a Markdown cell: a unit to translate (``text``) with its Markdown ``prefix`` ("## ",
    "- ", "1. ", or ""), verbatim lines (``text`` None) such as code fences and blank lines, or a block
    quote whose inner Markdown is cut the same way (``children``, re-quoted line by line with ``prefixes``)."""

    kind: str  # heading | item | row | para | quote | verbatim
    prefix: str = ""
    text: str | None = None
    raw: str = ""  # verbatim lines
    indents: list[str] = field(default_factory=list)  # each continuation line's indent, in a list item
    children: list[Segment] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)

    @property
    def translatable(self) -> bool:
        if self.kind == "quote":
            return any(c.translatable for c in self.children)
        return self.text is not None and _WORDS.search(self.text) is not None


def segment_markdown(source: str) -> list[Segment]:
    """Cut Markdown into units: headings, list items (with their continuation lines), table rows and
    paragraphs, also inside block quotes; fenced code, blank lines and table rules stay verbatim."""
    lines = source.split("\n")
    out: list[Segment] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _FENCE.match(line):
            fence = _FENCE.match(line).group(1)
            j = i + 1
            while j < len(lines) and not lines[j].lstrip().startswith(fence):
                j += 1
            out.append(Segment("verbatim", raw="\n".join(lines[i : j + 1])))
            i = j + 1
            continue
        if not line.strip():
            out.append(Segment("verbatim", raw=line))
            i += 1
            continue
        if m := _HEADING.match(line):
            out.append(Segment("heading", m.group(1), m.group(2)))
            i += 1
            continue
        if line.lstrip().startswith("|"):
            if _TABLE_SEP.match(line):
                out.append(Segment("verbatim", raw=line))
            else:
                out.append(Segment("row", "", line))
            i += 1
            continue
        if _QUOTE.match(line):
            prefixes, inner = [], []
            while i < len(lines) and (q := _QUOTE.match(lines[i])):
                prefixes.append(q.group(1))
                inner.append(q.group(2))
                i += 1
            out.append(Segment("quote", children=segment_markdown("\n".join(inner)), prefixes=prefixes))
            continue
        if m := _ITEM.match(line):
            body, indents = [m.group(2)], []
            i += 1
            while i < len(lines) and lines[i].strip() and not _starts_block(lines[i]):
                indents.append(re.match(r"\s*", lines[i]).group(0))
                body.append(lines[i].lstrip())
                i += 1
            out.append(Segment("item", m.group(1), "\n".join(body), indents=indents))
            continue
        body = [line]
        i += 1
        while i < len(lines) and lines[i].strip() and not _starts_block(lines[i]):
            body.append(lines[i])
            i += 1
        out.append(Segment("para", "", "\n".join(body)))
    return out


def units_of(segments: Iterable[Segment]) -> list[Segment]:
    """The translatable leaf segments, in document order (block quotes opened)."""
    out = []
    for s in segments:
        if s.kind == "quote":
            out += units_of(s.children)
        elif s.translatable:
            out.append(s)
    return out


def _starts_block(line: str) -> bool:
    return bool(
        _FENCE.match(line)
        or _HEADING.match(line)
        or _ITEM.match(line)
        or _QUOTE.match(line)
        or line.lstrip().startswith("|")
    )


def render_markdown(segments: Iterable[Segment], translate: Callable[[str], str]) -> str:
    """Put the segments back together, each unit's text passed through ``translate``."""
    parts = []
    for s in segments:
        if s.kind == "quote":
            lines = render_markdown(s.children, translate).split("\n")
            prefixes = s.prefixes if len(s.prefixes) == len(lines) else [("> " if ln else ">") for ln in lines]
            parts.append("\n".join(p + ln for p, ln in zip(prefixes, lines)))
            continue
        if not s.translatable:
            parts.append(s.raw if s.text is None else s.prefix + s.text)
            continue
        lines = translate(s.text).split("\n")
        if s.kind == "item":
            # a translation may have more or fewer lines than the English: indent those under the item
            indents = s.indents if len(s.indents) == len(lines) - 1 else [" " * len(s.prefix)] * (len(lines) - 1)
            parts.append(s.prefix + lines[0] + "".join("\n" + ind + ln for ind, ln in zip(indents, lines[1:])))
        else:
            parts.append(s.prefix + "\n".join(lines))
    return "\n".join(parts)


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


# ---- what must survive translation ----

#: Things a translation must carry over unchanged (each as many times as the English has it).
INVARIANTS: dict[str, re.Pattern] = {
    "number": re.compile(r"(?<![A-Za-z0-9_.])\d+(?:[.,:/-]\d+)*(?![A-Za-z_])"),
    "citation key": re.compile(r"(?<=[\[;\s])@[A-Za-z][\w-]*|#ref-[\w-]+"),
    "trial id": re.compile(r"(?<![A-Za-z0-9])(?:NCT\d{8}|jRCT\w+|ChiCTR[\w-]+|ISRCTN\d+|KCT\d{7}|UMIN\d+)"),
    "abbreviation or evidence label": re.compile(
        r"(?<![A-Za-z0-9/@.#_-])[A-Za-z0-9]*[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*(?:[-/][A-Za-z0-9]+)*(?![A-Za-z0-9])"
    ),
    "URL": re.compile(r"https?://[^\s)\]>\"']+"),
    "link or image target": re.compile(r"(?<=\]\()[^)\s]+|(?<=src=\")[^\"]+"),
    "inline code": re.compile(r"`[^`\n]+`"),
    "HTML tag": re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*"),
    "placeholder": re.compile(r"\{[A-Za-z0-9_.!:]*\}|%\(?[A-Za-z_]*\)?[sdfr]"),
}


def tokens(text: str) -> dict[str, Counter]:
    found = {name: Counter(rx.findall(text)) for name, rx in INVARIANTS.items()}
    # "MSCs" is "MSC" + the English plural, which Korean does not write (MSC가, MSC들); likewise an English
    # word hyphenated onto an abbreviation ("GRADE-based", "SPORT-like" = GRADE 기반, SPORT와 같은)
    abbreviations = (re.sub(r"-[a-z]+$", "", t) for t in found["abbreviation or evidence label"].elements())
    found["abbreviation or evidence label"] = Counter(
        t[:-1] if len(t) > 2 and t.endswith("s") and t[-2].isupper() else t for t in abbreviations
    )
    return found


def invariant_problems(english: str, translation: str) -> list[str]:
    """What the translation lost: each number, key, id, abbreviation, URL, link, image, code span, tag and
    placeholder of the English must appear in it (at least as often); a table row keeps its cells."""
    problems = []
    theirs = tokens(translation)
    for name, ours in tokens(english).items():
        missing = ours - theirs[name]
        if missing:
            problems.append(f"{name} missing: {', '.join(sorted(missing.elements()))}")
    if english.lstrip().startswith("|") and english.count("|") != translation.count("|"):
        problems.append(f"table row has {translation.count('|')} '|', the English {english.count('|')}")
    return problems


# ---- glossary ----


@dataclass(frozen=True)
class GlossaryEntry:
    en: str
    ko: str
    source: str
    checked: bool
    match: str = ""
    variants: tuple[str, ...] = ()
    note: str = ""

    @property
    def pattern(self) -> re.Pattern:
        body = self.match or re.escape(self.en) + r"(?:s|es)?"
        return re.compile(rf"(?<![A-Za-z]){body}(?![A-Za-z])", re.IGNORECASE)


def load_glossary(lang: str = "ko", root: Path = ROOT) -> list[GlossaryEntry]:
    rel = GLOSSARY.get(lang)
    if rel is None:
        raise TranslationError(f"no glossary for language {lang!r}")
    data = yaml.safe_load((root / rel).read_text(encoding="utf-8"))
    problems = validate_glossary(data, rel)
    if problems:
        raise TranslationError("\n".join(problems))
    return [
        GlossaryEntry(
            e["en"],
            e["ko"],
            e["source"],
            e["checked"],
            e.get("match", ""),
            tuple(e.get("variants", ())),
            e.get("note", ""),
        )
        for e in data["terms"]
    ]


def validate_glossary(data, where: str) -> list[str]:
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
        return [f"{where}: top level needs a list 'terms'"]
    problems, seen = [], {}
    allowed = {"en", "ko", "source", "checked", "match", "variants", "note"}
    for n, e in enumerate(data["terms"]):
        at = f"{where}: terms[{n}]"
        if not isinstance(e, dict):
            problems.append(f"{at}: must be a mapping")
            continue
        for key in ("en", "ko", "source"):
            if not isinstance(e.get(key), str) or not e[key].strip():
                problems.append(f"{at}: missing '{key}'")
        if not isinstance(e.get("checked"), bool):
            problems.append(f"{at}: 'checked' must be true or false")
        if set(e) - allowed:
            problems.append(f"{at}: unknown field(s) {sorted(set(e) - allowed)}")
        if e.get("checked") is True and "unverified" in str(e.get("source", "")).lower():
            problems.append(f"{at}: checked: true needs a source, not 'unverified'")
        en = str(e.get("en", "")).lower()
        if en in seen and seen[en] != e.get("ko"):
            problems.append(f"{at}: {e.get('en')!r} has two translations: {seen[en]!r} and {e.get('ko')!r}")
        seen[en] = e.get("ko")
        if "match" in e:
            try:
                re.compile(e["match"])
            except re.error as err:
                problems.append(f"{at}: bad 'match' ({err})")
    return problems


def glossary_problems(pairs: Iterable[tuple[str, str, str]], glossary: list[GlossaryEntry]) -> list[str]:
    """``pairs``: (where, English, translation). A glossary term in the English must appear as the
    glossary's rendering in the translation, and no listed variant rendering may appear anywhere: one
    English term, one Korean term."""
    problems = []
    for where, en, ko in pairs:
        # a bibliography entry keeps its English title as published (copied verbatim): no Korean term to require
        cited_as_published = ko == en and en.lstrip().startswith('<a id="ref-')
        # file names and URLs are not prose: "01_stenosis_anatomy.ipynb" asks for no 해부학
        prose = INVARIANTS["URL"].sub("", INVARIANTS["link or image target"].sub("", en))
        for g in glossary:
            if g.pattern.search(prose) and g.ko not in ko and not cited_as_published:
                problems.append(f"{where}: glossary term {g.en!r} must be rendered {g.ko!r}: {ko[:80]!r}")
            rest = ko.replace(g.ko, "\0")
            for v in g.variants:
                if v in rest:
                    problems.append(f"{where}: {g.en!r} rendered {v!r} here but {g.ko!r} in the glossary")
    return problems


REVIEW_INTRO = """# Korean edition: what a Korean-speaking clinician must review

Generated by `python -m spinecourse.authoring.translation review --lang ko` from
`spinecourse/content/data/glossary_ko.yml`; `tests/test_translation.py` fails when this file is out of step.

The Korean text was drafted without access to Korean terminology sources (no web access; the course's checked
bibliography has no Korean terminology source), so **no glossary term is checked yet**. Before teaching with the
Korean edition, a Korean-speaking spine clinician should:

1. confirm or change each term below against the KMA medical terminology (대한의사협회 의학용어집), a Korean
   guideline or Korean spine literature; write the source into the entry's `source`, set `checked: true`, and
   run `... translation check --lang ko` (a changed rendering must then be used everywhere: the check lists
   every passage that still uses the old one);
2. read the disclaimer (first block quote of `course/00_start_here.ipynb` in
   `locales/ko/LC_MESSAGES/course/00_start_here.po`) and every self-check explanation for clinical sense;
3. where two renderings are in use in Korea (noted below), choose one for the edition.

| English | Korean (edition) | Renderings the lint rejects | Note |
|---|---|---|---|
"""


def review_markdown(lang: str = "ko", root: Path = ROOT) -> str:
    """The review list: every glossary term not yet checked against a Korean source."""
    rows = []
    for g in load_glossary(lang, root):
        if not g.checked:
            cells = [g.en, g.ko, ", ".join(g.variants) or "–", g.note or "–"]
            rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    total = len(load_glossary(lang, root))
    return REVIEW_INTRO + "\n".join(rows) + f"\n\n{len(rows)} of {total} terms flagged for review.\n"


# ---- check ----


def check(sources: Iterable[Source], lang: str, root: Path = ROOT) -> list[str]:
    """Everything wrong with the edition's sources: untranslated, fuzzy, lost invariants, glossary."""
    problems: list[str] = []
    pairs: list[tuple[str, str, str]] = []
    for source in sources:
        st = status(source, lang, root)
        if st.catalogue_missing:
            problems.append(
                f"{source}: no catalogue {po_path(source, lang, root).relative_to(root)} "
                f"(run: python -m spinecourse.authoring.translation update --lang {lang} {source})"
            )
        for msgid in st.untranslated:
            problems.append(f"{source}: untranslated ({', '.join(st.locations[msgid])}): {msgid[:90]!r}")
        for msgid, _old, _s in st.fuzzy:
            problems.append(f"{source}: fuzzy, the English changed ({', '.join(st.locations[msgid])}): {msgid[:90]!r}")
        for en, ko in st.pairs:
            where = f"{source} ({', '.join(st.locations[en])})"
            problems += [f"{where}: {p}: {en[:60]!r}" for p in invariant_problems(en, ko)]
            pairs.append((where, en, ko))
    if lang in GLOSSARY:
        problems += glossary_problems(pairs, load_glossary(lang, root))
    return problems


# ---- build ----

_OUTWARD_LINK = re.compile(r"\]\(\.\./")
LANG_CELL_ID = "i18n-language"
NOTE_CELL_ID = "i18n-partial"
#: Shown at the top of a built lesson whose catalogue is incomplete (English shows where Korean is missing).
PARTIAL_NOTE = i18n.N_(
    "**Translation in progress.** {done} of {total} passages of this lesson are translated; "
    "the others are shown in English, the course's source language."
)


def translated_notebook(source: Source, lang: str, root: Path = ROOT) -> nbformat.NotebookNode:
    """The notebook in ``lang``: Markdown units from the catalogue (English where a unit has no usable
    translation), code unchanged, and a cell after the title that sets the session's language (tagged
    ``remove-cell`` for the site); an incomplete lesson gets a "translation in progress" note there too."""
    nb = nbformat.read(root / source.path, as_version=4)
    msgs = _messages_at(po_path(source, lang, root), lang)
    out = copy.deepcopy(nb)
    for cell in out.cells:
        if cell.cell_type == "markdown":
            cell.source = render_markdown(segment_markdown(cell.source), lambda t: msgs.get(t, t))
            # built two folders deeper (build/<lang>/course): links out of course/ must climb two more levels
            cell.source = _OUTWARD_LINK.sub("](../../../", cell.source)
    setter = nbformat.v4.new_code_cell(
        f'from spinecourse.content.i18n import set_language\n\nset_language("{lang}")',
        metadata={"tags": ["remove-cell"]},
    )
    setter["id"] = LANG_CELL_ID
    # after the title cell (the site puts its launch links there too), before any self-check or widget
    at = 1 if out.cells and out.cells[0].cell_type == "markdown" else 0
    out.cells.insert(at, setter)
    st = status(source, lang, root)
    if st.untranslated or st.fuzzy:
        text = i18n.translate(i18n.CODE_DOMAIN, PARTIAL_NOTE, lang).format(done=len(st.translated), total=st.total)
        note = nbformat.v4.new_markdown_cell("> " + text)
        note["id"] = NOTE_CELL_ID
        out.cells.insert(at, note)
    out.metadata["language"] = lang
    return out


def _messages_at(path: Path, lang: str) -> dict[str, str]:
    if not path.is_file():
        return {}
    return {m.id: m.string for m in read_catalogue(path, lang) if m.id and m.string and not m.fuzzy}


def build(lang: str, out: Path | None = None, root: Path = ROOT) -> list[Path]:
    """Every lesson in ``lang`` into ``build/<lang>/course/`` (git-ignored), and JupyterLab settings that
    choose the language pack (``build/<lang>/lab-settings``, for ``JUPYTERLAB_SETTINGS_DIR``)."""
    i18n.normalise(lang)
    out = out or root / BUILD / lang
    build_root = out.parent
    build_root.mkdir(parents=True, exist_ok=True)
    ignore = build_root / ".gitignore"
    if not ignore.exists():  # the build folder ignores itself: nothing here is committed
        ignore.write_text("*\n")
    course = out / COURSE
    course.mkdir(parents=True, exist_ok=True)
    written = []
    for extra in sorted((root / COURSE).iterdir()):  # images or data a lesson reads beside it
        if extra.is_file() and extra.suffix != ".ipynb" and not extra.name.startswith("."):
            (course / extra.name).write_bytes(extra.read_bytes())
    for src in all_sources(root):
        if src.kind != "notebook":
            continue
        target = course / Path(src.path).name
        nbformat.write(translated_notebook(src, lang, root), target)
        written.append(target)
    locale = {"ko": "ko_KR"}.get(lang, lang)
    settings = out / "lab-settings" / "@jupyterlab" / "translation-extension" / "plugin.jupyterlab-settings"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(json.dumps({"locale": locale}, indent=2) + "\n")
    return written


# ---- quizzes: translated nbgrader assignments ----

#: nbgrader's region markers: they must reach the translated quiz letter for letter (a written question's
#: model answer is a Markdown solution cell whose "### BEGIN SOLUTION" is also a heading unit).
NBGRADER_MARKERS = frozenset({"BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"})
_EDITION = re.compile(r"^(?P<quiz>.+)_(?P<lang>[a-z]{2})$")


def edition_name(quiz: str, lang: str) -> str:
    """The assignment id of a quiz's translated edition: ``01_anatomy_quiz`` -> ``01_anatomy_quiz_ko``."""
    return f"{quiz}_{i18n.normalise(lang)}"


def edition_of(assignment: str) -> tuple[str, str] | None:
    """``(English quiz, language)`` if ``assignment`` names a translated edition (``01_anatomy_quiz_ko``),
    else None. Tests that hold only for the English wording (its header, its phrases) skip editions."""
    m = _EDITION.match(assignment)
    if m and m["lang"] in i18n.LANGUAGES and m["lang"] != i18n.SOURCE_LANGUAGE:
        return m["quiz"], m["lang"]
    return None


def is_quiz(source: Source) -> bool:
    return source.kind == "notebook" and source.path.startswith(QUIZZES + "/")


def quiz_sources(lang: str, root: Path = ROOT) -> list[Source]:
    """The English quiz notebooks the edition's manifest lists (they get a translated assignment)."""
    return [s for s in manifest(lang, root) if is_quiz(s)]


def quiz_path(source: Source, lang: str, root: Path = ROOT) -> Path:
    quiz = Path(source.path).parent.name
    name = edition_name(quiz, lang)
    return root / QUIZZES / name / f"{name}.ipynb"


def _practice_notes(english: nbformat.NotebookNode, msgs: dict[str, str], lang: str) -> dict[str, str]:
    """The practice copy's own words in ``lang`` (``spinecourse.grading.practice`` reads them from the
    translated source's metadata): its notes from the code-side catalogue, and the graded copy's "Checks"
    paragraph as this quiz translates it (the practice note replaces that paragraph)."""
    from ..grading import practice

    header = next((c for c in english.cells if practice.meta(c).get("grade_id") == "header"), None)
    start = None
    if header is not None:
        for seg in units_of(segment_markdown(header.source)):
            if seg.text.startswith(practice.GRADED_NOTE_START):
                start = msgs.get(seg.text)
    if not start:
        raise TranslationError(f"the quiz header has no translated paragraph starting {practice.GRADED_NOTE_START!r}")
    words = {
        "practice_note": practice.PRACTICE_NOTE,
        "check_note": practice.CHECK_NOTE_TEXT,
        "show_model": practice.SHOW_MODEL,
    }
    out = {"graded_note_start": start}
    for key, english_text in words.items():
        text = i18n.translate(i18n.CODE_DOMAIN, english_text, lang)
        if text == english_text:
            raise TranslationError(
                f"the practice copy's words are not translated into {lang}: {english_text[:60]!r} "
                f"(run: python -m spinecourse.authoring.translation update --lang {lang} code; then todo/apply)"
            )
        out[key] = text
    return out


def translated_quiz(source: Source, lang: str, root: Path = ROOT) -> nbformat.NotebookNode:
    """The quiz in ``lang`` as an nbgrader source notebook: every Markdown unit from the catalogue, every
    code cell, cell id and nbgrader metadata (grade ids, points, locks; solutions and hidden tests) the
    English one's, byte for byte. Only a complete catalogue makes a quiz: a learner must never meet a
    half-English assessment, nor an out-of-date translation of a changed question."""
    i18n.normalise(lang)
    if not is_quiz(source):
        raise TranslationError(f"{source}: not a quiz notebook in {QUIZZES}/")
    st = status(source, lang, root)
    if st.catalogue_missing or st.untranslated or st.fuzzy:
        raise TranslationError(
            f"{source}: the {lang} catalogue is not complete ({len(st.untranslated)} untranslated, "
            f"{len(st.fuzzy)} fuzzy{', no catalogue' if st.catalogue_missing else ''}): run "
            f"python -m spinecourse.authoring.translation check --lang {lang} {source}"
        )
    english = nbformat.read(root / source.path, as_version=4)
    msgs = _messages_at(po_path(source, lang, root), lang)
    out = copy.deepcopy(english)
    for cell in out.cells:
        if cell.cell_type == "markdown":
            # the assignment folder is as deep as the English one: its links need no change
            cell.source = render_markdown(
                segment_markdown(cell.source), lambda t: t if t in NBGRADER_MARKERS else msgs.get(t, t)
            )
    out.metadata["language"] = lang
    out.metadata["spinecourse"] = {
        "edition": lang,
        "english": source.path,
        "practice": _practice_notes(english, msgs, lang),
    }
    return out


def quiz_problems(english: nbformat.NotebookNode, edition: nbformat.NotebookNode) -> list[str]:
    """What differs between a quiz and its edition other than Markdown wording: cell order, ids and types,
    code cells, nbgrader metadata (grade ids, points, locks, solution flags) and nbgrader's markers."""
    problems = []
    if len(english.cells) != len(edition.cells):
        return [f"{len(edition.cells)} cells, the English {len(english.cells)}"]
    for n, (en, ko) in enumerate(zip(english.cells, edition.cells)):
        where = f"cell {n} ({en.get('id')})"
        if (en.cell_type, en.get("id")) != (ko.cell_type, ko.get("id")):
            problems.append(f"{where}: is {ko.cell_type} {ko.get('id')!r}")
        if en.metadata.get("nbgrader") != ko.metadata.get("nbgrader"):
            problems.append(f"{where}: nbgrader metadata differs")
        if en.cell_type == "code" and en.source != ko.source:
            problems.append(f"{where}: code differs from the English")
        if en.cell_type == "markdown":
            marks = [ln.strip() for ln in en.source.splitlines() if ln.strip().lstrip("# ") in NBGRADER_MARKERS]
            kept = [ln.strip() for ln in ko.source.splitlines() if ln.strip().lstrip("# ") in NBGRADER_MARKERS]
            if marks != kept:
                problems.append(f"{where}: nbgrader markers {marks} became {kept}")
    return problems


def generate_quizzes(lang: str, root: Path = ROOT, write: bool = True) -> tuple[list[Path], list[str]]:
    """Write (or with ``write=False`` only compare) the translated assignment of every quiz in the
    manifest; returns (the notebooks, what was out of date: written, or to delete by hand). Run by
    ``make release`` before nbgrader's release."""
    paths, stale = [], []
    for source in quiz_sources(lang, root):
        nb = translated_quiz(source, lang, root)
        problems = quiz_problems(nbformat.read(root / source.path, as_version=4), nb)
        if problems:  # cannot happen unless rendering broke: never release such a quiz
            raise TranslationError(f"{source}: the {lang} edition differs from the English: " + "; ".join(problems))
        path = quiz_path(source, lang, root)
        text = nbformat.writes(nb) + "\n"
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(str(path.relative_to(root)))
            if write:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
        paths.append(path)
    listed = {p.parent.name for p in paths}
    for folder in sorted((root / QUIZZES).iterdir()):  # an edition whose quiz left the manifest
        found = edition_of(folder.name)
        if folder.is_dir() and found and found[1] == lang and folder.name not in listed:
            # never deleted here: the instructor may have released it; say so instead
            stale.append(f"{folder.relative_to(root)}: its quiz is not in locales/{lang}/manifest.yml (delete it)")
    return paths, stale


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


# ---- command line ----


def _sources(args, lang: str) -> list[Source]:
    if getattr(args, "all", False):
        return all_sources()
    if args.sources:
        out: list[Source] = []
        for a in args.sources:
            out += [s for s in resolve(a) if s not in out]
        return out
    return manifest(lang)


def _count_line(name: str, sts: list[Status]) -> str:
    t, f, u = (sum(len(getattr(s, k)) for s in sts) for k in ("translated", "fuzzy", "untranslated"))
    o = sum(s.obsolete for s in sts)
    return f"{name:<64} {t:>6} {f:>6} {u:>6} {o:>6}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m spinecourse.authoring.translation", description=__doc__.split("\n\n")[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("update", "todo", "stats", "check", "extract", "build", "apply", "review", "quizzes"):
        p = sub.add_parser(name)
        p.add_argument("--lang", default="ko")
        if name == "quizzes":
            p.add_argument("--check", action="store_true", help="write nothing; exit 1 if an edition is out of date")
        if name not in ("build", "review", "quizzes"):
            p.add_argument(
                "sources", nargs="*" if name != "apply" else 1, help="notebook, bank, 'code', data:<name> or lesson"
            )
            p.add_argument("--all", action="store_true", help="every source of the course, not the manifest")
        if name == "todo":
            p.add_argument("--json", action="store_true", help="print {English: current translation} as JSON")
        if name == "apply":
            p.add_argument("json_file", type=Path)
        if name == "build":
            p.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    try:
        return _run(args, i18n.normalise(args.lang))
    except (TranslationError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _run(args, lang: str) -> int:
    if args.command == "build":
        written = build(lang, args.out)
        print(
            f"{len(written)} notebooks in {written[0].parent if written else '-'}; start page "
            f"{written[0] if written else '-'}"
        )
        return 0
    if args.command == "quizzes":
        paths, stale = generate_quizzes(lang, ROOT, write=not args.check)
        for s in stale:
            print(s if ": " in s else ("out of date: " if args.check else "wrote ") + s)
        print(f"{len(paths)} {lang} quiz(zes) from locales/{lang}/manifest.yml; {len(stale)} out of date")
        orphans = [s for s in stale if ": " in s]
        return 1 if (args.check and stale) or orphans else 0
    if args.command == "review":
        path = ROOT / "locales" / lang / "REVIEW.md"
        path.write_text(review_markdown(lang), encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
        return 0
    sources = _sources(args, lang)
    if args.command == "update":
        for s in sources:
            print(f"updated {update(s, lang).relative_to(ROOT)}")
    elif args.command == "extract":
        for s in sources:
            path = ROOT / BUILD / "locales" / "templates" / f"{s.catalogue}.pot"
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as handle:
                write_po(handle, template(s), width=0, sort_output=False)
            print(f"wrote {path.relative_to(ROOT)}")
    elif args.command == "todo":
        todo: dict[str, str] = {}
        for s in sources:
            st = status(s, lang)
            for msgid in st.untranslated:
                todo[msgid] = ""
                if not args.json:
                    print(f"UNTRANSLATED  {', '.join(st.locations[msgid])}\n  en: {msgid}\n")
            for msgid, old, current in st.fuzzy:
                todo[msgid] = current
                if not args.json:
                    print(
                        f"FUZZY  {', '.join(st.locations[msgid])}\n  en (now):    {msgid}\n"
                        f"  en (before): {old}\n  {lang} (before): {current}\n"
                    )
        if args.json:
            print(json.dumps(todo, ensure_ascii=False, indent=1))
        else:
            print(f"{len(todo)} entries to translate in {', '.join(map(str, sources))}")
    elif args.command == "apply":
        data = json.loads(args.json_file.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise TranslationError(f"{args.json_file}: must be a JSON object {{English: translation}}")
        filled = {k: v for k, v in data.items() if v}
        n = apply(sources, lang, filled, ROOT)
        left = len(data) - len(filled)
        print(
            f"{n} entries set in {', '.join(str(po_path(s, lang).relative_to(ROOT)) for s in sources)}"
            + (f"; {left} left empty (still to translate)" if left else "")
        )
    elif args.command == "stats":
        print(f"{'source':<64} {'transl':>6} {'fuzzy':>6} {'untr':>6} {'obsol':>6}")
        sts = [status(s, lang) for s in sources]
        for st in sts:
            print(_count_line(str(st.source), [st]))
        notebook_side = [s for s in sts if s.source.kind == "notebook"]
        code_side = [s for s in sts if s.source.kind != "notebook"]
        print(_count_line("total, notebook side (lesson Markdown)", notebook_side))
        print(_count_line("total, code side (banks and _() strings)", code_side))
    elif args.command == "check":
        problems = check(sources, lang)
        for p in problems:
            print(p)
        print(f"{len(problems)} problem(s) in {len(sources)} source(s): {', '.join(map(str, sources))}")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())


# ---- Korean search for the site (Sphinx has no Korean search language) ----

_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _korean_search_class():
    from sphinx.search import SearchLanguage

    class SearchKorean(SearchLanguage):
        """Sphinx search for Korean pages, offline and without a tokeniser: Korean attaches particles to words
        (협착증은, 협착증에서), so each Hangul word is also indexed by its prefixes of two or more syllables and a
        search for 협착증 finds them; everything is lower-cased as the search box's query is."""

        lang = "ko"
        language_name = "Korean"

        def split(self, input: str) -> list[str]:
            words = []
            for word in self._word_re.findall(input):
                words.append(word)
                if _HANGUL.search(word):
                    words += [word[:n] for n in range(2, len(word))]
            return words

        def stem(self, word: str) -> str:
            return word.lower()

    return SearchKorean


def __getattr__(name: str):
    # Sphinx loads a search language by dotted path: sphinx.search.languages["ko"] =
    # "spinecourse.authoring.translation.SearchKorean" in the site's conf.py. Made on first use, so this module
    # does not import Sphinx (the site extra) otherwise.
    if name == "SearchKorean":
        return _korean_search_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
