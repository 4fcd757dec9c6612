"""Thin, tested wrappers round nbgrader for instructors and for the test suite.

Each cohort step is one function and one ``python -m spinecourse.grading STEP ASSIGNMENT``
command, run from the course folder (assignments/) or with ``--course``:

release    generate the student version (assignments/release/, also the self-learner copies)
collect    copy learners' files from a folder into submitted/ (``--from FOLDER``)
autograde  check and repair each submission on its own, grade the class in one nbgrader
           process, regrade alone anyone that process could not grade (a damaged submission
           cannot stop the others); one line per student; exits 1 if any was rejected
           (every kernel in a bubblewrap sandbox; marks decided outside the learner's kernel;
           --jobs N batches at once; refuses without a sandbox unless --unsafe-no-sandbox)
feedback   HTML feedback without hidden tests (feedback/), scanned for leaks
export     per-item CSV from the gradebook (exports/ASSIGNMENT_items.csv)
report     totals per student and an item analysis
scores     total per student (tab-separated)

See assignments/README.md for the runbook.
"""

from __future__ import annotations

import argparse
import copy
import csv
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from . import safe_files
from .safe_text import terminal_safe

NBGRADER_META = "nbgrader"


def nbgrader_env() -> dict[str, str]:
    """nbgrader calls ``alembic`` and ``jupyter`` by name: put this interpreter's bin first."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


#: Sandbox limits (names of SandboxKernelManager traits; defaults in nbgrader_config.py and the runbook).
LIMIT_OPTIONS = {"memory_limit": "memory", "process_limit": "processes", "file_size_limit": "file size",
                 "cpu_time_limit": "CPU time", "wall_time_limit": "wall time"}


def limit_args(limits: dict | None) -> list[str]:
    return [f"--SandboxKernelManager.{k}={v}" for k, v in (limits or {}).items() if v is not None]


#: Folder (under the course) holding the copies that are actually graded: submitted/ is never modified.
PREPARED = "prepared"
#: Where ``collect`` and the runbook put learners' files.
SUBMITTED = "submitted"


def run_nbgrader(course_dir: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "nbgrader", *args]
    return subprocess.run(cmd, cwd=course_dir, env=nbgrader_env(), capture_output=True, text=True, timeout=timeout)


def assignments(course_dir: Path) -> list[str]:
    return sorted(p.name for p in (course_dir / "source").iterdir() if p.is_dir() and not p.name.startswith("."))


def release_signature(nb) -> list[tuple]:
    """What a learner's copy is made of, without volatile fields: (type, source, nbgrader metadata) per cell."""
    return [(c.cell_type, c.source, dict(c.metadata.get(NBGRADER_META, {}))) for c in nb.cells]


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


def autograde(course_dir: Path, assignment: str, student: str, timeout: float = 600,
              cell_timeout: int | None = None, submitted_dir: str | None = None,
              limits: dict | None = None) -> GradeRun:
    """``nbgrader autograde`` for one student in its own process.

    ``cell_timeout`` overrides the per-cell limit of nbgrader_config.py (tests use a small one);
    ``submitted_dir`` makes nbgrader read from another folder under the course (see PREPARED).
    """
    start = time.perf_counter()
    extra = []
    if cell_timeout is not None:
        extra.append(f"--ExecutePreprocessor.timeout={int(cell_timeout)}")
    if submitted_dir is not None:
        extra.append(f"--CourseDirectory.submitted_directory={submitted_dir}")
    extra += limit_args(limits)
    try:
        result = run_nbgrader(course_dir, "autograde", assignment, f"--student={student}", "--force", *extra,
                              timeout=timeout)
        ok, log = result.returncode == 0, result.stdout + result.stderr
    except subprocess.TimeoutExpired as exc:
        ok, log = False, f"autograde of {student} exceeded {timeout} s: {exc}"
    return GradeRun(student, ok, time.perf_counter() - start, log)


def submitted_students(course_dir: Path, assignment: str) -> list[str]:
    """Students with anything at submitted/<student>/<assignment> (a link there is listed, then rejected)."""
    root = course_dir / "submitted"
    if not safe_files.is_real_dir(root):
        return []
    return sorted(e.name for e in safe_files.entries(root) if not e.name.startswith(".")
                  and os.path.lexists(Path(e.path) / assignment))


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

