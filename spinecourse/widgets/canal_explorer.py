"""Canal explorer: sliders -> cross-section drawing, numbers and classification.

The callback is thin: read the sliders, call ``anatomy.evaluate``/``geometry``,
move the existing polygons, update two HTML panels.
"""

from __future__ import annotations

import math

import ipywidgets as widgets
from matplotlib.patches import Circle, Patch, Polygon

from ..content.i18n import _
from ..content.references import render_citations
from ..models import anatomy
from ..widgets.base import ROLE_COLOURS, FigureWidget, LiveFigure, teaching_model_note, text_panel
from . import descriptions


def teaching_note() -> str:
    return teaching_model_note(
        _(
            "Simplified geometry with illustrative dimensions, not a diagnostic tool. Only the "
            "cut-points it reports come from the literature."
        )
    )


class CanalExplorer(FigureWidget):
    def __init__(self) -> None:
        style = {"description_width": "15em"}  # wide enough for "Ligamentum flavum (mm)"
        layout = widgets.Layout(width="34em")

        def slider(name: str, label: str) -> widgets.FloatSlider:
            low, high = anatomy.RANGES[name]
            return widgets.FloatSlider(
                value=anatomy.DEFAULTS[name],
                min=low,
                max=high,
                step=0.5,
                description=label,
                style=style,
                layout=layout,
                readout_format=".1f",
                continuous_update=True,
            )

        self.disc = slider("disc_bulge_mm", _("Disc bulge (mm)"))
        self.flavum = slider("flavum_mm", _("Ligamentum flavum (mm)"))
        self.facet = slider("facet_mm", _("Facet overgrowth (mm)"))
        self.narrow = widgets.Checkbox(value=False, description=_("Developmentally narrow canal"), indent=False)
        self.controls = [self.disc, self.flavum, self.facet, self.narrow]

        self.live = LiveFigure(figsize=(5.2, 3.4), dpi=90)
        self.ax = self.live.fig.add_axes((0, 0, 1, 1))
        self.ax.set_aspect("equal")
        self.ax.set_xlim(-27, 27)
        self.ax.set_ylim(-16, 19)
        self.ax.axis("off")
        self._draw_static()
        self.patches = {
            "disc": Polygon([[0, 0]], closed=True, fc=ROLE_COLOURS["disc"], ec="black", lw=0.8, label=_("disc")),
            "flavum": Polygon(
                [[0, 0]], closed=True, fc=ROLE_COLOURS["ligament"], ec="black", lw=0.8, label=_("ligamentum flavum")
            ),
            "facet_left": Polygon(
                [[0, 0]], closed=True, fc=ROLE_COLOURS["facet"], ec="black", lw=0.8, label=_("facet")
            ),
            "facet_right": Polygon([[0, 0]], closed=True, fc=ROLE_COLOURS["facet"], ec="black", lw=0.8),
            "sac": Polygon(
                [[0, 0]], closed=True, fc=ROLE_COLOURS["sac"], ec="black", lw=0.8, alpha=0.85, label=_("dural sac")
            ),
        }
        self.canal_outline = Polygon([[0, 0]], closed=True, fill=False, ec="black", lw=1.5)
        for patch in [self.canal_outline, *self.patches.values()]:
            self.ax.add_patch(patch)
            self.live.animate(patch)
        self.numbers = text_panel()
        self.description = text_panel()
        self.connect()
        self.widget = widgets.VBox(
            [
                widgets.HTML(teaching_note()),
                widgets.HBox(
                    [
                        widgets.VBox(self.controls),
                    ]
                ),
                widgets.HBox([self.live.image, self.numbers]),
                self.description,
            ]
        )
        self.update()

    def _draw_static(self) -> None:
        ax = self.ax
        ax.text(0, 17.5, _("front (disc)"), ha="center", va="center", fontsize=8)
        ax.text(0, -15.0, _("back (lamina)"), ha="center", va="center", fontsize=8)
        r = math.sqrt(anatomy.CRITICAL_AREA_MM2 / math.pi)  # a circle of the critical area
        ax.add_patch(Circle((21.0, 10.0), r, fill=False, ls="--", ec=ROLE_COLOURS["threshold"], lw=1))
        ax.text(
            21.0,
            10.0,
            _("{area} mm²\nfor scale").format(area=f"{anatomy.CRITICAL_AREA_MM2:g}"),
            ha="center",
            va="center",
            fontsize=7,
        )
        ax.plot([-25, -20], [-14.5, -14.5], color="black", lw=2)
        ax.text(-22.5, -13.6, _("5 mm"), ha="center", fontsize=7)
        handles = [
            Patch(fc=ROLE_COLOURS[role], ec="black", label=label)
            for role, label in [
                ("disc", _("disc")),
                ("ligament", _("ligamentum flavum")),
                ("facet", _("facet joint")),
                ("sac", _("dural sac")),
            ]
        ]
        ax.legend(handles=handles, loc="upper left", fontsize=7, frameon=False)

    @property
    def inputs(self) -> anatomy.CanalInputs:
        return anatomy.CanalInputs(self.disc.value, self.flavum.value, self.facet.value, self.narrow.value)

    def update(self) -> anatomy.CanalResult:
        inputs = self.inputs
        result = anatomy.evaluate(inputs)
        shapes = anatomy.geometry(inputs)
        self.canal_outline.set_xy(shapes["canal"])
        for name, patch in self.patches.items():
            patch.set_xy(shapes[name])
        self.numbers.value = numbers_html(result)
        self.redraw(descriptions.canal(inputs, result))
        self.result = result
        return result


def numbers_html(result: anatomy.CanalResult) -> str:
    critical = f"{anatomy.CRITICAL_AREA_MM2:.0f}"
    area_text = (
        _("below the ~{critical} mm² critical size seen in cadaver experiments").format(critical=critical)
        if result.below_critical_area
        else _("above the ~{critical} mm² cadaver critical size").format(critical=critical)
    )
    body = (
        "<p><b>" + _("Space available (AP, midline):") + f"</b> {result.ap_mm:.1f} mm<br>"
        f"→ {descriptions.phrase(anatomy.AP_GRADE_TEXT[result.ap_grade])} [@kalichman2009]</p>"
        f"<p><b>" + _("Dural sac area:") + f"</b> {result.dsca_mm2:.0f} mm²<br>→ {area_text} [@schonstrom1988]</p>"
        "<p><small>"
        + _(
            "Caveat: these numbers describe the picture, not the patient. Imaging grade and "
            "sac area relate poorly to symptoms and outcomes [@schizas2010], and the area thresholds "
            "are not one validated standard."
        )
        + "</small></p>"
    )
    return render_citations(body)
