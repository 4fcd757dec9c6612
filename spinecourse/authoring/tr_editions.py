"""Translated editions, the built outputs: the translated notebooks (``build/<lang>/course/``) and the
translated nbgrader quizzes (``assignments/source/<quiz>_<lang>/``). Part of ``translation``.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import nbformat

from ..content import i18n
from .tr_catalogues import po_path, read_catalogue, status
from .tr_markdown import render_markdown, segment_markdown, units_of
from .tr_sources import BUILD, COURSE, QUIZZES, ROOT, Source, TranslationError, all_sources, manifest

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