def region_lines(source: str, region: str, min_length: int = 13) -> list[str]:
    """Stripped lines between ``### BEGIN <region>`` and ``### END <region>`` ("SOLUTION", "HIDDEN TESTS").

    Lines shorter than ``min_length`` ("pass", "else:") are skipped: they would match anywhere,
    so they are useless for checking that a release or a feedback file leaks nothing.
    """
    out, inside = [], False
    for line in source.splitlines():
        if f"BEGIN {region}" in line:
            inside = True
        elif f"END {region}" in line:
            inside = False
        elif inside and len(line.strip()) >= min_length:
            out.append(line.strip())
    return out


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


# ---- cohort grading with checks, repairs and a per-student report ----

@dataclass
class StudentReport:
    """What happened to one learner's submission in a cohort run.

    status: "graded" (as submitted), "repaired" (graded after the listed repairs),
    "rejected" (not graded: ``reason`` says why, e.g. invalid JSON) or
    "failed" (nbgrader could not grade it even after repair: ``reason``).
    """

    student: str
    status: str
    repairs: list[str]
    notes: list[str]
    reason: str
    seconds: float
    score: float | None = None
    max_score: float | None = None
    log: str = ""
    suspect: list[str] | None = None  # why the marks look tampered with (the items concerned scored zero)

    def line(self) -> str:
        """The report line; every learner-controlled string in it has its control characters escaped."""
        text = f"{terminal_safe(self.student)}: {self.status.upper()}"
        if self.score is not None:
            text += f" {self.score:g}/{self.max_score:g} auto"
        if self.suspect:
            text += " SUSPECT"
        text += f" ({self.seconds:.1f} s)"
        details = (self.repairs + self.notes + [f"SUSPECT: {s}" for s in self.suspect or []]
                   + ([self.reason] if self.reason else []))
        return text + "".join(f"\n    - {terminal_safe(d)}" for d in details)


def release_notebooks(course_dir: Path, assignment: str) -> dict[str, nbformat.NotebookNode]:
    folder = course_dir / "release" / assignment
    if not folder.is_dir():
        release(course_dir, assignment)
    return {p.name: nbformat.read(p, as_version=4) for p in sorted(folder.glob("*.ipynb"))}


def source_notebooks(course_dir: Path, assignment: str) -> dict[str, nbformat.NotebookNode]:
    return {p.name: nbformat.read(p, as_version=4) for p in sorted((course_dir / "source" / assignment).glob("*.ipynb"))}


