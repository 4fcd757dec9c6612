"""The course's nbconvert preprocessors round nbgrader's own.

``RepairSubmission`` (autograde, sanitize stage, first): the repairs of ``submissions.py`` (deleted,
duplicated or retyped grade cells, unknown grade ids, repeated cell ids) applied inside nbgrader,
from the released notebook. ``python -m spinecourse.grading autograde`` repairs each submission
before nbgrader sees it (and reports what it did), so there this finds nothing to do; it is what
repairs a submission graded by plain ``nbgrader autograde`` or the formgrader's button. A file
that is not a notebook at all never reaches a preprocessor: only the course's route rejects it
with a reason.

Feedback that does not leak hidden tests:

nbgrader's feedback HTML shows each graded cell as it ran, hidden tests included.
``ClearHiddenTests`` removes the hidden region from the cell source, but the
traceback of a failing hidden assertion still quotes the hidden line (with the
expected answer). ``HideGradeTracebacks`` replaces the traceback of every error in
a graded cell by its last line (``AssertionError: ...``), so the learner sees
*that* a check failed and the visible message, never the hidden source.

Both are configured for ``nbgrader generate_feedback`` in assignments/nbgrader_config.py.
"""

from __future__ import annotations

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from . import submissions
from .cells import is_auto_graded
from .course import course_root
from .safe_text import terminal_safe

HIDDEN_NOTE = "(details of the grader's hidden tests are not shown)"


def is_grade_cell(cell) -> bool:
    return is_auto_graded(cell)


def short_error(output) -> list[str]:
    """The one-line form of an error output: 'Name: value', plus a note that details are hidden."""
    line = output.get("ename", "Error")
    if output.get("evalue"):
        line += f": {output['evalue']}"
    return [line, HIDDEN_NOTE]


def hide_tracebacks(nb):
    """In place: shorten the tracebacks of graded cells; returns the number of outputs changed."""
    changed = 0
    for cell in nb.cells:
        if not is_grade_cell(cell):
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                output["traceback"] = short_error(output)
                changed += 1
    return changed


class RepairSubmission(Preprocessor):
    """Repair a submission against its released notebook before nbgrader's own sanitize steps."""

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        info = resources.get("nbgrader", {})
        release = (
            course_root(self.config) / "release" / str(info.get("assignment", "")) / f"{info.get('notebook', '')}.ipynb"
        )
        if not release.is_file():
            return nb, resources
        release_nb = nbformat.read(release, as_version=4)
        if submissions.inspect(nb, release_nb).needs_repair:
            nb, actions = submissions.repair(nb, release_nb)
            for action in actions:
                self.log.warning("repaired %s: %s", terminal_safe(str(info.get("student"))), terminal_safe(action))
        return nb, resources


class HideGradeTracebacks(Preprocessor):
    """nbconvert preprocessor wrapper round :func:`hide_tracebacks` (enabled by default)."""

    enabled = Bool(True).tag(config=True)  # nbconvert Preprocessors are off unless enabled

    def preprocess(self, nb, resources):
        hide_tracebacks(nb)
        return nb, resources
