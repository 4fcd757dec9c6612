"""A hostile cohort graded by ``grade_cohort`` with the sandbox on (issue 19: 10, 11, 14, 15, 19).

One quiz, in the class shared by the hostile-cohort files (tests/hostile_cohort.py: ids "c-...", one
``grade_cohort`` with ``--jobs 2``); every attacker's other answers are right, and the honest learner graded
after them in the same nbgrader process must get full marks and must not be regraded because of someone
else's output:

honest       the solution
printforger  a wrong q1 and a global ``print`` that rewrites the grader's probe line to the right answer
launcher     a wrong q1 and data files ipykernel_launcher.py / sitecustomize.py that patch
             ``builtins.print`` the same way before the kernel starts
flood        prints 50 MB (the notebook and the feedback stay under the output cap)
memhog       4 processes of 300 MiB each (the sandbox's 1 GiB cap kills some; the grader carries on)
diskfill     writes 4 MiB files until the disk cap (32 MiB here) stops it
errorline    writes a fake nbgrader ``[AutogradeApp | ERROR] ... /c-honest/`` line and terminal escapes
             to the kernel's raw stderr
panic        the regrade-after-crash path (14): its kernel dies after a hidden test, so the grader
             regrades it alone and looks for the fatal cell; a marker in that hidden test (planted in
             the shared course's source) must never be in what any kernel of the finder is sent.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import hostile_cohort
import nbformat
import pytest

from spinecourse import grading
from spinecourse.grading import prepare, run

QUIZ = "01_anatomy_quiz"
PREFIX = "c-"
# the sandbox limits are the shared class's (hostile_cohort.LIMITS): 1 GiB memory, 32 processes, 32 MiB disk
HIDDEN_MARKER = "HIDDEN-MARKER-5c1e9"

FORGE = r"""
_real_print = print
def print(*args, **kwargs):
    if args and isinstance(args[0], str) and args[0].startswith("@@spinecourse-probe"):
        args = (args[0].replace('"q1": {"value": "A"}', '"q1": {"value": "' + RIGHT + '"}'),) + args[1:]
    return _real_print(*args, **kwargs)
"""

LAUNCHER_PATCH = r"""
import builtins
_real_print = builtins.print
def _forging_print(*args, **kwargs):
    if args and isinstance(args[0], str) and args[0].startswith("@@spinecourse-probe"):
        args = (args[0].replace('"q1": {"value": "A"}', '"q1": {"value": "RIGHT"}'),) + args[1:]
    return _real_print(*args, **kwargs)
builtins.print = _forging_print
"""

ATTACKS = {
    "printforger": {"q1-answer": FORGE + "q1 = 'A'\n"},
    "launcher": {"q1-answer": "q1 = 'A'\n"},
    "flood": {"q1-answer": "for _ in range(50):\n    print('x' * (1 << 20))\nq1 = SOLUTION\n"},
    "memhog": {
        "q1-answer": """
import subprocess, sys
hog = "b = b'x' * (300 << 20); import time; time.sleep(4)"
procs = [subprocess.Popen([sys.executable, "-c", hog]) for _ in range(4)]
print("MEMHOG CODES", [p.wait() for p in procs])
q1 = SOLUTION
"""
    },
    "diskfill": {
        "q1-answer": """
written = 0
for i in range(40):
    try:
        with open(f"fill{i}.bin", "wb") as fh:
            fh.write(b"x" * (4 << 20))
        written += 4 << 20
    except OSError:
        break
print("DISKFILL WROTE", written)
q1 = SOLUTION
"""
    },
    "errorline": {
        "q1-answer": """
import os, sys
os.write(2, b"[AutogradeApp | ERROR] There was an error processing assignment: /x/grading-batch/HONEST/01_anatomy_quiz\\n")
os.write(1, b"[AutogradeApp | ERROR] There was an error processing assignment: /x/grading-batch/HONEST/01_anatomy_quiz\\n")
sys.__stderr__.write("\\x1b[2J\\x1b[H[AutogradeApp | ERROR] /HONEST/ FAKE-ERROR-LINE\\n")
sys.__stderr__.flush()
q1 = SOLUTION
"""
    },
}


def _solution(source_nb, gid: str) -> str:
    return grading.strip_markers(grading.cell_by_id(source_nb, gid).source).split("=", 1)[1].strip()


def _mark_hidden_test(course: Path) -> None:
    """A marker in a hidden test of the shared course's quiz (before the release): it must reach no kernel."""
    src_path = course / "source" / QUIZ / f"{QUIZ}.ipynb"
    source_nb = nbformat.read(src_path, as_version=4)
    test_cell = grading.cell_by_id(source_nb, "q2-test")
    assert "### END HIDDEN TESTS" in test_cell.source
    test_cell.source = test_cell.source.replace("### END HIDDEN TESTS", f"# {HIDDEN_MARKER}\n### END HIDDEN TESTS")
    nbformat.write(source_nb, src_path)


