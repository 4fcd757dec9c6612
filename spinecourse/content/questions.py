"""Self-check questions with instant, explained feedback.

Questions live in ``spinecourse/content/data/questions/<lesson>.yml`` (not in notebook
code). Three types:

* ``single``: radio buttons, exactly one option has ``correct: true``;
* ``multiple``: tick boxes, one or more correct options, all must be chosen;
* ``numeric``: a number with an ``answer``, a ``tolerance`` and a ``unit``.

Every option carries an ``explanation`` that is shown after the learner answers,
so a wrong answer teaches as much as a right one. Grading (``Question.grade``) is
pure; the widget only collects the answer and shows the feedback.

Options are written key-first in the banks; ``displayed_bank`` shows them shuffled, deterministically
per question (seeded by bank, question id and the learner's identity, ``JUPYTERHUB_USER`` where one
exists). Within a bank the key positions of the single-choice questions are dealt round-robin (in an
order and from a start drawn from the same seed), so no position collects the keys. The static copy
on the course site uses the same shuffle with no learner. Explanations therefore never name options by
letter or position (``position_words`` finds such text; the tests check every bank).

A learner gets one retry: ``grade(response, reveal=False)`` speaks only about the chosen options,
and the key with every explanation comes on the second attempt (``QuestionWidget``).
"""

from __future__ import annotations

import hashlib
import math
import numbers
import os
import random
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

from ..content import i18n, references, schema_check
from ..content.i18n import _


class QuestionBankError(ValueError):
    """A question file does not follow the schema; the message says where."""


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool
    explanation: str


