"""Outcome measures used in stenosis trials: ODI scoring and minimal important change.

* ODI (Oswestry Disability Index): 10 sections, each scored 0–5; the index is
  ``total / (5 × sections answered) × 100`` on a 0–100 scale (higher = more
  disability). This scoring is VERIFIED only from secondary pages (the primary
  Fairbank & Pynsent 2000 paper was not seen); the 0–100 scale is in
  [@ostelo2008].
* Minimal important change (MIC) proposed by an international consensus
  [@ostelo2008]: VAS (0–100) 15, NRS (0–10) 2, RDQ (0–24) 5, ODI (0–100) 10,
  QBDQ 20 (its scale is not given in the course bibliography); and a 30% improvement from baseline as a useful threshold.

Section labels here are generic ("Section 1: pain intensity"): the copyrighted
ODI item wording is deliberately not reproduced.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

N_SECTIONS = 10
MAX_SECTION_SCORE = 5

#: Generic topic labels for the ten ODI sections (not the questionnaire's wording).
SECTION_LABELS = (
    "Section 1: pain intensity",
    "Section 2: personal care",
    "Section 3: lifting",
    "Section 4: walking",
    "Section 5: sitting",
    "Section 6: standing",
    "Section 7: sleeping",
    "Section 8: sex life",
    "Section 9: social life",
    "Section 10: travelling",
)

#: Minimal important change on each scale [@ostelo2008]. Key -> (MIC, scale text).
MIC = {
    "ODI": (10.0, "0–100"),
    "RDQ": (5.0, "0–24"),
    "NRS": (2.0, "0–10"),
    "VAS": (15.0, "0–100"),
    "QBDQ": (20.0, "scale not given in the course bibliography"),
}
#: Relative improvement from baseline judged a useful threshold [@ostelo2008].
RELATIVE_THRESHOLD_PERCENT = 30.0


@dataclass(frozen=True)
class ODIScore:
    index: float  # 0–100, higher = more disability
    total: int  # sum of the answered section scores
    answered: int  # number of sections answered (1–10)

    @property
    def skipped(self) -> int:
        return N_SECTIONS - self.answered


def _check_section(i: int, value) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or (isinstance(value, float) and (math.isnan(value) or value != int(value)))
    ):
        raise ValueError(f"section {i + 1}: a score must be a whole number 0–5 or None (skipped), got {value!r}")
    if not 0 <= value <= MAX_SECTION_SCORE:
        raise ValueError(f"section {i + 1}: score {value} is outside 0–{MAX_SECTION_SCORE}")


def odi_score(sections: Sequence) -> ODIScore:
    """Score the ODI from ten section scores (0–5 each; ``None`` = section skipped).

    Index = total / (5 × sections answered) × 100 (secondary-source scoring, see module doc).
    """
    if isinstance(sections, (str, bytes)) or not hasattr(sections, "__len__"):
        raise ValueError("sections must be a list of 10 scores (0–5, or None for a skipped section)")
    if len(sections) != N_SECTIONS:
        raise ValueError(
            f"the ODI has {N_SECTIONS} sections; got {len(sections)} scores (use None for a skipped section)"
        )
    answered = [(i, s) for i, s in enumerate(sections) if s is not None]
    if not answered:
        raise ValueError("no section answered: the ODI cannot be scored")
    for i, s in answered:
        _check_section(i, s)
    total = int(sum(s for _, s in answered))
    index = total / (MAX_SECTION_SCORE * len(answered)) * 100
    return ODIScore(index=index, total=total, answered=len(answered))


def odi_index(sections: Sequence) -> float:
    """The ODI index (0–100) alone; see :func:`odi_score`."""
    return odi_score(sections).index


@dataclass(frozen=True)
class ChangeResult:
    measure: str
    before: float
    after: float
    improvement: float  # before − after (positive = less disability / pain)
    percent_improvement: float | None  # relative to baseline; None when baseline is 0
    mic: float
    meets_mic: bool
    meets_relative: bool

    @property
    def verdict(self) -> str:
        if self.improvement <= 0:
            return "no improvement" if self.improvement == 0 else "worse than before"
        if self.meets_mic and self.meets_relative:
            return "important improvement by both thresholds"
        if self.meets_mic:
            return f"meets the {self.mic:g}-point MIC but not the {RELATIVE_THRESHOLD_PERCENT:.0f}% threshold"
        if self.meets_relative:
            return f"meets the {RELATIVE_THRESHOLD_PERCENT:.0f}% threshold but not the {self.mic:g}-point MIC"
        return "improved, but by less than either threshold"


def _check_score(name: str, value, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise ValueError(f"{name} must be a number, got {value!r}")
    if not 0 <= value <= high:
        raise ValueError(f"{name} = {value} is outside the scale 0–{high:g}")
    return float(value)


#: Upper end of each scale. The QBDQ's range is not given in the course bibliography, so only
#: non-negativity is checked for it.
SCALE_MAX = {"ODI": 100.0, "RDQ": 24.0, "NRS": 10.0, "VAS": 100.0, "QBDQ": math.inf}


def classify_change(before: float, after: float, measure: str = "ODI") -> ChangeResult:
    """Compare a before/after score (higher = worse) with the MIC and the 30% threshold.

    A change equal to a threshold counts as meeting it (``>=``). Floating-point noise
    (e.g. 40 → 28 as 30.000000000000004 %) is rounded away at 9 decimals.
    """
    if measure not in MIC:
        raise ValueError(f"unknown measure {measure!r}; known: {sorted(MIC)}")
    high = SCALE_MAX[measure]
    before = _check_score("before", before, high)
    after = _check_score("after", after, high)
    improvement = round(before - after, 9)
    percent = None if before == 0 else round(improvement / before * 100, 9)
    mic = MIC[measure][0]
    return ChangeResult(
        measure=measure,
        before=before,
        after=after,
        improvement=improvement,
        percent_improvement=percent,
        mic=mic,
        meets_mic=improvement >= mic,
        meets_relative=percent is not None and percent >= RELATIVE_THRESHOLD_PERCENT,
    )


def reference_scores(change: ChangeResult) -> tuple[float, float]:
    """The 'after' scores that would just meet each threshold: (MIC, relative).

    ``before − MIC`` (floored at 0, the bottom of the scale) and ``before × (1 − 30%)``.
    """
    mic_y = max(change.before - change.mic, 0.0)
    rel_y = change.before * (1 - RELATIVE_THRESHOLD_PERCENT / 100)
    return mic_y, rel_y


def describe_change(change: ChangeResult) -> str:
    pct = "undefined (baseline 0)" if change.percent_improvement is None else f"{change.percent_improvement:.0f}%"
    mic_y, rel_y = reference_scores(change)
    return (
        f"Bar chart of the {change.measure} before ({change.before:.1f}) and after ({change.after:.1f}) on a 0–100 "
        f"scale where higher means more disability. Improvement {change.improvement:.1f} points, {pct} of baseline. "
        f"Two reference lines on the 'after' bar mark the score needed for a {change.mic:g}-point improvement "
        f"({mic_y:.1f}) and for a {RELATIVE_THRESHOLD_PERCENT:.0f}% improvement "
        f"({rel_y:.1f}). Verdict: {change.verdict}."
    )