def find_fatal_cell(nb, folder: Path, cell_timeout: int = 20) -> int | None:
    """Run ``nb`` cell by cell in a fresh kernel; the index of the cell during which the kernel died, or None."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    from . import sandbox
    from .execute import CappedNotebookClient as NotebookClient  # output counted as it arrives
    from .trusted import split_hidden

    nb = copy.deepcopy(nb)
    for cell in nb.cells:  # hidden tests never reach a learner's kernel, on this path either
        if cell.cell_type == "code" and "BEGIN HIDDEN TESTS" in cell.source:
            cell.source = split_hidden(cell.source)[0]
    extra = {} if sandbox.unsafe() else {"kernel_manager_class": sandbox.SandboxKernelManager}
    client = NotebookClient(nb, timeout=cell_timeout, allow_errors=True, interrupt_on_timeout=True,
                            kernel_name="python3", resources={"metadata": {"path": str(folder)}}, **extra)
    try:
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                try:
                    client.execute_cell(cell, index)
                except DeadKernelError:
                    return index
                except CellTimeoutError:
                    continue
    except DeadKernelError:  # raised again while shutting the dead kernel down
        pass
    return None


def _prepare(course_dir: Path, assignment: str, student: str, releases: dict, report: StudentReport) -> bool:
    """Copy one submission to prepared/, checking and repairing each notebook; False if rejected.

    Only regular files are read (``safe_files``): a notebook that is a link, a FIFO or a device, or a
    submission folder that is a link, rejects the learner; such a data file is left out (noted). What
    lands in prepared/ is all nbgrader and the sandbox ever copy, so they meet regular files only.
    """
    from ..grading import submissions

    src = course_dir / SUBMITTED / student / assignment
    dst = course_dir / PREPARED / student / assignment
    for level in (src.parent, src):
        if not safe_files.is_real_dir(level):
            what = safe_files.kind_of(level)
            report.reason = f"{level.relative_to(course_dir)} is {what}, not a folder: nothing was read"
            return False
    if os.path.lexists(dst) and not safe_files.is_real_dir(dst):
        os.unlink(dst)
    elif dst.exists():
        shutil.rmtree(dst)
    dst.mkdir(parents=True)
    budget = safe_files.MAX_TOTAL_BYTES
    listing = safe_files.entries(src)
    for entry in listing:  # timestamp.txt and any data files travel with the notebooks
        if entry.name.startswith(".") or entry.name.endswith(".ipynb") or safe_files.is_real_dir(entry.path):
            continue
        try:
            budget -= safe_files.copy_file(Path(entry.path), dst / entry.name,
                                           min(safe_files.MAX_FILE_BYTES, budget)).st_size
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


def _total(course_dir: Path, assignment: str, student: str, sources: dict) -> tuple[float | None, float | None]:
    """Automatic score and its maximum (code grade cells only: written answers are marked by hand)."""
    cells = scores(course_dir, assignment).get(student)
    auto_ids = {c.metadata[NBGRADER_META]["grade_id"] for nb in sources.values() for c in nb.cells
                if c.cell_type == "code" and c.metadata.get(NBGRADER_META, {}).get("grade")}
    if not cells or not auto_ids & set(cells):
        return None, None
    return (sum(cells[g]["auto"] or 0 for g in auto_ids if g in cells),
            sum(cells[g]["max"] or 0 for g in auto_ids if g in cells))


def _last_error(log: str) -> str:
    lines = [ln.strip() for ln in log.splitlines() if ln.strip() and "SAWarning" not in ln and "checksum" not in ln]
    errors = [ln for ln in lines if "Error" in ln or "ERROR" in ln]
    return (errors[-1] if errors else (lines[-1] if lines else "no output"))[:300]


def grade_student(course_dir: Path, assignment: str, student: str, releases: dict | None = None,
                  sources: dict | None = None, cell_timeout: int | None = None,
                  limits: dict | None = None) -> StudentReport:
    """Check, repair, grade one student; never raises (problems go into the report)."""
    from ..grading import submissions

    start = time.perf_counter()
    report = StudentReport(student, "graded", [], [], "", 0.0)
    try:
        releases = releases if releases is not None else release_notebooks(course_dir, assignment)
        if not _prepare(course_dir, assignment, student, releases, report):
            report.status = "rejected"
            report.reason = "not graded: " + report.reason + " (previous grades, if any, are unchanged)"
            return report
        _clear_notes(course_dir, assignment, student)
        run = autograde(course_dir, assignment, student, cell_timeout=cell_timeout, submitted_dir=PREPARED,
                        limits=limits)
        report.log = run.log
        if not run.ok and "DeadKernelError" in run.log:
            from . import trusted

            sources = sources if sources is not None else source_notebooks(course_dir, assignment)
            fixed = False
            folder = course_dir / PREPARED / student / assignment
            for name in releases:
                path = folder / name
                if not path.exists():
                    continue
                nb = nbformat.read(path, as_version=4)
                # what nbgrader ran: released locked cells (no hidden tests) with the grader's probes
                probe = trusted.kernel_view(submissions.with_release_locked_cells(nb, releases[name]),
                                            course_dir / "source" / assignment / name)
                fatal = find_fatal_cell(probe, folder, cell_timeout or 20)
                target = None if fatal is None else submissions.answer_for(nb, fatal)
                if target is not None:
                    nb, label = submissions.neutralise(nb, target)
                    nbformat.write(nb, path)
                    report.repairs.append(f"{name}: the kernel died while running {label}: that cell was "
                                          "replaced by an error (its items score zero), the rest was graded")
                    fixed = True
            if fixed:
                run = autograde(course_dir, assignment, student, cell_timeout=cell_timeout, submitted_dir=PREPARED,
                                limits=limits)
                report.log += "\n--- after neutralising the fatal cell ---\n" + run.log
        if run.ok:
            report.status = "repaired" if report.repairs else "graded"
            sources = sources if sources is not None else source_notebooks(course_dir, assignment)
            report.score, report.max_score = _total(course_dir, assignment, student, sources)
            _add_notes(course_dir, assignment, student, report, limits)
        else:
            report.status = "failed"
            why = ("the Python kernel died and the cause could not be isolated"
                   if "DeadKernelError" in run.log else _last_error(run.log))
            report.reason = f"nbgrader could not grade it: {why}; grade by hand (see the log)"
    except Exception as exc:
        report.status = "failed"
        report.reason = f"{type(exc).__name__}: {exc}"
    finally:
        report.seconds = time.perf_counter() - start
    return report


BATCH = "grading-batch"  # scratch copy of this run's prepared notebooks (deleted after the run)


def _autograde_batch(course_dir: Path, assignment: str, students: list[str], cell_timeout: int | None,
                     progress, batch_name: str = BATCH, db: Path | None = None,
                     limits: dict | None = None) -> tuple[set[str], str]:
    """One ``nbgrader autograde`` process for many prepared students; the set graded cleanly, and the log.

    One process pays Python's and nbgrader's start-up once instead of once per student, so a
    submission costs little more than its own kernel. Only notebooks that passed the checks
    and repairs of ``_prepare`` get here; anything nbgrader still cannot grade is detected
    (an error naming the student, or no fresh autograded notebook) and left to the caller.
    """
    batch = course_dir / batch_name
    if batch.exists():
        shutil.rmtree(batch)
    for student in students:
        shutil.copytree(course_dir / PREPARED / student, batch / student)
    cmd = [sys.executable, "-m", "nbgrader", "autograde", assignment, "--force",
           f"--CourseDirectory.submitted_directory={batch_name}", *limit_args(limits)]
    if db is not None:  # a worker of a parallel run grades into its own copy of the gradebook
        cmd.append(f"--CourseDirectory.db_url=sqlite:///{db}")
    for student in students:
        _clear_notes(course_dir, assignment, student)
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
        proc = subprocess.Popen(cmd, cwd=course_dir, env=nbgrader_env(), stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
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
    text = "".join(log)
    # only nbgrader's own ERROR lines count (a kernel's output reaches the log escaped and prefixed)
    failed = {s for s in students
              if re.search(rf"^(?:\x1b\[[0-9;]*m)?\[\w+ \| ERROR\].*[/\\]{re.escape(s)}[/\\]", text, re.M)}
    fresh = set()
    for student in students:
        outputs = list((course_dir / "autograded" / student / assignment).glob("*.ipynb"))
        expected = list((course_dir / PREPARED / student / assignment).glob("*.ipynb"))
        if outputs and len(outputs) >= len(expected) and all(p.stat().st_mtime >= started for p in outputs):
            fresh.add(student)
    return fresh - failed, text


def _clear_notes(course_dir: Path, assignment: str, student: str) -> None:
    from .trusted import NOTES

    shutil.rmtree(Path(course_dir) / NOTES / assignment / student, ignore_errors=True)


LIMIT_SIGNS = [  # (how the error shows in the cell, which limit)
    (lambda o: o.get("ename") == "MemoryError", "memory_limit", "memory limit {} reached"),
    (lambda o: "File too large" in str(o.get("evalue", "")) or "Errno 27" in str(o.get("evalue", "")),
     "file_size_limit", "file size limit {} reached"),
    (lambda o: "Resource temporarily unavailable" in str(o.get("evalue", "")) or "Errno 11" in str(o.get("evalue", "")),
     "process_limit", "process limit of {} processes reached"),
]


def _add_notes(course_dir: Path, assignment: str, student: str, report: StudentReport, limits: dict | None) -> None:
    """SUSPECT reasons from the trusted check, and a line for each cell a sandbox limit stopped."""
    import json

    from . import sandbox
    from .trusted import NOTES

    suspects = []
    for path in sorted((Path(course_dir) / NOTES / assignment / student).glob("*.json")):
        data = json.loads(path.read_text())
        suspects += data.get("suspect", [])
    report.suspect = suspects or None
    defaults = {"memory_limit": "1G", "process_limit": 64, "file_size_limit": "100M"}
    values = dict(defaults, **{k: v for k, v in (limits or {}).items() if v is not None})
    for path in sorted((Path(course_dir) / "autograded" / student / assignment).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for index, cell in enumerate(nb.cells):
            label = cell.metadata.get(NBGRADER_META, {}).get("grade_id") or f"cell {index + 1}"
            for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
                if output.get("output_type") != "error":
                    continue
                for sign, key, text in LIMIT_SIGNS:
                    if sign(output):
                        value = values[key]
                        shown = value if key == "process_limit" else sandbox.human_size(sandbox.parse_size(value))
                        report.notes.append(text.format(shown) + f" in {label}: that item scores zero")
                        break


def merge_gradebook(course_dir: Path, worker_db: Path, assignment: str, students: list[str]) -> None:
    """Copy the listed students' grades of ``assignment`` from a worker's gradebook into the course's.

    Only the parent process writes gradebook.db, one worker after the other, so a parallel run
    never meets "database is locked" and loses no update.
    """
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(f"sqlite:///{worker_db}") as w, Gradebook("sqlite:///" + str(Path(course_dir) / "gradebook.db")) as m:
        for student in students:
            try:
                ws = w.find_submission(assignment, student)
            except MissingEntry:
                continue
            st = w.find_student(student)
            m.update_or_create_student(student, first_name=st.first_name, last_name=st.last_name, email=st.email)
            ms = m.update_or_create_submission(assignment, student)
            ms.timestamp, ms.extension = ws.timestamp, ws.extension
            for wnb in ws.notebooks:
                mnb = m.find_submission_notebook(wnb.name, assignment, student)
                mnb.late_submission_penalty = wnb.late_submission_penalty
                for wg in wnb.grades:
                    mg = m.find_grade(wg.name, wnb.name, assignment, student)
                    for attr in ("auto_score", "manual_score", "extra_credit", "needs_manual_grade"):
                        setattr(mg, attr, getattr(wg, attr))
                for wc in wnb.comments:
                    mc = m.find_comment(wc.name, wnb.name, assignment, student)
                    mc.auto_comment, mc.manual_comment = wc.auto_comment, wc.manual_comment
            m.db.commit()


def grade_cohort(course_dir: Path, assignment: str, students: list[str] | None = None,
                 cell_timeout: int | None = None, progress=print, batch: bool = True,
                 jobs: int | None = None, limits: dict | None = None) -> list[StudentReport]:
    """Grade every submitted student (or ``students``); one report per student, in order.

    Every submission is first checked and repaired on its own (``_prepare``). With ``batch``
    (the default) the prepared notebooks are then graded by one nbgrader process; a student
    that process could not grade (a kernel that died, anything unexpected) is graded again
    alone by ``grade_student``, which isolates the cause. One student's problem never costs
    another student's grade. ``jobs`` (default: the number of cores) batches run at once, each on
    its share of the class and its own copy of the gradebook, merged here one after the other.
    """
    course_dir = Path(course_dir)
    releases = release_notebooks(course_dir, assignment)
    sources = source_notebooks(course_dir, assignment)
    students = students if students is not None else submitted_students(course_dir, assignment)
    reports: dict[str, StudentReport] = {}
    if batch and len(students) > 1:
        prepared = []
        for student in students:
            start = time.perf_counter()
            report = StudentReport(student, "graded", [], [], "", 0.0)
            try:
                if _prepare(course_dir, assignment, student, releases, report):
                    prepared.append(student)
                else:
                    report.status = "rejected"
                    report.reason = "not graded: " + report.reason + " (previous grades, if any, are unchanged)"
            except Exception as exc:
                report.status, report.reason = "failed", f"{type(exc).__name__}: {exc}"
            report.seconds = time.perf_counter() - start
            reports[student] = report
        start = time.perf_counter()
        jobs = max(1, min(jobs or os.cpu_count() or 1, len(prepared)))
        if jobs == 1:
            graded, log = (_autograde_batch(course_dir, assignment, prepared, cell_timeout, progress, limits=limits)
                           if prepared else (set(), ""))
        else:
            from concurrent.futures import ThreadPoolExecutor

            shares = [prepared[k::jobs] for k in range(jobs)]
            dbs = [course_dir / f"{BATCH}-{k}.db" for k in range(jobs)]
            for db in dbs:
                shutil.copy2(course_dir / "gradebook.db", db)
            try:
                with ThreadPoolExecutor(jobs) as pool:
                    results = list(pool.map(lambda k: _autograde_batch(
                        course_dir, assignment, shares[k], cell_timeout, progress, f"{BATCH}-{k}", dbs[k], limits),
                        range(jobs)))
                graded, log = set(), ""
                for k, (ok, text) in enumerate(results):
                    merge_gradebook(course_dir, dbs[k], assignment, sorted(ok))
                    graded |= ok
                    log += text
            finally:
                for db in dbs:
                    db.unlink(missing_ok=True)
        share = (time.perf_counter() - start) / max(len(prepared), 1)
        for student in prepared:
            report = reports[student]
            if student in graded:
                report.status = "repaired" if report.repairs else "graded"
                report.score, report.max_score = _total(course_dir, assignment, student, sources)
                _add_notes(course_dir, assignment, student, report, limits)
                report.seconds += share
                report.log = log
            else:  # grade alone: finds a fatal cell, or reports why it cannot be graded
                reports[student] = grade_student(course_dir, assignment, student, releases, sources, cell_timeout,
                                                 limits)
                reports[student].seconds += share
    else:
        for student in students:
            reports[student] = grade_student(course_dir, assignment, student, releases, sources, cell_timeout,
                                             limits)
    for i, student in enumerate(students, 1):
        if progress:
            progress(f"[{i}/{len(students)}] " + reports[student].line())
    return [reports[s] for s in students]


def summary(reports: list[StudentReport]) -> str:
    counts = {k: sum(r.status == k for r in reports) for k in ("graded", "repaired", "rejected", "failed")}
    text = ", ".join(f"{n} {k}" for k, n in counts.items() if n) or "no submissions"
    suspect = [terminal_safe(r.student) for r in reports if r.suspect]
    if suspect:
        text += f"; SUSPECT (review by hand): {', '.join(suspect)}"
    bad = [terminal_safe(r.student) for r in reports if r.status in ("rejected", "failed")]
    return text + (f"; needs you: {', '.join(bad)}" if bad else "")


# ---- collect, feedback, export ----

SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def arrival_stamp(seconds: float) -> str:
    """nbgrader's timestamp.txt format, in UTC."""
    from datetime import UTC, datetime

    return datetime.fromtimestamp(seconds, tz=UTC).strftime("%Y-%m-%d %H:%M:%S.%f UTC")


