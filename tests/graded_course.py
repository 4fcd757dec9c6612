"""One graded course for the files of the "graded-course" group (``tests/conftest.py``, ``SHARED_GROUPS``):
``test_nbgrader_roundtrip.py``, ``test_grading_sandbox.py`` and ``test_grading_korean_quizzes.py``.

Those files load this module as a plugin (``pytest_plugins = ["graded_course"]``), so the session fixture
``graded_course`` is one fixture, built once per worker. Built from a copy of ``assignments/`` without any
student copy:

* every release, English and Korean (``*_ko``), by ONE ``nbgrader generate_assignment`` process (a pattern),
  and the practice copies written from it (the tests compare both with the committed copies);
* every submission the three files need, each under its own student id:

  - each English quiz: ``solution`` (the solved release), ``blank`` (the release untouched), ``tampered``
    (first test cell edited to ``pass`` and its answer left blank; with 3+ tests, the last test deleted and
    the second duplicated), ``mixed`` (every other answer wrong, the rest typed as honest variants:
    lower case and spaces, tuples, NumPy numbers);
  - each Korean edition: ``ko-solution`` and ``ko-blank`` (ids not used in English: item analysis reports an
    English quiz and its Korean edition as one cohort, and refuses a student graded in both);

* each quiz graded ONCE by the course's batch route, ``grading.grade_cohort`` (what ``python -m
  spinecourse.grading autograde QUIZ`` runs: checks and repairs, the sandbox, trusted marks), with
  ``--jobs 1`` (one nbgrader process for the quiz's learners), the first English quiz with ``--jobs 2``;
  the reports and the gradebook's marks right after each run are kept for the tests.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from spinecourse import grading
from spinecourse.authoring import translation as tr
from spinecourse.authoring.translation import edition_of
from spinecourse.grading import practice, submissions, trusted

ROOT = Path(__file__).resolve().parents[1]
#: The English quizzes (the Korean editions ``<quiz>_ko`` are generated from them).
ENGLISH = [a for a in grading.assignments(ROOT / "assignments") if not edition_of(a)]
#: The Korean editions in ``locales/ko/manifest.yml``, and the English source of each.
KO_SOURCES = tr.quiz_sources("ko")
KOREAN = [tr.quiz_path(s, "ko").parent.name for s in KO_SOURCES]
ENGLISH_STUDENTS = ("blank", "mixed", "solution", "tampered")
KO_STUDENTS = ("ko-blank", "ko-solution")
CELL_TIMEOUT = 10


def notebooks(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.ipynb"))


def _copy(nb) -> nbformat.NotebookNode:
    return nbformat.reads(nbformat.writes(nb), as_version=4)


# ---- the tampered learner (test_nbgrader_roundtrip.py) ----


@dataclass
class Tampered:
    notebooks: dict  # notebook name -> the submitted notebook
    grade_id: str  # the test cell edited to `pass`: the original must run (0 points, its answer is blank)
    damaged: bool  # also its last test cell deleted and its second duplicated (3+ tests)


def _tampered(sources: dict, releases: dict) -> Tampered:
    """First auto-graded test cell replaced by ``pass`` and its answer left blank; with 3+ tests, the last test
    deleted and the second duplicated (``grading.grade_cohort`` must repair both before nbgrader runs)."""
    nbs = {k: grading.solved_copy(releases[k], sources[k]) for k in sources}
    first = next(iter(nbs))
    cells = nbs[first].cells
    tests = [c for c in cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")]
    target = tests[0]
    target.source = "pass  # edited by the student"
    answers = [c for c in cells if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"]
    answers[0].source = releases[first].cells[cells.index(answers[0])].source
    damaged = len(tests) >= 3
    if damaged:
        cells.remove(tests[-1])
        at = cells.index(tests[1])
        cells.insert(at + 1, nbformat.from_dict(dict(tests[1], id="twin-of-second-test")))
    return Tampered(nbs, target.metadata["nbgrader"]["grade_id"], damaged)


# ---- the honest mixed learner (test_grading_sandbox.py) ----


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


def _mixed(solved, source_nb, plan) -> tuple[nbformat.NotebookNode, dict[str, set]]:
    """Every other answer wrong, the rest typed as honest variants; and which answer names got which."""
    nb = _copy(solved)
    ref = trusted.solution_values(source_nb)
    cells = _answer_cells(solved, plan)
    changed: dict[str, set] = {"wrong": set(), "variant": set()}
    for k, gid in enumerate(sorted(cells)):
        change = _wrong if k % 2 == 0 else _variant
        name = cells[gid]
        value = change(ref[name])
        numeric = isinstance(value, float) and change is _variant
        grading.cell_by_id(nb, gid).source = (
            f"import numpy as np\n{name} = np.float64({value!r})" if numeric else f"{name} = {value!r}"
        )
        changed["wrong" if change is _wrong else "variant"].add(name)
    return nb, changed


# ---- the course ----


@dataclass
class Quiz:
    name: str
    sources: dict  # notebook name -> the instructor's notebook
    releases: dict  # notebook name -> the freshly generated release
    reports: dict = field(default_factory=dict)  # student -> StudentReport of the one grading run
    scores: dict = field(default_factory=dict)  # student -> grade id -> auto/manual/max, right after it
    tampered: Tampered | None = None
    plan: object = None  # trusted.build_plan of the source (English)
    changed: dict = field(default_factory=dict)  # the mixed learner: "wrong"/"variant" -> answer names


@dataclass
class GradedCourse:
    course: Path
    quizzes: dict[str, Quiz]
    cell_timeout: int = CELL_TIMEOUT
    english_students: tuple = ENGLISH_STUDENTS  # each English quiz's learners
    ko_students: tuple = KO_STUDENTS  # each Korean edition's learners


def _submit(course: Path, quiz: str, student: str, nbs: dict) -> None:
    folder = course / "submitted" / student / quiz
    folder.mkdir(parents=True)
    for name, nb in nbs.items():
        nbformat.write(nb, folder / name)


def build(course: Path) -> GradedCourse:
    shutil.copytree(
        ROOT / "assignments",
        course,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns(
            "release",
            "practice",
            "submitted",
            "prepared",
            "autograded",
            "feedback",
            "exports",
            "gradebook.db",
            "grading-notes",
            ".ipynb_checkpoints",
        ),
    )
    # Each learner's sandbox is killed and removed right after its last cell either way: a graceful shutdown
    # only adds jupyter_client's 0.1 s exit polling (~0.15 s a learner, 44 kernels here); grades are the same.
    with (course / "nbgrader_config.py").open("a") as config:
        config.write('\nc.ExecutePreprocessor.shutdown_kernel = "immediate"  # tests/graded_course.py\n')
    grading.release(course, "*")  # nbgrader takes a pattern: one process releases every quiz and edition
    quizzes: dict[str, Quiz] = {}
    for name in ENGLISH + KOREAN:
        practice.write_practice(course, name)
        sources = {p.name: nbformat.read(p, as_version=4) for p in notebooks(course / "source" / name)}
        releases = {k: nbformat.read(course / "release" / name / k, as_version=4) for k in sources}
        quiz = quizzes[name] = Quiz(name, sources, releases)
        solved = {k: grading.solved_copy(releases[k], sources[k]) for k in sources}
        if name in KOREAN:
            _submit(course, name, "ko-solution", solved)
            _submit(course, name, "ko-blank", releases)
            continue
        _submit(course, name, "solution", solved)
        _submit(course, name, "blank", releases)
        quiz.tampered = _tampered(sources, releases)
        _submit(course, name, "tampered", quiz.tampered.notebooks)
        (nb_name,) = sources  # one notebook per quiz: the mixed learner's answers are read by variable
        quiz.plan = trusted.build_plan(sources[nb_name])
        mixed, quiz.changed = _mixed(solved[nb_name], sources[nb_name], quiz.plan)
        _submit(course, name, "mixed", {nb_name: mixed})
    for name, quiz in quizzes.items():
        # One nbgrader process per quiz: a second costs ~2 s of CPU (imports) to save about a kernel's worth of
        # wall, and the suite's other worker keeps the second core busy. The first quiz also takes --jobs 2
        # (two processes, two gradebook copies merged), which test_grading_sandbox.py compares with --jobs 1.
        jobs = 2 if name == ENGLISH[0] else 1
        reports = grading.grade_cohort(course, name, cell_timeout=CELL_TIMEOUT, jobs=jobs, progress=None)
        quiz.reports = {r.student: r for r in reports}
        quiz.scores = grading.scores(course, name)
    return GradedCourse(course, quizzes)


@pytest.fixture(scope="session")
def graded_course(tmp_path_factory) -> GradedCourse:
    """The course above, released, submitted and graded once per worker (read-only for the tests)."""
    return build(tmp_path_factory.mktemp("graded-course"))
