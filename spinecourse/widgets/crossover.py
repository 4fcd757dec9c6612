"""ITT vs as-treated widget: set the true effect, the crossover and the selection; see the estimates.

One persistent dot-and-whisker chart; the callback re-runs the vectorised simulation
(``crossover.simulate``) and moves the dots, the whiskers, the true-effect line and four labels.
"""

from __future__ import annotations

import math

import ipywidgets as widgets
import numpy as np

from ..content.i18n import N_, _
from ..content.references import render_citations
from ..models import crossover
from ..widgets.base import PALETTE, FigureWidget, LiveFigure, check_start, teaching_model_note, text_panel
from . import descriptions

ROWS = (N_("True effect"), "ITT", N_("As-treated"), N_("IV estimate"))  # English; shown through _()
ROW_Y = (3, 2, 1, 0)
ROW_COLOURS = (PALETTE["black"], PALETTE["blue"], PALETTE["vermillion"], PALETTE["green"])
XLIM = (-25.0, 40.0)
N_RANGE = (50, 3000)  # patients per arm on the slider (the model allows crossover.RANGES["n_per_arm"])
SEED_RANGE = (0, 99)


def teaching_note() -> str:
    return teaching_model_note(
        _(
            "Teaching simulation with synthetic patients: <b>not SPORT's data</b> and not any trial's. "
            "Only the preset crossover rates are taken from the trials {refs}; the outcome model is illustrative."
        ).format(refs=render_citations("[@sport2008; @delitto2015]"))
    )


class CrossoverSimulator(FigureWidget):
    def __init__(self, settings: crossover.TrialSettings | None = None) -> None:
        s = settings or crossover.TrialSettings()
        # TrialSettings checked the model's ranges; these two sliders are narrower, and a slider
        # would silently clamp a start value outside them.
        check_start("n_per_arm (patients per arm)", s.n_per_arm, *N_RANGE)
        check_start("seed (synthetic trial number)", s.seed, *SEED_RANGE)
        style = {"description_width": "20em"}  # the longest label must not be cut
        layout = widgets.Layout(width="38em")
        self.preset = widgets.Dropdown(
            options=[(p, p) for p in crossover.PRESETS] + [(_("custom"), "custom")],
            value=self._preset_for(s),
            description=_("Crossover preset"),
            style=style,
            layout=layout,
        )
        self.effect = widgets.FloatSlider(
            value=s.true_effect,
            min=crossover.RANGES["true_effect"][0],
            max=crossover.RANGES["true_effect"][1],
            step=0.5,
            description=_("True effect of surgery (ODI pts)"),
            style=style,
            layout=layout,
        )
        self.uptake_surgery = widgets.FloatSlider(
            value=round(100 * s.uptake_surgery_arm, 1),
            min=0,
            max=100,
            step=1,
            description=_("Surgery arm: had surgery (%)"),
            style=style,
            layout=layout,
            readout_format=".0f",
        )
        self.uptake_control = widgets.FloatSlider(
            value=round(100 * s.uptake_control_arm, 1),
            min=0,
            max=100,
            step=1,
            description=_("Non-operative arm: had surgery (%)"),
            style=style,
            layout=layout,
            readout_format=".0f",
        )
        self.selection = widgets.FloatSlider(
            value=s.selection,
            min=-1,
            max=1,
            step=0.1,
            description=_("Selection (+ = worse → surgery)"),
            style=style,
            layout=layout,
        )
        self.n = widgets.IntSlider(
            value=s.n_per_arm,
            min=N_RANGE[0],
            max=N_RANGE[1],
            step=50,
            description=_("Patients per arm"),
            style=style,
            layout=layout,
        )
        self.seed = widgets.IntSlider(
            value=s.seed,
            min=SEED_RANGE[0],
            max=SEED_RANGE[1],
            step=1,
            description=_("Synthetic trial number (seed)"),
            style=style,
            layout=layout,
        )
        self.controls = [
            self.preset,
            self.effect,
            self.uptake_surgery,
            self.uptake_control,
            self.selection,
            self.n,
            self.seed,
        ]
        self._applying_preset = False

        self.live = LiveFigure(figsize=(5.4, 2.9), dpi=90)
        ax = self.ax = self.live.fig.add_axes((0.25, 0.18, 0.63, 0.68))
        ax.set_xlim(*XLIM)
        ax.set_ylim(-0.6, 3.6)
        ax.set_yticks(ROW_Y, [_(row) for row in ROWS])
        ax.set_xlabel(_("Effect of surgery on ODI improvement (points)"))
        ax.axvline(0, color=PALETTE["grey"], lw=1)
        ax.grid(axis="x", color="#DDDDDD")
        ax.set_axisbelow(True)
        ax.set_title(_("Teaching simulation: synthetic patients"), fontsize=9)
        (self.true_line,) = ax.plot([0, 0], [-0.6, 3.6], color=PALETTE["black"], ls="--", lw=1)
        (self.whiskers,) = ax.plot([], [], color=PALETTE["black"], lw=2)
        self.dots = [
            ax.plot([0], [y], marker=m, ms=8, color=c, ls="none")[0]
            for y, c, m in zip(ROW_Y, ROW_COLOURS, ("D", "o", "s", "^"))
        ]
        self.labels = [ax.text(XLIM[1] + 1, y, "", va="center", fontsize=8) for y in ROW_Y]
        self.live.animate_all([self.true_line, self.whiskers, *self.dots, *self.labels])

        self.numbers = text_panel()
        self.description = text_panel()
        self.connect()
        self.widget = widgets.VBox(
            [
                widgets.HTML(teaching_note()),
                widgets.VBox(self.controls),
                widgets.HBox([self.live.image, self.numbers]),
                self.description,
            ]
        )
        self.update()

    @staticmethod
    def _preset_for(s: crossover.TrialSettings) -> str:
        for name, (a, b) in crossover.PRESETS.items():
            if math.isclose(a, s.uptake_surgery_arm) and math.isclose(b, s.uptake_control_arm):
                return name
        return "custom"

    @property
    def settings(self) -> crossover.TrialSettings:
        return crossover.TrialSettings(
            true_effect=float(self.effect.value),
            uptake_surgery_arm=self.uptake_surgery.value / 100,
            uptake_control_arm=self.uptake_control.value / 100,
            selection=float(self.selection.value),
            n_per_arm=int(self.n.value),
            seed=int(self.seed.value),
        )

    def _on_change(self, change=None) -> None:
        if self._applying_preset:
            return
        owner = change.get("owner") if isinstance(change, dict) else None
        if owner is self.preset:
            if self.preset.value in crossover.PRESETS:
                a, b = crossover.PRESETS[self.preset.value]
                self._applying_preset = True
                try:
                    self.uptake_surgery.value = round(100 * a)
                    self.uptake_control.value = round(100 * b)
                finally:
                    self._applying_preset = False
        elif owner in (self.uptake_surgery, self.uptake_control):
            current = (self.uptake_surgery.value / 100, self.uptake_control.value / 100)
            if self.preset.value in crossover.PRESETS and not np.allclose(
                crossover.PRESETS[self.preset.value], current
            ):
                self._applying_preset = True
                try:
                    self.preset.value = "custom"
                finally:
                    self._applying_preset = False
        self.update()

    def update(self) -> crossover.TrialResult:
        result = crossover.simulate(self.settings)
        estimates = [None, result.itt, result.as_treated, result.iv]
        xs, ys = [], []
        for y, est in zip(ROW_Y[1:], estimates[1:]):
            if est is not None and not math.isnan(est.value):
                xs += [max(est.low, XLIM[0]), min(est.high, XLIM[1]), np.nan]
                ys += [y, y, np.nan]
        self.whiskers.set_data(xs, ys)
        values = [result.true_effect] + [math.nan if e is None else e.value for e in estimates[1:]]
        for dot, label, y, v in zip(self.dots, self.labels, ROW_Y, values):
            shown = not math.isnan(v)
            dot.set_data([min(max(v, XLIM[0]), XLIM[1]) if shown else 0], [y])
            dot.set_visible(shown)
            label.set_text(f"{v:+.1f}" if shown else _("n/a"))
        self.true_line.set_xdata([result.true_effect, result.true_effect])
        self.numbers.value = numbers_html(result)
        text = descriptions.crossover_text(result)
        self.redraw(text)
        self.result = result
        return result