def collect(course_dir: Path, assignment: str, folder: Path, progress=print) -> dict[str, str]:
    """Copy learners' files into submitted/<student>/<assignment>/.

    Accepted layouts: ``FOLDER/<student>/<assignment>/*.ipynb``, ``FOLDER/<student>/*.ipynb`` and
    ``FOLDER/<student>.ipynb`` (a single-notebook assignment: renamed to the released name).
    Returns student -> "copied N file(s)" or the reason it was skipped.

    Only regular files are taken (``safe_files``): links, FIFOs, devices, hard-linked or oversized
    files are left out with a reason, and one learner's problem never stops the others. The
    submission time written to ``timestamp.txt`` is the server's: the latest change time (ctime) of
    the learner's files in FOLDER, which a learner cannot set; a ``timestamp.txt`` sent by the
    learner is ignored.
    """
    course_dir, folder = Path(course_dir), Path(folder)
    expected = sorted(p.name for p in (course_dir / "source" / assignment).glob("*.ipynb"))
    out: dict[str, str] = {}
    listing = safe_files.entries(folder) if safe_files.is_real_dir(folder) else []
    if not listing:
        raise FileNotFoundError(f"nothing to collect in {folder}")

    def say(student: str, text: str) -> None:
        out[student] = text
        progress(f"{terminal_safe(student)}: {terminal_safe(text)}")

    for entry in listing:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        is_dir = safe_files.is_real_dir(path)
        student = path.name if is_dir else (path.stem if path.suffix == ".ipynb" else path.name)
        try:
            if not is_dir and path.suffix != ".ipynb" and not safe_files.is_link_or_special(path):
                continue  # notes, zip files: not a submission
            if not SAFE_ID.match(student):
                say(student, "skipped: the name must be letters, digits, '.', '_' or '-' (rename the file/folder)")
                continue
            refused: list[str] = []
            if not is_dir:
                if safe_files.is_link_or_special(path):
                    safe_files.check_regular(path)  # raises with the reason
                if len(expected) != 1:
                    say(student, f"skipped: the assignment has {len(expected)} notebooks; use a folder per student")
                    continue
                files, extras = {expected[0]: path}, []
            else:
                inner = path / assignment
                if os.path.lexists(inner) and not safe_files.is_real_dir(inner):
                    raise safe_files.UnsafeFile(f"{assignment} is {safe_files.kind_of(inner)}, not a folder: not taken")
                inner = inner if safe_files.is_real_dir(inner) else path
                files, extras = {}, []
                for item in safe_files.entries(inner):
                    if item.name.startswith(".") or safe_files.is_real_dir(item.path):
                        continue
                    if item.name == "timestamp.txt":
                        refused.append("timestamp.txt from the learner ignored (the arrival time is used)")
                    elif item.name.endswith(".ipynb"):
                        files[item.name] = Path(item.path)
                    else:
                        extras.append(Path(item.path))
                if len(expected) == 1 and len(files) == 1 and expected[0] not in files:
                    files = {expected[0]: next(iter(files.values()))}
            dest = course_dir / SUBMITTED / student / assignment
            dest.mkdir(parents=True, exist_ok=True)
            budget, arrival, copied = safe_files.MAX_TOTAL_BYTES, None, set()
            for name, src in [*files.items(), *((p.name, p) for p in extras)]:
                try:
                    st = safe_files.copy_file(src, dest / name, min(safe_files.MAX_FILE_BYTES, budget))
                except safe_files.UnsafeFile as exc:
                    refused.append(str(exc))
                    continue
                budget -= st.st_size
                arrival = max(arrival or 0.0, st.st_ctime)
                copied.add(name)
            if arrival is not None:
                safe_files.write_text(dest / "timestamp.txt", arrival_stamp(arrival))
            elif not any(dest.iterdir()):
                dest.rmdir()
            missing = [n for n in expected if n not in copied]
            text = (f"copied {len(copied & set(files))} notebook(s)"
                    + (f"; missing {', '.join(missing)}" if missing else ""))
            say(student, text + "".join(f"; {r}" for r in refused))
        except (safe_files.UnsafeFile, OSError) as exc:  # one learner's files never stop the others
            say(student, f"skipped: {exc}")
    return out


