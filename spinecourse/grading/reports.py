"""What happened to each learner in a grading run: the report line, the notes, the summary."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .cells import grade_id
from .safe_text import terminal_safe
from .sandbox_limits import human_size, parse_size

#: Where TrustedGrades leaves its findings: grading-notes/<assignment>/<student>/<notebook>.json
NOTES = "grading-notes"


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

    @classmethod
    def new(cls, student: str) -> StudentReport:
        return cls(student, "graded", [], [], "", 0.0)

    def reject(self) -> None:
        self.status = "rejected"
        self.reason = "not graded: " + self.reason + " (previous grades, if any, are unchanged)"

    def line(self) -> str:
        """The report line; every learner-controlled string in it has its control characters escaped."""
        text = f"{terminal_safe(self.student)}: {self.status.upper()}"
        if self.score is not None:
            text += f" {self.score:g}/{self.max_score:g} auto"
        if self.suspect:
            text += " SUSPECT"
        text += f" ({self.seconds:.1f} s)"
        details = (
            self.repairs
            + self.notes
            + [f"SUSPECT: {s}" for s in self.suspect or []]
            + ([self.reason] if self.reason else [])
        )
        return text + "".join(f"\n    - {terminal_safe(d)}" for d in details)


def summary(reports: list[StudentReport]) -> str:
    counts = {k: sum(r.status == k for r in reports) for k in ("graded", "repaired", "rejected", "failed")}
    text = ", ".join(f"{n} {k}" for k, n in counts.items() if n) or "no submissions"
    suspect = [terminal_safe(r.student) for r in reports if r.suspect]
    if suspect:
        text += f"; SUSPECT (review by hand): {', '.join(suspect)}"
    bad = [terminal_safe(r.student) for r in reports if r.status in ("rejected", "failed")]
    return text + (f"; needs you: {', '.join(bad)}" if bad else "")


def clear_notes(course_dir: Path, assignment: str, student: str) -> None:
    shutil.rmtree(Path(course_dir) / NOTES / assignment / student, ignore_errors=True)


LIMIT_SIGNS = [  # (how the error shows in the cell, which limit, the note)
    (lambda o: o.get("ename") == "MemoryError", "memory_limit", "memory limit {} reached"),
    (
        lambda o: "File too large" in str(o.get("evalue", "")) or "Errno 27" in str(o.get("evalue", "")),
        "file_size_limit",
        "file size limit {} reached",
    ),
    (
        lambda o: "No space left" in str(o.get("evalue", "")) or "Errno 28" in str(o.get("evalue", "")),
        "disk_limit",
        "disk limit {} reached",
    ),
    (
        lambda o: (
            "Resource temporarily unavailable" in str(o.get("evalue", "")) or "Errno 11" in str(o.get("evalue", ""))
        ),
        "process_limit",
        "process limit of {} processes reached",
    ),
]
LIMIT_DEFAULTS = {"memory_limit": "1G", "process_limit": 64, "file_size_limit": "100M", "disk_limit": "200M"}


def add_notes(course_dir: Path, assignment: str, student: str, report: StudentReport, limits: dict | None) -> None:
    """SUSPECT reasons from the trusted check, and a line for each cell a sandbox limit stopped."""
    suspects = []
    for path in sorted((Path(course_dir) / NOTES / assignment / student).glob("*.json")):
        suspects += json.loads(path.read_text()).get("suspect", [])
    report.suspect = suspects or None
    values = dict(LIMIT_DEFAULTS, **{k: v for k, v in (limits or {}).items() if v is not None})
    for path in sorted((Path(course_dir) / "autograded" / student / assignment).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for index, cell in enumerate(nb.cells):
            label = grade_id(cell) or f"cell {index + 1}"
            for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
                if output.get("output_type") != "error":
                    continue
                for sign, key, text in LIMIT_SIGNS:
                    if sign(output):
                        value = values[key]
                        shown = value if key == "process_limit" else human_size(parse_size(value))
                        report.notes.append(text.format(shown) + f" in {label}: that item scores zero")
                        break
