"""What an nbgrader cell is, read with nbgrader's own utilities (``nbgrader.utils``).

nbgrader's readers index ``cell.metadata["nbgrader"]`` directly; a learner's damaged notebook may
carry anything there, so each reader first checks that the metadata is a mapping (else the cell is
an ordinary cell) and then asks nbgrader. The course's own kinds of cell are defined from them.
"""

from __future__ import annotations

from collections.abc import Mapping

import nbformat
from nbgrader import utils as nbgrader_utils

NBGRADER = "nbgrader"


def meta(cell) -> dict:
    """The cell's nbgrader metadata ({} if it has none or it is not a mapping)."""
    m = (cell.get("metadata") or {}).get(NBGRADER)
    return m if isinstance(m, Mapping) else {}


def _readable(cell):
    """The cell as nbgrader's utilities expect it (attribute access), or None for an ordinary cell."""
    if not meta(cell):
        return None
    return cell if isinstance(cell, nbformat.NotebookNode) else nbformat.from_dict(cell)


def grade_id(cell) -> str | None:
    return meta(cell).get("grade_id")


def is_grade(cell) -> bool:
    c = _readable(cell)
    return c is not None and bool(nbgrader_utils.is_grade(c))


def is_solution(cell) -> bool:
    c = _readable(cell)
    return c is not None and bool(nbgrader_utils.is_solution(c))


def is_locked(cell) -> bool:
    """nbgrader restores this cell's source from the release (locked, or graded and not an answer)."""
    c = _readable(cell)
    return c is not None and bool(nbgrader_utils.is_locked(c))


def is_task(cell) -> bool:
    c = _readable(cell)
    return c is not None and bool(nbgrader_utils.is_task(c))


def is_tracked(cell) -> bool:
    """A cell nbgrader knows by grade_id (locked, answer, graded or task)."""
    return bool(grade_id(cell)) and (is_grade(cell) or is_solution(cell) or is_locked(cell) or is_task(cell))


def is_auto_graded(cell) -> bool:
    """A graded code cell: nbgrader scores it by whether it raised."""
    return cell.get("cell_type") == "code" and is_grade(cell)


def is_check(cell) -> bool:
    """A check cell: graded code the learner does not write."""
    return is_auto_graded(cell) and not is_solution(cell)


def is_learner_code(cell) -> bool:
    """Code whose source is the learner's when graded (an answer cell, or any cell nbgrader does not restore)."""
    return cell.get("cell_type") == "code" and not is_locked(cell)


def is_instructor_cell(cell) -> bool:
    """A locked cell known by grade_id: nbgrader restores its source (it is never the learner's)."""
    return bool(grade_id(cell)) and is_locked(cell)


def points(cell) -> float:
    return float(meta(cell).get("points", 0) or 0)