@dataclass(frozen=True)
class Feedback:
    correct: bool
    verdict: str
    details: list[str] = field(default_factory=list)
    answered: bool = True  # False: nothing (or no number) was given, so no attempt is used up

    def html(self) -> str:
        colour = "#009E73" if self.correct else "#D55E00"
        icon = "✔" if self.correct else "✘"
        items = "".join(f"<li>{d}</li>" for d in self.details)
        return (
            f'<div role="status" style="border-left:4px solid {colour};padding:2px 8px">'
            f"<b>{icon} {self.verdict}</b><ul>{items}</ul></div>"
        )


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    prompt: str
    options: tuple[Option, ...] = ()
    answer: float | None = None
    tolerance: float | None = None
    unit: str = ""
    explanation: str = ""
    refs: tuple[str, ...] = ()

    def grade(self, response: Any, reveal: bool = True) -> Feedback:
        """Right or wrong with explanations. ``reveal=False`` (a first wrong attempt) explains only the
        options the learner chose and asks for one more try, so the key is not given away."""
        if self.type == "numeric":
            return self._grade_numeric(response, reveal)
        chosen = self._chosen_indices(response)
        correct_set = {i for i, o in enumerate(self.options) if o.correct}
        ok = chosen == correct_set
        if not chosen:
            return Feedback(False, _("Choose an answer first."), [], answered=False)
        details = []
        for i, option in enumerate(self.options):
            picked = i in chosen
            if picked or (option.correct and (ok or reveal)):
                mark = _("your choice") if picked else _("you did not choose this")
                right = _("correct") if option.correct else _("not correct")
                details.append(
                    f"<i>{references.render_html(option.text)}</i> ({mark}; {right}): {references.render_html(option.explanation)}"
                )
        if ok:
            verdict = _("Correct.")
        elif not reveal:
            verdict = (
                _("Not quite. Some correct options are missing. Read the feedback on your choice and try once more.")
                if chosen < correct_set
                else _("Not quite. Read the feedback on your choice and try once more.")
            )
        else:
            verdict = (
                _("Not quite: some correct options are missing.")
                if chosen < correct_set
                else _("Not quite: look at the explanations.")
            )
        return Feedback(ok, verdict, details)

    def reordered(self, order: tuple[int, ...]) -> Question:
        """The same question with its options shown in ``order`` (indices into ``options``)."""
        if sorted(order) != list(range(len(self.options))):
            raise ValueError(f"{self.id}: {order!r} is not an order of its {len(self.options)} options")
        return Question(
            self.id,
            self.type,
            self.prompt,
            tuple(self.options[i] for i in order),
            self.answer,
            self.tolerance,
            self.unit,
            self.explanation,
            self.refs,
        )

    def _chosen_indices(self, response: Any) -> set[int]:
        if response is None:
            return set()
        if self.type == "single":
            picks = [response]
        elif isinstance(response, (str, bytes, bool)) or not isinstance(response, (list, tuple, set, frozenset)):
            # list("ab") would grade each character; a bool is not a choice of options
            raise ValueError(
                f"{self.id}: a multiple-choice answer is a list of option texts or indices, got {response!r}"
            )
        else:
            picks = list(response)
        indices = set()
        for pick in picks:
            if isinstance(pick, bool):  # True is an int in Python: it would silently mean option 2
                raise ValueError(f"{self.id}: {pick!r} is not an option; give an option's text or index")
            if isinstance(pick, numbers.Integral) and 0 <= pick < len(self.options):
                indices.add(int(pick))
            else:
                texts = [o.text for o in self.options]
                if pick not in texts:
                    raise ValueError(f"{self.id}: {pick!r} is not one of the options")
                indices.add(texts.index(pick))
        if self.type == "single" and len(indices) > 1:
            raise ValueError(f"{self.id}: choose exactly one option")
        return indices

    def _grade_numeric(self, response: Any, reveal: bool = True) -> Feedback:
        if isinstance(response, str):  # typed by a learner: accept "76 %" and a decimal comma
            response = response.strip().rstrip("%").strip().replace(",", ".")
        try:
            value = float(response)
        except (TypeError, ValueError):
            return Feedback(
                False, _("Enter a number ({unit}).").format(unit=references.render_html(self.unit)), [], answered=False
            )
        if math.isnan(value):
            return Feedback(
                False, _("Enter a number ({unit}).").format(unit=references.render_html(self.unit)), [], answered=False
            )
        ok = abs(value - self.answer) <= self.tolerance
        if not ok and not reveal:  # the explanation states the answer: keep it for the second attempt
            return Feedback(
                False,
                _("Not quite: {value} is outside the accepted range. Check your working and try once more.").format(
                    value=f"{value:g}"
                ),
                [],
            )
        verdict = (
            _("Correct.") if ok else _("Not quite: {value} is outside the accepted range.").format(value=f"{value:g}")
        )
        return Feedback(ok, verdict, [references.render_html(self.explanation)])


# ---- loading and schema ----


def _question(raw: dict) -> Question:
    """One question of a bank that passed the schema (``schemas/questions.schema.json``)."""
    refs = tuple(raw.get("refs", ()))
    if raw["type"] == "numeric":
        return Question(
            raw["id"],
            "numeric",
            raw["prompt"],
            answer=float(raw["answer"]),
            tolerance=float(raw["tolerance"]),
            unit=raw["unit"],
            explanation=raw["explanation"],
            refs=refs,
        )
    options = tuple(Option(o["text"], o["correct"], o["explanation"]) for o in raw["options"])
    return Question(raw["id"], raw["type"], raw["prompt"], options=options, refs=refs)


def parse_bank(data: Any, where: str = "question bank") -> dict[str, Question]:
    """A bank's questions by id; ``QuestionBankError`` names file, question and field of every problem."""
    schema_check.check(data, "questions", where, error=QuestionBankError)
    return {q["id"]: _question(q) for q in data["questions"]}


def bank_names() -> list[str]:
    folder = resources.files("spinecourse.content").joinpath("data/questions")
    return sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".yml"))


@cache
def load_bank(name: str) -> dict[str, Question]:
    path = resources.files("spinecourse.content").joinpath(f"data/questions/{name}.yml")
    if not path.is_file():
        raise QuestionBankError(f"no question bank {name!r}; available: {', '.join(bank_names())}")
    # In a Korean session the learner-facing strings come from locales/ko (content/i18n.py); ids, keys, numbers stay.
    return parse_bank(i18n.localize_bank(name, yaml.safe_load(path.read_text(encoding="utf-8"))), f"{name}.yml")


