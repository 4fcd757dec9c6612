"""spinecourse.grading.submissions (pure checks and repairs) and spinecourse.grading.preprocessors, without nbgrader.

Each damage is tried on every quiz in assignments/source/ (the source notebook stands in
for the release: the grading metadata and cell order are the same).
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat
import pytest

from spinecourse import grading
from spinecourse.grading import preprocessors as feedback
from spinecourse.grading import submissions

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "assignments" / "source").glob("*/*.ipynb"))
IDS = [p.parent.name + "/" + p.name for p in NOTEBOOKS]


def tracked_ids(nb) -> list[str]:
    return [submissions.grade_id(c) for c in nb.cells if submissions.is_tracked(c)]


@pytest.fixture(params=NOTEBOOKS, ids=IDS)
def release(request):
    return nbformat.read(request.param, as_version=4)


def test_clean_notebook_needs_nothing(release):
    f = submissions.inspect(release, release)
    assert not f.needs_repair and f.notes() == []
    fixed, actions = submissions.repair(release, release)
    assert actions == [] and fixed == release


def test_every_deleted_tracked_cell_is_restored_in_place(release):
    order = tracked_ids(release)
    assert any(submissions.is_grade(c) for c in release.cells)
    for gid in order:
        nb = copy.deepcopy(release)
        nb.cells = [c for c in nb.cells if submissions.grade_id(c) != gid]
        f = submissions.inspect(nb, release)
        assert f.missing == [gid] and f.needs_repair
        fixed, actions = submissions.repair(nb, release)
        assert tracked_ids(fixed) == order, gid
        assert len(actions) == 1 and gid in actions[0] and "restored deleted" in actions[0]
        restored = next(c for c in fixed.cells if submissions.grade_id(c) == gid)
        original = next(c for c in release.cells if submissions.grade_id(c) == gid)
        assert restored.source == original.source and restored.metadata == original.metadata
        nbformat.validate(fixed)
        assert submissions.repair(nb, release)[0] == fixed  # deterministic


def test_all_graded_cells_deleted_at_once(release):
    nb = copy.deepcopy(release)
    nb.cells = [c for c in nb.cells if not submissions.is_grade(c)]
    fixed, actions = submissions.repair(nb, release)
    assert tracked_ids(fixed) == tracked_ids(release)
    assert len(actions) == sum(submissions.is_grade(c) for c in release.cells)


def test_duplicated_grade_cell_is_removed(release):
    nb = copy.deepcopy(release)
    i, cell = next((i, c) for i, c in enumerate(nb.cells) if submissions.is_grade(c) and c.cell_type == "code")
    twin = copy.deepcopy(cell)
    twin["id"] = "copy-of-test"
    nb.cells.insert(i + 1, twin)
    f = submissions.inspect(nb, release)
    assert f.duplicated == {submissions.grade_id(cell): 2}
    fixed, actions = submissions.repair(nb, release)
    assert tracked_ids(fixed) == tracked_ids(release) and len(fixed.cells) == len(release.cells)
    assert actions == [f"duplicated locked cell {submissions.grade_id(cell)} (2 copies): removed the extra copies"]


def test_duplicated_answer_cell_grades_the_last_copy(release):
    nb = copy.deepcopy(release)
    i, cell = next((i, c) for i, c in enumerate(nb.cells) if submissions.meta(c).get("solution"))
    twin = copy.deepcopy(cell)
    twin["id"] = "second-try"
    twin.source = "second attempt"
    nb.cells.insert(i + 1, twin)
    fixed, actions = submissions.repair(nb, release)
    graded = [c for c in fixed.cells if submissions.grade_id(c) == submissions.grade_id(cell)]
    assert len(graded) == 1 and graded[0].source == "second attempt"
    assert "nbgrader" not in fixed.cells[i].metadata  # the first copy stays, as an ordinary cell
    assert "graded the last copy" in actions[0]


def test_edited_locked_cell_is_noted_not_repaired(release):
    nb = copy.deepcopy(release)
    cell = next(c for c in nb.cells if submissions.is_grade(c) and c.cell_type == "code")
    cell.source = "pass"
    f = submissions.inspect(nb, release)
    assert f.edited_locked == [submissions.grade_id(cell)] and not f.needs_repair
    assert "the original is what runs" in f.notes()[0]


def test_retyped_and_unknown_cells(release):
    nb = copy.deepcopy(release)
    cell = next(c for c in nb.cells if submissions.is_grade(c) and c.cell_type == "code")
    cell.cell_type = "markdown"
    cell.pop("outputs", None)
    cell.pop("execution_count", None)
    stray = copy.deepcopy(cell)
    stray["id"] = "stray"
    stray.metadata["nbgrader"]["grade_id"] = "invented-id"
    nb.cells.append(stray)
    f = submissions.inspect(nb, release)
    assert f.retyped == [submissions.grade_id(cell)] and f.unknown == ["invented-id"]
    fixed, actions = submissions.repair(nb, release)
    assert tracked_ids(fixed) == tracked_ids(release)
    fixed_cell = next(c for c in fixed.cells if submissions.grade_id(c) == submissions.grade_id(cell))
    assert fixed_cell.cell_type == "code"
    assert any("unknown id 'invented-id'" in a for a in actions)


def test_repeated_cell_ids_are_renewed(release):
    nb = copy.deepcopy(release)
    plain = nbformat.v4.new_code_cell("x = 1")
    plain["id"] = nb.cells[0]["id"]
    nb.cells.append(plain)
    assert submissions.inspect(nb, release).duplicate_cell_ids == 1
    fixed, actions = submissions.repair(nb, release)
    assert len({c["id"] for c in fixed.cells}) == len(fixed.cells)
    assert actions == ["renewed 1 repeated cell id(s)"]
    nbformat.validate(fixed)


@pytest.mark.parametrize(
    "text, match",
    [
        (b"", "is empty"),
        (b'{"cells": [', "not valid JSON \\(line 1, column 12"),
        (b"[1, 2]", "JSON but not a Jupyter notebook"),
        (b"\xff\xfe\x00garbage", "not a text file"),
    ],
)
def test_unreadable_files_get_a_clear_reason(text, match):
    with pytest.raises(submissions.SubmissionError, match=match):
        submissions.read_submission(text, "quiz.ipynb")


def test_readable_file_round_trips(release):
    assert submissions.read_submission(nbformat.writes(release)) == release


def test_neutralise_and_answer_for(release):
    answer = next(
        i for i, c in enumerate(release.cells) if c.cell_type == "code" and submissions.meta(c).get("solution")
    )
    test = next(
        i for i, c in enumerate(release.cells) if i > answer and submissions.is_grade(c) and c.cell_type == "code"
    )
    assert submissions.answer_for(release, test) == answer
    fixed, label = submissions.neutralise(release, answer)
    assert fixed.cells[answer].source == submissions.NEUTRALISED and label == submissions.grade_id(
        release.cells[answer]
    )
    assert release.cells[answer].source != submissions.NEUTRALISED  # pure
    with pytest.raises(ValueError, match="is locked"):
        submissions.neutralise(release, test)
    with pytest.raises(ValueError, match="markdown cell, not code"):
        submissions.neutralise(release, 0)
    assert submissions.answer_for(release, 0) is None


def test_with_release_locked_cells_restores_edited_checks(release):
    nb = copy.deepcopy(release)
    i = next(i for i, c in enumerate(nb.cells) if submissions.is_grade(c) and c.cell_type == "code")
    nb.cells[i].source = "pass"
    assert submissions.with_release_locked_cells(nb, release).cells[i].source == release.cells[i].source


def test_feedback_tracebacks_shortened_only_in_grade_cells():
    nb = nbformat.v4.new_notebook()
    graded = nbformat.v4.new_code_cell("check()\n### BEGIN HIDDEN TESTS\nassert q1 == 'C'\n### END HIDDEN TESTS")
    graded.metadata["nbgrader"] = {"grade": True, "grade_id": "q1-test", "points": 1}
    graded.outputs = [
        nbformat.v4.new_output(
            "error", ename="AssertionError", evalue="", traceback=["Traceback", "----> 3 assert q1 == 'C'"]
        )
    ]
    other = nbformat.v4.new_code_cell("1/0")
    other.outputs = [
        nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="division by zero", traceback=["----> 1 1/0"])
    ]
    nb.cells = [graded, other]
    assert feedback.hide_tracebacks(nb) == 1
    assert graded.outputs[0].traceback == ["AssertionError", feedback.HIDDEN_NOTE]
    assert other.outputs[0].traceback == ["----> 1 1/0"]
    pp = feedback.HideGradeTracebacks()
    assert pp.enabled is True
    graded.outputs[0].traceback = ["secret"]
    pp(nb, {})
    assert "secret" not in str(nb)


def test_collect_layouts(tmp_path):
    course = tmp_path / "course"
    (course / "source" / "quiz").mkdir(parents=True)
    (course / "source" / "quiz" / "quiz.ipynb").write_text("{}")
    inbox = tmp_path / "inbox"
    (inbox / "ana" / "quiz").mkdir(parents=True)
    (inbox / "ana" / "quiz" / "quiz.ipynb").write_text("A")
    (inbox / "ben").mkdir()
    (inbox / "ben" / "my copy.ipynb").write_text("B")
    (inbox / "cleo.ipynb").write_text("C")
    (inbox / "bad name.ipynb").write_text("D")
    (inbox / "notes.txt").write_text("ignored")
    lines = []
    done = grading.collect(course, "quiz", inbox, progress=lines.append)
    assert set(done) == {"ana", "ben", "cleo", "bad name"}
    assert done["bad name"].startswith("skipped")
    for student, text in [("ana", "A"), ("ben", "B"), ("cleo", "C")]:
        folder = course / "submitted" / student / "quiz"
        assert (folder / "quiz.ipynb").read_text() == text
        assert (folder / "timestamp.txt").exists()
    assert len(lines) == 4
    with pytest.raises(FileNotFoundError, match="nothing to collect"):
        grading.collect(course, "quiz", tmp_path / "empty")


def test_region_lines_finds_marked_lines_and_skips_trivial_ones():
    from spinecourse.grading import region_lines

    source = "x = 1\n### BEGIN HIDDEN TESTS\nassert classify_ap(12) == 'none'\npass\n### END HIDDEN TESTS\nprint('after the region')"
    assert region_lines(source, "HIDDEN TESTS") == ["assert classify_ap(12) == 'none'"]
    assert region_lines(source, "SOLUTION") == []


def test_no_public_grading_name_is_shadowed_by_a_submodule():
    # Importing a submodule binds its name on the package: a submodule named like a public function
    # (feedback.py, collect.py) would turn grading.feedback into a module after its first import.
    import importlib
    import pkgutil

    modules = {m.name for m in pkgutil.iter_modules(grading.__path__)}
    assert not modules & set(grading.__all__)
    for name in grading.__all__:
        for module in modules - {"__main__"}:
            importlib.import_module(f"spinecourse.grading.{module}")
        assert not isinstance(getattr(grading, name), type(grading)), name


def test_cell_kinds_follow_nbgrader_and_tolerate_damaged_metadata():
    import nbformat

    from spinecourse.grading import cells

    check = nbformat.v4.new_code_cell("assert x", metadata={"nbgrader": {"grade": True, "grade_id": "c", "points": 2}})
    answer = nbformat.v4.new_code_cell("x = 1", metadata={"nbgrader": {"solution": True, "grade_id": "a"}})
    damaged = nbformat.v4.new_code_cell("y = 2", metadata={"nbgrader": "not a mapping"})
    assert cells.is_check(check) and cells.is_locked(check) and not cells.is_learner_code(check)
    assert cells.points(check) == 2.0
    assert cells.is_solution(answer) and not cells.is_locked(answer) and cells.is_learner_code(answer)
    assert not cells.is_tracked(damaged) and cells.is_learner_code(damaged) and cells.meta(damaged) == {}
    assert cells.is_check(dict(check))  # plain dicts (json-loaded) are read too


def test_one_region_parser_splits_strips_and_lists():
    from spinecourse.grading import regions

    source = "a = 1\n### BEGIN SOLUTION\nanswer = compute_the_answer()\n### END SOLUTION\nb = 2"
    assert regions.split_region(source, "SOLUTION") == ("a = 1\nb = 2", "answer = compute_the_answer()")
    assert regions.strip_markers(source) == "a = 1\nanswer = compute_the_answer()\nb = 2"
    assert regions.region_lines(source, "SOLUTION") == ["answer = compute_the_answer()"]
    assert regions.has_region(source, "SOLUTION") and not regions.has_region(source, "HIDDEN TESTS")


def test_every_grading_option_is_in_the_runbook_and_limits_reach_the_sandbox():
    from spinecourse.grading import cli, nbgrader_runs

    runbook = (Path(__file__).resolve().parents[1] / "assignments" / "README.md").read_text()
    options = [o for a in cli.parser()._actions for o in a.option_strings if o.startswith("--") and o != "--help"]
    assert "--disk-limit" in options
    assert [o for o in options if not re.search(rf"{re.escape(o)}(?![\w-])", runbook)] == []
    args = cli.parser().parse_args(["autograde", "q", "--disk-limit", "300M", "--memory-limit", "2G"])
    limits = {k: getattr(args, k) for k in nbgrader_runs.LIMIT_OPTIONS}
    assert nbgrader_runs.limit_args(limits) == [
        "--SandboxKernelManager.memory_limit=2G",
        "--SandboxKernelManager.disk_limit=300M",
    ]


def test_repair_runs_inside_nbgrader_as_a_sanitize_preprocessor(tmp_path):
    # Plain `nbgrader autograde` (and the formgrader's button) get the same repairs as the course's route.
    from traitlets.config import Config

    from spinecourse.grading.preprocessors import RepairSubmission

    quiz = NOTEBOOKS[0].parent.name
    released = ROOT / "assignments" / "release" / quiz / NOTEBOOKS[0].name
    (tmp_path / "release" / quiz).mkdir(parents=True)
    (tmp_path / "release" / quiz / released.name).write_bytes(released.read_bytes())
    original = nbformat.read(released, as_version=4)
    damaged = copy.deepcopy(original)
    gone = next(i for i, c in enumerate(damaged.cells) if submissions.is_grade(c))
    gid = submissions.grade_id(damaged.cells.pop(gone))
    config = Config()
    config.CourseDirectory.root = str(tmp_path)
    resources = {"nbgrader": {"assignment": quiz, "notebook": released.stem, "student": "ana"}}
    fixed, _ = RepairSubmission(config=config).preprocess(damaged, resources)
    assert tracked_ids(fixed) == tracked_ids(original) and gid in tracked_ids(fixed)
    untouched, _ = RepairSubmission(config=config).preprocess(copy.deepcopy(original), resources)
    assert untouched == original
