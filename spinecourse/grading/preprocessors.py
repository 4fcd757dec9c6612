"""Feedback that does not leak hidden tests.

nbgrader's feedback HTML shows each graded cell as it ran, hidden tests included.
``ClearHiddenTests`` removes the hidden region from the cell source, but the
traceback of a failing hidden assertion still quotes the hidden line (with the
expected answer). ``HideGradeTracebacks`` replaces the traceback of every error in
a graded cell by its last line (``AssertionError: ...``), so the learner sees
*that* a check failed and the visible message, never the hidden source.

Both are configured for ``nbgrader generate_feedback`` in assignments/nbgrader_config.py.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

HIDDEN_NOTE = "(details of the grader's hidden tests are not shown)"


def is_grade_cell(cell) -> bool:
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("grade")) and cell.cell_type == "code"


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


class HideGradeTracebacks(Preprocessor):
    """nbconvert preprocessor wrapper round :func:`hide_tracebacks` (enabled by default)."""

    enabled = Bool(True).tag(config=True)  # nbconvert Preprocessors are off unless enabled

    def preprocess(self, nb, resources):
        hide_tracebacks(nb)
        return nb, resources
