"""Visible checks for graded quizzes that give feedback without revealing the answer.

A quiz cell stores only a salted SHA-256 digest of the expected answer. The
learner learns *whether* the answer is right, never what it is; the
authoritative grading is done by the hidden tests nbgrader keeps back.

Authoring aid (prints the digest to paste into a test cell)::

    python -m spinecourse.answers q1 B
"""

from __future__ import annotations

import hashlib
import math
import numbers
import sys
from typing import Any


def _is_number(value: Any) -> bool:
    """int, float or a NumPy number (``numbers.Real``), but not bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def normalise(value: Any, decimals: int | None = None) -> str:
    """Canonical text for an answer: strings trimmed and upper-cased, numbers rounded, sets sorted."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return value.strip().upper()
    if _is_number(value):  # NumPy numbers too (np.int64, np.float64): a learner's answer often is one
        if math.isnan(value):
            raise ValueError("the answer is NaN (not a number)")
        if decimals is None:
            return repr(float(value))
        return f"{round(float(value), decimals):.{decimals}f}"
    if isinstance(value, (list, tuple, set, frozenset)):
        return ",".join(sorted(normalise(v, decimals) for v in value))
    raise TypeError(f"cannot check an answer of type {type(value).__name__}")


def digest(name: str, value: Any, decimals: int | None = None) -> str:
    return hashlib.sha256(f"{name}:{normalise(value, decimals)}".encode()).hexdigest()[:16]


def check_answer(name: str, value: Any, expected_digest: str, *, decimals: int | None = None,
                 choices: tuple | None = None, hint: str = "") -> None:
    """Raise AssertionError with a friendly message unless ``value`` is the expected answer."""
    if value is None or value is Ellipsis:
        raise AssertionError(f"{name} has no answer yet: replace the placeholder with your answer.")
    if choices is not None:
        options = ", ".join(repr(c) for c in choices)
        items = value if isinstance(value, (list, tuple, set)) else [value]
        for item in items:
            if normalise(item) not in {normalise(c) for c in choices}:
                raise AssertionError(f"{name} = {value!r}: each answer must be one of {options}.")
    if decimals is not None and not _is_number(value):
        raise AssertionError(f"{name} should be a number, got {type(value).__name__} {value!r}.")
    if digest(name, value, decimals) != expected_digest:
        message = f"{name} = {value!r} is not correct yet."
        raise AssertionError(message + (f" Hint: {hint}" if hint else ""))
    print(f"✔ {name}: correct.")


def main(argv: list[str] | None = None) -> int:
    """Authoring aid: ``python -m spinecourse.answers NAME VALUE [DECIMALS]`` prints the digest."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (2, 3):
        print("usage: python -m spinecourse.answers NAME VALUE [DECIMALS]", file=sys.stderr)
        return 2
    name, raw, *rest = args
    decimals = int(rest[0]) if rest else None
    value: Any = float(raw) if decimals is not None else raw
    print(digest(name, value, decimals))
    return 0


if __name__ == "__main__":  # pragma: no cover - authoring aid
    raise SystemExit(main())