class FeedbackLeak(RuntimeError):
    """A feedback file holds a line of the instructor's solution or hidden tests."""


def _html_text(html: str) -> str:
    import html as html_lib

    return html_lib.unescape(re.sub(r"<[^>]+>", "", html))


def feedback_leaks(course_dir: Path, assignment: str) -> list[str]:
    """Every (file, line) where feedback shows a solution or hidden-test line the learner did not write."""
    course_dir = Path(course_dir)
    found = []
    for name, src in source_notebooks(course_dir, assignment).items():
        secret = {line for c in src.cells for region in ("SOLUTION", "HIDDEN TESTS")
                  for line in region_lines(c.source, region)}
        for html_path in sorted((course_dir / "feedback").glob(f"*/{assignment}/{name[:-6]}.html")):
            student = html_path.parts[-3]
            own = ""
            graded = course_dir / "autograded" / student / assignment / name
            if graded.exists():  # what the learner wrote may equal a solution line: that is no leak
                nb = nbformat.read(graded, as_version=4)
                own = "\n".join(c.source for c in nb.cells if (c.cell_type == "code" or c.metadata.get(
                    NBGRADER_META, {}).get("solution")) and (c.metadata.get(NBGRADER_META, {}).get("solution")
                                                           or not c.metadata.get(NBGRADER_META, {}).get("locked")))
            text = _html_text(html_path.read_text(errors="replace"))
            found += [f"{html_path.relative_to(course_dir)}: {line}" for line in sorted(secret)
                      if line in text and line not in own]
    return found


