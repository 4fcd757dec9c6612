"""Content lint over every notebook and question bank, plus hygiene of committed notebooks."""

from pathlib import Path

import nbformat
import pytest

from spinecourse.authoring import contentlint
from spinecourse.content import questions as quiz
from spinecourse.content import references

ROOT = Path(__file__).resolve().parents[1]
COURSE = sorted((ROOT / "course").glob("*.ipynb"))
QUIZZES = sorted((ROOT / "assignments" / "source").glob("*/*.ipynb"))


@pytest.mark.parametrize("path", COURSE + QUIZZES, ids=lambda p: p.name)
def test_notebook_passes_content_lint(path):
    assert contentlint.lint_path(path) == []


@pytest.mark.parametrize("path", COURSE + QUIZZES, ids=lambda p: p.name)
def test_committed_notebook_has_no_outputs(path):
    assert not contentlint.outputs_present(nbformat.read(path, as_version=4)), "clear outputs before committing"


def test_every_lesson_has_a_question_bank():
    lessons = {p.stem for p in COURSE}
    assert lessons <= set(quiz.bank_names()), lessons - set(quiz.bank_names())


def test_start_page_is_first_and_lessons_are_numbered():
    assert COURSE[0].name == "00_start_here.ipynb"
    assert all(p.name[:2].isdigit() for p in COURSE)


# The lint must catch what it claims to catch.
def _nb(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(c) if isinstance(c, str) else c for c in cells]
    return nb


GOOD_LESSON = [
    "# Title\n\n> This is educational material and not medical advice.",
    "## Overview\n\n**Time:** 30 minutes\n\n## Learning objectives\n\n1. x",
    "## 1. Section\n\nA fact [@kalichman2009].",
    "## Summary\n\n- x",
    "## References\n\n- `kalichman2009`: ...",
]


def test_lint_accepts_a_complete_lesson():
    assert contentlint.lint_notebook(_nb(*GOOD_LESSON), "lesson") == []


@pytest.mark.parametrize("index, replacement, expected", [
    (0, "# Title", "no disclaimer"),
    (1, "## Overview\n\n## Learning objectives", "no time estimate"),
    (1, "**Time:** 30 minutes", "no 'objectives' heading"),
    (2, "## 1. Section\n\nA fact [@nobody2020].", "unknown reference key"),
    (2, "## 1. Section\n\nA fact [@suri2010].", "not listed in the References"),
    (2, "#### Deep\n\n![](fig.png)", "heading level skips"),
    (2, "## A\n\n![](fig.png)", "has no alt text"),
    (3, "## Wrap-up", "no 'summary' heading"),
])
def test_lint_catches_each_problem(index, replacement, expected):
    cells = list(GOOD_LESSON)
    cells[index] = replacement
    problems = contentlint.lint_notebook(_nb(*cells), "lesson")
    assert any(expected in p for p in problems), problems


def test_lint_flags_bare_plt_figures():
    cell = nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\nplt.plot([1, 2])")
    assert any("Figure description" in p for p in contentlint.lint_notebook(_nb(*GOOD_LESSON, cell), "lesson"))


def test_question_banks_cite_known_keys():
    bib = references.load()
    for name in quiz.bank_names():
        for q in quiz.load_bank(name).values():
            assert set(q.refs) <= set(bib)
