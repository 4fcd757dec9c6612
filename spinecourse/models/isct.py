"""The ISCT minimal criteria for multipotent mesenchymal stromal cells [@dominici2006].

1. Plastic adherence under standard culture conditions.
2. Surface markers: ≥95% of cells positive for CD105, CD73 and CD90, and ≤2%
   positive for CD45, CD34, CD14 or CD11b, CD79α or CD19, and HLA-DR.
3. In-vitro differentiation to osteoblasts, adipocytes and chondroblasts.

``check_isct`` is pure: it returns pass/fail with a reason for each criterion. A value
exactly at a threshold (95% or 2%) passes. Meeting the criteria says what a cell
population *is* in a dish; it says nothing about whether it helps a patient.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

POSITIVE_MARKERS = ("CD105", "CD73", "CD90")
NEGATIVE_MARKERS = ("CD45", "CD34", "CD14/CD11b", "CD79α/CD19", "HLA-DR")
POSITIVE_MIN = 95.0
NEGATIVE_MAX = 2.0
LINEAGES = ("osteoblasts", "adipocytes", "chondroblasts")

#: Accepted spellings -> canonical marker name (CD14 *or* CD11b, CD79α *or* CD19 may be measured).
ALIASES = {
    "CD14": "CD14/CD11b",
    "CD11B": "CD14/CD11b",
    "CD14/CD11B": "CD14/CD11b",
    "CD79A": "CD79α/CD19",
    "CD79Α": "CD79α/CD19",
    "CD19": "CD79α/CD19",
    "CD79Α/CD19": "CD79α/CD19",
    "CD79A/CD19": "CD79α/CD19",
    "HLADR": "HLA-DR",
    "HLA-DR": "HLA-DR",
}


@dataclass(frozen=True)
class Criterion:
    name: str
    passed: bool
    reason: str


@dataclass(frozen=True)
class ISCTResult:
    criteria: tuple[Criterion, ...]

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.criteria)

    @property
    def failed(self) -> list[str]:
        return [c.name for c in self.criteria if not c.passed]


def canonical_marker(name: str) -> str:
    if not isinstance(name, str):
        raise ValueError(f"marker names must be text, got {name!r}")
    key = name.strip().upper().replace(" ", "")
    if key in ALIASES:
        return ALIASES[key]
    for m in POSITIVE_MARKERS + NEGATIVE_MARKERS:
        if key == m.upper():
            return m
    raise ValueError(f"unknown marker {name!r}; the ISCT panel is {', '.join(POSITIVE_MARKERS + NEGATIVE_MARKERS)}")


def marker_passes(name: str, pct: float) -> bool:
    """Does one marker meet its threshold? Positive markers need ≥95%, negative ones ≤2% (the limit passes)."""
    canon = canonical_marker(name)
    if isinstance(pct, bool) or not isinstance(pct, (int, float)) or math.isnan(pct):
        raise ValueError(f"{name}: the % of positive cells must be a number, got {pct!r}")
    if canon in POSITIVE_MARKERS:
        return pct >= POSITIVE_MIN
    return pct <= NEGATIVE_MAX


def canonical_lineage(name: str) -> str:
    """A lineage name, trimmed and lower-cased; ValueError if it is not one of ``LINEAGES``."""
    key = name.strip().lower() if isinstance(name, str) else name
    if key not in LINEAGES:
        raise ValueError(f"unknown lineage {name!r}; use {LINEAGES}")
    return key


def canonical_markers(markers: Mapping[str, float]) -> dict[str, float]:
    """``markers`` keyed by canonical name, each value checked to be a percentage (0–100).

    Raises ValueError for an unknown marker, a marker given twice (e.g. as CD14 and CD11b),
    or a value that is not a number between 0 and 100. Missing markers are allowed here.
    """
    if not isinstance(markers, Mapping):
        raise ValueError("markers must be a mapping of marker name -> % of cells positive")
    out: dict[str, float] = {}
    for name, value in markers.items():
        canon = canonical_marker(name)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
            raise ValueError(f"{name}: the % of positive cells must be a number, got {value!r}")
        if not 0 <= value <= 100:
            raise ValueError(f"{name}: {value}% is not a percentage between 0 and 100")
        if canon in out:
            raise ValueError(f"{name}: marker {canon} given twice")
        out[canon] = float(value)
    return out


def _percentages(markers: Mapping[str, float]) -> dict[str, float]:
    out = canonical_markers(markers)
    missing = [m for m in POSITIVE_MARKERS + NEGATIVE_MARKERS if m not in out]
    if missing:
        raise ValueError(f"missing marker(s) {missing}: all eight panel results are needed")
    return out


def check_markers(markers: Mapping[str, float]) -> tuple[Criterion, Criterion]:
    """Criterion 2 split into its positive and negative halves."""
    pct = _percentages(markers)
    low = [m for m in POSITIVE_MARKERS if not marker_passes(m, pct[m])]
    high = [m for m in NEGATIVE_MARKERS if not marker_passes(m, pct[m])]
    if low:
        pos_reason = "below 95%: " + ", ".join(f"{m} {pct[m]:g}%" for m in low)
    else:
        pos_reason = "all ≥95%: " + ", ".join(f"{m} {pct[m]:g}%" for m in POSITIVE_MARKERS)
    if high:
        neg_reason = "above 2%: " + ", ".join(f"{m} {pct[m]:g}%" for m in high)
    else:
        neg_reason = "all ≤2%: " + ", ".join(f"{m} {pct[m]:g}%" for m in NEGATIVE_MARKERS)
    return (
        Criterion("Positive markers (CD105, CD73, CD90 ≥95%)", not low, pos_reason),
        Criterion("Negative markers (CD45, CD34, CD14/CD11b, CD79α/CD19, HLA-DR ≤2%)", not high, neg_reason),
    )


def check_isct(markers: Mapping[str, float], plastic_adherent: bool, differentiates_to) -> ISCTResult:
    """Check a (synthetic) cell preparation against the ISCT minimal criteria [@dominici2006].

    ``markers``: % of cells positive for each of the eight panel markers;
    ``plastic_adherent``: True/False; ``differentiates_to``: the lineages shown in vitro
    (any of "osteoblasts", "adipocytes", "chondroblasts").
    """
    if not isinstance(plastic_adherent, bool):
        raise ValueError(f"plastic_adherent must be True or False, got {plastic_adherent!r}")
    if isinstance(differentiates_to, str) or not hasattr(differentiates_to, "__iter__"):
        raise ValueError("differentiates_to must be a list of lineages, e.g. ['osteoblasts', 'adipocytes']")
    shown = {canonical_lineage(lineage) for lineage in differentiates_to}
    positive, negative = check_markers(markers)
    adherence = Criterion(
        "Plastic adherence",
        plastic_adherent,
        "adheres to plastic in standard culture" if plastic_adherent else "does not adhere to plastic",
    )
    missing = [lin for lin in LINEAGES if lin not in shown]
    trilineage = Criterion(
        "Trilineage differentiation in vitro",
        not missing,
        "osteoblasts, adipocytes and chondroblasts all shown" if not missing else "not shown: " + ", ".join(missing),
    )
    return ISCTResult((adherence, positive, negative, trilineage))


def describe(result: ISCTResult) -> str:
    parts = [f"{c.name}: {'pass' if c.passed else 'fail'} ({c.reason})" for c in result.criteria]
    verdict = "meets" if result.passed else "does not meet"
    return f"The preparation {verdict} the ISCT minimal criteria. " + "; ".join(parts) + "."
