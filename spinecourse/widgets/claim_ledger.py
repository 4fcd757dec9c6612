"""Claim ledger widget and its static summary figure (the claims and their grading are in content.claims)."""

from __future__ import annotations

import html
import textwrap
from collections import Counter
from dataclasses import dataclass

import ipywidgets as widgets
from matplotlib.figure import Figure

from ..content import references
from ..content.claims import CLAIMS, GRADE_LEVELS, OCEBM_LEVELS, Claim, ClaimFeedback, check, feedback_html, ocebm_label
from ..content.i18n import N_, _, configure_fonts
from ..content.source_claims import localized
from .base import (
    CSS_DPI,
    PALETTE,
    CourseWidget,
    StaticFigure,
    show_details,
    teaching_model_note,
    text_panel,
    worked_intro,
)

#: How many claims the static copy works through in the open (the rest: key behind "Show").
WORKED_CLAIMS = 2
#: Level and certainty names the widget shows (translated at call time with ``_()``).
RATING_NAMES = (
    N_("Level 1"),
    N_("Level 2"),
    N_("Level 3"),
    N_("Level 4"),
    N_("Level 5"),
    N_("No published study found"),
    N_("high"),
    N_("moderate"),
    N_("low"),
    N_("very low"),
)

# ---- widget ----


@dataclass(frozen=True)
class LedgerResult:
    feedback: tuple[ClaimFeedback, ...]

    @property
    def answered(self) -> int:
        return sum(f.complete for f in self.feedback)

    @property
    def correct(self) -> int:
        return sum(f.correct for f in self.feedback)


class ClaimLedger(CourseWidget):
    """A table: each claim with two drop-downs (OCEBM level, GRADE certainty) and explained feedback."""

    def __init__(self, claims: tuple[Claim, ...] = CLAIMS) -> None:
        claims = tuple(map(localized, claims))  # prose in the session's language; levels are the key's
        self.claims = claims
        ocebm_options = (
            [(_("choose…"), "unset")]
            + [(_(OCEBM_LEVELS[k].split(":")[0]), k) for k in (1, 2, 3, 4, 5)]
            + [(_("no published study"), "none")]
        )
        grade_options = [(_("choose…"), "unset")] + [(_(g), g) for g in GRADE_LEVELS]
        # Each menu has its own accessible name ("OCEBM, claim 3", "GRADE, claim 3"): an empty
        # description leaves a screen reader announcing only "combo box". The two menus of a
        # claim are stacked in one column so the visible labels do not widen the table.
        picker_layout = widgets.Layout(width="21em")
        picker_style = {"description_width": "9em"}
        self.ocebm_pickers = [
            widgets.Dropdown(
                options=ocebm_options,
                value="unset",
                layout=picker_layout,
                style=picker_style,
                description=_("OCEBM, claim {n}").format(n=i + 1),
                tooltip=_("OCEBM 2011 level for claim {n}").format(n=i + 1),
            )
            for i in range(len(claims))
        ]
        self.grade_pickers = [
            widgets.Dropdown(
                options=grade_options,
                value="unset",
                layout=picker_layout,
                style=picker_style,
                description=_("GRADE, claim {n}").format(n=i + 1),
                tooltip=_("GRADE certainty for claim {n}").format(n=i + 1),
            )
            for i in range(len(claims))
        ]
        self.controls = [*self.ocebm_pickers, *self.grade_pickers]
        self.feedback = [widgets.HTML(layout=widgets.Layout(width="30em")) for _ in claims]
        self.score = text_panel()
        header = [
            widgets.HTML(f"<b>{h}</b>")
            for h in (_("Claim (paraphrased)"), _("Your rating: OCEBM 2011 level, GRADE certainty"), _("Feedback"))
        ]
        cells = list(header)
        for i, claim in enumerate(claims):
            cells += [
                widgets.HTML(f"{i + 1}. {html.escape(claim.text)}", layout=widgets.Layout(width="22em")),
                widgets.VBox([self.ocebm_pickers[i], self.grade_pickers[i]]),
                self.feedback[i],
            ]
        self.table = widgets.GridBox(
            cells, layout=widgets.Layout(grid_template_columns="22em 21em 30em", grid_gap="6px 8px")
        )
        self.connect()
        note = teaching_model_note(
            _(
                "The key is the course's reading of the checked literature, not an official rating. Where two "
                "answers are defensible, both are accepted and the feedback says why."
            )
        )
        self.widget = widgets.VBox([widgets.HTML(note), self.table, self.score])
        self.update()

    def update(self) -> LedgerResult:
        out = []
        for claim, o, g, panel in zip(self.claims, self.ocebm_pickers, self.grade_pickers, self.feedback):
            kwargs = {}
            if o.value != "unset":
                kwargs["ocebm"] = None if o.value == "none" else o.value
            if g.value != "unset":
                kwargs["grade"] = g.value
            fb = check(claim, **kwargs)
            panel.value = feedback_html(claim, fb)
            out.append(fb)
        result = LedgerResult(tuple(out))
        self.score.value = (
            "<p><b>"
            + _("Text summary.")
            + "</b> "
            + _("{answered} of {total} claims rated; {correct} match the key on both level and certainty.").format(
                answered=result.answered, total=len(self.claims), correct=result.correct
            )
            + "</p>"
        )
        self.result = result
        return result

    def static_html(self) -> str:
        """For readers without a kernel: the first claims worked through with the course's key, then each
        remaining claim with its key and explanation behind "Show" (no unanswered menus)."""
        rows = []
        for i, claim in enumerate(self.claims):
            key = (
                "<p>"
                + _("<b>Course key:</b> {level}; GRADE certainty <b>{grade}</b>.").format(
                    level=html.escape(_(ocebm_label(claim.ocebm).split(":")[0])), grade=html.escape(claim.grade)
                )
                + f"{_also_accepted(claim)} "
                f"<i>{html.escape(claim.verdict)}.</i> "
                f"{references.render_html(claim.explanation)}</p>"
            )
            text = "<p><b>" + _("Claim {n}.").format(n=i + 1) + f"</b> {html.escape(claim.text)}</p>"
            if i < WORKED_CLAIMS:
                rows.append(f"<li>{text}<p><i>" + _("Worked example.") + f"</i></p>{key}</li>")
            else:
                summary = _("Show the key and explanation for claim {n}").format(n=i + 1)
                rows.append(f"<li>{text}{show_details(summary, key)}</li>")
        note = teaching_model_note(
            _(
                "The key is the course's reading of the checked literature, not an official rating. Where two "
                "answers are defensible, both are accepted."
            )
        )
        return (
            '<div class="spinecourse-static">'
            + worked_intro()
            + note
            + "<p>"
            + _(
                "For each claim, rate the OCEBM 2011 level of the best study behind it and your GRADE certainty "
                "that MSCs help people with stenosis. The first claims are worked through; try the others before "
                "opening the key."
            )
            + "</p>"
            + '<ul style="list-style:none;padding-left:0">'
            + "".join(rows)
            + "</ul></div>"
        )


