"""Bedside probability widget: pre-test probability + findings -> post-test probability.

One persistent bar chart (pre-test, post-test with the CI range as a whisker);
the callback only moves bar heights and the whisker.
"""

from __future__ import annotations

import ipywidgets as widgets

from ..content.i18n import _
from ..content.references import render_citations
from ..models import diagnosis
from ..widgets.base import (
    ROLE_COLOURS,
    FigureWidget,
    LiveFigure,
    close_tree,
    static_html,
    teaching_model_note,
    text_panel,
)
from . import descriptions

INDEPENDENT_FINDINGS = [
    "no_pain_seated",
    "better_bending_forward",
    "bilateral_pain",
    "wide_based_gait",
    "abnormal_romberg",
]
#: The static copy's worked case when the live widget starts with no findings (30% would stay 30%).
WORKED_FINDINGS = ("claudication_present",)


class BedsideProbability(FigureWidget):
    def __init__(self, pretest_percent: float = 30.0, findings=()) -> None:
        style = {"description_width": "13em"}
        self.pretest = widgets.FloatSlider(
            value=pretest_percent,
            min=1,
            max=99,
            step=1,
            description=_("Pre-test probability (%)"),
            style=style,
            layout=widgets.Layout(width="30em"),
            readout_format=".0f",
        )
        self.age = widgets.ToggleButtons(
            options=[(_("not used"), None), (_("under 60"), "age_under_60"), (_("over 70"), "age_over_70")],
            value=None,
            description=_("Age"),
            style=style,
        )
        self.claudication = widgets.ToggleButtons(
            options=[
                (_("not asked"), None),
                (_("present"), "claudication_present"),
                (_("absent"), "claudication_absent"),
            ],
            value=None,
            description=_("Neurogenic claudication"),
            style=style,
        )
        self.checks = {
            key: widgets.Checkbox(
                value=False, description=descriptions.phrase(diagnosis.FINDINGS[key].label), indent=False
            )
            for key in INDEPENDENT_FINDINGS
        }
        self.controls = [self.pretest, self.age, self.claudication, *self.checks.values()]
        self._set_findings(findings)

        self.live = LiveFigure(figsize=(3.6, 3.0), dpi=90)
        ax = self.ax = self.live.fig.add_axes((0.2, 0.15, 0.75, 0.75))
        ax.set_ylim(0, 100)
        ax.set_xlim(-0.6, 1.6)
        ax.set_xticks([0, 1], [_("pre-test"), _("post-test")])
        ax.set_ylabel(_("Probability of the LSS syndrome (%)"))
        ax.set_title(_("Teaching model (LRs: Suri 2010)"), fontsize=9)
        ax.grid(axis="y", color="#DDDDDD")
        ax.set_axisbelow(True)
        bars = ax.bar([0, 1], [0, 0], color=[ROLE_COLOURS["before"], ROLE_COLOURS["after"]], width=0.6)
        self.bars = list(bars)
        (self.whisker,) = ax.plot([1, 1], [0, 0], color="black", lw=2)
        self.labels = [ax.text(x, 0, "", ha="center", va="bottom", fontsize=9) for x in (0, 1)]
        self.live.animate_all([*self.bars, self.whisker, *self.labels])

        self.numbers = text_panel()
        self.description = text_panel()
        self.connect()
        note = teaching_model_note(
            _(
                "Multiplying likelihood ratios assumes the findings are independent; they are not, so "
                "a combined result is likely an overestimate. The whisker uses the ends of each LR's 95% CI."
            )
        )
        self.widget = widgets.VBox(
            [
                widgets.HTML(note),
                self.pretest,
                self.age,
                self.claudication,
                *self.checks.values(),
                widgets.HBox([self.live.image, self.numbers]),
                self.description,
            ]
        )
        self.update()

    def _set_findings(self, findings) -> None:
        if isinstance(findings, str):
            raise ValueError(f"findings must be a list of finding keys, got the text {findings!r}")
        for key in findings:
            if key in self.checks:
                self.checks[key].value = True
            elif key in ("age_under_60", "age_over_70"):
                self.age.value = key
            elif key in ("claudication_present", "claudication_absent"):
                self.claudication.value = key
            else:
                raise ValueError(f"unknown finding {key!r}; choose from: {', '.join(diagnosis.FINDINGS)}")

    def static_html(self) -> str:
        """The current state, or, while no finding is chosen (pre-test = post-test), a worked case with a
        finding added so the copy shows the update the widget teaches."""
        if self.findings:
            return super().static_html()
        self.live.sharpen()  # the live view, as for every figure widget on display
        worked = BedsideProbability(self.pretest.value, findings=WORKED_FINDINGS)
        try:
            worked.live.sharpen()
            intro = (
                "<p><i>"
                + _(
                    "Static copy of this interactive widget with a worked case: pre-test probability "
                    "{pretest}% and {finding}; run the notebook to choose the findings yourself."
                ).format(
                    pretest=f"{self.pretest.value:.0f}",
                    finding=descriptions.phrase(worked.result.findings[0].label).lower(),
                )
                + "</i></p>"
            )
            return static_html(worked.widget, intro=intro)
        finally:
            close_tree(worked.widget)

    @property
    def findings(self) -> list[str]:
        chosen = [self.age.value, self.claudication.value]
        chosen += [key for key, box in self.checks.items() if box.value]
        return [k for k in chosen if k]

    def update(self) -> diagnosis.BedsideResult:
        result = diagnosis.bedside(self.pretest.value / 100, self.findings)
        pre, post = 100 * result.pretest, 100 * result.post
        self.bars[0].set_height(pre)
        self.bars[1].set_height(post)
        self.whisker.set_data([1, 1], [100 * result.post_low, 100 * result.post_high])
        self.labels[0].set_position((0, pre + 1))
        self.labels[0].set_text(f"{pre:.0f}%")
        self.labels[1].set_position((1.32, post))
        self.labels[1].set_text(f"{post:.0f}%")
        lines = "".join(
            f"<li>{descriptions.phrase(f.label)}: LR {f.lr:g} ({f.ci[0]:g}–{f.ci[1]:g})</li>" for f in result.findings
        )
        none = "<li>" + _("no findings chosen") + "</li>"
        self.numbers.value = render_citations(
            "<p><b>"
            + _("Post-test probability:")
            + f"</b> {post:.0f}%<br>"
            + _("CI range: {low}–{high}%").format(
                low=f"{100 * result.post_low:.0f}", high=f"{100 * result.post_high:.0f}"
            )
            + f"</p><ul>{lines or none}</ul><p><small>"
            + _("LRs from [@suri2010].")
            + "</small></p>"
        )
        text = descriptions.bedside(result)
        self.redraw(text)
        self.result = result
        return result
