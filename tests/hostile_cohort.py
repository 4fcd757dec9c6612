"""One graded hostile class shared by the "hostile-cohort" files (issue 20).

test_grading_hostile.py, test_grading_robustness.py, test_security_sandbox_cohort.py and
test_security_grading.py each used to copy assignments/, release, plant a class and grade it with
their own nbgrader processes. Here each file registers its learners (``register``) under its own
prefix when it is imported; the first test that asks (``shared``) builds ONE course for every
registered file: one copy, one ``generate_assignment`` for every quiz used, every file's learners
planted, ONE ``grade_cohort`` per quiz for the whole class (sandbox on, ``--jobs 2``), feedback once.
Each file then reads its own learners' results (``reports_of``, ``scores_of``), so an attack is now
graded beside the other files' learners too: one learner still never harms any other.

The four files run on one worker (tests/conftest.py: SHARED_GROUPS), so one build per process is
enough; it is kept here (not in a session fixture imported into four modules, which pytest would
build once per module).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat

from spinecourse import grading

ROOT = Path(__file__).resolve().parents[1]
#: One per-cell limit for the class (a batch has one). The files used 3, 10 and 20 s: 10 s is enough
#: for every attack that must finish (memhog's 4 processes sleep 4 s) and bounds the endless loop.
CELL_TIMEOUT = 10
#: The sandbox's limits for the class: the strictest each file asked for. The file size cap sits below
#: the disk cap so that a big file meets the former and many small files the latter.
LIMITS = {"memory_limit": "1G", "process_limit": 32, "file_size_limit": "20M", "disk_limit": "32M"}
JOBS = 2
GRADING_BOUND = 1800  # seconds: the whole class; a FIFO or device opened by mistake must not hang the suite


@dataclass
class Planting:
    """What a file's planter gets: the course, and helpers to make and hand in notebooks."""

    course: Path
    prefix: str

    def sid(self, name: str) -> str:
        return self.prefix + name

    def source(self, quiz: str):
        return nbformat.read(self.course / "source" / quiz / f"{quiz}.ipynb", as_version=4)

    def release(self, quiz: str):
        return nbformat.read(self.course / "release" / quiz / f"{quiz}.ipynb", as_version=4)

    def solved(self, quiz: str):
        return grading.solved_copy(self.release(quiz), self.source(quiz))

    def submit(self, name: str, quiz: str, nb) -> Path:
        folder = self.course / "submitted" / self.sid(name) / quiz
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{quiz}.ipynb")
        return folder


@dataclass
class _Registrant:
    prefix: str
    quizzes: tuple[str, ...]
    plant: Callable  # Planting -> context manager yielding that file's data (open while the class is graded)
    edit_source: Callable | None  # course -> None, before the release


_REGISTERED: dict[str, _Registrant] = {}
_BUILT: list = []


def register(prefix: str, quizzes, plant, edit_source=None) -> None:
    """Called by a test file at import: its learners (ids ``prefix + name``) join the shared class."""
    assert prefix.endswith("-") and all(
        p == prefix or not (p.startswith(prefix) or prefix.startswith(p)) for p in _REGISTERED
    ), f"prefix {prefix!r} clashes with {sorted(_REGISTERED)}"
    _REGISTERED[prefix] = _Registrant(prefix, tuple(quizzes), contextlib.contextmanager(plant), edit_source)


@dataclass
class Cohort:
    course: Path
    reports: dict[str, dict]  # quiz -> student id -> StudentReport
    lines: dict[str, list[str]]  # quiz -> the progress lines of its one grade_cohort
    feedback_error: dict[str, BaseException | None]  # quiz -> what grading.feedback raised, if anything
    planted: dict[str, dict]  # prefix -> what that file's planter yielded
    source_bytes: dict[Path, bytes]  # source/ as it was when the class was graded
    submitted_bytes: dict[Path, bytes]  # every regular file in submitted/ then (links and FIFOs are not read)

    def reports_of(self, prefix: str, quiz: str) -> dict:
        """That file's reports by its own short names."""
        return {s.removeprefix(prefix): r for s, r in self.reports[quiz].items() if s.startswith(prefix)}

    def scores_of(self, prefix: str, quiz: str) -> dict:
        """The gradebook now (``grading.scores``), that file's learners by their short names."""
        return {s.removeprefix(prefix): v for s, v in grading.scores(self.course, quiz).items() if s.startswith(prefix)}


