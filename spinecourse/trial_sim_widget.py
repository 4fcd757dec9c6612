"""Widget for the trial simulator: four sliders -> one persistent histogram + numbers.

The figure is built once: axes, labels, the zero line and the legend are static; the two
step lines (precomputed 1-point bins, ``set_data``) and the true-effect marker are animated.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.lines import Line2D

from . import trial_sim
from .plotting import FigureWidget, LiveFigure, PALETTE, teaching_model_note, text_panel

SINGLE_COLOUR = PALETTE["vermillion"]
RCT_COLOUR = PALETTE["blue"]
Y_MAX = 45.0  # % of studies per 1-point bin (fixed so the axes never redraw)

TEACHING_NOTE = teaching_model_note(
    "Synthetic patients on a 0–100 ODI-like scale with illustrative population values "
    f"(mean {trial_sim.POP_MEAN:g}, between-patient SD {trial_sim.BETWEEN_SD:g}, visit-to-visit SD "
    f"{trial_sim.WITHIN_SD:g} points). It shows how designs behave, not how any real therapy works."
)


class TrialSimulator(FigureWidget):
    def __init__(self, **settings) -> None:
        start = {**trial_sim.DEFAULTS, **settings}
        style = {"description_width": "16em"}
        layout = widgets.Layout(width="34em")
        r = trial_sim.RANGES
        self.n_total = widgets.IntSlider(value=start["n_total"], min=r["n_total"][0], max=r["n_total"][1], step=2,
                                         description="Patients per study", style=style, layout=layout)
        self.true_effect = widgets.FloatSlider(value=start["true_effect"], min=r["true_effect"][0], max=r["true_effect"][1],
                                               step=1, description="True treatment effect (points)", style=style,
                                               layout=layout, readout_format=".0f")
        self.placebo = widgets.FloatSlider(value=start["placebo"], min=r["placebo"][0], max=r["placebo"][1], step=1,
                                           description="Placebo response (points)", style=style, layout=layout,
                                           readout_format=".0f")
        self.threshold = widgets.FloatSlider(value=start["threshold"], min=r["threshold"][0], max=r["threshold"][1],
                                             step=1, description="Enrol if screening score ≥", style=style,
                                             layout=layout, readout_format=".0f")
        self.controls = [self.n_total, self.true_effect, self.placebo, self.threshold]

        self.live = LiveFigure(figsize=(6.0, 3.4), dpi=90)
        ax = self.ax = self.live.fig.add_axes((0.11, 0.16, 0.86, 0.74))
        ax.set_xlim(trial_sim.BIN_LOW, trial_sim.BIN_HIGH)
        ax.set_ylim(0, Y_MAX)
        ax.set_xlabel("Improvement estimated by one study (points, 0–100 scale)")
        ax.set_ylabel("Simulated studies (% per 1-point bin)")
        ax.set_title(f"Teaching model: {trial_sim.N_STUDIES} simulated studies per design", fontsize=9)
        ax.axvline(0, color=PALETTE["grey"], lw=0.8)
        ax.grid(axis="y", color="#DDDDDD")
        ax.set_axisbelow(True)
        edges = trial_sim.BIN_EDGES
        zeros = np.zeros(len(edges))
        (self.single_line,) = ax.plot(edges, zeros, drawstyle="steps-post", color=SINGLE_COLOUR, lw=2)
        (self.rct_line,) = ax.plot(edges, zeros, drawstyle="steps-post", color=RCT_COLOUR, lw=2, ls="--")
        (self.truth_line,) = ax.plot([0, 0], [0, Y_MAX], color=PALETTE["black"], lw=1.5, ls=":")
        ax.legend(handles=[
            Line2D([], [], color=SINGLE_COLOUR, lw=2, label="single-arm before/after"),
            Line2D([], [], color=RCT_COLOUR, lw=2, ls="--", label="randomised vs sham"),
            Line2D([], [], color=PALETTE["black"], lw=1.5, ls=":", label="true effect"),
        ], loc="upper right", fontsize=8, frameon=False)
        self.live.animate_all([self.single_line, self.rct_line, self.truth_line])

        self.numbers = text_panel()
        self.description = text_panel()
        self.connect()
        self.widget = widgets.VBox([
            widgets.HTML(TEACHING_NOTE),
            *self.controls,
            widgets.HBox([self.live.image, self.numbers]),
            self.description,
        ])
        self.update()

    @property
    def settings(self) -> trial_sim.TrialSettings:
        return trial_sim.TrialSettings(n_total=int(self.n_total.value), true_effect=float(self.true_effect.value),
                                       placebo=float(self.placebo.value), threshold=float(self.threshold.value))

    def update(self) -> trial_sim.TrialResult:
        result = trial_sim.simulate(self.settings)
        edges = trial_sim.BIN_EDGES
        for line, values in ((self.single_line, result.single_effects), (self.rct_line, result.rct_effects)):
            pct = trial_sim.histogram_percent(values)
            line.set_data(edges, np.r_[pct, pct[-1]])
        truth = result.settings.true_effect
        self.truth_line.set_data([truth, truth], [0, Y_MAX])
        self.numbers.value = numbers_html(result)
        text = trial_sim.describe(result)
        self.redraw(text)
        self.result = result
        return result


def numbers_html(result: trial_sim.TrialResult) -> str:
    s = result.settings
    label = "False-positive rate" if s.true_effect == 0 else "Studies 'significant' (power)"
    return (
        f"<p><b>True effect:</b> {s.true_effect:g} points</p>"
        f"<p><b>Single-arm series</b> ({s.n_total} treated)<br>"
        f"average estimate {result.single_mean:.1f} (bias {result.single_bias:+.1f})<br>"
        f"{label}: {100 * result.single_share_significant:.0f}%</p>"
        f"<p><b>Randomised trial</b> ({s.n_total // 2} vs {s.n_total // 2})<br>"
        f"average estimate {result.rct_mean:.1f} (bias {result.rct_bias:+.1f})<br>"
        f"{label}: {100 * result.rct_share_significant:.0f}%</p>"
        f"<p><small>Expected improvement without any treatment in the single arm: placebo {s.placebo:g} + "
        f"regression to the mean {result.expected_rtm:.1f} points. Two-sided t-test, alpha {s.alpha:g}.</small></p>"
    )
