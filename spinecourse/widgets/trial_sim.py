"""Widget for the trial simulator: four sliders -> one persistent histogram + numbers.

The figure is built once: axes, labels, the zero line and the legend are static; the two
step lines (precomputed 1-point bins, ``set_data``) and the true-effect marker are animated.
The x-axis fits the simulated estimates (``fitted_xlim``): limits snap to 10 points and change only
when the estimates leave them or fill less than half of them, so the axes (and the cached
background) stay put while a slider moves within a similar range; each axis range's background
is drawn once and kept (``LiveFigure.use_view``), so moving back to a range costs a normal tick.
"""

from __future__ import annotations

import dataclasses
import math

import ipywidgets as widgets
import numpy as np
from matplotlib.lines import Line2D

from ..content.i18n import _
from ..models import trial_sim
from ..widgets.base import PALETTE, FigureWidget, LiveFigure, teaching_model_note, text_panel
from . import descriptions

SINGLE_COLOUR = PALETTE["vermillion"]
RCT_COLOUR = PALETTE["blue"]
#: % of studies per 1-point bin (fixed so the axes never redraw). The tallest bar any slider
#: setting reaches with the default 400 studies is about 45% (200 patients); a taller one (fewer
#: simulated studies) is clipped and marked off scale.
Y_MAX = 50.0
#: x-axis limits snap to multiples of this (points), with this margin around the estimates.
X_STEP, X_MARGIN = 10.0, 2.0


def fitted_xlim(result: trial_sim.TrialResult, current: tuple[float, float] | None = None) -> tuple[float, float]:
    """x-axis limits that hold every simulated estimate, zero and the true effect.

    Keeps ``current`` while it still holds them all (with the margin) and they span at least half of it:
    moving a slider a little then leaves the axes alone instead of jumping every tick.
    """
    values = np.r_[result.single_effects, result.rct_effects, 0.0, result.settings.true_effect]
    low, high = float(values.min()) - X_MARGIN, float(values.max()) + X_MARGIN
    if current is not None:
        cur_low, cur_high = current
        if cur_low <= low and high <= cur_high and (high - low) >= 0.5 * (cur_high - cur_low):
            return current
    low = max(trial_sim.BIN_LOW, math.floor(low / X_STEP) * X_STEP)
    high = min(trial_sim.BIN_HIGH, math.ceil(high / X_STEP) * X_STEP)
    return (low, high)


def teaching_note() -> str:
    return teaching_model_note(
        _(
            "Synthetic patients on a 0–100 ODI-like scale with illustrative population values "
            "(mean {mean}, between-patient SD {between}, visit-to-visit SD "
            "{within} points). It shows how designs behave, not how any real therapy works."
        ).format(mean=f"{trial_sim.POP_MEAN:g}", between=f"{trial_sim.BETWEEN_SD:g}", within=f"{trial_sim.WITHIN_SD:g}")
    )