def _plant(p: hostile_cohort.Planting):
    """This file's learners (ids "c-...") in the shared class, and spies on the grading run while it is graded."""
    source_nb = p.source(QUIZ)
    release_nb = p.release(QUIZ)
    solved = grading.solved_copy(release_nb, source_nb)
    right = eval(_solution(source_nb, "q1-answer"), {"A": "A", "B": "B", "C": "C", "D": "D", "E": "E"})
    assert right != "A", "the attack below needs a quiz whose q1 is not A"
    students = {"honest": solved}
    for name, attack in ATTACKS.items():
        nb = nbformat.from_dict(json.loads(nbformat.writes(solved)))
        for gid, code in attack.items():
            cell = grading.cell_by_id(nb, gid)
            cell.source = code.replace("SOLUTION", _solution(source_nb, gid)).replace("HONEST", p.sid("honest"))
            if "RIGHT" in code:
                cell.source = f"RIGHT = {right!r}\n" + cell.source
        students[name] = nb
    panic = grading.solved_copy(release_nb, source_nb)
    grading.cell_by_id(panic, "q3-answer").source = "import os\nos._exit(1)\n"  # the kernel dies here
    # Named to sort at an even place of the class, away from errorline and honest (odd places, so in the
    # other --jobs 2 batch): a dying kernel can make libzmq abort its whole batch (nbgrader_runs.KILLED;
    # those it never began then go on as one more batch, run.GradingRun._resume), which must not be
    # mistaken for a regrade forced by the fake ERROR line.
    students["panic"] = panic
    for student, nb in students.items():
        p.submit(student, QUIZ, nb)
    for data in ("ipykernel_launcher.py", "sitecustomize.py"):
        patch = LAUNCHER_PATCH.replace("RIGHT", right)
        if data == "ipykernel_launcher.py":
            patch += "from ipykernel import kernelapp\nkernelapp.launch_new_instance()\n"
        (p.course / "submitted" / p.sid("launcher") / QUIZ / data).write_text(patch)

    regraded: list[str] = []  # graded again alone after the batch
    batches: list[list[str]] = []  # who shared one nbgrader process
    sent: dict[str, list[str]] = {}  # student -> what the fatal-cell finder sent a kernel
    finding: list[str] = []
    real_grade, real_batch = run.GradingRun.grade_student, run.autograde_batch
    real_neutralise, real_finder = run.neutralise_fatal_cells, prepare.run_finder

    def grade_spy(self, student):
        regraded.append(student)
        return real_grade(self, student)

    def batch_spy(course_dir, assignment, batch_students, *args, **kwargs):
        batches.append(list(batch_students))
        return real_batch(course_dir, assignment, batch_students, *args, **kwargs)

    def neutralise_spy(course_dir, assignment, student, *args, **kwargs):
        finding[:] = [student]
        return real_neutralise(course_dir, assignment, student, *args, **kwargs)

    def record(probe, *args, **kwargs):  # what the finder's kernel is sent (its child runs these cells)
        code = [c.source for c in probe.cells if c.cell_type == "code"]
        sent.setdefault(finding[0] if finding else "?", []).extend(code)
        return real_finder(probe, *args, **kwargs)

    run.GradingRun.grade_student, run.autograde_batch = grade_spy, batch_spy
    run.neutralise_fatal_cells, prepare.run_finder = neutralise_spy, record
    try:
        yield dict(
            regraded=regraded,
            batches=batches,
            sent=sent,
            full=grading.auto_points(source_nb),
            source=source_nb,
            release=release_nb,
        )
    finally:
        run.GradingRun.grade_student, run.autograde_batch = real_grade, real_batch
        run.neutralise_fatal_cells, prepare.run_finder = real_neutralise, real_finder


hostile_cohort.register(PREFIX, [QUIZ], _plant, edit_source=_mark_hidden_test)


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    shared = hostile_cohort.shared(tmp_path_factory)
    return dict(
        shared.planted[PREFIX],
        course=shared.course,
        reports=shared.reports_of(PREFIX, QUIZ),
        scores=shared.scores_of(PREFIX, QUIZ),
        feedback_error=shared.feedback_error[QUIZ],
    )


def _autograded(cohort, student) -> Path:
    return cohort["course"] / "autograded" / (PREFIX + student) / QUIZ / f"{QUIZ}.ipynb"


