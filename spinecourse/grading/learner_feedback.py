"""``feedback``: nbgrader's feedback HTML, then a scan of every file for the instructor's lines.

(Not named ``feedback.py``: a submodule of that name would shadow the ``grading.feedback`` function.)
"""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import nbformat

from .cells import is_learner_code, is_solution
from .course import last_error, run_nbgrader, source_notebooks
from .regions import HIDDEN_TESTS, SOLUTION, region_lines
from .safe_text import terminal_safe


class FeedbackLeak(RuntimeError):
    """A feedback file holds a line of the instructor's solution or hidden tests."""


class FeedbackIncomplete(RuntimeError):
    """nbgrader made feedback for the class except the listed students (``students``)."""

    def __init__(self, students: list[str], log: str):
        self.students = students
        super().__init__(
            "no feedback for "
            + ", ".join(terminal_safe(s) for s in students)
            + " (their autograded notebooks could not be converted; the rest of the class has "
            "feedback). Regrade them with autograde --student, or see the log:\n" + terminal_safe(last_error(log))
        )


def _html_text(html: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", "", html))


def _learner_text(graded: Path) -> str:
    """What the learner wrote (answer cells and their own code) in an autograded notebook."""
    if not graded.exists():
        return ""
    nb = nbformat.read(graded, as_version=4)
    return "\n".join(c.source for c in nb.cells if is_solution(c) or is_learner_code(c))


def feedback_leaks(course_dir: Path, assignment: str) -> list[str]:
    """Every (file, line) where feedback shows a solution or hidden-test line the learner did not write."""
    course_dir = Path(course_dir)
    found = []
    for name, src in source_notebooks(course_dir, assignment).items():
        secret = {
            line for c in src.cells for region in (SOLUTION, HIDDEN_TESTS) for line in region_lines(c.source, region)
        }
        for html_path in sorted((course_dir / "feedback").glob(f"*/{assignment}/{name[:-6]}.html")):
            student = html_path.parts[-3]
            # what the learner wrote may equal a solution line: that is no leak
            own = _learner_text(course_dir / "autograded" / student / assignment / name)
            text = _html_text(html_path.read_text(errors="replace"))
            found += [
                f"{html_path.relative_to(course_dir)}: {line}"
                for line in sorted(secret)
                if line in text and line not in own
            ]
    return found


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
        raise RuntimeError(f"generate_feedback {assignment} failed:\n{terminal_safe(last_error(log))}")
    leaks = feedback_leaks(course_dir, assignment)
    if leaks:
        for path in {Path(course_dir) / leak.split(": ", 1)[0] for leak in leaks}:
            path.unlink(missing_ok=True)
        raise FeedbackLeak(
            "feedback would have shown the instructor's solution or hidden tests; those files "
            "were deleted, do not hand out feedback before checking:\n  " + "\n  ".join(leaks)
        )
    if failed:
        raise FeedbackIncomplete(failed, log)
    return course_dir / "feedback"
