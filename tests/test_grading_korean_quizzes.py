"""The Korean quizzes through the project's grading route (issue 21; the grading tier).

For every quiz in ``locales/ko/manifest.yml``, in one module fixture: nbgrader releases every Korean quiz in one
process (a pattern, ``*_ko``), then ``grading.grade_cohort`` (checks, repairs, sandbox, trusted marks) grades
two learners per quiz in one nbgrader process: the solution scores every point of the English quiz and the
blank release none. The committed release and practice copies equal what ``make release`` makes (the practice
copy in Korean), and item analysis reports the English and Korean editions together (same items), on the real
Korean grades plus a synthetic English cohort, refusing editions that are not the same quiz.
Generation, drift and cell-for-cell equality with the English: ``test_translation_quizzes.py``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from spinecourse import grading
from spinecourse.authoring import translation as tr
from spinecourse.grading import cli, item_analysis, practice, trusted

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


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A course with only the Korean quizzes: release them, submit the solution and the blank release, grade."""
    course = tmp_path_factory.mktemp("korean-quizzes")
    for name in ("nbgrader_config.py", "jupyter_server_config.py"):
        shutil.copy(ROOT / "assignments" / name, course / name)
    out = {"course": course}
    names = [tr.quiz_path(s, "ko").parent.name for s in KO_QUIZZES]
    for name in names:
        shutil.copytree(ROOT / tr.QUIZZES / name, course / "source" / name)
    grading.release(course, "*_ko")  # nbgrader takes a pattern: one process releases every Korean quiz
    for source, name in zip(KO_QUIZZES, names):
        en = _english(source)
        practice.write_practice(course, name)
        nb_name = f"{name}.ipynb"
        ko_source = nbformat.read(course / "source" / name / nb_name, as_version=4)
        released = nbformat.read(course / "release" / name / nb_name, as_version=4)
        for student, nb in (("solution", grading.solved_copy(released, ko_source)), ("blank", released)):
            folder = course / "submitted" / student / name
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / nb_name)
        # one nbgrader process grades both learners (start-up paid once per quiz)
        reports = {r.student: r for r in grading.grade_cohort(course, name, cell_timeout=10, jobs=1, progress=None)}
        out[name] = dict(english=en, reports=reports, scores=grading.scores(course, name))
    return out


@pytest.mark.parametrize("source", KO_QUIZZES, ids=IDS)
def test_solution_scores_full_marks_and_blank_zero_as_in_english(graded, source):
    name = tr.quiz_path(source, "ko").parent.name
    q = graded[name]
    en = q["english"]
    auto = {
        c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"]
        for c in en.cells
        if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")
    }
    for student in ("solution", "blank"):
        report = q["reports"][student]
        assert report.status == "graded" and not report.suspect, report.line()
    assert q["reports"]["solution"].score == grading.auto_points(en) == sum(auto.values())
    for gid, points in auto.items():
        assert q["scores"]["solution"][gid]["auto"] == points, gid
        assert q["scores"]["blank"][gid]["auto"] == 0, gid


@pytest.mark.parametrize("source", KO_QUIZZES, ids=IDS)
def test_committed_korean_release_and_practice_are_up_to_date(graded, source):
    name = tr.quiz_path(source, "ko").parent.name
    course = graded["course"]
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
    ko_rows = grading.item_rows(graded["course"], name)
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
    # the runbook's command: the English quiz (in source/, not graded in this course) and its Korean edition
    shutil.copytree(ROOT / Path(source.path).parent, graded["course"] / "source" / english, dirs_exist_ok=True)
    assert cli.main(["report", english, "--course", str(graded["course"]), "--editions"]) == 0
    printed = capsys.readouterr().out
    assert "2 students" in printed and f"{name} (2)" in printed
    with pytest.raises(ValueError, match="not the same quiz"):
        item_analysis.combine_editions({english: en_rows, name: [dict(ko_rows[0], max=ko_rows[0]["max"] + 1)]})
    with pytest.raises(ValueError, match="graded in both"):
        item_analysis.combine_editions({english: en_rows, name: [dict(r, student="en0") for r in ko_rows]})
    with pytest.raises(ValueError, match="lacks item"):
        item_analysis.combine_editions({english: en_rows, name: [r for r in ko_rows if r["item"] != auto[0]]})
