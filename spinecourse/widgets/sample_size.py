"""Sample-size calculator widget (the arithmetic is in models.sample_size)."""

from __future__ import annotations

import ipywidgets as widgets

from ..content.references import render_citations
from ..models.sample_size import FORMULA_HTML, ODI_MIC, SD_RANGE, SampleSize, describe, patients_per_arm
from .base import CourseWidget, check_start, teaching_model_note, text_panel

class SampleSizeCalculator(CourseWidget):
    """Sliders for SD and power, a choice of alpha; the answer and the worked formula as text."""

    def __init__(self, sd: float = 20.0) -> None:
        check_start("sd (SD of ODI change)", sd, *SD_RANGE)  # a slider would silently clamp it
        style = {"description_width": "14em"}
        layout = widgets.Layout(width="32em")
        self.sd = widgets.FloatSlider(value=sd, min=SD_RANGE[0], max=SD_RANGE[1], step=1,
                                      description="SD of ODI change (points)", style=style, layout=layout, readout_format=".0f")
        self.power = widgets.FloatSlider(value=0.8, min=0.6, max=0.95, step=0.05, description="Power",
                                         style=style, layout=layout, readout_format=".2f")
        self.alpha = widgets.Dropdown(options=[("0.05", 0.05), ("0.01", 0.01), ("0.10", 0.10)], value=0.05,
                                      description="Two-sided alpha", style=style)
        self.controls = [self.sd, self.power, self.alpha]
        self.output = text_panel()
        self.connect()
        note = teaching_model_note(
            "A normal-approximation formula for comparing two means. You choose the SD: the course "
            "does not assume a 'typical' ODI SD."
        )
        self.widget = widgets.VBox([widgets.HTML(note), *self.controls, self.output])
        self.update()

    def update(self) -> SampleSize:
        result = patients_per_arm(self.sd.value, self.power.value, self.alpha.value)
        self.output.value = render_citations(
            f"<p><b>{result.per_arm} patients per arm</b> ({result.total} in total)</p>"
            f"<p><small>{FORMULA_HTML}<br>Δ = {ODI_MIC:g} ODI points, the proposed minimal important change "
            f"[@ostelo2008].<br>{describe(self.sd.value, self.power.value, self.alpha.value, result)}</small></p>"
        )
        self.result = result
        return result