def _also_accepted(claim: Claim) -> str:
    extra = [_(ocebm_label(level).split(":")[0]) for level in claim.also_accept_ocebm] + list(claim.also_accept_grade)
    return " " + _("Also accepted: {list}.").format(list=html.escape(", ".join(extra))) if extra else ""


# ---- static summary figure ----

CATEGORY_ORDER = (1, 2, 3, 4, 5, None)


def claims_figure(claims: tuple[Claim, ...] = CLAIMS) -> tuple[Figure, str]:
    """Horizontal bars: how many of the article's claims rest on each OCEBM level (keyed answers)."""
    claims = tuple(map(localized, claims))  # the figure's claim labels in the session's language
    counts = Counter(c.ocebm for c in claims)
    configure_fonts()  # Korean: Hangul in the labels (no-op in English)
    labels = [_("Level {n}").format(n=k) if k else _("no published study") for k in CATEGORY_ORDER]
    values = [counts.get(k, 0) for k in CATEGORY_ORDER]
    fig = Figure(figsize=(5.0, 5.4), dpi=CSS_DPI)
    ax = fig.add_axes((0.24, 0.1, 0.73, 0.76))
    ys = list(range(len(CATEGORY_ORDER)))[::-1]
    colours = [
        PALETTE["blue"],
        PALETTE["sky"],
        PALETTE["green"],
        PALETTE["orange"],
        PALETTE["vermillion"],
        PALETTE["grey"],
    ]
    ax.barh(ys, values, color=colours, edgecolor="black")
    for y, k, v in zip(ys, CATEGORY_ORDER, values):
        names = textwrap.fill(", ".join(c.short for c in claims if c.ocebm == k), 24)
        if v:
            ax.text(v + 0.15, y, names, va="center", fontsize=10, linespacing=0.95)
    none_label = _("no published study")
    ax.set_yticks(ys, [_("no published\nstudy") if lab == none_label else lab for lab in labels])
    ax.set_xlim(0, max(values) + 4.2)
    ax.set_xticks(range(0, max(values) + 1))
    ax.set_xlabel(_("Number of source-article claims"))
    ax.set_title(
        _("Where the article's claims sit\n(OCEBM 2011, best evidence behind\neach claim as worded)"), fontsize=11
    )
    parts = [f"{lab}: {v}" for lab, v in zip(labels, values)]
    randomised = [c.short for c in claims if c.ocebm in (1, 2)]
    if randomised:
        rct_text = _("Randomised evidence (Level 1 or 2) lies behind {count} of them: {names}.").format(
            count=len(randomised), names=", ".join(randomised)
        )
    else:
        rct_text = _("No claim rests on randomised evidence (Level 1 or 2).")
    grades = ", ".join(
        _("{grade} for {count}").format(grade=_(g), count=n) for g, n in Counter(c.grade for c in claims).most_common()
    )
    description = _(
        "Horizontal bar chart of the {count} source-article claims by the OCEBM 2011 level of the best "
        "evidence behind them: {levels}. {randomised} GRADE certainty for benefit in stenosis: {grades}."
    ).format(count=len(claims), levels="; ".join(parts), randomised=rct_text, grades=grades)
    return fig, description


def claims_static_figure(claims: tuple[Claim, ...] = CLAIMS) -> StaticFigure:
    fig, description = claims_figure(claims)
    return StaticFigure(fig, description)


def show_claims_figure() -> None:
    """Display the figure as an image with alt text, followed by its text description (any backend)."""
    from IPython.display import display

    display(claims_static_figure())
