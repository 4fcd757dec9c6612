"""Widgets for lesson 06: "sort the claim" and "draft, then compare" (no figures).

Both follow the course widget pattern: ``controls``, a thin ``_on_change`` that
calls ``update()``, which returns the computed result and stores it on
``self.result``; text panels instead of a figure.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from ..content import claim_sorting
from ..content.i18n import N_, _
from ..content.references import render_html
from ..content.source_claims import localized
from ..widgets.base import PALETTE, CourseWidget, show_details, teaching_model_note, text_panel, worked_intro

#: The tag names as shown (``claim_sorting.TAGS``, translated at call time).
TAG_NAMES = (N_("evidence"), N_("hope/hypothesis"), N_("marketing"))


def sorter_note() -> str:
    return teaching_model_note(
        _(
            "The sentences are paraphrases of the source article, not quotations. Tags are the course's judgement against "
            "the checked literature; some claims sit near a boundary, and the reason says why this tag was chosen."
        )
    )


class ClaimSorter(CourseWidget):
    """Show one claim at a time; the learner tags it and gets instant, explained feedback."""

    def __init__(self) -> None:
        claims = claim_sorting.CLAIMS
        self.claim = widgets.Dropdown(
            options=[
                (_("Claim {n} of {total}").format(n=i + 1, total=len(claims)), c.id) for i, c in enumerate(claims)
            ],
            value=claims[0].id,
            description=_("Claim"),
            layout=widgets.Layout(width="18em"),
        )
        self.tag = widgets.ToggleButtons(
            options=[(_(t).capitalize(), t) for t in claim_sorting.TAGS],
            value=None,
            description=_("Your tag"),
            tooltips=[
                _("Supported by published evidence"),
                _("Plausible, untested in people with stenosis"),
                _("Persuasion or promotion"),
            ],
        )
        self.next_button = widgets.Button(description=_("Next claim"), tooltip=_("Go to the next claim"))
        self.controls = [self.claim, self.tag]
        self.answers: dict[str, str] = {}
        self.text = text_panel()
        self.feedback = widgets.HTML()
        self.progress = widgets.HTML()
        self._switching = False
        self.claim.observe(self._on_claim_change, names="value")
        self.tag.observe(self._on_change, names="value")
        self.next_button.on_click(lambda _b: self.next_claim())
        self.widget = widgets.VBox(
            [
                widgets.HTML(sorter_note()),
                widgets.HBox([self.claim, self.next_button]),
                self.text,
                self.tag,
                self.feedback,
                self.progress,
            ]
        )
        self.update()

    def next_claim(self) -> None:
        ids = [c.id for c in claim_sorting.CLAIMS]
        self.claim.value = ids[(ids.index(self.claim.value) + 1) % len(ids)]

    def _on_claim_change(self, _change=None) -> None:
        # Show the learner's earlier tag for this claim (or none), then update once.
        self._switching = True
        try:
            self.tag.value = self.answers.get(self.claim.value)
        finally:
            self._switching = False
        self.update()

    def _on_change(self, _change=None) -> None:
        if not self._switching:
            self.update()

    def update(self) -> claim_sorting.ClaimFeedback | None:
        c = localized(claim_sorting.get_claim(self.claim.value))
        self.text.value = (
            "<p><i>"
            + _("Source article, section \u201c{section}\u201d (paraphrased):").format(section=html.escape(c.section))
            + "</i></p>"
            f"<blockquote><b>{html.escape(c.paraphrase)}</b></blockquote>"
        )
        result = None
        if self.tag.value is None:
            self.feedback.value = "<p><i>" + _("Choose a tag to see the feedback.") + "</i></p>"
        else:
            self.answers[c.id] = self.tag.value
            result = claim_sorting.grade_claim(c.id, self.tag.value)
            colour = PALETTE["green"] if result.correct else PALETTE["vermillion"]
            self.feedback.value = (
                f'<div role="status" style="border-left:4px solid {colour};padding:2px 8px">'
                f"<p><b>{html.escape(result.verdict)}</b></p><p>{result.reason}</p></div>"
            )
        right, answered = claim_sorting.score(self.answers)
        self.progress.value = (
            "<p>"
            + _("Sorted {answered} of {total} claims; {right} tagged as the course tags them.").format(
                answered=answered, total=len(claim_sorting.CLAIMS), right=right
            )
            + "</p>"
        )
        self.result = result
        return result

    def static_html(self) -> str:
        """For readers without a kernel: the first claim tagged as a worked example, then every other claim
        with the course's tag and reason behind "Show"."""
        rows = []
        for i, c in enumerate(map(localized, claim_sorting.CLAIMS)):
            also = (
                " " + _("Also defensible: {tags}.").format(tags=html.escape(", ".join(_(t) for t in c.also_accept)))
                if c.also_accept
                else ""
            )
            key = (
                "<p><b>" + _("Course tag: {tag}.").format(tag=html.escape(_(c.tag))) + f"</b>{also} "
                f"{claim_sorting.grade_claim(c.id, c.tag).reason}</p>"
            )
            text = (
                "<p>"
                + _("<b>Claim {n}</b> (source article, section \u201c{section}\u201d, paraphrased):").format(
                    n=i + 1, section=html.escape(c.section)
                )
                + f" {html.escape(c.paraphrase)}</p>"
            )
            if i == 0:
                rows.append(f"<li>{text}<p><i>" + _("Worked example.") + f"</i></p>{key}</li>")
            else:
                summary = _("Show the course tag and reason for claim {n}").format(n=i + 1)
                rows.append(f"<li>{text}{show_details(summary, key)}</li>")
        return (
            '<div class="spinecourse-static">'
            + worked_intro()
            + sorter_note()
            + "<p>"
            + _(
                "Tag each claim as <i>evidence</i>, <i>hope/hypothesis</i> or <i>marketing</i>. The first claim is "
                "worked through; decide on the others before opening the key."
            )
            + "</p>"
            '<ul style="list-style:none;padding-left:0">' + "".join(rows) + "</ul></div>"
        )


