"""Check and repair a learner's submitted notebook before nbgrader sees it.

Pure functions on nbformat notebooks (no files, no nbgrader), so every rule is unit
tested. They exist because plain ``nbgrader autograde`` (0.9.6) mishandles damage
that real learners cause:

* a **deleted** grade cell is not restored: the item is silently left ungraded;
* a **duplicated** grade cell aborts the whole run with a misleading
  "old version of the nbgrader metadata format" error;
* a file that is **not a notebook** (invalid JSON) fails that student's run.

``inspect`` says what is wrong compared with the released notebook, ``repair``
returns a fixed copy plus a plain-language list of what it did, and
``read_submission`` turns unreadable files into one clear error message.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .cells import NBGRADER, grade_id, is_grade, is_learner_code, is_locked, is_solution, is_tracked, meta  # noqa: F401

META = NBGRADER


class SubmissionError(ValueError):
    """A submitted file that cannot be graded at all (reported, never raised past the cohort run)."""


def read_submission(text: str | bytes, name: str = "notebook") -> nbformat.NotebookNode:
    """Parse a submitted file; raise SubmissionError with a message a teacher can act on."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SubmissionError(
                f"{name} is not a text file (not UTF-8: {exc.reason} at byte {exc.start}); "
                "ask the learner to download the notebook again (File > Download)."
            ) from None
    if not text.strip():
        raise SubmissionError(f"{name} is empty (0 bytes of notebook); ask the learner to submit again.")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SubmissionError(
            f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "it was probably edited outside Jupyter or truncated."
        ) from None
    if not isinstance(raw, dict) or "cells" not in raw or "nbformat" not in raw:
        raise SubmissionError(f"{name} is JSON but not a Jupyter notebook (no 'cells'/'nbformat').")
    try:
        nb = nbformat.reads(json.dumps(raw), as_version=4)
    except Exception as exc:  # nbformat raises several types for malformed content
        raise SubmissionError(f"{name} is not a readable notebook: {type(exc).__name__}: {exc}") from None
    return nb


def read_submission_file(path: Path) -> nbformat.NotebookNode:
    return read_submission(Path(path).read_bytes(), Path(path).name)


@dataclass
class Findings:
    """What differs between a submission and the released notebook, by grade_id."""

    missing: list[str] = field(default_factory=list)  # tracked cells absent from the submission
    duplicated: dict[str, int] = field(default_factory=dict)  # grade_id -> number of copies (> 1)
    edited_locked: list[str] = field(default_factory=list)  # locked cells whose source changed (nbgrader restores them)
    retyped: list[str] = field(default_factory=list)  # tracked cells whose cell type changed
    unknown: list[str] = field(default_factory=list)  # grade_ids that the release does not have
    duplicate_cell_ids: int = 0  # nbformat cell ids used twice

    @property
    def needs_repair(self) -> bool:
        return bool(self.missing or self.duplicated or self.retyped or self.unknown or self.duplicate_cell_ids)

    def notes(self) -> list[str]:
        out = []
        if self.edited_locked:
            out.append("edited locked cell(s) " + ", ".join(self.edited_locked) + ": the original is what runs")
        return out


def inspect(nb, release_nb) -> Findings:
    """Compare ``nb`` with ``release_nb`` (both nbformat v4); pure."""
    f = Findings()
    released = {grade_id(c): c for c in release_nb.cells if is_tracked(c)}
    counts: dict[str, int] = {}
    first: dict[str, object] = {}
    for cell in nb.cells:
        gid = grade_id(cell)
        if gid and is_tracked(cell):
            counts[gid] = counts.get(gid, 0) + 1
            first.setdefault(gid, cell)
    f.missing = [g for g in released if g not in counts]
    f.duplicated = {g: n for g, n in counts.items() if n > 1}
    f.unknown = [g for g in counts if g not in released]
    for gid, cell in first.items():
        if gid not in released:
            continue
        ref = released[gid]
        if cell.cell_type != ref.cell_type:
            f.retyped.append(gid)
        elif is_locked(ref) and cell.source != ref.source:
            f.edited_locked.append(gid)
    ids = [c.get("id") for c in nb.cells if c.get("id")]
    f.duplicate_cell_ids = len(ids) - len(set(ids))
    return f


def _fresh_id(seed: str) -> str:
    """A deterministic, valid nbformat cell id (so repairing the same file twice gives the same notebook)."""
    return "r" + hashlib.sha1(seed.encode()).hexdigest()[:15]


