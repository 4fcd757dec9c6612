"""Per-lesson metadata: key points in data, the time rule, glossary links, and the --write/--check command
(on temporary copies: course/ is written only at integration)."""

import shutil
from pathlib import Path

import nbformat
import pytest
import yaml

from spinecourse.authoring import contentlint, lesson_meta
from spinecourse.content import glossary, schema_check

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "course").glob("0[1-6]_*.ipynb"))


def test_every_lesson_has_three_to_five_key_points():
    points = lesson_meta.key_points()
    assert set(points) == {p.stem for p in LESSONS}
    assert all(3 <= len(v) <= 5 for v in points.values())


def test_key_points_schema_names_the_entry():
    data = yaml.safe_load((ROOT / "spinecourse/content/data/lessons.yml").read_text(encoding="utf-8"))
    data["lessons"][1]["key_points"] = ["only one point here"]
    problems = schema_check.problems(data, "lessons", "lessons.yml")
    assert any("entry '02_standard_care'" in p and "key_points" in p for p in problems), problems
    data["lessons"].append(dict(data["lessons"][0]))
    problems = schema_check.problems(data, "lessons", "lessons.yml")
    first = data["lessons"][0]["id"]
    assert (
        f"lessons.yml: entry {first!r} (lessons[{len(data['lessons']) - 1}]), field 'id': duplicate id {first!r}"
        in problems
    )


@pytest.mark.parametrize(
    "words, widgets, figures, questions, total",
    [
        (1000, 0, 0, 0, 5),  # 5 min reading
        (1001, 0, 0, 0, 10),  # 6 min reading rounds up to 10
        (3000, 3, 1, 10, 60),  # 15 + 24 + 2 + 15 = 56 -> 60
        (0, 0, 0, 1, 5),  # 1.5 min -> 2 -> 5
    ],
)
def test_time_rule(words, widgets, figures, questions, total):
    est = lesson_meta.Estimate(words, widgets, figures, questions)
    assert est.total == total
    assert est.line().startswith(f"**Time:** about {total} minutes")


def test_estimate_counts_words_widgets_figures_and_bank_questions():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# T\n\none two three"),
        nbformat.v4.new_markdown_cell("## Overview\n\n**Time:** about 5 minutes.\n\nfour five"),
        nbformat.v4.new_code_cell("w = CanalExplorer()\nw"),
        nbformat.v4.new_code_cell("show_prevalence_figure()"),
        nbformat.v4.new_code_cell('self_check("01_stenosis_anatomy")'),
        nbformat.v4.new_markdown_cell("## References\n\n- `a`: many words that are not counted"),
    ]
    est = lesson_meta.estimate(nb, "01_stenosis_anatomy")
    from spinecourse.content import questions

    assert (est.words, est.widgets, est.figures) == (7, 1, 1)  # "T", 3 + "Overview" + 2; not the time line
    assert est.questions == len(questions.load_bank("01_stenosis_anatomy"))


@pytest.fixture
def copies(tmp_path):
    for path in sorted((ROOT / "course").glob("*.ipynb")):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def test_write_then_check_passes_and_write_is_idempotent(copies):
    paths = [str(p) for p in sorted(copies.glob("*.ipynb"))]
    assert lesson_meta.main(["--write", *paths]) == 0
    first = {p: Path(p).read_bytes() for p in paths}
    assert lesson_meta.main(["--check", *paths]) == 0
    assert lesson_meta.main(["--write", *paths]) == 0
    assert {p: Path(p).read_bytes() for p in paths} == first, "a second --write changed something"
    # the start page's learning path shows the computed times, and nothing else in it changes
    start = nbformat.read(copies / "00_start_here.ipynb", as_version=4)
    before = nbformat.read(ROOT / "course" / "00_start_here.ipynb", as_version=4)
    totals = {
        p.stem: lesson_meta.estimate(nbformat.read(p, as_version=4), p.stem).total
        for p in sorted(copies.glob("0[1-6]_*.ipynb"))
    }
    assert lesson_meta.start_page_times(start, totals) == []
    assert len(start.cells) == len(before.cells) and start.cells[0].source == before.cells[0].source
    for lesson_id, minutes in totals.items():
        assert f"]({lesson_id}.ipynb) | {minutes} min |" in "\n".join(c.source for c in start.cells)
    for path in sorted(copies.glob("0[1-6]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        assert not contentlint.outputs_present(nb)
        assert [p for p in contentlint.lint_notebook(nb, "lesson") if "disagrees" not in p] == []
        overview = lesson_meta._overview_index(nb)
        assert nb.cells[overview + 1].source.startswith("> **Key points**")
        stated = lesson_meta.TIME_LINE_RE.search(nb.cells[overview].source).group(0)
        assert stated == lesson_meta.estimate(nb, path.stem).line()


def test_check_fails_on_a_stale_time_missing_key_points_and_unlinked_first_use(copies):
    path = copies / "03_msc_biology.ipynb"
    assert lesson_meta.main(["--write", str(path)]) == 0
    nb = nbformat.read(path, as_version=4)
    overview = lesson_meta._overview_index(nb)
    nb.cells[overview].source = lesson_meta.TIME_LINE_RE.sub("**Time:** about 20 minutes.", nb.cells[overview].source)
    problems = lesson_meta.check(nb, path.stem)
    assert any("time line is" in p for p in problems)
    del nb.cells[overview + 1]
    assert any("no key-points cell" in p for p in lesson_meta.check(nb, path.stem))
    # an abbreviation used (unlinked) before its linked first use
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(1, nbformat.v4.new_markdown_cell("An MSC is mentioned first here now."))
    assert any("glossary links" in p for p in lesson_meta.check(nb, path.stem))
    lesson_meta.apply(nb, path.stem)
    assert lesson_meta.check(nb, path.stem) == []
    assert "[MSC](" in nb.cells[1].source
    assert sum(c.source.count("[MSC](") + c.source.count("[MSCs](") for c in nb.cells) == 1


def test_glossary_link_goes_on_the_first_use_only_and_never_into_code_citations_or_headings():
    cells = ["## MSC heading", "`MSC` code, [@dominici2006] and an MSC here, then MSCs again.", "ODI and MSC."]
    out = lesson_meta.link_glossary(cells)
    assert out[0] == "## MSC heading"
    assert out[1].count(glossary.LINK_TARGET) == 1 and out[1].startswith("`MSC` code, [@dominici2006] and an [MSC](")
    assert "[ODI](" in out[2] and "[MSC](" not in out[2]
    assert lesson_meta.link_glossary(out) == out  # idempotent


def test_command_line_check_exit_code(copies, capsys):
    assert lesson_meta.main(["--check", str(copies / "01_stenosis_anatomy.ipynb")]) in (0, 1)
    out = capsys.readouterr().out
    assert "01_stenosis_anatomy" in out or "up to date" in out


def test_committed_lessons_are_up_to_date(capsys):
    """Fails until the lead runs `python -m spinecourse.authoring.lesson_meta --write course/*.ipynb`
    (after the prose edits), and again whenever a lesson's words, widgets or questions change."""
    code = lesson_meta.main(["--check", *map(str, sorted((ROOT / "course").glob("*.ipynb")))])
    assert code == 0, (
        "run: python -m spinecourse.authoring.lesson_meta --write course/*.ipynb\n" + capsys.readouterr().out
    )