class FeedbackIncomplete(RuntimeError):
    """nbgrader made feedback for the class except the listed students (``students``)."""

    def __init__(self, students: list[str], log: str):
        self.students = students
        super().__init__("no feedback for " + ", ".join(terminal_safe(s) for s in students)
                         + " (their autograded notebooks could not be converted; the rest of the class has "
                         "feedback). Regrade them with autograde --student, or see the log:\n"
                         + terminal_safe(_last_error(log)))


def feedback(course_dir: Path, assignment: str) -> Path:
    """``nbgrader generate_feedback`` (hidden tests and their tracebacks removed, learner content sanitised
    and a Content-Security-Policy added by nbgrader_config.py), then a scan of every feedback file: any
    solution or hidden-test line found fails loudly (the files are deleted so that none is handed out).

    nbgrader goes on past a student it cannot convert; so does this step: the others' feedback is made
    and scanned, then :class:`FeedbackIncomplete` names those left out."""
    result = run_nbgrader(course_dir, "generate_feedback", assignment, "--force")
    log = result.stdout + result.stderr
    failed = sorted(set(re.findall(r"error processing assignment '[^']*' for student '([^']+)'", log)))
    if result.returncode != 0 and not failed:
        raise RuntimeError(f"generate_feedback {assignment} failed:\n{terminal_safe(_last_error(log))}")
    leaks = feedback_leaks(course_dir, assignment)
    if leaks:
        for path in {Path(course_dir) / leak.split(": ", 1)[0] for leak in leaks}:
            path.unlink(missing_ok=True)
        raise FeedbackLeak("feedback would have shown the instructor's solution or hidden tests; those files "
                           "were deleted, do not hand out feedback before checking:\n  " + "\n  ".join(leaks))
    if failed:
        raise FeedbackIncomplete(failed, log)
    return course_dir / "feedback"