def numbers_html(result: crossover.TrialResult) -> str:
    s = result.settings
    expected = crossover.expected_itt(s.true_effect, *result.observed_uptake)
    estimate = descriptions.estimate
    gap = crossover.format_number(result.prognosis_gap, "+.2f", "SD")
    return render_citations(
        "<p><b>"
        + _("True effect:")
        + "</b> "
        + _("{value} ODI points").format(value=f"{s.true_effect:+.1f}")
        + "</p>"
        + _("<p><b>ITT</b> (as randomised): {itt}<br>").format(itt=estimate(result.itt))
        + "<small>"
        + _("expected from dilution alone: {value}").format(value=f"{expected:+.1f}")
        + "</small><br>"
        + _("<b>As-treated</b> (as operated): {value}<br>").format(
            value=estimate(result.as_treated, crossover.NOT_COMPARABLE)
        )
        + _("<b>IV</b> (ITT ÷ uptake difference): {value}</p>").format(value=estimate(result.iv))
        + "<p><small>"
        + _("Had surgery: {surgery}% vs {control}%.").format(
            surgery=f"{100 * result.observed_uptake[0]:.0f}", control=f"{100 * result.observed_uptake[1]:.0f}"
        )
        + " "
        + _("Prognosis gap (operated − not operated): {gap} ({selection}).").format(
            gap=descriptions.phrase(gap), selection=descriptions.phrase(crossover.selection_text(s.selection))
        )
        + " "
        + _("95% CIs by normal approximation.")
        + "</small></p>"
    )
