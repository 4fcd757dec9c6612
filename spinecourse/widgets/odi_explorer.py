"""ODI explorer: score a synthetic patient before and after treatment and compare the
change with the minimal important change (10 points) and the 30% threshold [@ostelo2008].

One persistent bar chart (before, after) with two reference lines over the 'after'
bar; the callback moves bar heights, the lines and two labels only.
"""

from __future__ import annotations

import ipywidgets as widgets

from ..content.i18n import N_, _
from ..content.references import render_citations
from ..models import outcomes
from ..widgets.base import PALETTE, ROLE_COLOURS, FigureWidget, LiveFigure, teaching_model_note, text_panel
from . import descriptions

SKIP = N_("skipped")


def options() -> list[tuple[str, int | None]]:
    """A section's menu: "skipped" (in the session's language) or a score 0–5."""
    return [(_(SKIP), None)] + [(str(i), i) for i in range(outcomes.MAX_SECTION_SCORE + 1)]


OPTIONS = options()  # the English menu (kept for callers that read it)

#: A synthetic patient (not a real one): moderate disability before, better after.
DEFAULT_BEFORE = (3, 2, 3, 4, 2, 4, 2, None, 3, 3)
DEFAULT_AFTER = (2, 1, 2, 2, 2, 2, 1, None, 2, 2)


def teaching_note() -> str:
    return teaching_model_note(
        _(
            "Synthetic answers with generic section labels; the real questionnaire's wording is not "
            "reproduced. The scoring formula comes from secondary sources."
        )
    )


class ODIExplorer(FigureWidget):
    def __init__(self, before=DEFAULT_BEFORE, after=DEFAULT_AFTER) -> None:
        dd_layout = widgets.Layout(width="7em")
        # Each menu is labelled (screen readers announce the label): the section name on the
        # "before" menu, "after" on the second; tooltips repeat the section for the latter.
        menu = options()
        self.before = [
            widgets.Dropdown(
                options=menu,
                value=v,
                description=descriptions.phrase(label),
                layout=widgets.Layout(width="22em"),
                style={"description_width": "15em"},
            )
            for label, v in zip(outcomes.SECTION_LABELS, before)
        ]
        self.after = [
            widgets.Dropdown(
                options=menu,
                value=v,
                description=_("after"),
                layout=widgets.Layout(width="10em"),
                style={"description_width": "3em"},
                tooltip=_("{section}, after treatment").format(section=descriptions.phrase(label)),
            )
            for label, v in zip(outcomes.SECTION_LABELS, after)
        ]
        self.controls = [*self.before, *self.after]

        self.live = LiveFigure(figsize=(3.8, 3.2), dpi=90)
        ax = self.ax = self.live.fig.add_axes((0.2, 0.13, 0.75, 0.77))
        ax.set_ylim(0, 100)
        ax.set_xlim(-0.6, 1.6)
        ax.set_xticks([0, 1], [_("before"), _("after")])
        ax.set_ylabel(_("ODI (0–100, higher = more disability)"))
        ax.set_title(_("Synthetic patient"), fontsize=9)
        ax.grid(axis="y", color="#DDDDDD")
        ax.set_axisbelow(True)
        self.bars = list(
            ax.bar([0, 1], [0, 0], width=0.6, color=[ROLE_COLOURS["before"], ROLE_COLOURS["after"]], edgecolor="black")
        )
        (self.mic_line,) = ax.plot([0.62, 1.38], [0, 0], color=ROLE_COLOURS["threshold"], lw=2, ls="--")
        (self.rel_line,) = ax.plot([0.62, 1.38], [0, 0], color=PALETTE["blue"], lw=2, ls=":")
        self.mic_text = ax.text(1.4, 0, _("−10 pts"), fontsize=7, va="center")
        self.rel_text = ax.text(1.4, 0, "−30%", fontsize=7, va="center", color=PALETTE["blue"])
        self.value_labels = [ax.text(x, 0, "", ha="center", va="bottom", fontsize=8) for x in (0, 1)]
        self.live.animate_all(
            [*self.bars, self.mic_line, self.rel_line, self.mic_text, self.rel_text, *self.value_labels]
        )

        self.numbers = text_panel()
        self.description = text_panel()
        self.connect()
        header = [
            widgets.HTML("<b>" + _("Section") + "</b>", layout=widgets.Layout(width="15em")),
            widgets.HTML("<b>" + _("Before") + "</b>", layout=dd_layout),
            widgets.HTML("<b>" + _("After") + "</b>", layout=dd_layout),
        ]
        rows = [widgets.HBox(header)] + [widgets.HBox([b, a]) for b, a in zip(self.before, self.after)]
        self.widget = widgets.VBox(
            [
                widgets.HTML(teaching_note()),
                widgets.HBox([widgets.VBox(rows), widgets.VBox([self.live.image, self.numbers])]),
                self.description,
            ]
        )
        self.update()

    def _score(self, controls) -> outcomes.ODIScore | None:
        values = [c.value for c in controls]
        if all(v is None for v in values):
            return None
        return outcomes.odi_score(values)

    def update(self):
        before, after = self._score(self.before), self._score(self.after)
        if before is None or after is None:
            empty_before = before is None
            for bar in self.bars:
                bar.set_height(0)
            for artist in (self.mic_line, self.rel_line):
                artist.set_ydata([0, 0])
            for artist in (self.mic_text, self.rel_text):  # no thresholds without a score
                artist.set_visible(False)
            for label in self.value_labels:
                label.set_text("")
            if empty_before:
                head = _("Cannot score the before questionnaire:")
                text = _("No bars: the before questionnaire has no answered section.")
            else:
                head = _("Cannot score the after questionnaire:")
                text = _("No bars: the after questionnaire has no answered section.")
            self.numbers.value = f"<p><b>{head}</b> " + _("every section is skipped.") + "</p>"
            self.redraw(text)
            self.result = None
            self.scores = None
            return None
        change = outcomes.classify_change(before.index, after.index, "ODI")
        self.bars[0].set_height(before.index)
        self.bars[1].set_height(after.index)
        mic_y, rel_y = outcomes.reference_scores(change)
        self.mic_line.set_ydata([mic_y, mic_y])
        self.rel_line.set_ydata([rel_y, rel_y])
        for artist, y in ((self.mic_text, mic_y), (self.rel_text, rel_y)):
            artist.set_y(y)
            artist.set_visible(True)
        self.value_labels[0].set_position((0, before.index + 1))
        self.value_labels[0].set_text(f"{before.index:.1f}")
        self.value_labels[1].set_position((1, after.index + 1))
        self.value_labels[1].set_text(f"{after.index:.1f}")
        self.numbers.value = numbers_html(before, after, change)
        text = descriptions.odi(change)
        self.redraw(text)
        self.result = change
        self.scores = (before, after)
        return change


