"""A grading run: one assignment of one course folder with its options, graded student by student
or as a class.

Every submission is first checked and repaired on its own (``prepare``). In a cohort run the
prepared notebooks are then graded by one nbgrader process per worker (``jobs``, default: the
number of cores), each on its share of the class and its own copy of the gradebook, merged here one
after the other, each as soon as its worker is done (while the others still grade); a student a
batch could not grade (a kernel that died, anything unexpected) is graded again alone by
``grade_student``, which isolates the cause. A batch killed mid-way (libzmq's abort on a dying
kernel, the watchdog) goes on with those it never began as one more batch, not one process each.
One student's problem never costs another student's grade.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from .course import PREPARED, last_error, release_notebooks, source_notebooks, submitted_students
from .gradebook import auto_total, auto_totals, merge_gradebook
from .nbgrader_runs import BATCH, KILLED, autograde, autograde_batch
from .prepare import neutralise_fatal_cells, prepare
from .reports import StudentReport, add_notes, clear_notes


@dataclass
class GradingRun:
    course_dir: Path
    assignment: str
    cell_timeout: int | None = None  # per-cell limit (default: nbgrader_config.py)
    limits: dict | None = None  # sandbox limits (SandboxKernelManager trait -> value)
    jobs: int | None = None  # batches at once (default: the number of cores)
    progress: object = print  # a callable taking one line, or None
    releases: dict | None = None  # released notebooks by name (read on first use)
    sources: dict | None = None  # instructor's notebooks by name (read on first use)

    def __post_init__(self):
        self.course_dir = Path(self.course_dir)
        if self.releases is None:
            self.releases = release_notebooks(self.course_dir, self.assignment)
        if self.sources is None:
            self.sources = source_notebooks(self.course_dir, self.assignment)

    def _say(self, line: str) -> None:
        if self.progress:
            self.progress(line)

    def _autograde_one(self, student: str):
        return autograde(
            self.course_dir,
            self.assignment,
            student,
            cell_timeout=self.cell_timeout,
            submitted_dir=PREPARED,
            limits=self.limits,
        )

    def _prepare(self, student: str, report: StudentReport) -> bool:
        if prepare(self.course_dir, self.assignment, student, self.releases, report):
            return True
        report.reject()
        return False

    def _graded(self, student: str, report: StudentReport, total: tuple | None = None) -> None:
        report.status = "repaired" if report.repairs else "graded"
        if total is None:
            total = auto_total(self.course_dir, self.assignment, student, self.sources)
        report.score, report.max_score = total
        add_notes(self.course_dir, self.assignment, student, report, self.limits)

    def grade_student(self, student: str) -> StudentReport:
        """Check, repair, grade one student in its own nbgrader process; never raises (problems go into the report)."""
        start = time.perf_counter()
        report = StudentReport.new(student)
        try:
            if not self._prepare(student, report):
                return report
            clear_notes(self.course_dir, self.assignment, student)
            run = self._autograde_one(student)
            report.log = run.log
            if not run.ok and run.kernel_died:
                fixed = neutralise_fatal_cells(
                    self.course_dir, self.assignment, student, self.releases, self.cell_timeout or 20
                )
                report.repairs.extend(fixed)
                if fixed:
                    run = self._autograde_one(student)
                    report.log += "\n--- after neutralising the fatal cell ---\n" + run.log
            if run.ok:
                self._graded(student, report)
            else:
                report.status = "failed"
                why = (
                    "the Python kernel died and the cause could not be isolated"
                    if "DeadKernelError" in run.log
                    else last_error(run.log)
                )
                report.reason = f"nbgrader could not grade it: {why}; grade by hand (see the log)"
        except Exception as exc:
            report.status = "failed"
            report.reason = f"{type(exc).__name__}: {exc}"
        finally:
            report.seconds = time.perf_counter() - start
        return report

    def _resume(self, share: list[str], ok: set[str], log: str, name: str, db: Path | None) -> tuple[set[str], str]:
        """After a batch was killed (libzmq's abort on a dying kernel, or the watchdog), grade those it never
        began as one more batch (merged here) instead of one nbgrader process each; (graded, log) of both."""
        if KILLED not in log:
            return ok, log
        begun = set(re.findall(r"Creating/updating student with ID '([^']+)'", log))
        rest = [s for s in share if s not in ok and s not in begun]
        if len(rest) < 2:  # one left is graded alone anyway
            return ok, log
        if db is not None:  # a fresh copy: the course's gradebook now holds the merged part
            shutil.copy2(self.course_dir / "gradebook.db", db)
        more, more_log = autograde_batch(
            self.course_dir, self.assignment, rest, self.cell_timeout, self.progress, name, db, self.limits
        )
        if db is not None:
            merge_gradebook(self.course_dir, db, self.assignment, sorted(more))
        return ok | more, log + more_log

    def _batches(self, prepared: list[str]) -> tuple[set[str], str]:
        """Grade the prepared students in ``jobs`` batches; (those graded cleanly, the log)."""
        for student in prepared:
            clear_notes(self.course_dir, self.assignment, student)
        jobs = max(1, min(self.jobs or os.cpu_count() or 1, len(prepared)))
        if jobs == 1:
            graded, log = autograde_batch(
                self.course_dir, self.assignment, prepared, self.cell_timeout, self.progress, limits=self.limits
            )
            return self._resume(prepared, graded, log, BATCH, None)
        shares = [prepared[k::jobs] for k in range(jobs)]
        dbs = [self.course_dir / f"{BATCH}-{k}.db" for k in range(jobs)]
        for db in dbs:
            shutil.copy2(self.course_dir / "gradebook.db", db)
        graded, logs = set(), [""] * jobs
        try:
            with ThreadPoolExecutor(jobs) as pool:
                running = {
                    pool.submit(
                        autograde_batch,
                        self.course_dir,
                        self.assignment,
                        shares[k],
                        self.cell_timeout,
                        self.progress,
                        f"{BATCH}-{k}",
                        dbs[k],
                        self.limits,
                    ): k
                    for k in range(jobs)
                }
                # Merge each worker's gradebook as soon as it is done, here in this thread only (one
                # writer, one worker after the other): the merge overlaps the workers still grading
                # instead of adding to the run after the last one.
                for done in as_completed(running):
                    k = running[done]
                    ok, logs[k] = done.result()
                    merge_gradebook(self.course_dir, dbs[k], self.assignment, sorted(ok))
                    ok, logs[k] = self._resume(shares[k], ok, logs[k], f"{BATCH}-{k}", dbs[k])
                    graded |= ok
            return graded, "".join(logs)
        finally:
            for db in dbs:
                db.unlink(missing_ok=True)

    def grade_cohort(self, students: list[str] | None = None, batch: bool = True) -> list[StudentReport]:
        """Grade every submitted student (or ``students``); one report per student, in order."""
        if students is None:
            students = submitted_students(self.course_dir, self.assignment)
        reports: dict[str, StudentReport] = {}
        if batch and len(students) > 1:
            prepared = []
            for student in students:
                start = time.perf_counter()
                report = reports[student] = StudentReport.new(student)
                try:
                    if self._prepare(student, report):
                        prepared.append(student)
                except Exception as exc:
                    report.status, report.reason = "failed", f"{type(exc).__name__}: {exc}"
                report.seconds = time.perf_counter() - start
            start = time.perf_counter()
            graded, log = self._batches(prepared) if prepared else (set(), "")
            share = (time.perf_counter() - start) / max(len(prepared), 1)
            # one read of the gradebook for every batch-graded report (not one read per student)
            totals = auto_totals(self.course_dir, self.assignment, sorted(graded), self.sources) if graded else {}
            for student in prepared:
                if student in graded:
                    self._graded(student, reports[student], totals[student])
                    reports[student].log = log
                else:  # grade alone: finds a fatal cell, or reports why it cannot be graded
                    reports[student] = self.grade_student(student)
                reports[student].seconds += share
        else:
            for student in students:
                reports[student] = self.grade_student(student)
        for i, student in enumerate(students, 1):
            self._say(f"[{i}/{len(students)}] " + reports[student].line())
        return [reports[s] for s in students]


def grade_student(
    course_dir: Path,
    assignment: str,
    student: str,
    releases: dict | None = None,
    sources: dict | None = None,
    cell_timeout: int | None = None,
    limits: dict | None = None,
) -> StudentReport:
    """Check, repair, grade one student; never raises (problems go into the report)."""
    try:
        run = GradingRun(course_dir, assignment, cell_timeout, limits, releases=releases, sources=sources)
    except Exception as exc:  # e.g. the release could not be made
        return StudentReport(student, "failed", [], [], f"{type(exc).__name__}: {exc}", 0.0)
    return run.grade_student(student)


def grade_cohort(
    course_dir: Path,
    assignment: str,
    students: list[str] | None = None,
    cell_timeout: int | None = None,
    progress=print,
    batch: bool = True,
    jobs: int | None = None,
    limits: dict | None = None,
) -> list[StudentReport]:
    """Grade every submitted student (or ``students``); one report per student, in order (see GradingRun)."""
    run = GradingRun(course_dir, assignment, cell_timeout, limits, jobs, progress)
    return run.grade_cohort(students, batch=batch)
