"""Sample-size calculator widget (the arithmetic is in models.sample_size)."""

from __future__ import annotations

import ipywidgets as widgets

from ..content.i18n import _
from ..content.references import render_citations
from ..models.sample_size import ODI_MIC, SD_RANGE, SampleSize, patients_per_arm
from . import descriptions
from .base import CourseWidget, check_start, teaching_model_note, text_panel


class SampleSizeCalculator(CourseWidget):
    """Sliders for SD and power, a choice of alpha; the answer and the worked formula as text."""

    def __init__(self, sd: float = 20.0) -> None:
        check_start("sd (SD of ODI change)", sd, *SD_RANGE)  # a slider would silently clamp it
        style = {"description_width": "14em"}
        layout = widgets.Layout(width="32em")
        self.sd = widgets.FloatSlider(
            value=sd,
            min=SD_RANGE[0],
            max=SD_RANGE[1],
            step=1,
            description=_("SD of ODI change (points)"),
            style=style,
            layout=layout,
            readout_format=".0f",
        )
        self.power = widgets.FloatSlider(
            value=0.8,
            min=0.6,
            max=0.95,
            step=0.05,
            description=_("Power"),
            style=style,
            layout=layout,
            readout_format=".2f",
        )
        self.alpha = widgets.Dropdown(
            options=[("0.05", 0.05), ("0.01", 0.01), ("0.10", 0.10)],
            value=0.05,
            description=_("Two-sided alpha"),
            style=style,
        )
        self.controls = [self.sd, self.power, self.alpha]
        self.output = text_panel()
        self.connect()
        note = teaching_model_note(
            _(
                "A normal-approximation formula for comparing two means. You choose the SD: the course "
                "does not assume a 'typical' ODI SD."
            )
        )
        self.widget = widgets.VBox([widgets.HTML(note), *self.controls, self.output])
        self.update()

    def update(self) -> SampleSize:
        result = patients_per_arm(self.sd.value, self.power.value, self.alpha.value)
        self.output.value = render_citations(
            "<p>"
            + _("<b>{per_arm} patients per arm</b> ({total} in total)").format(
                per_arm=result.per_arm, total=result.total
            )
            + "</p>"
            f"<p><small>{descriptions.formula_html()}<br>"
            + _("Δ = {mic} ODI points, the proposed minimal important change [@ostelo2008].").format(mic=f"{ODI_MIC:g}")
            + f"<br>{descriptions.sample_size_text(self.sd.value, self.power.value, self.alpha.value, result)}</small></p>"
        )
        self.result = result
        return result
