"""Marks decided outside the learner's kernel, so a learner cannot forge them.

nbgrader scores a check cell by whether it raised in the learner's kernel: a learner who
replaces ``check_answer``, swallows tracebacks or answers with an object equal to everything
scores points. Here the learner's kernel never sees the hidden tests. Instead:

1. ``InjectProbes`` (before nbgrader's Execute) replaces the hidden-test region of each check
   cell by a *probe*: it reads the answer variables the check needs and, for a function
   answer, calls it on the arguments the hidden tests use (recorded once from the instructor's
   solution, ``build_plan``), and prints them as typed JSON (only ``None``, ``bool``, ``int``,
   ``float``, ``str`` and lists, tuples, sets, dicts of those, by exact type; NumPy numbers as
   their Python values) after a per-run random marker.
2. ``TrustedGrades`` (after Execute, in the grader's process) rebuilds those values as plain
   Python data and runs the instructor's whole check cell, visible and hidden part, on them,
   with the course's own ``check_answer`` and the locked set-up cells run by the grader. A learner
   function is replaced by a replay of its recorded results. An item scores only if that trusted
   run passes *and* the learner's kernel raised nothing.
3. Tampering makes the affected items zero and the submission ``SUSPECT`` (with the reason):
   an answer that is a subclass of a plain type or defines ``__eq__``; a probe that reported
   nothing, or twice, while the cell raised nothing; a failing check that raised nothing in the
   kernel; code that rebinds ``check_answer`` or the error machinery (``showtraceback``,
   ``set_custom_exc``, ``sys.excepthook``, tracing hooks, ``builtins``).

Results go to ``grading-notes/<assignment>/<student>/<notebook>.json`` for the report.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from .cells import (
    grade_id,
    is_check,
    is_learner_code,
    meta,  # noqa: F401  (public here, as before)
)
from .course import course_root
from .plan import Item, Plan, bound_names, build_plan, loaded_names, plan_for, solution_values  # noqa: F401
from .plan import run_quietly as _run  # noqa: F401  (tests run cells as the grader does)
from .probe import CODEC, MARKER, MAX_PROBE_CHARS, Unsupported, dec, enc, probe_source, take_probe  # noqa: F401
from .regions import HIDDEN_TESTS, has_region, split_region
from .reports import NOTES
from .tamper import GUARDED_MODULES, HOOK_ATTRS, tampering  # noqa: F401
from .verdict import Verdict, evaluate


def split_hidden(source: str) -> tuple[str, str]:
    """(visible part, hidden part) of a check cell."""
    return split_region(source, HIDDEN_TESTS)


def is_learner_cell(cell) -> bool:
    return is_learner_code(cell)


class InjectProbes(Preprocessor):
    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        info = resources.get("nbgrader", {})
        root = course_root(self.config)
        path = root / "source" / str(info.get("assignment", "")) / f"{info.get('notebook', '')}.ipynb"
        if not path.exists():
            return nb, resources
        plan = plan_for(path)
        nonce = secrets.token_hex(12)
        originals, unchecked = {}, {}
        for index, cell in enumerate(nb.cells):
            item = plan.items.get(grade_id(cell)) if is_check(cell) else None
            visible, hidden = split_hidden(cell.source)
            if item is None or not item.ok:
                if hidden.strip():  # hidden tests never reach the learner's kernel, on any path
                    unchecked[index] = (cell.source, item.why if item is not None else "no plan for this cell")
                    cell.source = visible
                continue
            originals[index] = cell.source
            spec = {"values": item.values, "calls": item.calls}
            cell.source = probe_source(nonce, spec) + "\n" + visible
        resources["spinecourse"] = {
            "nonce": nonce,
            "plan": plan,
            "originals": originals,
            "path": str(path),
            "root": str(root),
            "unchecked": unchecked,
        }
        return nb, resources


def kernel_raised(cell) -> bool:
    return any(
        o.get("output_type") == "error" or (o.get("output_type") == "stream" and o.get("name") == "stderr")
        for o in cell.get("outputs", [])
    )


class TrustedGrades(Preprocessor):
    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        state = resources.get("spinecourse")
        if not state:
            return nb, resources
        plan, nonce = state["plan"], state["nonce"]
        tampered = [(i, tampering(c.source)) for i, c in enumerate(nb.cells) if is_learner_code(c)]
        tampered = [(i, why) for i, why in tampered if why]
        items, suspects, notes = {}, [], []
        for i, why in tampered:
            label = grade_id(nb.cells[i]) or f"cell {i + 1}"
            suspects.append(f"{label} {why}")
        for index, original in state["originals"].items():
            cell = nb.cells[index]
            gid = grade_id(cell)
            cell.source = original
            probe, count = take_probe(cell, nonce)
            raised = kernel_raised(cell)
            if count > 1:
                verdict = Verdict(
                    False,
                    suspect=f"{gid}: the grader's reading of the answers was answered {count} times (forged output)",
                )
            else:
                verdict = evaluate(plan.items[gid], probe, raised)
            earlier = [why for i, why in tampered if i < index]
            if earlier and verdict.passed:
                verdict = Verdict(False, note=f"{gid}: scored zero because an earlier cell tampers with the checks")
            if verdict.suspect:
                suspects.append(verdict.suspect)
            if verdict.note:
                notes.append(verdict.note)
            if not verdict.passed and not raised:
                cell.setdefault("outputs", []).append(
                    nbformat.v4.new_output(
                        "error",
                        ename="AssertionError",
                        evalue=f"the grader's check of {gid} did not pass",
                        traceback=[f"AssertionError: the grader's check of {gid} did not pass"],
                    )
                )
            items[gid] = {"passed": verdict.passed}
        for index, (original, why) in state.get("unchecked", {}).items():
            # A check the grader could not run outside the kernel (the solution did not pass through the
            # plan): its hidden part was not sent to the kernel, so it cannot score here: marked by hand.
            cell = nb.cells[index]
            cell.source = original
            label = grade_id(cell) or f"cell {index + 1}"
            notes.append(
                f"{label}: could not be checked outside the learner's kernel ({why}): "
                "it scores zero here, grade it by hand"
            )
            cell.setdefault("outputs", []).append(
                nbformat.v4.new_output(
                    "error",
                    ename="AssertionError",
                    evalue=f"{label} must be graded by hand",
                    traceback=[f"AssertionError: {label} must be graded by hand"],
                )
            )
            items[label] = {"passed": False}
        info = resources.get("nbgrader", {})
        out = Path(state["root"]) / NOTES / str(info.get("assignment")) / str(info.get("student"))
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{info.get('notebook')}.json").write_text(
            json.dumps({"suspect": suspects, "notes": notes, "items": items}, indent=1)
        )
        return nb, resources


def kernel_view(nb, source_path: Path):
    """A copy of ``nb`` as autograde sends it to the learner's kernel: check cells become the grader's
    probe plus their visible part, and no cell keeps a hidden-test region (used by the regrade that
    looks for the cell that killed the kernel)."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    resources = {"nbgrader": {"assignment": source_path.parent.name, "notebook": source_path.stem}}
    root = source_path.parent.parent.parent
    from traitlets.config import Config

    config = Config()
    config.CourseDirectory.root = str(root)
    if source_path.exists():
        nb, _ = InjectProbes(config=config).preprocess(nb, resources)
    for cell in nb.cells:
        if cell.cell_type == "code" and has_region(cell.source, HIDDEN_TESTS):
            cell.source = split_hidden(cell.source)[0]
    return nb
