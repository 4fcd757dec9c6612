"""grade_cohort's batch path: when the one-process batch fails, every student is still graded alone; and a
grader killed by a signal (libzmq's abort on a dying kernel) is handled like a dead kernel."""

import shutil
import subprocess
from pathlib import Path

import nbformat

from spinecourse import grading

ROOT = Path(__file__).resolve().parents[1]
NAME = "01_anatomy_quiz"


def test_a_failed_batch_loses_no_grade(tmp_path, monkeypatch):
    course = tmp_path / "course"
    shutil.copytree(
        ROOT / "assignments",
        course,
        ignore=shutil.ignore_patterns(
            "release", "submitted", "prepared", "autograded", "feedback", "exports", "gradebook.db"
        ),
    )
    grading.release(course, NAME)
    nb_name = f"{NAME}.ipynb"
    source = nbformat.read(course / "source" / NAME / nb_name, as_version=4)
    release = nbformat.read(course / "release" / NAME / nb_name, as_version=4)
    for student in ("ana", "ben"):
        folder = course / "submitted" / student / NAME
        folder.mkdir(parents=True)
        nbformat.write(grading.solved_copy(release, source), folder / nb_name)

    real_popen = subprocess.Popen

    def broken_popen(cmd, *args, **kwargs):
        # Only the batch merges stderr into stdout; per-student grading (subprocess.run) does not.
        if "autograde" in cmd and kwargs.get("stderr") is subprocess.STDOUT:
            raise OSError("simulated crash of the batch process")
        return real_popen(cmd, *args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", broken_popen)
    reports = grading.grade_cohort(course, NAME, progress=None)
    full = grading.auto_points(source)
    assert [(r.student, r.status, r.score) for r in reports] == [("ana", "graded", full), ("ben", "graded", full)]
    assert not (course / grading.BATCH).exists(), "the batch scratch folder must be cleaned up"


def test_a_grader_killed_by_a_signal_counts_as_a_dead_kernel(monkeypatch):
    """libzmq aborts nbgrader ("Assertion failed: !_more", SIGABRT) when a dying kernel cuts a message short:
    grade_student must then look for the fatal cell, as after nbgrader's own DeadKernelError."""
    from spinecourse.grading import nbgrader_runs

    def fake(returncode, out):
        return lambda *a, **k: subprocess.CompletedProcess(a, returncode, out, "")

    monkeypatch.setattr(nbgrader_runs, "run_nbgrader", fake(-6, "Assertion failed: !_more (src/fq.cpp:80)\n"))
    aborted = grading.autograde(Path("."), NAME, "ana")
    assert not aborted.ok and aborted.kernel_died and "signal 6" in aborted.log
    monkeypatch.setattr(nbgrader_runs, "run_nbgrader", fake(1, "[AutogradeApp | ERROR] No notebooks were matched\n"))
    failed = grading.autograde(Path("."), NAME, "ana")
    assert not failed.ok and not failed.kernel_died
    monkeypatch.setattr(nbgrader_runs, "run_nbgrader", fake(1, "nbclient.exceptions.DeadKernelError: Kernel died\n"))
    assert grading.autograde(Path("."), NAME, "ana").kernel_died


def test_a_killed_batch_does_not_count_the_student_it_was_grading(tmp_path, monkeypatch):
    """nbgrader writes a student's autograded notebook before running it: when the batch process is killed
    while grading ben (here it aborts as libzmq does), ben must be left to grade alone, not counted graded."""
    import sys

    from spinecourse.grading import nbgrader_runs

    for student in ("ana", "ben"):
        (tmp_path / "prepared" / student / NAME).mkdir(parents=True)
        (tmp_path / "prepared" / student / NAME / "q.ipynb").write_text("{}")
    script = (
        "import os, pathlib\n"
        "for s in ('ana', 'ben'):\n"
        '    print("[AutogradeApp | INFO] Creating/updating student with ID \'" + s + "\': {}", flush=True)\n'
        f"    out = pathlib.Path('autograded', s, {NAME!r})\n"
        "    out.mkdir(parents=True)\n"
        "    (out / 'q.ipynb').write_text('{}')\n"
        "os.abort()\n"
    )
    monkeypatch.setattr(nbgrader_runs, "nbgrader_command", lambda *args: [sys.executable, "-c", script])
    graded, log = nbgrader_runs.autograde_batch(tmp_path, NAME, ["ana", "ben"], None, None)
    assert graded == {"ana"}, log
    assert "killed by signal 6" in log