def repair(nb, release_nb) -> tuple[nbformat.NotebookNode, list[str]]:
    """A copy of ``nb`` that nbgrader can grade, and what was changed (empty list: nothing).

    * duplicated locked cells (checks, text): the later copies are removed;
    * duplicated answer cells: nbgrader's rule is kept (the **last** copy is graded),
      the earlier copies stay as plain cells so the learner's code still runs;
    * a cell whose type was changed is replaced by the released cell;
    * cells the release does not know (a grade_id invented or renamed) lose their
      nbgrader metadata;
    * missing tracked cells are restored from the release, in place: after the
      nearest earlier released cell that the submission still has;
    * repeated nbformat cell ids are renewed.
    """
    nb = copy.deepcopy(nb)
    actions: list[str] = []
    release_order = [grade_id(c) for c in release_nb.cells if is_tracked(c)]
    released = {grade_id(c): c for c in release_nb.cells if is_tracked(c)}

    # 1. unknown grade ids -> plain cells
    for cell in nb.cells:
        gid = grade_id(cell)
        if gid and is_tracked(cell) and gid not in released:
            del cell.metadata[META]
            actions.append(f"removed grading metadata from a cell with unknown id {gid!r}")

    # 2. duplicates
    positions: dict[str, list[int]] = {}
    for i, cell in enumerate(nb.cells):
        gid = grade_id(cell)
        if gid and is_tracked(cell):
            positions.setdefault(gid, []).append(i)
    drop: set[int] = set()
    for gid, idx in positions.items():
        if len(idx) < 2:
            continue
        ref = released[gid]
        if is_solution(ref):
            for i in idx[:-1]:
                del nb.cells[i].metadata[META]
            actions.append(
                f"duplicated answer cell {gid} ({len(idx)} copies): graded the last copy, "
                "earlier copies kept as ordinary cells; check by hand"
            )
        else:
            drop.update(idx[1:])
            actions.append(f"duplicated locked cell {gid} ({len(idx)} copies): removed the extra copies")
    if drop:
        nb.cells = [c for i, c in enumerate(nb.cells) if i not in drop]

    # 3. changed cell type -> released cell
    for i, cell in enumerate(nb.cells):
        gid = grade_id(cell)
        if gid in released and is_tracked(cell) and cell.cell_type != released[gid].cell_type:
            nb.cells[i] = _clone_release_cell(released[gid], f"retyped-{gid}")
            actions.append(
                f"cell {gid} had been changed to {cell.cell_type}: replaced by the released "
                f"{released[gid].cell_type} cell"
            )

    # 4. missing cells -> restored after the nearest earlier released cell still present
    present = {grade_id(c) for c in nb.cells if is_tracked(c)}
    for k, gid in enumerate(release_order):
        if gid in present:
            continue
        anchor = next((release_order[j] for j in range(k - 1, -1, -1) if release_order[j] in present), None)
        at = (
            0
            if anchor is None
            else 1 + max(i for i, c in enumerate(nb.cells) if grade_id(c) == anchor and is_tracked(c))
        )
        nb.cells.insert(at, _clone_release_cell(released[gid], f"restored-{gid}"))
        present.add(gid)
        kind = "graded " if is_grade(released[gid]) else ""
        actions.append(
            f"restored deleted {kind}cell {gid} from the release"
            + (f" (after {anchor})" if anchor else " (at the top)")
        )

    # 5. unique nbformat cell ids
    seen: set[str] = set()
    renewed = 0
    for cell in nb.cells:
        cid = cell.get("id")
        if cid is None:
            continue
        if cid in seen:
            cell["id"] = _fresh_id(f"{cid}-{renewed}")
            renewed += 1
        seen.add(cell["id"])
    if renewed:
        actions.append(f"renewed {renewed} repeated cell id(s)")
    return nb, actions


def _clone_release_cell(cell, seed: str):
    out = copy.deepcopy(cell)
    out["id"] = _fresh_id(seed)
    if out.cell_type == "code":
        out.outputs, out.execution_count = [], None
    return out


NEUTRALISED = (
    'raise RuntimeError("The grader replaced this cell: when run it stopped the Python kernel '
    '(for example os._exit, a crash or running out of memory).")'
)


def neutralise(nb, index: int) -> tuple[nbformat.NotebookNode, str]:
    """A copy of ``nb`` whose cell ``index`` raises a clear error instead of running the learner's code.

    Only answer cells (or ordinary cells) can be neutralised: nbgrader restores locked cells.
    """
    cell = nb.cells[index]
    if cell.cell_type != "code":
        raise ValueError(f"cell {index} is a {cell.cell_type} cell, not code")
    if is_locked(cell):
        raise ValueError(f"cell {index} ({grade_id(cell)}) is locked: nbgrader would restore it")
    out = copy.deepcopy(nb)
    out.cells[index].source = NEUTRALISED
    label = grade_id(cell) or f"cell {index + 1}"
    return out, label


def answer_for(nb, index: int) -> int | None:
    """Index of the nearest learner-editable code cell at or before ``index`` (None if there is none).

    When a locked check makes the kernel exit, the cause is learner code defined earlier
    (e.g. a function that calls ``os._exit``): this is the cell to neutralise.
    """
    for i in range(index, -1, -1):
        if is_learner_code(nb.cells[i]):
            return i
    return None


def with_release_locked_cells(nb, release_nb):
    """A copy of ``nb`` whose locked cells have the released source (what nbgrader will run, minus hidden tests)."""
    released = {grade_id(c): c for c in release_nb.cells if is_tracked(c)}
    out = copy.deepcopy(nb)
    for cell in out.cells:
        gid = grade_id(cell)
        if gid in released and is_locked(cell):
            cell.source = released[gid].source
    return out
