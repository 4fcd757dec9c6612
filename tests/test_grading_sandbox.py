"""The grading sandbox as an ordinary user, the refusal without it, honest learners on every quiz, --jobs.

* as an unprivileged user (``spinecourse-grader``, created when the tests run as root): bwrap
  starts, the sandbox has no network device but loopback, the limits are set, the grader's
  environment and files are not there;
* without bubblewrap, ``autograde`` refuses with a message naming ``--unsafe-no-sandbox``;
* every quiz: the solution, and a learner with plausible wrong answers and honest variants (lower
  case and spaces, tuples, NumPy numbers), are graded by the trusted check; nobody is SUSPECT (the
  learners are planted and graded in the shared course of ``tests/graded_course.py``);
* ``--jobs 2`` gives the same gradebook as ``--jobs 1``.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from spinecourse import grading
from spinecourse.authoring.translation import edition_of
from spinecourse.grading import cli, sandbox

pytest_plugins = ["graded_course"]  # the session fixture graded_course (one per worker)
ROOT = Path(__file__).resolve().parents[1]
USER = "spinecourse-grader"
QUIZZES = [q for q in grading.assignments(ROOT / "assignments") if not edition_of(q)]


def _grader_user() -> int:
    try:
        return pwd.getpwnam(USER).pw_uid
    except KeyError:
        if os.geteuid() != 0:
            pytest.fail(f"create the unprivileged user {USER} (useradd --system {USER}) or run as root")
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER], check=True)
        return pwd.getpwnam(USER).pw_uid


def test_sandbox_works_for_an_unprivileged_user():
    uid = _grader_user()
    private = Path(tempfile.mkdtemp(prefix="sbx-user-"))
    try:
        os.chown(private, uid, uid)
        cmd = sandbox.wrapper(
            private, memory=1 << 30, processes=64, file_size=100 << 20, cpu_seconds=30, uid=None, python=False
        )
        script = (
            "id -u; echo NET; tail -n +3 /proc/net/dev | cut -d: -f1; echo LIMITS; "
            "grep -E 'Max (address space|file size|processes|cpu time)' /proc/self/limits; "
            "echo ENV; env; echo ROOT; ls /; touch /usr/x 2>/dev/null && echo WROTE-USR; "
            "touch ./mine && echo WROTE-PRIVATE"
        )
        runner = ["runuser", "-u", USER, "--"] if os.geteuid() == 0 else []
        env = dict(os.environ, SPINECOURSE_TEST_SECRET="secret-4821")
        out = subprocess.run(
            runner + cmd + ["/bin/sh", "-c", script], capture_output=True, text=True, timeout=60, env=env
        )
    finally:
        shutil.rmtree(private, ignore_errors=True)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert text.split()[0] == str(uid)  # the user's own uid, mapped into its user namespace
    net = text.split("NET\n")[1].split("LIMITS")[0].split()
    assert net == ["lo"], net  # its own network namespace: no device but loopback
    limits = text.split("LIMITS\n")[1].split("ENV")[0]
    assert "1073741824" in limits and "104857600" in limits, limits
    env_text = text.split("ENV\n")[1].split("ROOT")[0]
    assert "secret-4821" not in env_text and "SPINECOURSE" not in env_text
    root = text.split("ROOT\n")[1].split()
    assert "work" not in root and "home" not in root and "root" not in root, root
    assert "WROTE-USR" not in text and "WROTE-PRIVATE" in text


def test_autograde_refuses_without_a_sandbox(monkeypatch, capsys, tmp_path):
    course = tmp_path / "course"
    shutil.copytree(
        ROOT / "assignments",
        course,
        ignore=shutil.ignore_patterns(
            "release", "submitted", "prepared", "autograded", "feedback", "exports", "gradebook.db", "grading-notes"
        ),
    )
    monkeypatch.setattr(sandbox, "BWRAP", str(tmp_path / "no-bwrap"))
    assert cli.main(["autograde", "01_anatomy_quiz", "--course", str(course)]) == 2
    err = capsys.readouterr().err
    assert "refusing to autograde" in err and "--unsafe-no-sandbox" in err and "install_sandbox.sh" in err


# ---- every quiz: honest learners are never SUSPECT (graded once in tests/graded_course.py) ----


@pytest.mark.parametrize("quiz", QUIZZES)
def test_honest_learners_are_graded_and_never_suspect(graded_course, quiz):
    q = graded_course.quizzes[quiz]
    for student in ("solution", "mixed", "blank"):  # the blank release is honest too
        report = q.reports[student]
        assert not report.suspect, report.line()
        assert report.status == "graded", report.line()
    assert q.reports["solution"].score == sum(grading.auto_points(nb) for nb in q.sources.values())
    mixed = q.scores["mixed"]
    assert q.changed["wrong"] and q.changed["variant"]
    for gid, item in q.plan.items.items():
        if set(item.values) & q.changed["wrong"]:
            assert mixed[gid]["auto"] == 0, (gid, mixed[gid])
        else:  # a variant typed answer, or an untouched (function) answer: full marks
            assert mixed[gid]["auto"] == mixed[gid]["max"], (gid, mixed[gid], q.reports["mixed"].line())


def test_jobs_2_gives_the_same_gradebook_as_jobs_1(graded_course):
    course, quiz = graded_course.course, QUIZZES[0]
    before = graded_course.quizzes[quiz].scores  # graded with jobs=2 (tests/graded_course.py)
    again = grading.grade_cohort(course, quiz, cell_timeout=graded_course.cell_timeout, jobs=1, progress=None)
    assert grading.scores(course, quiz) == before
    assert [r.student for r in again] == sorted(before)
