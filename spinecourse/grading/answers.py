"""Answer checks for the graded quizzes: format in the open, correctness in the hidden tests.

A quiz's check cell has two parts::

    check_format("qN", qN, choices="ABCD")          # visible: is it a letter A-D?
    ### BEGIN HIDDEN TESTS
    check_answer("qN", qN, "X", choices="ABCD", hint="...")   # hidden: is it right? (X: the key)
    ### END HIDDEN TESTS

The learner's copy (``assignments/release``) keeps only the visible part, so rerunning a check
tells a learner whether the *form* of an answer is right (a letter from the list, a number in the
stated range, the right number of items), never whether the answer is: no key and no hash of it
is in the release (a hash of a one-letter answer is inverted in four guesses). Correctness lives
in the hidden tests, which only the grader runs (``spinecourse/grading/trusted.py``). The practice
copies (``assignments/practice``, made by ``python -m spinecourse.grading.practice``) show the
hidden part too, for immediate right/wrong feedback.

Answers a non-programmer can type: the set-up cell defines ``A, B, C, D, E`` as their letters, so
``q1 = C``, ``q1 = "c"`` and ``q1 = " C "`` are the same answer; "choose all that apply" takes
``[A, C]``, ``"AC"``, ``"a, c"`` or ``("A", "C")``; an ordered answer takes ``"CAB"`` or
``[C, A, B]``. A failing check raises :class:`AnswerProblem`: Jupyter shows its one line (what
to fix, or a reasoning hint) instead of a traceback of the checker, and the cell still fails, so
nbgrader still scores it zero.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping
from typing import Any

LETTERS = "ABCDE"
__all__ = ["AnswerProblem", "LETTERS", "check_answer", "check_format", "friendly_errors", "normalise"]


class AnswerProblem(AssertionError):
    """A check that failed; shown by IPython as one line (``_render_traceback_``), not a traceback.

    An AssertionError, so the cell fails for nbgrader and for ``pytest.raises(AssertionError)``.
    """

    def _render_traceback_(self) -> list[str]:
        return [f"\x1b[31m✘ {self}\x1b[0m"]


def _fail(message: str) -> None:
    raise AnswerProblem(message)


def _is_number(value: Any) -> bool:
    """int, float or a NumPy number (``numbers.Real``), but not bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _letters(value: Any) -> list[str] | None:
    """The letters of a choice answer in the order given, or None if it is not made of letters.

    "c", " C ", "AC", "a, c", "A C", ["A", "C"], ("a",), {"C"} all work; punctuation between
    letters is ignored. A multi-character item such as "AB" inside a list is not a letter.
    """
    if isinstance(value, str):
        cleaned = re.sub(r"[\s,;.)(\"'\]\[/&+-]", "", re.sub(r"\bAND\b", " ", value.upper()))
        return list(cleaned) if cleaned and cleaned.isalpha() else None
    if isinstance(value, (list, tuple, set, frozenset)):
        out = []
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        for item in items:
            if not isinstance(item, str):
                return None
            letter = item.strip().strip(".)").upper()
            if len(letter) != 1 or not letter.isalpha():
                return None
            out.append(letter)
        return out
    return None


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value) if len(repr(value)) <= 60 else type(value).__name__


