"""``nbgrader autograde`` processes: one student, or a batch of students with a watchdog.

A batch pays Python's and nbgrader's start-up once instead of once per student, so a submission
costs little more than its own kernel. Whatever a batch could not grade is detected here (an
nbgrader ERROR line naming the student, or no fresh autograded notebook) and left to the caller.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .course import PREPARED, nbgrader_command, nbgrader_env, run_nbgrader
from .safe_text import terminal_safe

#: Sandbox limits (names of SandboxKernelManager traits; defaults in nbgrader_config.py and the runbook).
LIMIT_OPTIONS = {
    "memory_limit": "memory",
    "process_limit": "processes",
    "file_size_limit": "file size",
    "disk_limit": "disk",
    "cpu_time_limit": "CPU time",
    "wall_time_limit": "wall time",
}
BATCH = "grading-batch"  # scratch copy of this run's prepared notebooks (deleted after the run)


def limit_args(limits: dict | None) -> list[str]:
    return [f"--SandboxKernelManager.{k}={v}" for k, v in (limits or {}).items() if v is not None]


def option_args(cell_timeout: int | None = None, limits: dict | None = None) -> list[str]:
    extra = [f"--ExecutePreprocessor.timeout={int(cell_timeout)}"] if cell_timeout is not None else []
    return extra + limit_args(limits)


#: Logged when the nbgrader process itself was killed by a signal (see GradeRun.kernel_died).
KILLED = "[nbgrader was killed by signal"


@dataclass
class GradeRun:
    student: str
    ok: bool
    seconds: float
    log: str

    @property
    def kernel_died(self) -> bool:
        """The learner's kernel died: nbgrader says DeadKernelError, or nbgrader itself was killed by a
        signal (libzmq aborts the grader, "Assertion failed: !_more", when a kernel that dies cuts a
        message short). Either way the fatal-cell finder decides; it finds nothing if the kernel was fine."""
        return "DeadKernelError" in self.log or KILLED in self.log


def autograde(
    course_dir: Path,
    assignment: str,
    student: str,
    timeout: float = 600,
    cell_timeout: int | None = None,
    submitted_dir: str | None = None,
    limits: dict | None = None,
) -> GradeRun:
    """``nbgrader autograde`` for one student in its own process.

    ``cell_timeout`` overrides the per-cell limit of nbgrader_config.py (tests use a small one);
    ``submitted_dir`` makes nbgrader read from another folder under the course (see PREPARED).
    """
    start = time.perf_counter()
    extra = [f"--CourseDirectory.submitted_directory={submitted_dir}"] if submitted_dir is not None else []
    extra += option_args(cell_timeout, limits)
    try:
        result = run_nbgrader(
            course_dir, "autograde", assignment, f"--student={student}", "--force", *extra, timeout=timeout
        )
        ok, log = result.returncode == 0, result.stdout + result.stderr
        if result.returncode < 0:
            log += f"\n{KILLED} {-result.returncode}]\n"
    except subprocess.TimeoutExpired as exc:
        ok, log = False, f"autograde of {student} exceeded {timeout} s: {exc}"
    return GradeRun(student, ok, time.perf_counter() - start, log)


def _graded_in(course_dir: Path, assignment: str, students: list[str], text: str, started: float) -> set[str]:
    # only nbgrader's own ERROR lines count (a kernel's output reaches the log escaped and prefixed)
    failed = {
        s for s in students if re.search(rf"^(?:\x1b\[[0-9;]*m)?\[\w+ \| ERROR\].*[/\\]{re.escape(s)}[/\\]", text, re.M)
    }
    fresh = set()
    for student in students:
        outputs = list((course_dir / "autograded" / student / assignment).glob("*.ipynb"))
        expected = list((course_dir / PREPARED / student / assignment).glob("*.ipynb"))
        if outputs and len(outputs) >= len(expected) and all(p.stat().st_mtime >= started for p in outputs):
            fresh.add(student)
    return fresh - failed


def autograde_batch(
    course_dir: Path,
    assignment: str,
    students: list[str],
    cell_timeout: int | None,
    progress,
    batch_name: str = BATCH,
    db: Path | None = None,
    limits: dict | None = None,
) -> tuple[set[str], str]:
    """One ``nbgrader autograde`` process for many prepared students; the set graded cleanly, and the log."""
    batch = course_dir / batch_name
    if batch.exists():
        shutil.rmtree(batch)
    for student in students:
        shutil.copytree(course_dir / PREPARED / student, batch / student)
    cmd = nbgrader_command("autograde", assignment, "--force", f"--CourseDirectory.submitted_directory={batch_name}")
    cmd += limit_args(limits)
    if db is not None:  # a worker of a parallel run grades into its own copy of the gradebook
        cmd.append(f"--CourseDirectory.db_url=sqlite:///{db}")
    if cell_timeout is not None:
        cmd.append(f"--ExecutePreprocessor.timeout={int(cell_timeout)}")
    started = time.time()
    log: list[str] = []
    seen = 0
    proc = None
    # A watchdog: nbgrader's per-cell limit bounds each student, but a kernel that hangs while
    # starting or shutting down must not hold the whole class. Past the limit the batch is
    # killed; whoever was not graded by then is regraded alone by the caller.
    limit = 300 + 120 * len(students)
    watchdog = None
    try:
        proc = subprocess.Popen(
            cmd, cwd=course_dir, env=nbgrader_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        watchdog = threading.Timer(limit, proc.kill)
        watchdog.start()
        for line in proc.stdout:
            log.append(line)
            match = re.search(r"Creating/updating student with ID '([^']+)'", line)
            if match and progress:
                seen += 1
                progress(f"… grading {terminal_safe(match.group(1))} ({seen} of {len(students)})")
        proc.wait(timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        log.append(f"batch aborted: {type(exc).__name__}: {exc}\n")
    finally:
        if watchdog is not None:
            watchdog.cancel()
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
        shutil.rmtree(batch, ignore_errors=True)
    graded = _graded_in(course_dir, assignment, students, "".join(log), started)
    if proc is not None and proc.returncode is not None and proc.returncode < 0:
        # Killed (watchdog, or libzmq's abort on a dying kernel): the student it was grading already has
        # a fresh autograded notebook (nbgrader writes it before executing) but no grade: not graded.
        begun = re.findall(r"Creating/updating student with ID '([^']+)'", "".join(log))
        if begun:
            graded.discard(begun[-1])
        log.append(f"{KILLED} {-proc.returncode}]\n")
    return graded, "".join(log)
