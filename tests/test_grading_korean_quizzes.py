"""The Korean quizzes through the project's grading route (issue 21; the grading tier).

For every quiz in ``locales/ko/manifest.yml``, in the shared graded course (``tests/graded_course.py``):
nbgrader released every quiz and edition in one process (a pattern), then ``grading.grade_cohort``
(checks, repairs, sandbox, trusted marks) graded two learners per Korean quiz: the solution scores every
point of the English quiz and the blank release none. The committed release and practice copies equal
what ``make release`` makes (the practice copy in Korean), and item analysis reports the English and
Korean editions together (same items), on the real Korean grades plus a synthetic English cohort, and
the runbook's ``report --editions`` on the real grades of both editions, refusing editions that are not
the same quiz.
Generation, drift and cell-for-cell equality with the English: ``test_translation_quizzes.py``.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from spinecourse import grading
from spinecourse.authoring import translation as tr
from spinecourse.grading import cli, item_analysis, trusted

pytest_plugins = ["graded_course"]  # the session fixture graded_course (one per worker)
ROOT = Path(__file__).resolve().parents[1]
KO_QUIZZES = tr.quiz_sources("ko")
IDS = [Path(s.path).parent.name for s in KO_QUIZZES]
HANGUL = tr._HANGUL


def _english(source) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / source.path, as_version=4)


def _graded(nb) -> dict[str, float]:
    return {
        c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"]
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade")
    }


def _student_copy(path: Path) -> list[tuple]:
    return grading.release_signature(nbformat.read(path, as_version=4))


@pytest.fixture
def graded(graded_course):
    """The shared course: each Korean quiz released, its solution (ko-solution) and blank release (ko-blank)
    submitted and graded in one nbgrader process."""
    return graded_course


@pytest.mark.parametrize("source", KO_QUIZZES, ids=IDS)
def test_solution_scores_full_marks_and_blank_zero_as_in_english(graded, source):
    name = tr.quiz_path(source, "ko").parent.name
    q = graded.quizzes[name]
    en = _english(source)
    auto = {
        c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"]
        for c in en.cells
        if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")
    }
    for student in ("ko-solution", "ko-blank"):
        report = q.reports[student]
        assert report.status == "graded" and not report.suspect, report.line()
    assert q.reports["ko-solution"].score == grading.auto_points(en) == sum(auto.values())
    for gid, points in auto.items():
        assert q.scores["ko-solution"][gid]["auto"] == points, gid
        assert q.scores["ko-blank"][gid]["auto"] == 0, gid


@pytest.mark.parametrize("source", KO_QUIZZES, ids=IDS)
def test_committed_korean_release_and_practice_are_up_to_date(graded, source):
    name = tr.quiz_path(source, "ko").parent.name
    course = graded.course
    hint = "regenerate with: make release"
    for kind in ("release", "practice"):
        fresh, kept = course / kind / name / f"{name}.ipynb", ROOT / "assignments" / kind / name / f"{name}.ipynb"
        assert kept.is_file() and _student_copy(kept) == _student_copy(fresh), f"assignments/{kind}/{name}: {hint}"
    released = (course / "release" / name / f"{name}.ipynb").read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in released and "HIDDEN TESTS" not in released
    nb = nbformat.read(course / "practice" / name / f"{name}.ipynb", as_version=4)
    notes = nb.metadata["spinecourse"]["practice"]
    header = nb.cells[0].source
    assert notes["practice_note"] in header and notes["graded_note_start"] not in header and HANGUL.search(header)
    checks = [c for c in nb.cells if trusted.is_check(c)]
    assert checks and all(
        c.source.startswith("# " + notes["check_note"]) and "check_answer(" in c.source for c in checks
    )
    models = [c for c in nb.cells if c.get("id", "").endswith("-model")]
    assert models and all(notes["show_model"] in c.source and "모범 답안" in c.source for c in models)


def test_item_analysis_reports_both_editions_together(graded, capsys):
    source = KO_QUIZZES[0]
    name = tr.quiz_path(source, "ko").parent.name
    english = Path(source.path).parent.name
    ko_rows = grading.item_rows(graded.course, name)
    items = {r["item"]: r["max"] for r in ko_rows}
    assert set(items) == set(_graded(_english(source)))
    # a synthetic English cohort of six on the same items: three right on everything, three wrong
    en_rows = [
        {"student": f"en{k}", "item": i, "score": (mx if k < 3 else 0), "max": mx}
        for k in range(6)
        for i, mx in items.items()
    ]
    rows = item_analysis.combine_editions({english: en_rows, name: ko_rows})
    a = item_analysis.analyse(rows)
    assert len(a.students) == 8 and {r["edition"] for r in rows} == {english, name}
    auto = [i for i in items if i.endswith("-test")]
    assert all(a.item(i).n == 8 and a.item(i).difficulty == pytest.approx(4 / 8) for i in auto)
    report = item_analysis.format_editions(rows)
    assert english in report and name in report
    line = next(ln for ln in report.splitlines() if ln.startswith(auto[0] + " "))
    assert line.split()[1:] == ["0.50", "0.50"]  # English 3 of 6 right; Korean solution right, blank wrong
    assert item_analysis.edition_names(ROOT / "assignments", english) == [english, name]
    # the runbook's command: the English quiz and its Korean edition, each with its own graded learners
    assert cli.main(["report", english, "--course", str(graded.course), "--editions"]) == 0
    printed = capsys.readouterr().out
    n_en, n_ko = len(graded.english_students), len(graded.ko_students)
    assert f"{n_en + n_ko} students" in printed and f"{english} ({n_en})" in printed and f"{name} ({n_ko})" in printed
    with pytest.raises(ValueError, match="not the same quiz"):
        item_analysis.combine_editions({english: en_rows, name: [dict(ko_rows[0], max=ko_rows[0]["max"] + 1)]})
    with pytest.raises(ValueError, match="graded in both"):
        item_analysis.combine_editions({english: en_rows, name: [dict(r, student="en0") for r in ko_rows]})
    with pytest.raises(ValueError, match="lacks item"):
        item_analysis.combine_editions({english: en_rows, name: [r for r in ko_rows if r["item"] != auto[0]]})
