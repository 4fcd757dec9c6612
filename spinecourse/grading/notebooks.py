"""Notebook helpers for synthetic submissions (tests, the bench, the hub's checks)."""

from __future__ import annotations

import nbformat

from .cells import NBGRADER, grade_id, is_auto_graded, is_solution, points
from .regions import region_lines, strip_markers  # noqa: F401  (public here for the tests and the bench)


def release_signature(nb) -> list[tuple]:
    """What a learner's copy is made of, without volatile fields: (type, source, nbgrader metadata) per cell."""
    return [(c.cell_type, c.source, dict(c.metadata.get(NBGRADER, {}))) for c in nb.cells]


def cell_by_id(nb, gid: str):
    for cell in nb.cells:
        if grade_id(cell) == gid:
            return cell
    raise KeyError(f"no cell with grade_id {gid!r}")


def solved_copy(release_nb, source_nb):
    """The release notebook with each answer cell filled from the source solution."""
    nb = nbformat.from_dict(nbformat.validator.json.loads(nbformat.writes(release_nb)))
    for cell in nb.cells:
        if is_solution(cell):
            cell.source = strip_markers(cell_by_id(source_nb, grade_id(cell)).source)
    return nb


def auto_points(nb) -> float:
    """Points of the automatically graded (code) cells."""
    return sum(points(c) for c in nb.cells if is_auto_graded(c))
