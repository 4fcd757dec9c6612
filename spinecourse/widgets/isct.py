"""ISCT criteria checker: marker sliders + adherence/differentiation ticks -> pass/fail per criterion.

One persistent horizontal bar chart of the eight marker percentages with the 95% and 2%
thresholds drawn once; the callback changes bar widths, colours and hatching only.
"""

from __future__ import annotations

import ipywidgets as widgets

from ..content.i18n import N_, _
from ..content.references import render_citations
from ..models import isct
from ..widgets.base import PALETTE, FigureWidget, LiveFigure, teaching_model_note, text_panel
from . import descriptions

MARKERS = isct.POSITIVE_MARKERS + isct.NEGATIVE_MARKERS
#: A synthetic preparation that meets every criterion (not a real product's data).
DEFAULT_MARKERS = {
    "CD105": 98.0,
    "CD73": 99.0,
    "CD90": 97.0,
    "CD45": 0.5,
    "CD34": 1.0,
    "CD14/CD11b": 0.5,
    "CD79α/CD19": 0.3,
    "HLA-DR": 0.8,
}
#: The lineage names as the checkboxes show them (translated at call time).
LINEAGE_NAMES = (N_("osteoblasts"), N_("adipocytes"), N_("chondroblasts"))
PASS_COLOUR, FAIL_COLOUR = PALETTE["green"], PALETTE["vermillion"]


def teaching_note() -> str:
    return teaching_model_note(
        _(
            "Synthetic flow-cytometry results. The thresholds are the ISCT minimal criteria "
            "{ref}: they define a cell population in the dish, not its safety or benefit in patients."
        ).format(ref=render_citations("[@dominici2006]"))
    )


class ISCTChecker(FigureWidget):
    def __init__(self, markers: dict | None = None, adherent: bool = True, lineages=isct.LINEAGES) -> None:
        # Spellings are normalised ("cd105", "CD19") and checked: an unknown marker, a lineage
        # outside the three, or a value off the 0–100 sliders is an error, not silently ignored.
        values = {**DEFAULT_MARKERS, **isct.canonical_markers(markers or {})}
        if isinstance(lineages, str) or not hasattr(lineages, "__iter__"):
            raise ValueError("lineages must be a list of lineages, e.g. ['osteoblasts', 'adipocytes']")
        lineages = {isct.canonical_lineage(lin) for lin in lineages}
        if not isinstance(adherent, bool):
            raise ValueError(f"adherent must be True or False, got {adherent!r}")
        style = {"description_width": "11em"}  # "CD79α/CD19 (% +)" in full
        layout = widgets.Layout(width="30em")
        self.sliders = {
            m: widgets.FloatSlider(
                value=values[m],
                min=0,
                max=100,
                step=0.1,
                readout_format=".1f",
                description=_("{marker} (% +)").format(marker=m),
                style=style,
                layout=layout,
            )
            for m in MARKERS
        }
        self.adherent = widgets.Checkbox(value=adherent, description=_("Adheres to plastic in culture"), indent=False)
        self.lineages = {
            lin: widgets.Checkbox(
                value=lin in lineages, description=_("Differentiates to {lineage}").format(lineage=_(lin)), indent=False
            )
            for lin in isct.LINEAGES
        }
        self.controls = [*self.sliders.values(), self.adherent, *self.lineages.values()]

        self.live = LiveFigure(figsize=(4.2, 3.0), dpi=90)
        ax = self.ax = self.live.fig.add_axes((0.3, 0.16, 0.65, 0.74))
        ys = list(range(len(MARKERS)))[::-1]
        ax.set_xlim(0, 100)
        ax.set_ylim(-0.7, len(MARKERS) - 0.3)
        ax.set_yticks(ys, MARKERS)
        ax.set_xlabel(_("Cells positive for the marker (%)"))
        ax.set_title(_("Marker panel (synthetic)"), fontsize=9)
        ax.axvline(isct.POSITIVE_MIN, color=PALETTE["black"], ls="--", lw=1)
        ax.axvline(isct.NEGATIVE_MAX, color=PALETTE["black"], ls=":", lw=1)
        ax.axhline(len(isct.NEGATIVE_MARKERS) - 0.5, color=PALETTE["grey"], lw=0.8)
        ax.text(isct.POSITIVE_MIN, len(MARKERS) - 0.35, "≥95", ha="center", va="bottom", fontsize=7)
        ax.text(isct.NEGATIVE_MAX + 1, len(MARKERS) - 0.35, "≤2", ha="left", va="bottom", fontsize=7)
        self.bars = dict(zip(MARKERS, ax.barh(ys, [0] * len(MARKERS), height=0.6, edgecolor="black")))
        self.live.animate_all(self.bars.values())

        self.numbers = text_panel()
        self.description = text_panel()
        self.connect()
        self.widget = widgets.VBox(
            [
                widgets.HTML(teaching_note()),
                widgets.HBox(
                    [widgets.VBox([*self.sliders.values()]), widgets.VBox([self.adherent, *self.lineages.values()])]
                ),
                widgets.HBox([self.live.image, self.numbers]),
                self.description,
            ]
        )
        self.update()

    @property
    def markers(self) -> dict[str, float]:
        return {m: float(s.value) for m, s in self.sliders.items()}

    def update(self) -> isct.ISCTResult:
        markers = self.markers
        result = isct.check_isct(
            markers, bool(self.adherent.value), [lin for lin, box in self.lineages.items() if box.value]
        )
        for m, bar in self.bars.items():
            ok = isct.marker_passes(m, markers[m])
            bar.set_width(markers[m])
            bar.set_facecolor(PASS_COLOUR if ok else FAIL_COLOUR)
            bar.set_hatch("" if ok else "//")
        self.numbers.value = result_html(result)
        # TRANSLATORS: {percent} is the percent sign (kept out of the English so Babel sees no "% o" placeholder)
        text = (
            _(
                "Horizontal bar chart of the {percent} of cells positive for each of the eight ISCT panel markers; "
                "dashed line at 95% (positive markers must reach it), dotted line at 2% (negative markers must stay "
                "at or below it); failing bars are hatched."
            ).format(percent="%")
            + " "
            + ", ".join(f"{m} {v:g}%" for m, v in markers.items())
            + ". "
            + descriptions.isct_text(result)
        )
        self.redraw(text)
        self.result = result
        return result


def result_html(result: isct.ISCTResult) -> str:
    rows = "".join(
        f"<li>{'✔ ' + _('pass') if c.passed else '✘ ' + _('fail')}: <b>{descriptions.phrase(c.name)}</b>: "
        f"{descriptions.phrase(c.reason)}</li>"
        for c in result.criteria
    )
    verdict = (
        "<b>" + _("Meets the ISCT minimal criteria") + "</b>"
        if result.passed
        else "<b>"
        + _("Does not meet the ISCT minimal criteria")
        + "</b> "
        + _("({count} failed)").format(count=len(result.failed))
    )
    return render_citations(
        f"<p>{verdict} [@dominici2006]</p><ul>{rows}</ul>"
        # The criteria test identity only (what the cells are [@dominici2006]); the engraftment point is Mastrolia's.
        "<p><small>"
        + _(
            "Passing defines identity, not potency: the criteria check what the cells are, not whether "
            "they signal usefully or help any patient. Early clinical work found low engraftment and a "
            "transient benefit [@mastrolia2019]."
        )
        + "</small></p>"
    )