def normalise(value: Any, decimals: int | None = None) -> str:
    """Canonical text for an answer (kept for authors' tools): strings trimmed and upper-cased,
    numbers rounded, collections sorted."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return value.strip().upper()
    if _is_number(value):
        if math.isnan(value):
            raise ValueError("the answer is NaN (not a number)")
        if decimals is None:
            return repr(float(value))
        return f"{round(float(value), decimals):.{decimals}f}"
    if isinstance(value, (list, tuple, set, frozenset)):
        return ",".join(sorted(normalise(v, decimals) for v in value))
    raise TypeError(f"cannot read an answer of type {type(value).__name__}")


def _choice_text(choices: str | tuple) -> tuple[str, ...]:
    return tuple(c.strip().upper() for c in choices)


def _read(
    name: str,
    value: Any,
    *,
    choices=None,
    multiple: bool = False,
    count: int | None = None,
    number: bool = False,
    low: float | None = None,
    high: float | None = None,
    whole: bool = False,
    keys=None,
    unit: str = "",
) -> Any:
    """Check the form of an answer and return it in canonical form; AnswerProblem if malformed."""
    if value is None or value is Ellipsis:
        _fail(f"{name} has no answer yet: write your answer after '{name} = ' and run that cell.")
    if keys is not None:  # one level per key, e.g. grades = {"C1": "RCT", ...} or a list in key order
        keys = list(keys)
        allowed = {c.strip().lower(): c for c in choices}
        if isinstance(value, Mapping):
            missing = [k for k in keys if k not in value]
            extra = [k for k in value if k not in keys]
            if missing or extra:
                _fail(
                    f"{name} needs exactly the keys {', '.join(keys)}"
                    + (f"; missing {', '.join(map(str, missing))}" if missing else "")
                    + (f"; not expected {', '.join(map(str, extra))}" if extra else "")
                    + "."
                )
            items = [value[k] for k in keys]
        elif isinstance(value, (list, tuple)):
            if len(value) != len(keys):
                _fail(f"{name} needs {len(keys)} entries, one per claim ({', '.join(keys)}), got {len(value)}.")
            items = list(value)
        else:
            _fail(f'{name} should be a dictionary like {{"{keys[0]}": "...", ...}}, got {_describe(value)}.')
        out = {}
        for key, item in zip(keys, items):
            if not isinstance(item, str) or item.strip().lower() not in allowed:
                _fail(
                    f"{name}: {key} is {_describe(item)}, which is not one of: "
                    + ", ".join(f'"{c}"' for c in choices)
                    + "."
                )
            out[key] = item.strip().lower()
        return out
    if number:
        if isinstance(value, str):
            _fail(f"{name} should be a number without quotes, e.g. {name} = 12.5 (got the text {_describe(value)}).")
        if not _is_number(value):
            _fail(f"{name} should be a number, e.g. {name} = 12.5 (got {_describe(value)}).")
        if math.isnan(value) or math.isinf(value):
            _fail(f"{name} is not a finite number: check the calculation.")
        if whole and float(value) != int(value):
            _fail(f"{name} should be a whole number{unit}, got {value}: round as the question says.")
        if (low is not None and value < low) or (high is not None and value > high):
            span = (
                f"between {low:g} and {high:g}"
                if low is not None and high is not None
                else (f"at least {low:g}" if low is not None else f"at most {high:g}")
            )
            _fail(f"{name} = {value:g} is outside the possible range: it should be {span}{unit}.")
        return float(value)
    if choices is not None:
        allowed = _choice_text(choices)
        listing = ", ".join(allowed)
        letters = _letters(value)
        if letters is None:
            example = f"{name} = [{allowed[0]}, {allowed[-1]}]" if multiple or count else f"{name} = {allowed[-1]}"
            _fail(f"{name} should be made of the letters {listing} (e.g. {example}), got {_describe(value)}.")
        bad = [x for x in letters if x not in allowed]
        if bad:
            _fail(f"{name}: {', '.join(dict.fromkeys(bad))} is not one of the options {listing}.")
        if count is not None:  # an ordered answer: one letter per case, in order
            if len(letters) != count:
                _fail(f"{name} needs {count} letters, one per case in order, got {len(letters)}.")
            return letters
        if multiple:
            if len(set(letters)) != len(letters):
                _fail(f"{name} lists a letter twice: give each letter once.")
            return sorted(letters)
        if len(letters) != 1:
            _fail(f"{name} should be one letter ({listing}): this question has a single answer.")
        return letters[0]
    raise TypeError("a check needs choices=, number=True (or decimals=) or keys=")


def check_format(
    name: str,
    value: Any,
    *,
    choices=None,
    multiple: bool = False,
    count: int | None = None,
    number: bool = False,
    low: float | None = None,
    high: float | None = None,
    whole: bool = False,
    keys=None,
    unit: str = "",
) -> None:
    """The visible check: the answer has the right *form* (never whether it is right)."""
    _read(
        name,
        value,
        choices=choices,
        multiple=multiple,
        count=count,
        number=number,
        low=low,
        high=high,
        whole=whole,
        keys=keys,
        unit=unit,
    )
    print(
        f"✔ {name}: answer saved in a form the grader can read. Whether it is right is decided "
        "when your instructor grades the quiz."
    )


def check_answer(
    name: str,
    value: Any,
    expected: Any,
    *,
    choices=None,
    multiple: bool = False,
    count: int | None = None,
    decimals: int | None = None,
    tolerance: float | None = None,
    low: float | None = None,
    high: float | None = None,
    whole: bool = False,
    keys=None,
    unit: str = "",
    hint: str = "",
) -> None:
    """The hidden (and practice) check: the answer is right. The message never shows the key.

    Numbers: right within ``tolerance`` (default half a unit of the ``decimals`` asked for, so an
    unrounded answer is right too). Multiple answers: the same set of letters. Ordered answers:
    the same letters in the same order.
    """
    number = decimals is not None or tolerance is not None
    if choices is None and keys is None and not number:
        choices = LETTERS
    got = _read(
        name,
        value,
        choices=choices,
        multiple=multiple,
        count=count,
        number=number,
        low=low,
        high=high,
        whole=whole,
        keys=keys,
        unit=unit,
    )
    if number:
        tol = tolerance if tolerance is not None else 0.5 * 10**-decimals + 1e-9
        right = abs(got - float(expected)) <= tol
    elif keys is not None:
        right = got == {k: str(v).strip().lower() for k, v in expected.items()}
    elif count is not None:
        right = got == [x.upper() for x in expected]
    elif multiple:
        right = got == sorted(x.upper() for x in expected)
    else:
        right = got == str(expected).strip().upper()
    if not right:
        _fail(f"{name} is not right yet." + (f" Hint: {hint}" if hint else ""))
    print(f"✔ {name}: right.")


def friendly_errors() -> None:
    """In a quiz kernel, show a forgotten answer or an unanswered stub as one plain line.

    ``NameError`` (an answer cell not run yet, or a letter typed in lower case) and the stub's
    ``NotImplementedError`` are still errors (the cell fails and scores zero), but without the
    traceback that tells a non-programmer nothing. Does nothing outside IPython (the grader).
    """
    try:
        shell = get_ipython()  # type: ignore[name-defined]
    except NameError:
        return

    def one_line(self, etype, value, tb, tb_offset=None):
        if issubclass(etype, NotImplementedError):
            text = (
                "this answer is not written yet: replace the two placeholder lines with your answer and run the cell."
            )
        else:
            missing = getattr(value, "name", None) or "a name"
            text = f"{missing} is not defined yet."
            if isinstance(missing, str) and len(missing) == 1 and missing.upper() in LETTERS:
                text += f' For a letter write {missing.upper()} (capital) or "{missing}" in quotes.'
            else:
                text += " If it is an answer, run its answer cell first (Shift+Enter), then this cell again."
        stb = [f"\x1b[31m✘ {text}\x1b[0m"]
        self._showtraceback(etype, value, stb)  # IPython leaves the display to the handler
        return stb

    shell.set_custom_exc((NameError, NotImplementedError), one_line)
