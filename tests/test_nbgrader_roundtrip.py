"""nbgrader round trip on the shared graded course (``tests/graded_course.py``: a temporary copy of
assignments/ released, submitted and graded once), for every quiz in source/.

For each assignment: the release holds no solution and no hidden test; the source passes nbgrader's
validator and the blank release fails every visible check; the course's batch route
(``grading.grade_cohort``) graded three submissions: the solved notebook (full automatic marks), the
untouched release (zero, no crash) and one whose locked test cell was edited (the original test is
what runs). The tampered submission also has its last test cell deleted and its second duplicated:
the route repairs both (restored / de-duplicated, reported) before nbgrader runs, so the deleted item
is still graded.
Also: the learner copies committed under assignments/release/ (for self-learners) are what the current
source generates (cell types, sources and nbgrader metadata), and so are the practice copies under
assignments/practice/; the graded release checks only the form of answers (no key, no hash:
correctness lives in the hidden tests alone).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from spinecourse import grading
from spinecourse.authoring.translation import edition_of
from spinecourse.grading import trusted

pytest_plugins = ["graded_course"]  # the session fixture graded_course (one per worker)
ROOT = Path(__file__).resolve().parents[1]
# translated editions (<quiz>_ko, generated from these): tests/test_grading_korean_quizzes.py
ASSIGNMENTS = [a for a in grading.assignments(ROOT / "assignments") if not edition_of(a)]


@pytest.fixture
def course(graded_course) -> Path:
    return graded_course.course


def notebooks(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.ipynb"))


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_release_has_no_solutions_or_hidden_tests(course, name):
    for src_path in notebooks(course / "source" / name):
        released = (course / "release" / name / src_path.name).read_text()
        assert "BEGIN SOLUTION" not in released and "HIDDEN TESTS" not in released
        source = nbformat.read(src_path, as_version=4)
        for cell in source.cells:
            for line in grading.region_lines(cell.source, "HIDDEN TESTS") + grading.region_lines(
                cell.source, "SOLUTION"
            ):
                assert line not in released, f"{src_path.name}: release leaks {line!r}"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_source_validates_and_blank_release_fails_every_check(course, name):
    from nbgrader.validator import Validator

    for src_path in notebooks(course / "source" / name):
        result = Validator().validate(str(src_path))
        assert not result.get("failed") and not result.get("errors"), result
        blank = Validator(invert=True).validate(str(course / "release" / name / src_path.name))
        assert not blank.get("passed"), f"visible checks pass on the blank notebook: {blank.get('passed')}"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_autograde_correct_blank_and_tampered(graded_course, name):
    quiz = graded_course.quizzes[name]
    for student in ("solution", "blank"):  # graded in the batch, no crash, nothing to repair
        report = quiz.reports[student]
        assert report.status == "graded" and not report.repairs, report.line() + report.log[-2000:]
    tampered, report = quiz.tampered, quiz.reports["tampered"]
    assert report.status == ("repaired" if tampered.damaged else "graded"), report.reason or report.log[-2000:]
    if tampered.damaged:
        assert any("restored deleted graded cell" in r for r in report.repairs), report.repairs
        assert any("duplicated locked cell" in r for r in report.repairs), report.repairs

    table = quiz.scores
    auto_cells = {
        c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"]
        for nb in quiz.sources.values()
        for c in nb.cells
        if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")
    }
    assert sum(auto_cells.values()) == sum(grading.auto_points(nb) for nb in quiz.sources.values()) > 0
    for gid, points in auto_cells.items():
        assert table["solution"][gid]["auto"] == points, f"correct submission lost points on {gid}"
        assert table["blank"][gid]["auto"] == 0, f"blank submission scored on {gid}"
    assert table["tampered"][tampered.grade_id]["auto"] == 0, "the edited test cell ran instead of the original"
    others = [g for g in auto_cells if g != tampered.grade_id]
    assert all(table["tampered"][g]["auto"] == auto_cells[g] for g in others)


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_committed_release_matches_source(course, name):
    committed = ROOT / "assignments" / "release" / name
    hint = f"regenerate with: cd assignments && ../.venv/bin/python -m spinecourse.grading release {name}"
    fresh = notebooks(course / "release" / name)
    assert fresh, f"no release generated for {name}"
    assert sorted(p.name for p in notebooks(committed)) == [p.name for p in fresh], f"missing or extra copies: {hint}"
    for path in fresh:
        now = grading.release_signature(nbformat.read(path, as_version=4))
        kept = grading.release_signature(nbformat.read(committed / path.name, as_version=4))
        assert kept == now, f"assignments/release/{name}/{path.name} is out of date: {hint}"


HEX_DIGEST = re.compile(r"\b[0-9a-f]{12,64}\b")


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_graded_release_checks_form_only(course, name):
    """Rerunning a released check cannot find the answer: it checks the form, and holds no key or hash."""
    for src_path in notebooks(course / "source" / name):
        source = nbformat.read(src_path, as_version=4)
        released = nbformat.read(course / "release" / name / src_path.name, as_version=4)
        checks = [c for c in released.cells if trusted.is_check(c)]
        assert checks, f"{name}: no check cells"
        for cell in checks:
            gid = cell.metadata["nbgrader"]["grade_id"]
            calls = set(re.findall(r"\b([A-Za-z_]\w*)\(", cell.source))
            assert calls == {"check_format"}, f"{name} {gid}: the visible check calls {calls}, not only check_format"
            assert not HEX_DIGEST.search(cell.source), f"{name} {gid}: a hash of the key is in the release"
            assert "assert" not in cell.source, f"{name} {gid}: a visible assertion can tell right from wrong"
            visible, hidden = trusted.split_hidden(grading.cell_by_id(source, gid).source)
            assert "check_answer(" in hidden and "check_answer(" not in visible, f"{name} {gid}: key not hidden"
        for cell in released.cells:  # the set-up defines the letters so that q1 = C works
            if cell.metadata.get("nbgrader", {}).get("grade_id") == "setup":
                assert 'A, B, C, D, E = "A", "B", "C", "D", "E"' in cell.source
                assert "friendly_errors()" in cell.source


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_committed_practice_matches_source(course, name):
    committed = ROOT / "assignments" / "practice" / name
    hint = (
        "regenerate with: make release (or cd assignments && ../.venv/bin/python -m spinecourse.grading.practice all)"
    )
    fresh = notebooks(course / "practice" / name)
    assert fresh and sorted(p.name for p in notebooks(committed)) == [p.name for p in fresh], hint
    for path in fresh:
        now = grading.release_signature(nbformat.read(path, as_version=4))
        kept = grading.release_signature(nbformat.read(committed / path.name, as_version=4))
        assert kept == now, f"assignments/practice/{name}/{path.name} is out of date: {hint}"
        nb = nbformat.read(path, as_version=4)
        text = nbformat.writes(nb)
        assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text  # markers stripped, answers shown
        checks = [c for c in nb.cells if trusted.is_check(c)]
        assert checks and all("check_answer(" in c.source for c in checks)
        written = [c for c in nb.cells if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("solution")]
        for cell in written:  # the model answer follows each written question, behind "Show"
            nxt = nb.cells[nb.cells.index(cell) + 1]
            assert nxt.source.startswith("<details>") and "Model answer" in nxt.source
