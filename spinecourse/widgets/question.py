"""Self-check widget: the choices, a Check button and the explained feedback (questions from content.questions).

Options appear in the shuffled display order of ``content.questions.displayed_bank``. A learner gets one
retry: the first wrong answer is explained for the chosen option(s) only, with "try once more"; the
second (or a right answer) shows the key and every explanation.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from ..content.i18n import _
from ..content.questions import Feedback, Question, QuestionBankError, displayed_bank
from ..content.references import render_html
from .base import RUN_CELL_NOTE

#: Wrong answers allowed before the key is shown (one retry).
ATTEMPTS_BEFORE_KEY = 2

# ---- widget ----


class QuestionWidget:
    """One question: the choices, a Check button and the explained feedback."""

    def __init__(self, question: Question, number: int | None = None):
        self.question = question
        title = _("Self-check {number}").format(number=number) if number else _("Self-check")
        self.title = title
        self.prompt = widgets.HTML(f"<b>{title}.</b> {render_html(question.prompt)}")
        layout = widgets.Layout(width="auto")
        if question.type == "single":
            self.input = widgets.RadioButtons(
                options=[o.text for o in question.options],
                value=None,
                layout=layout,
                description=_("Answer:"),
                style={"description_width": "initial"},
            )
        elif question.type == "multiple":
            self.input = widgets.VBox(
                [
                    widgets.Checkbox(value=False, description=o.text, indent=False, layout=layout)
                    for o in question.options
                ]
            )
        else:
            # Text, not FloatText: an empty box (not a pre-filled 0) until the learner answers.
            self.input = widgets.Text(
                value="",
                placeholder=_("a number"),
                description=_("Answer ({unit})").format(unit=question.unit),
                style={"description_width": "initial"},
            )
        self.button = widgets.Button(description=_("Check"), button_style="primary", tooltip=_("Check your answer"))
        self.feedback = widgets.HTML()
        self.wrong_attempts = 0
        self.revealed = False
        self.button.on_click(lambda _b: self.check())
        self.widget = widgets.VBox([self.prompt, self.input, self.button, self.feedback])

    def response(self) -> Any:
        if self.question.type == "multiple":
            return [i for i, box in enumerate(self.input.children) if box.value]
        return self.input.value

    def check(self) -> Feedback:
        """Grade the current answer; the key is revealed after a right answer or the second wrong one."""
        reveal = self.revealed or self.wrong_attempts + 1 >= ATTEMPTS_BEFORE_KEY
        result = self.question.grade(self.response(), reveal=reveal)
        if result.answered:  # an empty answer uses up no attempt
            if result.correct:
                self.revealed = True
            else:
                self.wrong_attempts += 1
                self.revealed = self.wrong_attempts >= ATTEMPTS_BEFORE_KEY
        self.feedback.value = result.html()
        return result

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def static_question_html(question: Question, title: str) -> str:
    """The question for readers without a kernel (course site, nbviewer): prompt, choices, and the
    answer with its explanation behind a native "show" control (<details>, keyboard accessible)."""
    parts = [f"<p><b>{title}.</b> {render_html(question.prompt)}</p>"]
    if question.type == "numeric":
        unit = f" {render_html(question.unit)}" if question.unit else ""
        answer = "<p><b>{label}</b> {value}{unit} ({accepted}).</p>".format(
            label=_("Answer:"),
            value=f"{question.answer:g}",
            unit=unit,
            accepted=_("accepted: ± {tolerance}").format(tolerance=f"{question.tolerance:g}"),
        )
        answer += f"<p>{render_html(question.explanation)}</p>"
    else:
        kind = _("Choose one.") if question.type == "single" else _("Choose all that apply.")
        parts.append(
            f'<p>{kind}</p><ol type="A">'
            + "".join(f"<li>{render_html(o.text)}</li>" for o in question.options)
            + "</ol>"
        )
        right, wrong = _("correct"), _("not correct")
        items = "".join(
            f"<li><i>{render_html(o.text)}</i>: <b>{right if o.correct else wrong}</b>. "
            f"{render_html(o.explanation)}</li>"
            for o in question.options
        )
        answer = f"<ul>{items}</ul>"
    summary = _("Show the answer and explanation")
    parts.append(f"<details><summary>{summary}</summary>{answer}</details>")
    return '<div class="spinecourse-selfcheck">' + "".join(parts) + "</div>"


class SelfCheck(widgets.VBox):
    """The self-check box; its display data also carries a static copy (answers behind "show")."""

    def _repr_mimebundle_(self, **kwargs):
        data = dict(super()._repr_mimebundle_(**kwargs) or {})
        data["text/html"] = "".join(static_question_html(q.question, q.title) for q in getattr(self, "questions", []))
        data["text/plain"] = _(RUN_CELL_NOTE)  # RUN_CELL_NOTE is the English (N_); shown in the session's language
        return data


def self_check(bank: str, *ids: str) -> widgets.VBox:
    """A box with the named questions of a bank (all of them if none are named)."""
    questions = displayed_bank(bank)
    chosen = ids or tuple(questions)
    missing = [i for i in chosen if i not in questions]
    if missing:
        raise QuestionBankError(f"{bank}: no question(s) {missing}; available: {list(questions)}")
    all_ids = list(questions)
    items = [QuestionWidget(questions[i], number=all_ids.index(i) + 1) for i in chosen]
    box = SelfCheck([q.widget for q in items])
    box.questions = items  # kept for tests and the latency bench
    return box