class DraftAndCompare(CourseWidget):
    """A text box for the learner's reply to a synthetic patient; the model answer appears on request."""

    def __init__(self) -> None:
        self.question = widgets.HTML(f"<blockquote>{html.escape(claim_sorting.patient_question())}</blockquote>")
        self.draft = widgets.Textarea(
            value="",
            placeholder=_("Write your reply to Mrs K here (5–8 sentences)…"),
            description=_("Your reply"),
            layout=widgets.Layout(width="46em", height="10em"),
        )
        self.show = widgets.ToggleButton(
            value=False,
            description=_("Compare with a model answer"),
            tooltip=_("Show the model answer and the rubric"),
            layout=widgets.Layout(width="18em"),
        )
        self.controls = [self.draft, self.show]
        self.output = text_panel()
        self.output.layout.max_width = "46em"
        self.connect()
        self.widget = widgets.VBox([self.question, self.draft, self.show, self.output])
        self.update()

    def update(self) -> list | None:
        if not self.show.value:
            self.output.value = "<p><i>" + _("Draft your reply first, then compare.") + "</i></p>"
            self.result = None
            return None
        review = claim_sorting.review_draft(self.draft.value)
        warnings = {}
        for item, clause in claim_sorting.draft_warnings(self.draft.value):
            warnings.setdefault(item.id, clause)
        items = ""
        for item, found in review:
            item = claim_sorting.localized_item(item)
            if item.id in warnings:  # the draft says the opposite of this point: say so, never tick it
                hint = "⚠ " + _("<b>your draft seems to say the opposite:</b> “{clause}”").format(
                    clause=html.escape(warnings[item.id])
                )
            else:
                hint = "✔ " + _("a cue for this point is in your draft") if found else "○ " + _("no cue found")
            look = "<br>" + _("Look for: {cue}").format(cue=html.escape(item.look_for)) if item.look_for else ""
            example = (
                "<br>" + _("Model answer: “{excerpt}”").format(excerpt=html.escape(item.model_excerpt))
                if item.model_excerpt
                else ""
            )
            items += f"<li><b>{html.escape(item.label)}</b>{look}{example}<br><i>" + _("Hint:") + f"</i> {hint}</li>"
        empty = (
            "<p>" + _("<b>Your draft is empty</b>: try writing one before reading the model.") + "</p>"
            if not self.draft.value.strip()
            else ""
        )
        model = render_html(claim_sorting.model_answer())
        self.output.value = (
            f"{empty}<p>"
            + _(
                "<b>Rubric: apply it to your draft yourself.</b> For each point, decide whether your "
                "reply meets it. The hints are keyword cues that notice some contradictions (such as "
                "advising her to cancel the operation); they are not a grade and can miss or misread a "
                "sentence."
            )
            + "</p>"
            f"<ul>{items}</ul><p><b>" + _("A model answer.") + f"</b> {model}</p>"
        )
        self.result = review
        return review

    def static_html(self) -> str:
        """For readers without a kernel: the patient's question, what to do, and the model reply and the
        checklist behind "Show"."""
        model = render_html(claim_sorting.model_answer())
        checklist = "".join(
            f"<li>{html.escape(claim_sorting.localized_item(item).label)}</li>" for item in claim_sorting.CHECKLIST
        )
        body = (
            "<p><b>"
            + _("A model answer.")
            + f"</b> {model}</p><p>"
            + _("<b>Checklist</b> for reviewing your own reply:")
            + f"</p><ul>{checklist}</ul>"
        )
        return (
            '<div class="spinecourse-static">'
            + worked_intro()
            + self.question.value
            + "<p>"
            + _("Write your own reply to Mrs K (5–8 sentences) before you look at the model answer.")
            + "</p>"
            + show_details(_("Show a model answer and the checklist"), body)
            + "</div>"
        )
