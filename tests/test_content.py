"""Content lint over every notebook and question bank, plus hygiene of committed notebooks."""

import re
from pathlib import Path

import nbformat
import pytest

from spinecourse.authoring import contentlint
from spinecourse.authoring.translation import edition_of
from spinecourse.content import dating, references
from spinecourse.content import questions as quiz

ROOT = Path(__file__).resolve().parents[1]
COURSE = sorted((ROOT / "course").glob("*.ipynb"))
QUIZZES = sorted(p for p in (ROOT / "assignments" / "source").glob("*/*.ipynb") if not edition_of(p.parent.name))


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
    "# Title\n\n> This is educational material and not medical advice.\n\n" + dating.review_line(),
    "## Overview\n\n**Time:** 30 minutes\n\n## Learning objectives\n\n1. x",
    "## 1. Section\n\nA fact [@kalichman2009].",
    "## Summary\n\n- x",
    "## References\n\n- `kalichman2009`: ...",
]


def test_lint_accepts_a_complete_lesson():
    assert contentlint.lint_notebook(_nb(*GOOD_LESSON), "lesson") == []


@pytest.mark.parametrize(
    "index, replacement, expected",
    [
        (0, "# Title", "no disclaimer"),
        (1, "## Overview\n\n## Learning objectives", "no time estimate"),
        (1, "**Time:** 30 minutes", "no 'objectives' heading"),
        (2, "## 1. Section\n\nA fact [@nobody2020].", "unknown reference key"),
        (2, "## 1. Section\n\nA fact [@suri2010].", "not listed in the References"),
        (2, "#### Deep\n\n![](fig.png)", "heading level skips"),
        (2, "## A\n\n![](fig.png)", "has no alt text"),
        (3, "## Wrap-up", "no 'summary' heading"),
        (0, "# Title\n\n> This is educational material and not medical advice.", "do not show the review line"),
        (
            0,
            "# Title\n\n> This is educational material and not medical advice.\n\n**Content last reviewed:** 1999-01-01",
            "do not show the review line",
        ),
        (
            2,
            "## 1. Section\n\nThe only FDA-approved stem-cell products are cord-blood cells [@kalichman2009].",
            "FDA 2020 consumer alert without its year 2020",
        ),
        (2, "## 1. Section\n\nKorea's Act excludes minimal manipulation [@korea_arba].", "without its year 2020"),
        (2, "## 1. Section\n\nRyoncil is approved for pediatric GVHD.", "without its year 2024"),
        (2, "## 1. Section\n\nAct No. 20331 allows treatment outside trials.", "without its year 2025"),
        (
            2,
            "## 1. Section\n\nFlorida law now lets physicians offer unapproved stem-cell therapy.",
            "without its year 2025",
        ),
        (2, "## 1. Section\n\nAlofisel was withdrawn after its confirmatory trial failed.", "without its year 2024"),
        (2, "## 1. Section\n\nJapan conditionally approved Stemirac for spinal cord injury.", "without its year 2018"),
    ],
)
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


def test_review_line_is_where_the_lint_looks_and_dates_are_iso():
    # the dates live in one place; a lesson showing it lower down (after the overview) does not count
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", dating.CONTENT_REVIEWED)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", dating.BIBLIOGRAPHY_CHECKED)
    cells = list(GOOD_LESSON)
    cells[0] = "# Title\n\n> This is educational material and not medical advice."
    cells[3] = "## Summary\n\n- x\n\n" + dating.review_line()
    assert any("review line" in p for p in contentlint.lint_notebook(_nb(*cells), "lesson"))


def test_bibliography_date_matches_the_checked_list():
    """The date shown in every lesson is the date of the last additions to docs/checked-references.md."""
    text = (ROOT / "docs" / "checked-references.md").read_text(encoding="utf-8")
    found = re.search(r"Last additions: (\d{4}-\d{2}-\d{2})", text)
    assert found, "docs/checked-references.md has no 'Last additions: YYYY-MM-DD'"
    assert found.group(1) == dating.BIBLIOGRAPHY_CHECKED, "update BIBLIOGRAPHY_CHECKED in spinecourse/content/dating.py"


def test_dated_facts_with_their_year_pass():
    ok = (
        "In its July 2020 consumer alert, the FDA said the only approved stem-cell products were cord-blood cells "
        "[@fda2020alert]. Since 18 December 2024 Ryoncil is approved for pediatric GVHD [@fda2024ryoncil].\n"
        "| Act No. 16556, in force 28 August 2020 [@korea_arba] | Act No. 20331, in force 21 February 2025 |\n\n"
        "Since 1 July 2025 Florida law permits unapproved stem-cell therapy for pain [@florida2025]. "
        "Alofisel lost its EU authorisation in December 2024 [@alofisel2024]. "
        "Stemirac has had a conditional approval in Japan since 2018 [@stemirac2018]."
    )
    assert dating.dated_fact_problems(ok) == []
    # the year must be in the same paragraph, list item or table cell: the next paragraph is not enough
    late = "The only approved products were cord-blood cells [@fda2020alert].\n\nThat was in 2020."
    assert len(dating.dated_fact_problems(late, "x")) == 1 and dating.dated_fact_problems(late, "x")[0].startswith(
        "x: "
    )


@pytest.mark.parametrize("name", quiz.bank_names())
def test_question_banks_date_their_dated_facts(name):
    assert contentlint.lint_question_bank(name) == []


# The content tables (claims, challenges, patient reply...) are shown in lessons too. The bibliography
# is left out: its facts are the dated sources themselves.
DATA_TABLES = sorted(p for p in (ROOT / "spinecourse" / "content" / "data").glob("*.yml") if p.name != "references.yml")


@pytest.mark.parametrize("path", DATA_TABLES, ids=lambda p: p.name)
def test_content_tables_date_their_dated_facts(path):
    assert contentlint.lint_data_file(path) == []


def test_data_file_lint_catches_an_undated_fact(tmp_path):
    bad = tmp_path / "table.yml"
    bad.write_text("rows:\n  - text: 'Only cord-blood products are FDA-approved [@fda2020alert].'\n", encoding="utf-8")
    assert any("without its year 2020" in p for p in contentlint.lint_data_file(bad))