# ---- the order options are shown in ----


def learner_identity() -> str:
    """The learner's name where the platform gives one (JupyterHub), else "" (site, Binder, a laptop)."""
    return os.environ.get("JUPYTERHUB_USER", "").strip()


def _seed(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()[:8], "big")


def display_orders(
    name: str, bank: dict[str, Question], learner: str = "", first: dict[int, int] | None = None
) -> dict[str, tuple[int, ...]]:
    """For each choice question, the order its options are shown in (indices into the bank's options).

    Deterministic in (bank, question id, learner). Single-choice keys are dealt round-robin over the
    positions (one deal per number of options), in an order and from a start drawn from the seed; the
    other options are shuffled. ``first`` continues the deals from the banks before this one (how many
    single-choice questions with n options they hold), so the positions stay balanced over the whole
    course, not only within a bank.
    Multiple-answer questions are shuffled as a whole.
    """
    orders: dict[str, tuple[int, ...]] = {}
    singles = sorted((q for q in bank.values() if q.type == "single"), key=lambda q: _seed("rank", name, q.id, learner))
    start = _seed("start", learner) % 12
    dealt = dict(first or {})
    for q in singles:
        rng = random.Random(_seed("order", name, q.id, learner))
        key = next(i for i, o in enumerate(q.options) if o.correct)
        others = [i for i in range(len(q.options)) if i != key]
        rng.shuffle(others)
        n = len(q.options)
        target = (start + dealt.get(n, 0)) % n
        dealt[n] = dealt.get(n, 0) + 1
        orders[q.id] = tuple(others[:target] + [key] + others[target:])
    for q in bank.values():
        if q.type == "multiple":
            order = list(range(len(q.options)))
            random.Random(_seed("order", name, q.id, learner)).shuffle(order)
            orders[q.id] = tuple(order)
    return orders


def displayed_bank(name: str, learner: str | None = None) -> dict[str, Question]:
    """The bank as a learner sees it: options in their shuffled display order (``learner=None``: this
    session's ``learner_identity()``; "" gives the shuffle of the course site)."""
    return _displayed_bank(name, learner_identity() if learner is None else learner)


@lru_cache(maxsize=64)
def _displayed_bank(name: str, learner: str) -> dict[str, Question]:
    bank = load_bank(name)
    names = bank_names()
    first: dict[int, int] = {}
    for other in names[: names.index(name)] if name in names else []:
        for q in load_bank(other).values():
            if q.type == "single":
                first[len(q.options)] = first.get(len(q.options), 0) + 1
    orders = display_orders(name, bank, learner, first)
    return {qid: (q.reordered(orders[qid]) if qid in orders else q) for qid, q in bank.items()}


#: Words that point at an option by its letter or place, which the shuffle would make wrong.
POSITION_RE = re.compile(
    r"\b(?:options?|answers?|choices?)\s+\(?[A-F]\b\)?"  # "option B", "answer (C)"
    r"|(?-i:(?<![\w(-])\(?[A-F]\))(?=[\s,.;:]|$)"  # "(A)", "B)": capitals only
    r"|\b(?:first|second|third|fourth|last|previous|next|above|below|other two|preceding)\s+(?:options?|answers?|choices?)\b"
    r"|\b(?:options?|answers?|choices?)\s+(?:above|below)\b"
    r"|\b(?:both|all of the|none of the) (?:above|options)\b",
    re.IGNORECASE,
)


def position_words(question: Question) -> list[str]:
    """Phrases in a question that refer to options by letter or position (empty = safe to shuffle)."""
    texts = [question.prompt, question.explanation] + [t for o in question.options for t in (o.text, o.explanation)]
    return [m.group(0) for t in texts for m in POSITION_RE.finditer(t)]