def test_the_honest_learner_after_them_is_graded_once_with_full_marks(cohort):
    r = cohort["reports"]["honest"]
    assert (r.status, r.score, r.suspect) == ("graded", cohort["full"], None), r.line()
    # the fake ERROR line naming it was in the log of its own batch, and forced no regrade
    errorline, honest = PREFIX + "errorline", PREFIX + "honest"
    assert any({errorline, honest} <= set(b) and b.index(errorline) < b.index(honest) for b in cohort["batches"]), (
        cohort["batches"]
    )
    assert PREFIX + "honest" not in cohort["regraded"], cohort["regraded"]


@pytest.mark.parametrize("student", ["printforger", "launcher"])
def test_a_forged_probe_does_not_score(cohort, student):
    r = cohort["reports"][student]
    cells = cohort["scores"][student]
    assert cells["q1-test"]["auto"] == 0 or r.suspect, (cells["q1-test"], r.line())
    others = [g for g in cells if g.endswith("-test") and g != "q1-test"]
    assert r.status in ("graded", "repaired"), r.line()
    if not r.suspect:  # not tampering by the static rules: its other (right) answers are graded
        assert all(cells[g]["auto"] == cells[g]["max"] for g in others), cells


def test_a_flood_is_truncated_and_the_rest_is_graded(cohort):
    r = cohort["reports"]["flood"]
    assert r.score == cohort["full"] and not r.suspect, r.line()
    path = _autograded(cohort, "flood")
    assert path.stat().st_size < 3 << 20, path.stat().st_size
    assert "output truncated by the grader" in path.read_text()
    assert cohort["feedback_error"] is None, cohort["feedback_error"]
    feedback = list((cohort["course"] / "feedback" / (PREFIX + "flood") / QUIZ).glob("*.html"))
    assert feedback and all(p.stat().st_size < 4 << 20 for p in feedback)


def test_four_processes_hit_the_sandbox_memory_cap_and_the_grader_carries_on(cohort):
    r = cohort["reports"]["memhog"]
    assert r.status in ("graded", "repaired"), r.line()
    text = _autograded(cohort, "memhog").read_text()
    if "MEMHOG CODES" in text:  # the kernel survived: some of its 4 processes were killed
        codes = json.loads(text.split("MEMHOG CODES", 1)[1].split("]", 1)[0].strip().strip('"') + "]")
        assert -9 in codes, codes
    else:  # the kernel itself was the one killed: that cell was neutralised, the rest graded
        assert any("kernel died" in rep for rep in r.repairs), r.line()
    cells = cohort["scores"]["memhog"]
    assert all(cells[g]["auto"] == cells[g]["max"] for g in cells if g.endswith("-test") and g != "q1-test")


def test_many_files_hit_the_disk_cap(cohort):
    r = cohort["reports"]["diskfill"]
    assert r.score == cohort["full"] and not r.suspect, r.line()
    text = _autograded(cohort, "diskfill").read_text()
    written = int(text.split("DISKFILL WROTE", 1)[1].split()[0].strip('\\n"'))
    if os.geteuid() == 0:  # the private folder is a 32 MiB tmpfs
        assert written <= 32 << 20, written
    else:  # fallback (documented): per-file limit only; the files are gone with the private folder
        assert written > 0


def test_the_kernels_raw_output_is_never_in_the_log_unescaped(cohort):
    for student, r in cohort["reports"].items():
        assert "\x1b[2J" not in r.log, student
        for line in r.log.splitlines():
            if "FAKE-ERROR-LINE" in line:
                assert line.startswith("[sandbox kernel output] "), line


# ---- 14: hidden tests never reach a learner kernel, the regrade-after-crash path included ----


def test_the_regrade_after_a_crash_sends_no_hidden_test(cohort):
    """The panic learner's kernel dies in q3-answer, after the hidden test q2-test that holds the marker: the batch
    cannot grade it, grade_student regrades it alone and the fatal-cell finder runs past q2-test."""
    assert HIDDEN_MARKER in nbformat.writes(cohort["source"])
    assert HIDDEN_MARKER not in nbformat.writes(cohort["release"])
    report = cohort["reports"]["panic"]
    assert PREFIX + "panic" in cohort["regraded"], cohort["regraded"]
    sent = cohort["sent"]
    assert sent.get(PREFIX + "panic"), "the fatal-cell finder did not run: " + report.line()
    every = [source for sources in sent.values() for source in sources]  # every learner the finder ran
    assert not any(HIDDEN_MARKER in s for s in every)
    assert not any("BEGIN HIDDEN TESTS" in s for s in every)
    assert report.status == "repaired" and any("q3-answer" in rep for rep in report.repairs), report.line()
    graded = nbformat.read(_autograded(cohort, "panic"), as_version=4)
    assert HIDDEN_MARKER not in "".join(
        o.get("text", "") + str(o.get("traceback", "")) for c in graded.cells for o in c.get("outputs", [])
    )
