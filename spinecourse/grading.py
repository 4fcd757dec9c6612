"""Thin, tested wrappers round nbgrader for instructors and for the test suite.

Each cohort step is one function (and one ``python -m spinecourse.grading`` command):
release (generate the student version), autograde (one student at a time, so a
damaged submission cannot stop the others) and scores (read the gradebook).
See assignments/README.md for the runbook.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

NBGRADER_META = "nbgrader"


def nbgrader_env() -> dict[str, str]:
    """nbgrader calls ``alembic`` and ``jupyter`` by name: put this interpreter's bin first."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def run_nbgrader(course_dir: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "nbgrader", *args]
    return subprocess.run(cmd, cwd=course_dir, env=nbgrader_env(), capture_output=True, text=True, timeout=timeout)


def assignments(course_dir: Path) -> list[str]:
    return sorted(p.name for p in (course_dir / "source").iterdir() if p.is_dir() and not p.name.startswith("."))


def release(course_dir: Path, assignment: str) -> Path:
    result = run_nbgrader(course_dir, "generate_assignment", assignment, "--force")
    if result.returncode != 0:
        raise RuntimeError(f"generate_assignment {assignment} failed:\n{result.stdout}\n{result.stderr}")
    return course_dir / "release" / assignment


@dataclass
class GradeRun:
    student: str
    ok: bool
    seconds: float
    log: str


def autograde(course_dir: Path, assignment: str, student: str, timeout: float = 600) -> GradeRun:
    start = time.perf_counter()
    try:
        result = run_nbgrader(course_dir, "autograde", assignment, f"--student={student}", "--force", timeout=timeout)
        ok, log = result.returncode == 0, result.stdout + result.stderr
    except subprocess.TimeoutExpired as exc:
        ok, log = False, f"autograde of {student} exceeded {timeout} s: {exc}"
    return GradeRun(student, ok, time.perf_counter() - start, log)


def submitted_students(course_dir: Path, assignment: str) -> list[str]:
    root = course_dir / "submitted"
    return sorted(p.name for p in root.iterdir() if (p / assignment).is_dir()) if root.is_dir() else []


def autograde_cohort(course_dir: Path, assignment: str, progress=print) -> list[GradeRun]:
    runs = []
    students = submitted_students(course_dir, assignment)
    for i, student in enumerate(students, 1):
        run = autograde(course_dir, assignment, student)
        progress(f"[{i}/{len(students)}] {student}: {'graded' if run.ok else 'PROBLEM (see log)'} in {run.seconds:.1f} s")
        runs.append(run)
    return runs


def scores(course_dir: Path, assignment: str) -> dict[str, dict[str, dict[str, float | None]]]:
    """student -> grade_id -> {"auto": ..., "manual": ..., "max": ...} from the gradebook."""
    from nbgrader.api import Gradebook

    url = "sqlite:///" + str(course_dir / "gradebook.db")
    out: dict[str, dict[str, dict[str, float | None]]] = {}
    with Gradebook(url) as gb:
        for submission in gb.assignment_submissions(assignment):
            per_cell = {}
            for nb in submission.notebooks:
                for grade in nb.grades:
                    per_cell[grade.name] = {"auto": grade.auto_score, "manual": grade.manual_score, "max": grade.max_score}
            out[submission.student_id] = per_cell
    return out


# ---- notebook helpers used to build synthetic submissions ----

def cell_by_id(nb, grade_id: str):
    for cell in nb.cells:
        if cell.metadata.get(NBGRADER_META, {}).get("grade_id") == grade_id:
            return cell
    raise KeyError(f"no cell with grade_id {grade_id!r}")


def strip_markers(source: str) -> str:
    keep = [line for line in source.splitlines() if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")]
    return "\n".join(keep)


def solved_copy(release_nb, source_nb):
    """The release notebook with each answer cell filled from the source solution."""
    nb = nbformat.from_dict(nbformat.validator.json.loads(nbformat.writes(release_nb)))
    for cell in nb.cells:
        meta = cell.metadata.get(NBGRADER_META, {})
        if meta.get("solution"):
            cell.source = strip_markers(cell_by_id(source_nb, meta["grade_id"]).source)
    return nb


def auto_points(nb) -> float:
    """Points of the automatically graded (code) cells."""
    return sum(c.metadata[NBGRADER_META].get("points", 0) for c in nb.cells
               if c.cell_type == "code" and c.metadata.get(NBGRADER_META, {}).get("grade"))


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - exercised via the runbook
    parser = argparse.ArgumentParser(prog="python -m spinecourse.grading", description=__doc__)
    parser.add_argument("step", choices=["release", "autograde", "scores"])
    parser.add_argument("assignment")
    parser.add_argument("--course", default=".", help="the nbgrader course folder (default: current folder)")
    args = parser.parse_args(argv)
    course = Path(args.course).resolve()
    if args.step == "release":
        print(release(course, args.assignment))
    elif args.step == "autograde":
        runs = autograde_cohort(course, args.assignment)
        bad = [r.student for r in runs if not r.ok]
        print(f"graded {len(runs) - len(bad)} of {len(runs)}" + (f"; check: {', '.join(bad)}" if bad else ""))
    else:
        for student, cells in sorted(scores(course, args.assignment).items()):
            total = sum((v["manual"] if v["manual"] is not None else v["auto"] or 0) for v in cells.values())
            print(f"{student}\t{total:g}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
