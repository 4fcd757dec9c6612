"""A teaching model of a lumbar axial cross-section at disc level.

TEACHING MODEL, NOT A DIAGNOSTIC TOOL. The canal is drawn as an ellipse and the
dural sac as a smaller ellipse squeezed by three structures: the disc from the
front, the ligamentum flavum from behind, and the facet joints from the sides.
The bony dimensions and default thicknesses are illustrative choices, not
population norms. What follows the checked references is the *classification*:

* AP-diameter cut-points of 12 mm (relative) and 10 mm (absolute) stenosis, as
  used in the Framingham CT study [@kalichman2009].
* The ~75 mm² "critical size" of the dural sac, found in cadaver/in-vitro
  constriction experiments, not validated as a clinical cut-off [@schonstrom1988].
* Caveats: imaging grade and dural sac area relate poorly to symptoms and
  outcomes [@schizas2010]; the "<75 / <100 mm²" pair is not one validated standard.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: Framingham CT cut-points [@kalichman2009]. Convention here: strictly below.
AP_RELATIVE_MM = 12.0
AP_ABSOLUTE_MM = 10.0
#: Cadaver "critical size" of the dural sac [@schonstrom1988].
CRITICAL_AREA_MM2 = 75.0

#: Illustrative bony canal (AP, width) in mm at disc level; a developmentally
#: narrow canal (Verbiest's description [@verbiest1954]) is drawn smaller.
CANAL_NORMAL_MM = (17.0, 22.0)
CANAL_NARROW_MM = (13.0, 18.0)
#: Epidural fat kept around the sac in the model (mm, total over both sides).
FAT_MARGIN_MM = 1.0

#: Accepted input ranges (mm): the model is not meaningful outside them.
RANGES = {
    "disc_bulge_mm": (0.0, 8.0),
    "flavum_mm": (1.0, 8.0),
    "facet_mm": (0.0, 6.0),
}
DEFAULTS = {"disc_bulge_mm": 1.0, "flavum_mm": 3.0, "facet_mm": 0.0}


@dataclass(frozen=True)
class CanalInputs:
    disc_bulge_mm: float = DEFAULTS["disc_bulge_mm"]
    flavum_mm: float = DEFAULTS["flavum_mm"]
    facet_mm: float = DEFAULTS["facet_mm"]
    narrow_canal: bool = False

    def __post_init__(self) -> None:
        for name, (low, high) in RANGES.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"{name} must be a number in mm, got {value!r}")
            if math.isnan(value) or not low <= value <= high:
                raise ValueError(
                    f"{name} = {value} mm is outside the model's range {low:g}–{high:g} mm"
                    + (" (a thickness cannot be negative)" if value < 0 else "")
                )
        if not isinstance(self.narrow_canal, bool):
            raise ValueError(f"narrow_canal must be True or False, got {self.narrow_canal!r}")

    @property
    def canal_mm(self) -> tuple[float, float]:
        return CANAL_NARROW_MM if self.narrow_canal else CANAL_NORMAL_MM


@dataclass(frozen=True)
class CanalResult:
    ap_mm: float  # space available, midline, disc to ligamentum flavum
    sac_ap_mm: float
    sac_width_mm: float
    dsca_mm2: float  # dural sac cross-sectional area
    ap_grade: str  # "none", "relative" or "absolute"
    below_critical_area: bool


def classify_ap(ap_mm: float) -> str:
    """Grade an AP diameter with the 12/10 mm cut-points [@kalichman2009].

    ``< 10`` absolute, ``10 to < 12`` relative, ``>= 12`` none.
    """
    if isinstance(ap_mm, bool) or not isinstance(ap_mm, (int, float)) or math.isnan(ap_mm):
        raise ValueError(f"AP diameter must be a number in mm, got {ap_mm!r}")
    if ap_mm < 0:
        raise ValueError(f"AP diameter cannot be negative, got {ap_mm} mm")
    if ap_mm < AP_ABSOLUTE_MM:
        return "absolute"
    if ap_mm < AP_RELATIVE_MM:
        return "relative"
    return "none"


def sac_dimensions(inputs: CanalInputs) -> tuple[float, float, float]:
    """(space-available AP, sac AP, sac width) in mm, each clamped at zero."""
    canal_ap, canal_width = inputs.canal_mm
    ap = max(0.0, canal_ap - inputs.disc_bulge_mm - inputs.flavum_mm)
    sac_ap = max(0.0, ap - FAT_MARGIN_MM)
    # Facets narrow both lateral recesses; the flavum wraps round the posterolateral wall.
    sac_width = max(0.0, canal_width - 2 * inputs.facet_mm - inputs.flavum_mm - 2 * FAT_MARGIN_MM)
    return ap, sac_ap, sac_width


def evaluate(inputs: CanalInputs) -> CanalResult:
    ap, sac_ap, sac_width = sac_dimensions(inputs)
    area = math.pi / 4 * sac_ap * sac_width
    return CanalResult(
        ap_mm=ap,
        sac_ap_mm=sac_ap,
        sac_width_mm=sac_width,
        dsca_mm2=area,
        ap_grade=classify_ap(ap),
        below_critical_area=area < CRITICAL_AREA_MM2,
    )


def describe(inputs: CanalInputs, result: CanalResult) -> str:
    """Plain-text description of the cross-section (the figure's text alternative)."""
    canal = "developmentally narrow" if inputs.narrow_canal else "normal-sized"
    return (
        f"Axial cross-section of a {canal} lumbar canal at disc level, front of the body at the top. "
        f"The dural sac (blue) is pushed from the front by a {inputs.disc_bulge_mm:.1f} mm disc bulge, "
        f"from behind by a {inputs.flavum_mm:.1f} mm ligamentum flavum and from the sides by "
        f"{inputs.facet_mm:.1f} mm of facet overgrowth. Space available front to back: "
        f"{result.ap_mm:.1f} mm; dural sac area: {result.dsca_mm2:.0f} mm². "
        f"The dashed circle has the area of the ~{CRITICAL_AREA_MM2:.0f} mm² cadaver critical size."
    )


AP_GRADE_TEXT = {
    "none": "not stenotic by the AP cut-points",
    "relative": "relative stenosis (AP 10 to under 12 mm)",
    "absolute": "absolute stenosis (AP under 10 mm)",
}


# ---- geometry for the drawing (pure arrays; the widget only moves them) ----


def _ellipse(cx: float, cy: float, width: float, height: float, n: int = 90) -> np.ndarray:
    t = np.linspace(0, 2 * np.pi, n)
    return np.column_stack([cx + width / 2 * np.cos(t), cy + height / 2 * np.sin(t)])


def geometry(inputs: CanalInputs) -> dict[str, np.ndarray]:
    """Polygons (N×2 arrays, mm; x lateral, y anterior-up) for each structure."""
    canal_ap, canal_width = inputs.canal_mm
    a, w = canal_ap / 2, canal_width / 2
    ap, sac_ap, sac_width = sac_dimensions(inputs)

    x = np.linspace(-w - 4, w + 4, 60)
    profile = np.where(np.abs(x) < w, np.cos(np.pi * x / (2 * w)) ** 2, 0.0)
    bulge = a - inputs.disc_bulge_mm * profile
    disc = np.vstack([np.column_stack([x, bulge]), [[w + 4, a + 3.5], [-w - 4, a + 3.5]]])

    t = np.linspace(np.pi * 1.08, np.pi * 1.92, 40)
    outer = np.column_stack([w * np.cos(t), a * np.sin(t)])
    th = inputs.flavum_mm
    inner = np.column_stack([(w - th / 2) * np.cos(t), (a - th) * np.sin(t)])
    flavum = np.vstack([outer, inner[::-1]])

    r = 2.0 + inputs.facet_mm  # each facet bulges f mm into the canal
    facet_left = _ellipse(-w - 2.0, -a * 0.35, 2 * r, 2 * r, 40)
    facet_right = _ellipse(w + 2.0, -a * 0.35, 2 * r, 2 * r, 40)

    front = a - inputs.disc_bulge_mm - FAT_MARGIN_MM / 2
    back = -a + inputs.flavum_mm + FAT_MARGIN_MM / 2
    sac = _ellipse(0.0, (front + back) / 2, sac_width, sac_ap)
    return {
        "canal": _ellipse(0.0, 0.0, canal_width, canal_ap),
        "disc": disc,
        "flavum": flavum,
        "facet_left": facet_left,
        "facet_right": facet_right,
        "sac": sac,
    }


def polygon_area(points: np.ndarray) -> float:
    """Shoelace area of a closed polygon (used to check the drawing matches the numbers)."""
    x, y = points[:, 0], points[:, 1]
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2)
