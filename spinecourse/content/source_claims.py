"""The source article's claims, paraphrased once, in ``data/claims.yml``: one source of truth for
the claim ledger (lesson 04), the claim sorter (lesson 06) and the mechanism map (lesson 03).

``load()`` reads and checks the file's shape (``schema_problems``); each view's own module
(``claims``, ``claim_sorting``, ``mechanisms``) builds its records from the entries that carry
its block and checks the content (levels, tags, citations).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

FILE = "data/claims.yml"
VIEWS = ("ledger", "sorter", "mechanism")
ENTRY_FIELDS = {"id": str, "section": str, "paraphrase": str}
VIEW_FIELDS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "ledger": {"short": str, "best_evidence": str, "ocebm": (int, type(None)), "grade": str, "verdict": str,
               "explanation": str, "refs": list},
    "sorter": {"tag": str, "reason": str, "refs": list},
    "mechanism": {"name": str, "evidence": str, "level": str, "stenosis_human_data": bool, "to_prove": str,
                  "refs": list},
}
OPTIONAL = {"ledger": {"also_accept_ocebm": list, "also_accept_grade": list}, "sorter": {"also_accept": list},
            "mechanism": {}}


class ClaimsFileError(ValueError):
    """data/claims.yml does not have the documented shape."""


def schema_problems(data: Any) -> list[str]:
    """Shape of the file: a ``claims`` list of entries with the required fields and known view blocks."""
    if not isinstance(data, dict) or not isinstance(data.get("claims"), list):
        return [f"{FILE}: expected a mapping with a 'claims' list"]
    problems, seen = [], set()
    for n, entry in enumerate(data["claims"], 1):
        where = f"{FILE} claim {n}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected a mapping"); continue
        where = f"{FILE} claim {entry.get('id', n)!s}"
        for name, kind in ENTRY_FIELDS.items():
            if not isinstance(entry.get(name), kind) or not str(entry.get(name)).strip():
                problems.append(f"{where}: '{name}' must be non-empty text")
        if entry.get("id") in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(entry.get("id"))
        unknown = set(entry) - set(ENTRY_FIELDS) - set(VIEWS)
        if unknown:
            problems.append(f"{where}: unknown field(s) {sorted(unknown)}; allowed: {sorted([*ENTRY_FIELDS, *VIEWS])}")
        if not any(v in entry for v in VIEWS):
            problems.append(f"{where}: used by no view (add a ledger, sorter or mechanism block)")
        for view in VIEWS:
            block = entry.get(view)
            if block is None:
                continue
            if not isinstance(block, dict):
                problems.append(f"{where}: '{view}' must be a mapping"); continue
            for name, kind in VIEW_FIELDS[view].items():
                if name not in block:
                    problems.append(f"{where}: {view} lacks '{name}'")
                elif not isinstance(block[name], kind) or isinstance(block[name], bool) and kind in (int, str):
                    problems.append(f"{where}: {view}.{name} has the wrong type ({type(block[name]).__name__})")
            for name, kind in OPTIONAL[view].items():
                if name in block and not isinstance(block[name], kind):
                    problems.append(f"{where}: {view}.{name} must be a list")
            extra = set(block) - set(VIEW_FIELDS[view]) - set(OPTIONAL[view])
            if extra:
                problems.append(f"{where}: {view} has unknown field(s) {sorted(extra)}")
    return problems


@lru_cache(maxsize=1)
def _load() -> tuple[dict, ...]:
    data = yaml.safe_load(resources.files("spinecourse.content").joinpath(FILE).read_text(encoding="utf-8"))
    problems = schema_problems(data)
    if problems:
        raise ClaimsFileError("; ".join(problems))
    return tuple(data["claims"])


def entries(view: str | None = None) -> list[dict]:
    """Entries of the file (copies), all of them or only those that carry ``view``'s block."""
    if view is not None and view not in VIEWS:
        raise ValueError(f"unknown view {view!r}: use one of {VIEWS}")
    import copy

    return [copy.deepcopy(e) for e in _load() if view is None or view in e]
