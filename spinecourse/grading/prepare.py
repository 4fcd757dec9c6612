"""Before nbgrader: each submission checked, repaired and copied to prepared/; after a dead kernel,
the cell that killed it found and neutralised.

Only regular files are read (``safe_files``): what lands in prepared/ is all nbgrader and the
sandbox ever copy, so they meet regular files only.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

from . import safe_files, submissions
from .course import PREPARED, SUBMITTED
from .regions import HIDDEN_TESTS, has_region, split_region
from .reports import StudentReport


def _fresh_folder(dst: Path) -> None:
    if os.path.lexists(dst) and not safe_files.is_real_dir(dst):
        os.unlink(dst)
    elif dst.exists():
        shutil.rmtree(dst)
    dst.mkdir(parents=True)


def prepare(course_dir: Path, assignment: str, student: str, releases: dict, report: StudentReport) -> bool:
    """Copy one submission to prepared/, checking and repairing each notebook; False if rejected.

    A notebook that is a link, a FIFO or a device, or a submission folder that is a link, rejects
    the learner (``report.reason``); such a data file is left out (noted).
    """
    src = course_dir / SUBMITTED / student / assignment
    dst = course_dir / PREPARED / student / assignment
    for level in (src.parent, src):
        if not safe_files.is_real_dir(level):
            what = safe_files.kind_of(level)
            report.reason = f"{level.relative_to(course_dir)} is {what}, not a folder: nothing was read"
            return False
    _fresh_folder(dst)
    budget = safe_files.MAX_TOTAL_BYTES
    listing = safe_files.entries(src)
    for entry in listing:  # timestamp.txt and any data files travel with the notebooks
        if entry.name.startswith(".") or entry.name.endswith(".ipynb") or safe_files.is_real_dir(entry.path):
            continue
        try:
            cap = min(safe_files.MAX_FILE_BYTES, budget)
            budget -= safe_files.copy_file(Path(entry.path), dst / entry.name, cap).st_size
        except (safe_files.UnsafeFile, OSError) as exc:
            report.notes.append(f"{exc}" if isinstance(exc, safe_files.UnsafeFile) else f"{entry.name}: {exc}")
    problems = []
    for name, release_nb in releases.items():
        path = src / name
        if not os.path.lexists(path):
            report.notes.append(f"{name} was not submitted: its items score zero")
            continue
        try:
            data = safe_files.read_bytes(path, min(safe_files.MAX_FILE_BYTES, budget))
            budget -= len(data)
            nb = submissions.read_submission(data, name)
        except (submissions.SubmissionError, safe_files.UnsafeFile) as exc:
            problems.append(str(exc))
            continue
        findings = submissions.inspect(nb, release_nb)
        report.notes.extend(findings.notes())
        if findings.needs_repair:
            nb, actions = submissions.repair(nb, release_nb)
            report.repairs.extend(f"{name}: {a}" for a in actions)
        nbformat.write(nb, dst / name)
    for entry in listing:
        if entry.name.endswith(".ipynb") and entry.name not in releases:
            report.notes.append(f"{entry.name} is not part of the assignment: ignored")
    if problems:
        report.reason = "; ".join(problems)
        shutil.rmtree(dst)
        return False
    return True


def probe_for_finder(nb):
    """What the fatal-cell finder's kernel is sent: ``nb`` without any hidden test."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:  # hidden tests never reach a learner's kernel, on this path either
        if cell.cell_type == "code" and has_region(cell.source, HIDDEN_TESTS):
            cell.source = split_region(cell.source, HIDDEN_TESTS)[0]
    return nb


def run_finder(probe, folder: Path, cell_timeout: int) -> int | None:
    """Run the finder in a child process (``fatal_cell``): libzmq may abort the process reading from a kernel
    that dies mid-message, and that must end only the child, never the class's grading run. A child that
    dies without a result died with the kernel: the cell it was running is the fatal one."""
    with tempfile.TemporaryDirectory(prefix="spinecourse-fatal-") as tmp:
        path = Path(tmp) / "probe.ipynb"
        nbformat.write(probe, path)
        cells = sum(c.cell_type == "code" for c in probe.cells)
        try:
            child = subprocess.run(
                [sys.executable, "-m", "spinecourse.grading.fatal_cell", str(path), str(folder), str(cell_timeout)],
                capture_output=True,
                text=True,
                timeout=120 + cells * (cell_timeout + 5),
            )
            out, died = child.stdout, child.returncode != 0
        except subprocess.TimeoutExpired as exc:
            out, died = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or ""), False
    running = None
    for line in out.splitlines():
        word, _, value = line.partition(" ")
        if word == "result":
            return None if value == "none" else int(value)
        if word == "running":
            running = int(value)
    return running if died else None


def find_fatal_cell(nb, folder: Path, cell_timeout: int = 20) -> int | None:
    """Run ``nb`` cell by cell in a fresh kernel; the index of the cell during which the kernel died, or None."""
    return run_finder(probe_for_finder(nb), folder, cell_timeout)


def neutralise_fatal_cells(
    course_dir: Path, assignment: str, student: str, releases: dict, cell_timeout: int
) -> list[str]:
    """After a dead kernel: in each prepared notebook, replace the learner cell that kills the kernel by
    an error (its items score zero); what was done, one line per notebook (empty: nothing found)."""
    from . import trusted

    folder = course_dir / PREPARED / student / assignment
    done = []
    for name in releases:
        path = folder / name
        if not path.exists():
            continue
        nb = nbformat.read(path, as_version=4)
        # what nbgrader ran: released locked cells (no hidden tests) with the grader's probes
        probe = trusted.kernel_view(
            submissions.with_release_locked_cells(nb, releases[name]), course_dir / "source" / assignment / name
        )
        fatal = find_fatal_cell(probe, folder, cell_timeout)
        target = None if fatal is None else submissions.answer_for(nb, fatal)
        if target is not None:
            nb, label = submissions.neutralise(nb, target)
            nbformat.write(nb, path)
            done.append(
                f"{name}: the kernel died while running {label}: that cell was "
                "replaced by an error (its items score zero), the rest was graded"
            )
    return done
