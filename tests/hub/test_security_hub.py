"""Issue 19 on the department hub: each attack, run for real against the hub's own parts.

The attacks are made as a resident (``runuser``, the resident's own uid) against the hub this session
started (JupyterHub, configurable-http-proxy, the users' servers, nbgrader's exchange with the hub's
configuration, the instructor's commands as the instructor). Loopback only, harmless markers, bounded
in time and size (a collect that would copy ``/dev/zero`` runs under a 200 MB file-size limit).
Each test fails on the code before issue 19 and names the finding it covers.

VICTIM and ATTACKER are accounts of their own (hubkit.SECURITY): no other test's submissions move. The
spoofed and back-dated hand-ins (findings 5 and 9), the attacker's hostile submission (12) and the release
without its secret (13) ride on the shared class-wide grading round (hubkit.graded_round, also
test_hub_permissions.py and test_hub_cohort.py): one collect for the class, nothing graded twice.
The nbgitpuller attack (7) is in test_hub_course.py, on the server that test starts anyway.
"""

from __future__ import annotations

import datetime
import glob
import json
import os
import pwd
import secrets
import shutil
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pytest
from hubkit import (
    COURSE_ID,
    GENUINE,
    HOSTILE_FILES,
    INSTRUCTOR,
    OTHER,
    OWNER,
    QUIZ,
    ROOT,
    SECURITY,
    SPOOF,
    as_user,
    instructor_course,
    user_env,
)

VICTIM, ATTACKER = SECURITY
PY = str(user_env.user_python())


def home(name: str) -> Path:
    return Path(pwd.getpwnam(name).pw_dir)


def run_as(name: str, script: str, *args: str, timeout: float = 60):
    """A shell script as NAME (the learners' PATH: their python, nbgrader)."""
    return as_user(name, "sh", "-c", script, "sh", *args, timeout=timeout)


def collected(name: str) -> Path:
    return instructor_course() / "submitted" / name / QUIZ


@pytest.fixture(scope="module")
def released(hub, released_quiz) -> nbformat.NotebookNode:
    """The student notebook as released (root reads it from the exchange)."""
    path = Path(os.environ["SPINECOURSE_EXCHANGE"]) / COURSE_ID / "outbound" / QUIZ / f"{QUIZ}.ipynb"
    return nbformat.read(path, as_version=4)


# --- finding 3: the proxy's REST API -------------------------------------------------------------


def test_proxy_api_refuses_a_resident_without_the_token(hub):
    api = f"http://127.0.0.1:{hub.env['SPINECOURSE_PROXY_API_PORT']}/api/routes"
    code = (
        "import sys, urllib.request, urllib.error\n"
        "req = urllib.request.Request(sys.argv[1] + '/hub/login', method='POST',\n"
        "    data=b'{\"target\": \"http://127.0.0.1:9\"}', headers={'Content-Type': 'application/json'})\n"
        "try:\n    print(urllib.request.urlopen(req, timeout=10).status)\n"
        "except urllib.error.HTTPError as e:\n    print(e.code)\n"
    )
    attack = as_user(ATTACKER, PY, "-c", code, api, timeout=60)
    assert attack.returncode == 0, attack.stderr
    assert attack.stdout.strip() == "403", f"the proxy API took a route from a resident: {attack.stdout}"
    # The API is there and the hub's own token works (so the 403 is the token check), and no route moved.
    token = (hub.state / "secrets" / "proxy_token").read_text().strip()
    assert oct((hub.state / "secrets" / "proxy_token").stat().st_mode & 0o777) == "0o600"
    req = urllib.request.Request(api, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=10) as response:
        routes = json.loads(response.read())
    assert "/hub/login" not in routes, routes
    with urllib.request.urlopen(f"{hub.url}/hub/login", timeout=30) as response:  # the hub still serves
        assert response.status == 200 and b"password" in response.read().lower()


# --- finding 2: quiz sources and the learners' environment ----------------------------------------


