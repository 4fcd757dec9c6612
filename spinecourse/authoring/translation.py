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
import json
import sys
from pathlib import Path

from babel.messages.pofile import write_po

from ..content import i18n
from .tr_catalogues import (
    Status,
    Unit,
    apply,
    extract,
    model_strings,
    po_path,
    read_catalogue,
    status,
    template,
    update,
    write_catalogue,
)
from .tr_checks import (
    REVIEW_INTRO,
    GlossaryEntry,
    check,
    glossary_problems,
    invariant_problems,
    load_glossary,
    review_markdown,
    tokens,
    validate_glossary,
)
from .tr_editions import (
    LANG_CELL_ID,
    NBGRADER_MARKERS,
    NOTE_CELL_ID,
    PARTIAL_NOTE,
    build,
    edition_name,
    edition_of,
    generate_quizzes,
    is_quiz,
    quiz_path,
    quiz_problems,
    quiz_sources,
    translated_notebook,
    translated_quiz,
)
from .tr_markdown import Segment, render_markdown, segment_markdown, units_of
from .tr_search import _HANGUL as _HANGUL
from .tr_search import _korean_search_class

# The tool is split by job (issue 20); every name other code imported from this module is re-exported here.
from .tr_sources import (
    BANKS,
    BUILD,
    CODE,
    CODE_DIRS,
    COURSE,
    DATA,
    GLOSSARY,
    HEADER,
    MODELS,
    PAGES,
    PAGES_DOMAIN,
    PROJECT,
    QUIZZES,
    ROOT,
    Source,
    TranslationError,
    all_sources,
    manifest,
    manifest_path,
    resolve,
)

__all__ = [
    "BANKS",
    "BUILD",
    "CODE",
    "CODE_DIRS",
    "COURSE",
    "DATA",
    "GLOSSARY",
    "GlossaryEntry",
    "HEADER",
    "LANG_CELL_ID",
    "MODELS",
    "NBGRADER_MARKERS",
    "NOTE_CELL_ID",
    "PAGES",
    "PAGES_DOMAIN",
    "PARTIAL_NOTE",
    "PROJECT",
    "QUIZZES",
    "REVIEW_INTRO",
    "ROOT",
    "Segment",
    "Source",
    "Status",
    "TranslationError",
    "Unit",
    "all_sources",
    "apply",
    "build",
    "check",
    "edition_name",
    "edition_of",
    "extract",
    "generate_quizzes",
    "glossary_problems",
    "invariant_problems",
    "is_quiz",
    "load_glossary",
    "manifest",
    "manifest_path",
    "model_strings",
    "po_path",
    "quiz_path",
    "quiz_problems",
    "quiz_sources",
    "read_catalogue",
    "render_markdown",
    "resolve",
    "review_markdown",
    "segment_markdown",
    "status",
    "template",
    "tokens",
    "translated_notebook",
    "translated_quiz",
    "units_of",
    "update",
    "validate_glossary",
    "write_catalogue",
]

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


def __getattr__(name: str):
    # Sphinx loads a search language by dotted path: sphinx.search.languages["ko"] =
    # "spinecourse.authoring.translation.SearchKorean" in the site's conf.py. Made on first use, so this module
    # does not import Sphinx (the site extra) otherwise.
    if name == "SearchKorean":
        return _korean_search_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