ITEM_COLUMNS = ["student", "assignment", "notebook", "item", "auto", "manual", "score", "max"]


def item_rows(course_dir: Path, assignment: str) -> list[dict]:
    """One row per student × graded item from the gradebook (score = manual if set, else auto)."""
    from nbgrader.api import Gradebook

    url = "sqlite:///" + str(Path(course_dir) / "gradebook.db")
    rows = []
    with Gradebook(url) as gb:
        for submission in gb.assignment_submissions(assignment):
            for nb in submission.notebooks:
                for grade in nb.grades:
                    score = grade.manual_score if grade.manual_score is not None else grade.auto_score
                    rows.append({"student": submission.student_id, "assignment": assignment, "notebook": nb.name,
                                 "item": grade.name, "auto": grade.auto_score, "manual": grade.manual_score,
                                 "score": score, "max": grade.max_score})
    return sorted(rows, key=lambda r: (r["student"], r["notebook"], r["item"]))


def export_csv(course_dir: Path, assignment: str, path: Path | None = None) -> Path:
    path = Path(path) if path else Path(course_dir) / "exports" / f"{assignment}_items.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=ITEM_COLUMNS)
        writer.writeheader()
        for row in item_rows(course_dir, assignment):
            writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m spinecourse.grading", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=["release", "collect", "autograde", "feedback", "export", "report", "scores"])
    parser.add_argument("assignment", help="the assignment folder name in source/ ('all' for release)")
    parser.add_argument("--course", default=".", help="the nbgrader course folder (default: current folder)")
    parser.add_argument("--from", dest="source", help="collect: the folder of learners' files")
    parser.add_argument("--student", action="append", help="autograde: only this student (repeatable)")
    parser.add_argument("--cell-timeout", type=int, help="autograde: per-cell limit in s (default: nbgrader_config.py)")
    parser.add_argument("--jobs", type=int, help="autograde: submissions graded at once (default: the number of cores)")
    parser.add_argument("--unsafe-no-sandbox", action="store_true",
                        help="autograde: run learners' code without the sandbox (only on a throw-away machine)")
    parser.add_argument("--memory-limit", help="autograde: memory per kernel process (default 1G)")
    parser.add_argument("--process-limit", type=int, help="autograde: processes per kernel (default 64)")
    parser.add_argument("--file-size-limit", help="autograde: largest file a kernel may write (default 100M)")
    parser.add_argument("--cpu-time-limit", type=int, help="autograde: CPU seconds per kernel (default 300)")
    parser.add_argument("--wall-time-limit", type=int, help="autograde: seconds per kernel (default 900)")
    parser.add_argument("--out", help="export: CSV path (default: exports/ASSIGNMENT_items.csv)")
    args = parser.parse_args(argv)
    course = Path(args.course).resolve()
    if args.step == "release" and args.assignment == "all":
        for name in assignments(course):
            print(release(course, name))
        return 0
    if not (course / "source" / args.assignment).is_dir():
        parser.error(f"no assignment {args.assignment!r} in {course / 'source'} (use --course or cd assignments)")
    if args.step == "release":
        print(release(course, args.assignment))
    elif args.step == "collect":
        if not args.source:
            parser.error("collect needs --from FOLDER")
        done = collect(course, args.assignment, Path(args.source))
        print(f"collected {sum(v.startswith('copied') for v in done.values())} of {len(done)} into {course / SUBMITTED}")
    elif args.step == "autograde":
        unknown = sorted(set(args.student or []) - set(submitted_students(course, args.assignment)))
        if unknown:
            parser.error(f"no submission from {', '.join(unknown)} in submitted/*/{args.assignment}/ "
                         "(check the spelling, or run collect first)")
        from . import sandbox

        if args.unsafe_no_sandbox:
            os.environ[sandbox.UNSAFE_ENV] = "1"
            print("WARNING: --unsafe-no-sandbox: learners' code runs with your rights, files and network", file=sys.stderr)
        else:
            ok, why = sandbox.check()
            if not ok:
                print(sandbox.REFUSAL.format(why=why), file=sys.stderr)
                return 2
            print(f"sandbox: {sandbox.limits_mode()}", file=sys.stderr)  # which caps apply on this machine
        limits = {k: getattr(args, k) for k in LIMIT_OPTIONS}
        reports = grade_cohort(course, args.assignment, students=args.student, cell_timeout=args.cell_timeout,
                               jobs=args.jobs, limits=limits)
        print(summary(reports))
        return 1 if any(r.status in ("rejected", "failed") for r in reports) else 0
    elif args.step == "feedback":
        try:
            print(feedback(course, args.assignment))
        except FeedbackIncomplete as exc:
            print(f"{course / 'feedback'}\n{exc}", file=sys.stderr)
            return 1
    elif args.step == "export":
        print(export_csv(course, args.assignment, args.out))
    elif args.step == "report":
        from ..grading.item_analysis import analyse, format_report

        rows = item_rows(course, args.assignment)
        print(format_report(analyse(rows)))
    else:
        for student, cells in sorted(scores(course, args.assignment).items()):
            total = sum((v["manual"] if v["manual"] is not None else v["auto"] or 0) for v in cells.values())
            print(f"{terminal_safe(student)}\t{total:g}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