def test_residents_cannot_read_quiz_sources_and_the_course_still_works(hub):
    source = ROOT / "assignments" / "source" / QUIZ / f"{QUIZ}.ipynb"
    assert source.is_file()
    for path in (source, ROOT / ".git" / "HEAD", ROOT / "tests" / "hub" / "hubkit.py"):
        assert path.exists(), path
        result = run_as(ATTACKER, 'cat -- "$1"', str(path))
        assert result.returncode != 0 and "BEGIN" not in result.stdout, f"{ATTACKER} can read {path}"
    assert run_as(ATTACKER, 'ls -- "$1"', str(ROOT)).returncode != 0, f"{ATTACKER} can list the checkout"
    # The learners' Python has the course installed (not a link to the checkout) and runs a lesson's code.
    code = (
        "import pathlib, spinecourse, spinecourse.answers, spinecourse.widgets\n"
        "from spinecourse.widgets import CanalExplorer\n"
        "CanalExplorer()\n"
        "top = pathlib.Path(spinecourse.__file__).resolve().parents[1]\n"
        "print(spinecourse.__file__)\n"
        "print((top / 'assignments' / 'source').exists())\n"
    )
    result = as_user(ATTACKER, PY, "-c", code, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    where, sources_beside = result.stdout.split()[-2:]
    assert where.startswith(str(user_env.HUB_VENV) + "/"), f"residents import the course from {where}"
    assert sources_beside == "False"


# --- finding 6: the exchange root --------------------------------------------------------------


def test_exchange_course_folder_cannot_be_taken_over(hub, released):
    root = Path(os.environ["SPINECOURSE_EXCHANGE"])
    course = root / COURSE_ID
    assert root.stat().st_uid == 0 and root.stat().st_mode & 0o1000, "the exchange root is not root's and sticky"
    assert course.stat().st_uid == pwd.getpwnam(INSTRUCTOR).pw_uid
    taken = root / f"taken-{secrets.token_hex(3)}"
    attack = run_as(ATTACKER, 'mv -- "$1" "$2"', str(course), str(taken))
    if taken.exists():  # the old 0777 root: put it back before failing
        os.rename(taken, course)
    assert attack.returncode != 0, f"{ATTACKER} renamed the course folder"
    fake = course / "outbound" / "00_fake_quiz"
    publish = run_as(ATTACKER, 'mkdir -- "$1" && echo "{}" > "$1/00_fake_quiz.ipynb"', str(fake))
    if fake.exists():
        shutil.rmtree(fake)
    assert publish.returncode != 0, f"{ATTACKER} published a quiz"
    replace = run_as(ATTACKER, 'mv -- "$1" "$1.old"', str(course / "outbound"))
    assert replace.returncode != 0 and (course / "outbound" / QUIZ).is_dir(), f"{ATTACKER} moved outbound/"
    # Residents still use it: the quiz is listed for them.
    listed = as_user(ATTACKER, "nbgrader", "list", timeout=120)
    assert listed.returncode == 0 and QUIZ in listed.stdout + listed.stderr, listed.stderr[-2000:]


# --- findings 5 and 9: spoofed names and forged times in collect -----------------------------------


@pytest.fixture(scope="module")
def victim_round(graded_round):
    """hubkit.victim_hand_in, inside the class-wide round: the victim submits full marks with nbgrader, then
    back-dates timestamp.txt in their own inbound folder; the attacker writes a blank quiz named as the
    victim's, dated ten years later. The class-wide collect (one for the class, as an instructor runs it)."""
    log = graded_round.collect.stdout + graded_round.collect.stderr
    return log, graded_round.victim_submitted_after, graded_round.collected_before


def test_collect_skips_a_submission_under_a_classmates_name(victim_round):
    log = victim_round[0]
    text = (collected(VICTIM) / f"{QUIZ}.ipynb").read_text()
    assert SPOOF not in text, "collect took the attacker's folder as the victim's submission"
    assert GENUINE in text, "the victim's own submission was not collected"
    assert f"claims to be {VICTIM}'s but was written by {ATTACKER}" in log, log[-2000:]


def test_lateness_comes_from_the_server_not_timestamp_txt(victim_round):
    from nbgrader.utils import parse_utc

    _, before, after = victim_round
    recorded = parse_utc((collected(VICTIM) / "timestamp.txt").read_text().strip())
    assert recorded.year != 2000, "the learner's timestamp.txt decided the submission time"
    slack = datetime.timedelta(seconds=2)  # ctime has whole-second granularity on some file systems
    assert before - slack <= recorded <= after + slack, (before, recorded, after)


# --- findings 12 and 13: special files in collect; a submission without a secret in release_feedback -----


def test_special_files_are_skipped_and_a_bad_submission_stops_nobody(graded_round):
    """graded_round (hubkit): the attacker's hostile submission went through the class-wide collect, grading
    and release_feedback together with two classmates' (the fixture asserts each step succeeded)."""
    log = graded_round.collect.stdout + graded_round.collect.stderr
    folder = collected(ATTACKER)
    assert (folder / f"{QUIZ}.ipynb").is_file(), f"the attacker's regular notebook was not collected:\n{log[-2000:]}"
    for name in HOSTILE_FILES:
        assert not os.path.lexists(folder / name), f"{name} was collected"
        assert f"/{name}: " in log, f"{name} was skipped without a reason in the log:\n{log[-3000:]}"
    assert sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) < 10 * 2**20
    for name in (OWNER, OTHER):
        assert (collected(name) / f"{QUIZ}.ipynb").is_file(), f"{name} was not collected after the attacker"
    release = graded_round.release.stdout + graded_round.release.stderr
    assert f"{ATTACKER}/{QUIZ}: feedback not released" in release, release[-3000:]
    assert glob.glob(str(home(OWNER) / QUIZ / "feedback" / "*" / f"{QUIZ}.html")), "the classmate got no feedback"
