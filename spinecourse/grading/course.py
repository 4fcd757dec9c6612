"""The nbgrader course folder: where things are, what is in it, and how nbgrader is started in it.

source/<assignment>/       the instructor's notebooks (solutions, hidden tests)
release/<assignment>/      the learner version (``release``)
submitted/<student>/<a>/   learners' files as collected (never modified)
prepared/<student>/<a>/    the checked and repaired copies that are actually graded
autograded/, feedback/, gradebook.db   nbgrader's
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat

from . import safe_files

#: Folder (under the course) holding the copies that are actually graded: submitted/ is never modified.
PREPARED = "prepared"
#: Where ``collect`` and the runbook put learners' files.
SUBMITTED = "submitted"


def course_root(config) -> Path:
    """The course folder of an nbgrader run (``CourseDirectory.root``; nbgrader runs in it otherwise)."""
    try:
        root = config.CourseDirectory.root
        if isinstance(root, str) and root:
            return Path(root)
    except AttributeError:
        pass
    return Path.cwd()


def nbgrader_env() -> dict[str, str]:
    """nbgrader calls ``alembic`` and ``jupyter`` by name: put this interpreter's bin first."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def nbgrader_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "nbgrader", *args]


def run_nbgrader(course_dir: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        nbgrader_command(*args), cwd=course_dir, env=nbgrader_env(), capture_output=True, text=True, timeout=timeout
    )


def last_error(log: str) -> str:
    """The line of an nbgrader log that says what went wrong (at most 300 characters)."""
    lines = [ln.strip() for ln in log.splitlines() if ln.strip() and "SAWarning" not in ln and "checksum" not in ln]
    errors = [ln for ln in lines if "Error" in ln or "ERROR" in ln]
    return (errors[-1] if errors else (lines[-1] if lines else "no output"))[:300]


def assignments(course_dir: Path) -> list[str]:
    return sorted(p.name for p in (course_dir / "source").iterdir() if p.is_dir() and not p.name.startswith("."))


def release(course_dir: Path, assignment: str) -> Path:
    """``nbgrader generate_assignment``: the learner version in release/<assignment>/."""
    result = run_nbgrader(course_dir, "generate_assignment", assignment, "--force")
    if result.returncode != 0:
        raise RuntimeError(f"generate_assignment {assignment} failed:\n{result.stdout}\n{result.stderr}")
    return course_dir / "release" / assignment


def release_notebooks(course_dir: Path, assignment: str) -> dict[str, nbformat.NotebookNode]:
    folder = course_dir / "release" / assignment
    if not folder.is_dir():
        release(course_dir, assignment)
    return {p.name: nbformat.read(p, as_version=4) for p in sorted(folder.glob("*.ipynb"))}


def source_notebooks(course_dir: Path, assignment: str) -> dict[str, nbformat.NotebookNode]:
    folder = Path(course_dir) / "source" / assignment
    return {p.name: nbformat.read(p, as_version=4) for p in sorted(folder.glob("*.ipynb"))}


def submitted_students(course_dir: Path, assignment: str) -> list[str]:
    """Students with anything at submitted/<student>/<assignment> (a link there is listed, then rejected)."""
    root = Path(course_dir) / SUBMITTED
    if not safe_files.is_real_dir(root):
        return []
    return sorted(
        e.name
        for e in safe_files.entries(root)
        if not e.name.startswith(".") and os.path.lexists(Path(e.path) / assignment)
    )
