"""Practice copies of the quizzes: immediate right/wrong feedback for self-learners.

The graded learner copies (``assignments/release``) check only the *form* of an answer, so a
score means knowledge, not reruns. A practice copy (``assignments/practice/<quiz>/<quiz>.ipynb``)
is the learner copy with each check cell's hidden part shown, so a check says at once whether the
answer is right (with a hint), and with the model answer and mark scheme of each written question
behind a "Show" control.

The trade-off, stated in the runbook (section 7) and README: a practice copy holds the answers in
plain view, like ``assignments/source``. The public learner repository (``tools/export_public.py``)
leaves both out unless ``--with-practice`` is given, for a course whose quizzes nobody grades for credit.

Made from ``source/`` and ``release/`` by ``make release`` (or
``python -m spinecourse.grading.practice all --course assignments``); a test fails when the
committed copies are out of date.
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

import nbformat

from ..content.i18n import N_
from .cells import is_check, is_solution, meta
from .regions import HIDDEN_TESTS, SOLUTION, split_region, strip_markers

PRACTICE = "practice"
GRADED_NOTE_START = "**Checks.**"
# N_: the practice copy's words are in the code-side catalogue, so a translated quiz edition's practice copy
# is in its language (the translated source carries them: spinecourse.authoring.translation, "quizzes").
PRACTICE_NOTE = N_(
    "**Checks (practice copy).** This copy is for practice and is not graded: hand in the copy your "
    "instructor releases, never this one. Run the **check cell** below each answer: it says at once whether "
    "the answer is right, and gives a hint when it is not. The code of each check contains the answer, so "
    "read it only after you have tried. After each written question, the model answer and its mark scheme "
    'are behind a "Show" control: write your own answer first.'
)
CHECK_NOTE_TEXT = N_("Practice check: says whether your answer is right (the code below contains the answer).")
CHECK_NOTE = f"# {CHECK_NOTE_TEXT}\n"
SHOW_MODEL = N_("Show the model answer and mark scheme (after writing yours)")


def _notes(source_nb) -> dict[str, str]:
    """The practice copy's own words: English, or those a translated edition's source carries in its metadata
    (``spinecourse.practice``: its translated "Checks" paragraph to replace, the practice note, the check note)."""
    theirs = source_nb.metadata.get("spinecourse", {}).get("practice", {})
    notes = {"graded_note_start": GRADED_NOTE_START, "practice_note": PRACTICE_NOTE, "show_model": SHOW_MODEL}
    notes.update({k: v for k, v in theirs.items() if k in notes and isinstance(v, str) and v})
    text = theirs.get("check_note")
    notes["check_note"] = f"# {text}\n" if isinstance(text, str) and text else CHECK_NOTE
    return notes


def _by_grade_id(nb) -> dict:
    return {meta(c).get("grade_id"): c for c in nb.cells if meta(c).get("grade_id")}


def practice_notebook(release_nb, source_nb):
    """The learner copy with correctness checks and model answers visible (a new notebook)."""
    nb = copy.deepcopy(release_nb)
    source_cells = _by_grade_id(source_nb)
    notes = _notes(source_nb)
    cells = []
    for cell in nb.cells:
        gid = meta(cell).get("grade_id")
        if gid == "header":
            text = cell.source
            if notes["graded_note_start"] not in text:
                raise ValueError(f"the quiz header has no paragraph starting {notes['graded_note_start']!r} to replace")
            start = text.index(notes["graded_note_start"])
            end = text.find("\n\n", start)
            cell.source = text[:start] + notes["practice_note"] + ("" if end < 0 else text[end:])
        elif is_check(cell):
            # check_answer checks the form too, so the graded copy's form-only line is left out
            hidden = split_region(source_cells[gid].source, HIDDEN_TESTS)[1]
            cell.source = notes["check_note"] + hidden.strip("\n")
        cells.append(cell)
        if cell.cell_type == "markdown" and is_solution(cell) and gid in source_cells:
            model = strip_markers(source_cells[gid].source, SOLUTION).strip()
            cells.append(
                nbformat.v4.new_markdown_cell(
                    f"<details><summary>{notes['show_model']}</summary>\n\n{model}\n\n</details>",
                    id=f"{gid}-model",
                )
            )
    nb.cells = cells
    return nb


def write_practice(course_dir: Path, assignment: str) -> list[Path]:
    """Write ``practice/<assignment>/*.ipynb`` from ``source/`` and the current ``release/``."""
    course_dir = Path(course_dir)
    out_dir = course_dir / PRACTICE / assignment
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for src_path in sorted((course_dir / "source" / assignment).glob("*.ipynb")):
        rel_path = course_dir / "release" / assignment / src_path.name
        if not rel_path.exists():
            raise FileNotFoundError(f"{rel_path} is missing: generate the release first (make release)")
        nb = practice_notebook(nbformat.read(rel_path, as_version=4), nbformat.read(src_path, as_version=4))
        nbformat.write(nb, out_dir / src_path.name)
        written.append(out_dir / src_path.name)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m spinecourse.grading.practice",
        description="write practice copies (answers visible) of the quizzes",
    )
    parser.add_argument("assignment", help="a quiz folder name under source/, or 'all'")
    parser.add_argument("--course", default=".", help="the nbgrader course folder (default: here)")
    args = parser.parse_args(argv)
    course = Path(args.course)
    names = (
        sorted(p.name for p in (course / "source").iterdir() if p.is_dir() and not p.name.startswith("."))
        if args.assignment == "all"
        else [args.assignment]
    )
    for name in names:
        for path in write_practice(course, name):
            print(f"practice copy: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