def _copy_course(dest: Path, quizzes: set[str]) -> None:
    skip = shutil.ignore_patterns(
        "release",
        "submitted",
        "autograded",
        "feedback",
        "prepared",
        "exports",
        "gradebook.db",
        "grading-notes",
        ".ipynb_checkpoints",
    )

    def ignore(folder, names):
        out = set(skip(folder, names))
        if Path(folder) == ROOT / "assignments" / "source":  # only the quizzes graded here
            out |= {n for n in names if n not in quizzes}
        return out

    shutil.copytree(ROOT / "assignments", dest, ignore=ignore)


def _bounded(fn, seconds: float):
    box: dict = {}

    def target():
        try:
            box["value"] = fn()
        except BaseException as exc:  # re-raised below
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"grading the class did not finish within {seconds} s"
    if "error" in box:
        raise box["error"]
    return box["value"]


def _regular_files(folder: Path) -> dict[Path, bytes]:
    out = {}
    for here, _dirs, files in os.walk(folder):  # never follows a link
        for name in files:
            path = Path(here) / name
            if stat.S_ISREG(os.lstat(path).st_mode):
                out[path] = path.read_bytes()
    return out


def shared(tmp_path_factory) -> Cohort:
    """The class of every registered file, graded once per process (a failed build is not retried)."""
    if not _BUILT:
        try:
            _BUILT.append(_build(tmp_path_factory))
        except BaseException as exc:
            _BUILT.append(exc)
    if isinstance(_BUILT[0], BaseException):
        raise RuntimeError("building the shared hostile class failed (see the first error)") from _BUILT[0]
    return _BUILT[0]


def _build(tmp_path_factory) -> Cohort:
    assert _REGISTERED, "no test file registered learners"
    quizzes = sorted({q for r in _REGISTERED.values() for q in r.quizzes})
    course = tmp_path_factory.mktemp("hostile-cohort") / "course"
    _copy_course(course, set(quizzes))
    for registrant in _REGISTERED.values():
        if registrant.edit_source:
            registrant.edit_source(course)
    # one nbgrader process releases every quiz copied (only those are under source/)
    result = grading.run_nbgrader(course, "generate_assignment", "*", "--force")
    assert result.returncode == 0 and all((course / "release" / q).is_dir() for q in quizzes), result.stdout[-3000:]
    reports: dict[str, dict] = {}
    lines: dict[str, list[str]] = {}
    errors: dict[str, BaseException | None] = {}
    planted: dict[str, dict] = {}
    with contextlib.ExitStack() as stack:
        for prefix, registrant in _REGISTERED.items():
            planted[prefix] = stack.enter_context(registrant.plant(Planting(course, prefix)))
        source_bytes = {p: p.read_bytes() for p in (course / "source").glob("*/*.ipynb")}
        submitted_bytes = _regular_files(course / "submitted")
        for quiz in quizzes:
            lines[quiz] = []
            graded = _bounded(
                lambda quiz=quiz: grading.grade_cohort(
                    course,
                    quiz,
                    cell_timeout=CELL_TIMEOUT,
                    jobs=JOBS,
                    limits=LIMITS,
                    progress=lines[quiz].append,
                ),
                GRADING_BOUND,
            )
            reports[quiz] = {r.student: r for r in graded}
    for quiz in quizzes:  # after the planters closed: no learner code runs in feedback
        try:
            grading.feedback(course, quiz)
            errors[quiz] = None
        except Exception as exc:  # the files assert on it
            errors[quiz] = exc
    return Cohort(course, reports, lines, errors, planted, source_bytes, submitted_bytes)
