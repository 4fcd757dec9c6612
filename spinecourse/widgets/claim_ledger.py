"""Claim ledger widget and its static summary figure (the claims and their grading are in content.claims)."""

from __future__ import annotations

import html
import textwrap
from collections import Counter
from dataclasses import dataclass

import ipywidgets as widgets
from matplotlib.figure import Figure

from ..content.claims import CLAIMS, GRADE_LEVELS, OCEBM_LEVELS, Claim, ClaimFeedback, check, feedback_html
from .base import CourseWidget, PALETTE, teaching_model_note, text_panel

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
        self.claims = claims
        ocebm_options = [("choose…", "unset")] + [(OCEBM_LEVELS[k].split(":")[0], k) for k in (1, 2, 3, 4, 5)] \
            + [("no published study", "none")]
        grade_options = [("choose…", "unset")] + [(g, g) for g in GRADE_LEVELS]
        # Each menu has its own accessible name ("OCEBM, claim 3", "GRADE, claim 3"): an empty
        # description leaves a screen reader announcing only "combo box". The two menus of a
        # claim are stacked in one column so the visible labels do not widen the table.
        picker_layout = widgets.Layout(width="21em")
        picker_style = {"description_width": "9em"}
        self.ocebm_pickers = [widgets.Dropdown(options=ocebm_options, value="unset", layout=picker_layout,
                                               style=picker_style, description=f"OCEBM, claim {i + 1}",
                                               tooltip=f"OCEBM 2011 level for claim {i + 1}")
                              for i, _ in enumerate(claims)]
        self.grade_pickers = [widgets.Dropdown(options=grade_options, value="unset", layout=picker_layout,
                                               style=picker_style, description=f"GRADE, claim {i + 1}",
                                               tooltip=f"GRADE certainty for claim {i + 1}")
                              for i, _ in enumerate(claims)]
        self.controls = [*self.ocebm_pickers, *self.grade_pickers]
        self.feedback = [widgets.HTML(layout=widgets.Layout(width="30em")) for _ in claims]
        self.score = text_panel()
        header = [widgets.HTML(f"<b>{h}</b>") for h in
                  ("Claim (paraphrased)", "Your rating: OCEBM 2011 level, GRADE certainty", "Feedback")]
        cells = list(header)
        for i, claim in enumerate(claims):
            cells += [widgets.HTML(f"{i + 1}. {html.escape(claim.text)}", layout=widgets.Layout(width="22em")),
                      widgets.VBox([self.ocebm_pickers[i], self.grade_pickers[i]]), self.feedback[i]]
        self.table = widgets.GridBox(cells, layout=widgets.Layout(
            grid_template_columns="22em 21em 30em", grid_gap="6px 8px"))
        self.connect()
        note = teaching_model_note(
            "The key is the course's reading of the checked literature, not an official rating. Where two "
            "answers are defensible, both are accepted and the feedback says why."
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
        self.score.value = (f"<p><b>Text summary.</b> {result.answered} of {len(self.claims)} claims rated; "
                            f"{result.correct} match the key on both level and certainty.</p>")
        self.result = result
        return result


# ---- static summary figure ----

CATEGORY_ORDER = (1, 2, 3, 4, 5, None)


def claims_figure(claims: tuple[Claim, ...] = CLAIMS) -> tuple[Figure, str]:
    """Horizontal bars: how many of the article's claims rest on each OCEBM level (keyed answers)."""
    counts = Counter(c.ocebm for c in claims)
    labels = [("Level %d" % k) if k else "no published study" for k in CATEGORY_ORDER]
    values = [counts.get(k, 0) for k in CATEGORY_ORDER]
    fig = Figure(figsize=(6.4, 3.4), dpi=90)
    ax = fig.add_axes((0.27, 0.16, 0.70, 0.72))
    ys = list(range(len(CATEGORY_ORDER)))[::-1]
    colours = [PALETTE["blue"], PALETTE["sky"], PALETTE["green"], PALETTE["orange"], PALETTE["vermillion"], PALETTE["grey"]]
    ax.barh(ys, values, color=colours, edgecolor="black")
    for y, k, v in zip(ys, CATEGORY_ORDER, values):
        names = textwrap.fill(", ".join(c.short for c in claims if c.ocebm == k), 42)
        if v:
            ax.text(v + 0.1, y, names, va="center", fontsize=7, linespacing=0.9)
    ax.set_yticks(ys, labels)
    ax.set_xlim(0, max(values) + 5)
    ax.set_xlabel("Number of source-article claims (best evidence behind each)")
    ax.set_title("Where the article's claims sit\n(OCEBM 2011, best evidence found in any population)", fontsize=10)
    parts = [f"{lab}: {v}" for lab, v in zip(labels, values)]
    randomised = [c.short for c in claims if c.ocebm in (1, 2)]
    if randomised:
        rct_text = (f"Randomised evidence (Level 1 or 2) lies behind {len(randomised)} of them: "
                    f"{', '.join(randomised)}.")
    else:
        rct_text = "No claim rests on randomised evidence (Level 1 or 2)."
    description = (
        f"Horizontal bar chart of the {len(claims)} source-article claims by the OCEBM 2011 level of the best "
        f"evidence behind them: {'; '.join(parts)}. {rct_text} GRADE certainty for benefit in stenosis: "
        f"{', '.join(f'{g} for {n}' for g, n in Counter(c.grade for c in claims).most_common())}."
    )
    return fig, description


def show_claims_figure() -> None:
    from IPython.display import Markdown, display

    fig, description = claims_figure()
    display(fig)
    display(Markdown(f"**Figure description.** {description}"))
