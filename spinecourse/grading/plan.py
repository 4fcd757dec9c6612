"""The plan: what each check cell needs (answer variables read as data, answer functions and the
arguments the hidden tests call them with), recorded once by running the instructor's notebook in
the grader (it is trusted).
"""

from __future__ import annotations

import ast
import contextlib
import io
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .cells import grade_id, is_check, is_solution
from .probe import enc


def bound_names(source: str) -> set[str]:
    """Top-level names a cell binds (assignments, defs, imports, loop targets)."""
    out: set[str] = set()
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return out
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            out.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            out.update((a.asname or a.name).split(".")[0] for a in node.names)
    return out


def loaded_names(source: str) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


@dataclass
class Item:
    grade_id: str
    source: str  # the whole check cell (visible + hidden)
    values: list[str]  # answer variables read as data
    calls: dict[str, list]  # answer functions -> recorded [args, kwargs] (typed JSON)
    context: dict  # the grader's namespace from the locked cells before this check
    ok: bool = True  # False: the solution itself does not pass through the plan (graded as nbgrader does)
    why: str = ""


@dataclass
class Plan:
    items: dict[str, Item] = field(default_factory=dict)


def run_quietly(code: str, ns: dict) -> None:
    """Run ``code`` in ``ns`` as the grader does, its output discarded."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        exec(compile(code, "<check>", "exec"), ns)


def solution_values(source_nb) -> dict:
    """Every code cell of the instructor's notebook run in the grader (it is trusted): the namespace, i.e. the
    solution's answer values by name (tests and the bench derive right, wrong and variant answers from it)."""
    ns: dict = {"__name__": "__main__"}
    for cell in source_nb.cells:
        if cell.cell_type == "code":
            run_quietly(cell.source, ns)
    return ns


def build_plan(source_nb) -> Plan:
    """Run the instructor's notebook in the grader (it is trusted) and record what each check needs."""
    plan = Plan()
    ref: dict = {"__name__": "__main__"}
    context: dict = {"__name__": "__main__"}
    learner: set[str] = set()
    for cell in source_nb.cells:
        if cell.cell_type != "code":
            continue
        if is_solution(cell):
            learner |= bound_names(cell.source)
            run_quietly(cell.source, ref)
            continue
        if not is_check(cell):
            run_quietly(cell.source, ref)
            run_quietly(cell.source, context)
            continue
        gid = grade_id(cell)
        needs = sorted(loaded_names(cell.source) & learner)
        funcs = [n for n in needs if callable(ref.get(n)) and type(ref.get(n)).__name__ == "function"]
        calls: dict[str, list] = {n: [] for n in funcs}
        saved = {n: ref[n] for n in funcs}
        item = Item(gid, cell.source, [n for n in needs if n not in funcs], calls, dict(context))

        def recorder(name, fn, calls=calls):
            def record(*args, **kwargs):
                calls[name].append([enc(list(args)), enc(dict(kwargs))])
                return fn(*args, **kwargs)

            return record

        try:
            for n in funcs:
                ref[n] = recorder(n, saved[n])
            for n in item.values:
                enc(ref[n])
            run_quietly(cell.source, dict(ref))
        except Exception as exc:
            item.ok, item.why = False, f"{type(exc).__name__}: {exc}"
        finally:
            ref.update(saved)
        plan.items[gid] = item
    return plan


_PLANS: dict[tuple, Plan] = {}


def plan_for(path: Path) -> Plan:
    key = (str(path), path.stat().st_mtime_ns)
    if key not in _PLANS:
        _PLANS[key] = build_plan(nbformat.read(path, as_version=4))
    return _PLANS[key]
