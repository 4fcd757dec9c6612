"""grade_cohort's batch path: when the one-process batch fails, every student is still graded alone."""

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
