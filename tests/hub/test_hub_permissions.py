"""Who can read what on the department hub, checked as the users themselves (runuser), never as root.

Two residents submit with nbgrader as themselves; the instructor collects, grades (the course's
sandboxed route), releases feedback; then each file is opened as the other resident. Every
refusal is paired with the owner succeeding on the same path, so a check cannot pass because the
path is wrong.
"""

from __future__ import annotations

import glob
import grp
import os
import pwd
from pathlib import Path

import nbformat
from hubkit import COURSE_ID, INSTRUCTOR, OTHER, OWNER, QUIZ, ROOT, as_user, instructor_course

# graded_round (hubkit, shared with test_security_hub.py): OWNER and OTHER submit, the class is collected,
# graded and its feedback released; OWNER fetches theirs.


def hidden_test_lines() -> list[str]:
    nb = nbformat.read(ROOT / "assignments" / "source" / QUIZ / f"{QUIZ}.ipynb", as_version=4)
    lines = []
    for cell in nb.cells:
        inside = False
        for line in cell.source.splitlines():
            if "BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "END HIDDEN TESTS" in line:
                inside = False
            elif inside and len(line.strip()) > 12:
                lines.append(line.strip())
    assert lines, "the quiz has no hidden tests to look for"
    return lines


def can_read(user: str, path: str | Path) -> bool:
    result = as_user(user, "sh", "-c", 'cat -- "$1" >/dev/null', "sh", str(path), timeout=30)
    return result.returncode == 0


def can_list(user: str, path: str | Path) -> bool:
    return as_user(user, "ls", str(path), timeout=30).returncode == 0


def test_submissions_are_private(graded_round):
    inbound = graded_round.hub.exchange / COURSE_ID / "inbound"
    files = glob.glob(str(inbound / f"{OWNER}+{QUIZ}+*" / f"{QUIZ}.ipynb"))
    assert files, f"no submission of {OWNER} in {inbound}"
    assert can_read(OWNER, files[0]), "the owner cannot read their own submission (test would prove nothing)"
    assert can_read(INSTRUCTOR, files[0]), "the instructor cannot read the submission (collect would fail)"
    assert not can_read(OTHER, files[0]), f"{OTHER} can read {OWNER}'s submission"
    assert not can_list(OTHER, inbound), f"{OTHER} can list the inbound folder"
    secret = Path(files[0]).parent / "submission_secret.txt"
    assert not can_read(OTHER, secret), f"{OTHER} can read {OWNER}'s submission secret (names the feedback file)"


def test_feedback_is_private_and_shows_score_without_hidden_tests(graded_round):
    outbound = graded_round.hub.exchange / COURSE_ID / "feedback"
    owner_gid = grp.getgrnam(OWNER).gr_gid
    released = [p for p in outbound.glob("*.html") if p.stat().st_gid == owner_gid]
    assert released, f"no released feedback for {OWNER} in {outbound}"
    assert can_read(OWNER, released[0])
    assert not can_read(OTHER, released[0]), f"{OTHER} can read {OWNER}'s released feedback"
    assert not can_list(OTHER, outbound), f"{OTHER} can list the feedback folder"

    home = Path(pwd.getpwnam(OWNER).pw_dir)
    fetched = sorted(home.glob(f"{QUIZ}/feedback/*/{QUIZ}.html"))
    assert fetched, f"{OWNER} fetched no feedback into {home / QUIZ / 'feedback'}"
    assert not can_read(OTHER, fetched[-1]), f"{OTHER} can read {OWNER}'s fetched feedback"
    html = fetched[-1].read_text()
    assert "Score" in html and "/ 10" in html.replace("/10", "/ 10"), "the feedback shows no score"
    leaked = [line for line in hidden_test_lines() if line in html]
    assert not leaked, f"the feedback shows hidden tests: {leaked[:3]}"


def test_instructor_files_and_other_homes_are_closed(graded_round):
    course = instructor_course()
    source_nb = course / "source" / QUIZ / f"{QUIZ}.ipynb"
    gradebook = course / "gradebook.db"
    assert source_nb.exists() and gradebook.exists()
    assert can_read(INSTRUCTOR, source_nb) and can_read(INSTRUCTOR, gradebook)
    for path in (source_nb, gradebook, course / "submitted" / OWNER / QUIZ / f"{QUIZ}.ipynb"):
        assert not can_read(OTHER, path), f"{OTHER} can read {path}"
    owner_home = Path(pwd.getpwnam(OWNER).pw_dir)
    assert can_list(OWNER, owner_home)
    assert not can_list(OTHER, owner_home), f"{OTHER} can list {OWNER}'s home"
    assert not can_read(OTHER, owner_home / QUIZ / f"{QUIZ}.ipynb"), f"{OTHER} can read {OWNER}'s quiz"
    assert os.stat(owner_home).st_mode & 0o077 == 0, "homes must be 0700"
