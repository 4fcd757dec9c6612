"""The trusted verdict: the instructor's whole check cell run in the grader on the learner's answers
as plain data (a learner function replaced by a replay of its recorded results).
"""

from __future__ import annotations

import builtins
import json
from dataclasses import dataclass

from .plan import Item, run_quietly
from .probe import dec, enc
from .regions import HIDDEN_TESTS, split_region


class _NotRecorded(BaseException):
    """A check called a learner function in a way the solution did not: the item fails."""


def _exception_class(name: str):
    cls = getattr(builtins, name, None)
    if isinstance(cls, type) and issubclass(cls, Exception):
        return cls
    return type(name, (Exception,), {})


def _replay(name: str, recorded: list, results: list):
    table = {json.dumps(args, sort_keys=True): res for args, res in zip(recorded, results)}

    def replay(*args, **kwargs):
        key = json.dumps([enc(list(args)), enc(dict(kwargs))], sort_keys=True)
        res = table.get(key)
        if res is None or "unsupported" in res:
            raise _NotRecorded(name)
        if "raised" in res:
            ename, message = res["raised"]
            raise _exception_class(str(ename))(str(message))
        return dec(res["value"])

    replay.__name__ = name
    return replay


@dataclass
class Verdict:
    passed: bool
    suspect: str = ""
    note: str = ""


def evaluate(item: Item, probe: dict | None, kernel_error: bool) -> Verdict:
    """Run the instructor's check on the learner's extracted answers, in the grader."""
    if probe is None:
        if kernel_error:
            return Verdict(False, note=f"{item.grade_id}: the check did not finish")
        return Verdict(
            False,
            suspect=f"{item.grade_id}: the grader's reading of the answers produced no "
            "result although the cell raised nothing (output or errors suppressed)",
        )
    ns = dict(item.context)
    for name in item.values:
        got = probe.get(name, {})
        if "unsupported" in got:
            if got.get("forged"):
                return Verdict(
                    False,
                    suspect=f"{item.grade_id}: answer {name} is a {got['unsupported']} object, "
                    "not a plain value (it can compare equal to anything)",
                )
            return Verdict(False, note=f"{item.grade_id}: {name} is a {got['unsupported']}, not a plain value")
        if "value" in got:
            try:
                ns[name] = dec(got["value"])
            except (ValueError, TypeError):
                return Verdict(False, suspect=f"{item.grade_id}: {name} was reported in a forged form")
    for name, recorded in item.calls.items():
        got = probe.get(name, {})
        if "calls" not in got:
            continue  # missing: the check's own NameError fails it
        results = got["calls"]
        if type(results) is not list or len(results) != len(recorded):
            return Verdict(False, suspect=f"{item.grade_id}: the results of {name} were reported in a forged form")
        for res in results:
            if type(res) is dict and res.get("forged"):
                return Verdict(
                    False,
                    suspect=f"{item.grade_id}: {name} returned a {res['unsupported']} object, "
                    "not a plain value (it can compare equal to anything)",
                )
        ns[name] = _replay(name, recorded, results)
    visible, _ = split_region(item.source, HIDDEN_TESTS)
    try:
        run_quietly(visible, dict(ns))
    except BaseException:
        if not kernel_error:
            return Verdict(
                False,
                suspect=f"{item.grade_id}: a failing check raised no error in the learner's "
                "kernel (errors suppressed, or the checker replaced)",
            )
        return Verdict(False)
    try:
        run_quietly(item.source, ns)
    except BaseException:
        return Verdict(False)
    return Verdict(True)