class TrialSimulator(FigureWidget):
    def __init__(self, **settings) -> None:
        known = [f.name for f in dataclasses.fields(trial_sim.TrialSettings)]
        unknown = sorted(set(settings) - set(known))
        if unknown:
            raise ValueError(f"unknown setting(s) {unknown}: TrialSimulator accepts {', '.join(known)}")
        # Validated by the model (its RANGES are the sliders' ranges, so nothing is clamped);
        # alpha, seed and n_studies have no slider and are kept as given.
        first = trial_sim.TrialSettings(**settings)
        self._fixed = {"n_studies": first.n_studies, "alpha": first.alpha, "seed": first.seed}
        start = dataclasses.asdict(first)
        style = {"description_width": "16em"}
        layout = widgets.Layout(width="34em")
        r = trial_sim.RANGES
        self.n_total = widgets.IntSlider(
            value=start["n_total"],
            min=r["n_total"][0],
            max=r["n_total"][1],
            step=2,
            description=_("Patients per study"),
            style=style,
            layout=layout,
        )
        self.true_effect = widgets.FloatSlider(
            value=start["true_effect"],
            min=r["true_effect"][0],
            max=r["true_effect"][1],
            step=1,
            description=_("True treatment effect (points)"),
            style=style,
            layout=layout,
            readout_format=".0f",
        )
        self.placebo = widgets.FloatSlider(
            value=start["placebo"],
            min=r["placebo"][0],
            max=r["placebo"][1],
            step=1,
            description=_("Placebo response (points)"),
            style=style,
            layout=layout,
            readout_format=".0f",
        )
        self.threshold = widgets.FloatSlider(
            value=start["threshold"],
            min=r["threshold"][0],
            max=r["threshold"][1],
            step=1,
            description=_("Enrol if screening score ≥"),
            style=style,
            layout=layout,
            readout_format=".0f",
        )
        self.controls = [self.n_total, self.true_effect, self.placebo, self.threshold]

        self.live = LiveFigure(figsize=(6.0, 3.4), dpi=90)
        ax = self.ax = self.live.fig.add_axes((0.11, 0.16, 0.86, 0.67))
        self.xlim = fitted_xlim(trial_sim.simulate(first))
        ax.set_xlim(*self.xlim)
        self.live.use_view(self.xlim)
        ax.set_ylim(0, Y_MAX)
        ax.set_xlabel(_("Improvement estimated by one study (points, 0–100 scale)"))
        ax.set_ylabel(_("Simulated studies (% per 1-point bin)"))
        ax.set_title(
            _("Teaching model: {n} simulated studies per design").format(n=first.n_studies), fontsize=9, pad=24
        )
        ax.axvline(0, color=PALETTE["grey"], lw=0.8)
        ax.grid(axis="y", color="#DDDDDD")
        ax.set_axisbelow(True)
        edges = trial_sim.BIN_EDGES
        zeros = np.zeros(len(edges))
        (self.single_line,) = ax.plot(edges, zeros, drawstyle="steps-post", color=SINGLE_COLOUR, lw=2)
        (self.rct_line,) = ax.plot(edges, zeros, drawstyle="steps-post", color=RCT_COLOUR, lw=2, ls="--")
        (self.truth_line,) = ax.plot([0, 0], [0, Y_MAX], color=PALETTE["black"], lw=1.5, ls=":")
        ax.legend(
            handles=[
                Line2D([], [], color=SINGLE_COLOUR, lw=2, label=_("single-arm before/after")),
                Line2D([], [], color=RCT_COLOUR, lw=2, ls="--", label=_("randomised vs sham")),
                Line2D([], [], color=PALETTE["black"], lw=1.5, ls=":", label=_("true effect")),
            ],
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            ncol=3,
            fontsize=8,
            frameon=False,
        )  # above the
        # axes: the curves reach every part of the plot area, and a legend inside would sit under them
        self.off_scale = ax.text(
            0.01,
            0.97,
            "",
            transform=ax.transAxes,
            ha="left",
            va="top",
            fontsize=8,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
        )
        self.live.animate_all([self.single_line, self.rct_line, self.truth_line, self.off_scale])

        self.numbers = text_panel()
        self.description = text_panel()
        self.connect()
        self.widget = widgets.VBox(
            [
                widgets.HTML(teaching_note()),
                *self.controls,
                widgets.HBox([self.live.image, self.numbers]),
                self.description,
            ]
        )
        self.update()

    @property
    def settings(self) -> trial_sim.TrialSettings:
        return trial_sim.TrialSettings(
            n_total=int(self.n_total.value),
            true_effect=float(self.true_effect.value),
            placebo=float(self.placebo.value),
            threshold=float(self.threshold.value),
            **self._fixed,
        )

    def update(self) -> trial_sim.TrialResult:
        result = trial_sim.simulate(self.settings)
        xlim = fitted_xlim(result, self.xlim)
        if xlim != self.xlim:  # the estimates left the axes (or shrank): redraw the static parts once
            self.xlim = xlim
            self.ax.set_xlim(*xlim)
            self.live.use_view(xlim)  # drawn once per axis range, then reused
        edges = trial_sim.BIN_EDGES
        tallest = 0.0
        for line, values in ((self.single_line, result.single_effects), (self.rct_line, result.rct_effects)):
            pct = trial_sim.histogram_percent(values)
            tallest = max(tallest, float(pct.max()))
            pct = np.minimum(pct, Y_MAX)  # an off-scale bar is drawn at the top and marked
            line.set_data(edges, np.r_[pct, pct[-1]])
        truth = result.settings.true_effect
        self.truth_line.set_data([truth, truth], [0, Y_MAX])
        off_scale = tallest > Y_MAX
        self.off_scale.set_text(
            _("▲ off scale: tallest bar {tallest}%").format(tallest=f"{tallest:.0f}") if off_scale else ""
        )
        self.off_scale.set_visible(off_scale)
        self.numbers.value = numbers_html(result)
        text = descriptions.trial_sim_text(result)
        if off_scale:
            text += " " + _("The tallest bar ({tallest} of studies in one bin) is cut off at {top}%.").format(
                tallest=f"{tallest:.0f}%", top=f"{Y_MAX:g}"
            )
        self.redraw(text)
        self.result = result
        return result


def numbers_html(result: trial_sim.TrialResult) -> str:
    s = result.settings
    label = _("False-positive rate") if s.true_effect == 0 else _("Studies 'significant' (power)")
    points = trial_sim.points
    average = _("average estimate {mean} (bias {bias})")
    return (
        "<p><b>"
        + _("True effect:")
        + "</b> "
        + _("{value} points").format(value=f"{s.true_effect:g}")
        + "</p>"
        + _("<p><b>Single-arm series</b> ({n} treated)<br>").format(n=s.n_total)
        + average.format(mean=points(result.single_mean), bias=points(result.single_bias, True))
        + "<br>"
        f"{label}: {100 * result.single_share_significant:.0f}%</p>"
        + _("<p><b>Randomised trial</b> ({half} vs {half})<br>").format(half=s.n_total // 2)
        + average.format(mean=points(result.rct_mean), bias=points(result.rct_bias, True))
        + "<br>"
        f"{label}: {100 * result.rct_share_significant:.0f}%</p>"
        "<p><small>"
        + _(
            "Expected improvement without any treatment in the single arm: placebo {placebo} + "
            "regression to the mean {rtm} points. Two-sided t-test, alpha {alpha}."
        ).format(placebo=f"{s.placebo:g}", rtm=f"{result.expected_rtm:.1f}", alpha=f"{s.alpha:g}")
        + "</small></p>"
    )
