"""Intention-to-treat vs as-treated: a seeded teaching simulation of a surgical trial with crossover.

TEACHING SIMULATION WITH SYNTHETIC PATIENTS, NOT SPORT'S (OR ANY TRIAL'S) DATA.
Only the default crossover rates come from the literature: in SPORT 67% of patients
assigned to surgery had surgery by 2 years and 43% of those assigned to
non-operative care also had it [@sport2008]; in Delitto's trial 57% of the physical
therapy group crossed over to surgery [@delitto2015].

Model (all numbers illustrative):

* Each synthetic patient has a prognosis ``z ~ N(0, 1)``: higher ``z`` = doing worse
  without surgery. The outcome is the improvement in ODI points at follow-up
  (higher = better): ``y0 = BASE_IMPROVEMENT − PROGNOSIS_SD·z + noise`` without
  surgery and ``y0 + true_effect`` with it (the same effect for everyone).
* Patients are randomised 1:1. In each arm, who actually has surgery is decided by a
  propensity score ``s = selection·z + sqrt(1 − selection²)·e``: the patients with the
  highest ``s`` have surgery, in exactly the requested proportion. ``selection > 0``
  means patients who do worse are more likely to have surgery (e.g. non-operative
  patients who deteriorate cross over); ``selection < 0`` means patients who do better
  are (e.g. fitter, more optimistic patients choose surgery); 0 means chance alone.
* Estimates: ITT = mean(y | assigned surgery) − mean(y | assigned non-operative);
  as-treated = mean(y | had surgery) − mean(y | did not); and the instrumental-variable
  (Wald) estimate ITT ÷ (difference in surgery uptake), which recovers the effect among
  patients whose treatment followed their assignment, under assumptions stated in the
  lesson. Each comes with a normal-approximation 95% CI.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

BASE_IMPROVEMENT = 8.0  # mean ODI improvement without surgery (illustrative)
PROGNOSIS_SD = 8.0  # spread of improvement explained by prognosis (illustrative)
NOISE_SD = 8.0  # other patient-to-patient variation (illustrative)
Z975 = 1.959963984540054

#: Presets (surgery uptake in the surgery arm, in the non-operative arm) with their source.
PRESETS = {
    "SPORT: 67% / 43%": (0.67, 0.43),
    "Delitto: 57% of PT arm had surgery (surgery arm set to 100%)": (1.00, 0.57),
    "No crossover": (1.00, 0.00),
}

RANGES = {
    "true_effect": (-20.0, 30.0),
    "selection": (-1.0, 1.0),
    "n_per_arm": (20, 5000),
}


@dataclass(frozen=True)
class TrialSettings:
    true_effect: float = 8.0  # ODI points of extra improvement with surgery
    uptake_surgery_arm: float = 0.67  # proportion of the surgery arm who have surgery [@sport2008]
    uptake_control_arm: float = 0.43  # proportion of the non-operative arm who have surgery [@sport2008]
    selection: float = 0.5
    n_per_arm: int = 1000
    seed: int = 8

    def __post_init__(self) -> None:
        for name in ("true_effect", "uptake_surgery_arm", "uptake_control_arm", "selection"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
                raise ValueError(f"{name} must be a number, got {value!r}")
        for name in ("uptake_surgery_arm", "uptake_control_arm"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise ValueError(f"{name} = {value} must be a proportion between 0 and 1 (e.g. 0.67 for 67%)")
        for name in ("true_effect", "selection"):
            low, high = RANGES[name]
            if not low <= getattr(self, name) <= high:
                raise ValueError(
                    f"{name} = {getattr(self, name)} is outside the simulation's range {low:g} to {high:g}"
                )
        low, high = RANGES["n_per_arm"]
        if (
            isinstance(self.n_per_arm, bool)
            or not isinstance(self.n_per_arm, (int, np.integer))
            or not low <= self.n_per_arm <= high
        ):
            raise ValueError(f"n_per_arm must be a whole number from {low} to {high}, got {self.n_per_arm!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, (int, np.integer)) or self.seed < 0:
            raise ValueError(f"seed must be a non-negative whole number, got {self.seed!r}")


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float
    high: float


@dataclass(frozen=True)
class TrialResult:
    settings: TrialSettings
    itt: Estimate
    as_treated: Estimate
    iv: Estimate | None  # None when uptake does not differ between arms
    observed_uptake: tuple[float, float]  # (surgery arm, non-operative arm)
    prognosis_gap: float  # mean z of those who had surgery minus those who did not

    @property
    def true_effect(self) -> float:
        return self.settings.true_effect


def _diff(a: np.ndarray, b: np.ndarray) -> Estimate:
    d = float(a.mean() - b.mean())
    se = math.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
    return Estimate(d, d - Z975 * se, d + Z975 * se)


def _choose(score: np.ndarray, proportion: float) -> np.ndarray:
    """Boolean mask of the ``round(proportion·n)`` highest scores."""
    k = int(round(proportion * score.size))
    mask = np.zeros(score.size, dtype=bool)
    if k > 0:
        mask[np.argpartition(score, score.size - k)[score.size - k :]] = True
    return mask


def simulate(settings: TrialSettings) -> TrialResult:
    """Run one synthetic trial (vectorised; deterministic for a given seed)."""
    n = int(settings.n_per_arm)
    rng = np.random.default_rng(settings.seed)
    z = rng.standard_normal((2, n))  # row 0: assigned surgery, row 1: assigned non-operative
    noise = rng.standard_normal((2, n))
    e = rng.standard_normal((2, n))
    sel = settings.selection
    score = sel * z + math.sqrt(max(0.0, 1 - sel * sel)) * e
    surgery = np.vstack(
        [_choose(score[0], settings.uptake_surgery_arm), _choose(score[1], settings.uptake_control_arm)]
    )
    y = BASE_IMPROVEMENT - PROGNOSIS_SD * z + NOISE_SD * noise + settings.true_effect * surgery

    itt = _diff(y[0], y[1])
    had, had_not = y[surgery], y[~surgery]
    if had.size >= 2 and had_not.size >= 2:
        as_treated = _diff(had, had_not)
        gap = float(z[surgery].mean() - z[~surgery].mean())
    else:
        as_treated = Estimate(math.nan, math.nan, math.nan)
        gap = math.nan
    uptake = (float(surgery[0].mean()), float(surgery[1].mean()))
    delta = uptake[0] - uptake[1]
    iv = None
    if abs(delta) >= 0.05:  # a tiny difference in uptake makes the ratio meaningless
        iv = Estimate(itt.value / delta, *sorted((itt.low / delta, itt.high / delta)))
    return TrialResult(settings, itt, as_treated, iv, uptake, gap)


def expected_itt(true_effect: float, uptake_surgery_arm: float, uptake_control_arm: float) -> float:
    """ITT expected when everyone gets the same effect: the effect diluted by the uptake difference."""
    for name, p in (("uptake_surgery_arm", uptake_surgery_arm), ("uptake_control_arm", uptake_control_arm)):
        if not 0 <= p <= 1:
            raise ValueError(f"{name} = {p} must be a proportion between 0 and 1")
    return true_effect * (uptake_surgery_arm - uptake_control_arm)


def selection_text(selection: float) -> str:
    if selection > 0.05:
        return "patients doing worse are more likely to have surgery"
    if selection < -0.05:
        return "patients doing better are more likely to have surgery"
    return "who has surgery is unrelated to prognosis"


def format_estimate(e: Estimate | None, missing: str = "n/a") -> str:
    """An estimate with its 95% CI, or ``missing`` when it is undefined (None or NaN).

    The sliders reach 0% and 100% uptake, where the as-treated comparison has nobody on one side:
    the text says so instead of printing "nan".
    """
    if e is None or math.isnan(e.value):
        return missing
    return f"{e.value:+.1f} (95% CI {e.low:+.1f} to {e.high:+.1f})"


def format_number(value: float, spec: str, unit: str = "", missing: str = "n/a") -> str:
    """``value`` formatted with ``spec`` (and a unit), or ``missing`` for NaN."""
    return missing if math.isnan(value) else format(value, spec) + (f" {unit}" if unit else "")


#: Why the as-treated comparison (and the prognosis gap) can be undefined: sliders reach 0% and 100%.
NOT_COMPARABLE = "n/a (everyone or nobody had surgery)"


def describe(result: TrialResult) -> str:
    s = result.settings
    iv = "not shown (uptake barely differs)" if result.iv is None else format_estimate(result.iv)
    return (
        f"Dot-and-whisker chart of effect estimates in ODI points (positive = surgery better) from a synthetic "
        f"trial with {s.n_per_arm} patients per arm. Surgery uptake {100 * result.observed_uptake[0]:.0f}% in the "
        f"surgery arm and {100 * result.observed_uptake[1]:.0f}% in the non-operative arm; selection: "
        f"{selection_text(s.selection)}. True effect {s.true_effect:.1f}; intention-to-treat {format_estimate(result.itt)}; "
        f"as-treated {format_estimate(result.as_treated, NOT_COMPARABLE)}; instrumental-variable estimate {iv}. "
        "A vertical dashed line marks the true effect."
    )