def _score_line(name: str, s: outcomes.ODIScore) -> str:
    return f"<b>{name}:</b> {s.total} / (5 × {s.answered}) × 100 = <b>{s.index:.1f}</b>" + (
        " " + _("({count} skipped)").format(count=s.skipped) if s.skipped else ""
    )


def numbers_html(before: outcomes.ODIScore, after: outcomes.ODIScore, change: outcomes.ChangeResult) -> str:
    pct = _("n/a (baseline 0)") if change.percent_improvement is None else f"{change.percent_improvement:.0f}%"
    tick = {True: "✔ " + _("yes"), False: "✘ " + _("no")}
    return render_citations(
        f"<p>{_score_line(_('Before'), before)}<br>{_score_line(_('After'), after)}</p>"
        f"<p><b>"
        + _("Improvement:")
        + "</b> "
        + _("{improvement} points ({pct} of baseline)").format(improvement=f"{change.improvement:.1f}", pct=pct)
        + "<br>"
        + _("≥ {mic} points (MIC)?").format(mic=f"{change.mic:g}")
        + f" {tick[change.meets_mic]}<br>"
        + _("≥ {rel_pct} of baseline?").format(rel_pct=f"{outcomes.RELATIVE_THRESHOLD_PERCENT:.0f}%")
        + f" {tick[change.meets_relative]}<br>"
        f"→ {descriptions.verdict(change)}</p>"
        "<p><small>"
        + _(
            "Thresholds from an international consensus on low back pain [@ostelo2008]. "
            "They describe groups; a single patient's change also contains measurement error."
        )
        + "</small></p>"
    )
