"""The grading sandbox as an ordinary user, the refusal without it, honest learners on every quiz, --jobs.

* as an unprivileged user (``spinecourse-grader``, created when the tests run as root): bwrap
  starts, the sandbox has no network device but loopback, the limits are set, the grader's
  environment and files are not there;
* without bubblewrap, ``autograde`` refuses with a message naming ``--unsafe-no-sandbox``;
* every quiz: the solution, and a learner with plausible wrong answers and honest variants (lower
  case and spaces, tuples, NumPy numbers), are graded by the trusted check; nobody is SUSPECT;
* ``--jobs 2`` gives the same gradebook as ``--jobs 1``.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import nbformat
import pytest

from spinecourse import grading
from spinecourse.authoring.translation import edition_of
from spinecourse.grading import cli, sandbox, submissions, trusted

ROOT = Path(__file__).resolve().parents[1]
USER = "spinecourse-grader"


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


# ---- every quiz: honest learners are never SUSPECT ----


def _reference(source_nb) -> dict:
    ns: dict = {"__name__": "__main__"}
    for cell in source_nb.cells:
        if cell.cell_type == "code":
            trusted._run(cell.source, ns)
    return ns


def _wrong(value):
    if isinstance(value, str):
        return "A" if value.strip().upper() != "A" else "B"
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return value * 100 + 1
    if isinstance(value, list):
        return value[:1]
    if isinstance(value, dict):
        return {k: "RCT" for k in value}
    raise TypeError(value)


def _variant(value):
    """The same answer as an honest learner might type it."""
    if isinstance(value, str):
        return f" {value.lower()} "
    if isinstance(value, list):
        return tuple(v.lower() for v in value)
    if isinstance(value, dict):
        return {k: v.upper() + " " for k, v in value.items()}
    return value


def _answer_cells(nb, plan):
    """answer cell grade_id -> the one answer variable it must define (value items only)."""
    values = {n for item in plan.items.values() for n in item.values}
    out = {}
    for cell in nb.cells:
        if submissions.meta(cell).get("solution") and cell.cell_type == "code":
            names = trusted.bound_names(cell.source) & values
            if len(names) == 1:
                out[submissions.grade_id(cell)] = names.pop()
    return out


@pytest.fixture(scope="module")
def every_quiz(tmp_path_factory):
    course = tmp_path_factory.mktemp("honest")
    shutil.copytree(
        ROOT / "assignments",
        course,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns(
            "release", "submitted", "autograded", "feedback", "prepared", "exports", "gradebook.db", "grading-notes"
        ),
    )
    out = {}
    # translated editions (<quiz>_ko) have the same code cells: test_translation_quizzes.py grades them
    for quiz in [q for q in grading.assignments(course) if not edition_of(q)]:
        grading.release(course, quiz)
        nb_name = f"{quiz}.ipynb"
        source_nb = nbformat.read(course / "source" / quiz / nb_name, as_version=4)
        release_nb = nbformat.read(course / "release" / quiz / nb_name, as_version=4)
        solved = grading.solved_copy(release_nb, source_nb)
        plan = trusted.build_plan(source_nb)
        ref = _reference(source_nb)
        cells = _answer_cells(solved, plan)
        changed = {"wrong": set(), "variant": set()}
        # two learners per quiz: the solution, and one who got every other answer wrong and typed
        # the rest as honest variants (lower case and spaces, tuples, NumPy numbers)
        for student in ("solution", "mixed"):
            nb = nbformat.from_dict(nbformat.reads(nbformat.writes(solved), as_version=4))
            for k, gid in enumerate(sorted(cells)):
                if student == "solution":
                    continue
                cell = grading.cell_by_id(nb, gid)
                change = _wrong if k % 2 == 0 else _variant
                name = cells[gid]
                value = change(ref[name])
                numeric = isinstance(value, float) and change is _variant
                cell.source = (
                    f"import numpy as np\n{name} = np.float64({value!r})" if numeric else f"{name} = {value!r}"
                )
                changed["wrong" if change is _wrong else "variant"].add(name)
            folder = course / "submitted" / student / quiz
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / nb_name)
        reports = {r.student: r for r in grading.grade_cohort(course, quiz, cell_timeout=10, jobs=2, progress=None)}
        out[quiz] = dict(
            reports=reports,
            full=grading.auto_points(source_nb),
            plan=plan,
            scores=grading.scores(course, quiz),
            changed=changed,
        )
    out["course"] = course
    return out


QUIZZES = sorted(p.name for p in (ROOT / "assignments" / "source").iterdir() if p.is_dir() and not edition_of(p.name))


@pytest.mark.parametrize("quiz", QUIZZES)
def test_honest_learners_are_graded_and_never_suspect(every_quiz, quiz):
    q = every_quiz[quiz]
    for _student, report in q["reports"].items():
        assert not report.suspect, report.line()
        assert report.status == "graded", report.line()
    assert q["reports"]["solution"].score == q["full"]
    mixed = q["scores"]["mixed"]
    assert q["changed"]["wrong"] and q["changed"]["variant"]
    for gid, item in q["plan"].items.items():
        if set(item.values) & q["changed"]["wrong"]:
            assert mixed[gid]["auto"] == 0, (gid, mixed[gid])
        else:  # a variant typed answer, or an untouched (function) answer: full marks
            assert mixed[gid]["auto"] == mixed[gid]["max"], (gid, mixed[gid], q["reports"]["mixed"].line())


def test_jobs_2_gives_the_same_gradebook_as_jobs_1(every_quiz):
    course, quiz = every_quiz["course"], QUIZZES[0]
    before = every_quiz[quiz]["scores"]  # graded with jobs=2
    again = grading.grade_cohort(course, quiz, cell_timeout=10, jobs=1, progress=None)
    assert grading.scores(course, quiz) == before
    assert [r.student for r in again] == sorted(before)
