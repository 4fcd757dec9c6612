"""Trial simulator: why a single-arm before/after series misleads and a randomised trial does not.

A **teaching model** with synthetic patients (no real data). Each patient has a personal
mean symptom score on a 0–100 ODI-like scale; the score seen at any visit fluctuates around
that mean (natural history). A patient is enrolled only when the score *observed at
screening* is at or above an enrolment threshold, so enrolled patients tend to be caught on a
bad day and improve at the next visit even if nothing is done: **regression to the mean**.
Everyone who receives an injection, real or sham, also improves by a **placebo response**;
the treated also improve by the **true effect** the learner sets (which may be zero).

Two designs are simulated many times (one row of a 2-D array per simulated study):

* a **single-arm series**: every enrolled patient is treated; the estimate is the mean
  before-minus-after improvement;
* a **randomised controlled trial** of the same total size: half treated, half sham; the
  estimate is the difference in mean improvement between arms.

Each study is tested at a two-sided level ``alpha`` with a t-test written in NumPy
(critical value from a Cornish–Fisher expansion of the normal quantile; no SciPy).

The population values (mean 45, spread between patients 12, visit-to-visit fluctuation 10
points) are illustrative teaching values, not estimates from any study.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist

import numpy as np

SCALE_MAX = 100.0
POP_MEAN = 45.0  # illustrative mean of personal means (points)
BETWEEN_SD = 12.0  # illustrative spread of personal means between patients (points)
WITHIN_SD = 10.0  # illustrative visit-to-visit fluctuation around a personal mean (points)

#: Slider ranges (inclusive) and defaults.
RANGES = {
    "n_total": (10, 200),
    "true_effect": (0.0, 20.0),
    "placebo": (0.0, 15.0),
    "threshold": (0.0, 80.0),
}
DEFAULTS = {"n_total": 40, "true_effect": 0.0, "placebo": 5.0, "threshold": 55.0}
N_STUDIES = 400
SEED = 2024

_STD = NormalDist()


@dataclass(frozen=True)
class TrialSettings:
    n_total: int = DEFAULTS["n_total"]  # patients per study (the RCT splits them 1:1)
    true_effect: float = DEFAULTS["true_effect"]  # points of improvement caused by the treatment
    placebo: float = DEFAULTS["placebo"]  # points of improvement from any injection, real or sham
    threshold: float = DEFAULTS["threshold"]  # enrol only if the screening score is >= this
    n_studies: int = N_STUDIES
    alpha: float = 0.05
    seed: int = SEED

    def __post_init__(self) -> None:
        validate(self)


def validate(s: TrialSettings) -> None:
    if isinstance(s.n_total, bool) or not isinstance(s.n_total, (int, np.integer)):
        raise ValueError(f"n_total must be a whole number of patients, got {s.n_total!r}")
    low, high = RANGES["n_total"]
    if not low <= s.n_total <= high or s.n_total % 2:
        raise ValueError(f"n_total must be an even number from {low} to {high} (split 1:1 in the RCT), got {s.n_total}")
    for name in ("true_effect", "placebo", "threshold"):
        _check_points(name, getattr(s, name))
    if _not_whole(s.n_studies) or s.n_studies < 10:
        raise ValueError(f"n_studies must be an integer of at least 10, got {s.n_studies!r}")
    if not _is_number(s.alpha) or not 0 < s.alpha < 0.5:
        raise ValueError(f"alpha must be a number between 0 and 0.5 (two-sided), got {s.alpha!r}")
    if _not_whole(s.seed) or s.seed < 0:
        raise ValueError(f"seed must be a non-negative whole number, got {s.seed!r}")


def _is_number(value) -> bool:
    """A real number that is not NaN (bool excluded: True is not 1 point)."""
    return (
        not isinstance(value, bool)
        and isinstance(value, (int, float, np.floating, np.integer))
        and not math.isnan(value)
    )


def _not_whole(value) -> bool:
    return isinstance(value, bool) or not isinstance(value, (int, np.integer))


def _check_points(name: str, value) -> None:
    low, high = RANGES[name]
    if not _is_number(value) or not low <= value <= high:
        raise ValueError(f"{name} must be a number from {low:g} to {high:g} points, got {value!r}")


# ---- small numerical helpers (NumPy only) ----


def t_critical(df: int, alpha: float = 0.05) -> float:
    """Two-sided critical value of Student's t (Cornish–Fisher expansion; error < 1e-3 for df >= 5)."""
    if df < 1:
        raise ValueError(f"degrees of freedom must be at least 1, got {df}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}")
    z = _STD.inv_cdf(1 - alpha / 2)
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    v = float(df)
    return z + g1 / v + g2 / v**2 + g3 / v**3 + g4 / v**4


def _norm_ppf(p: np.ndarray) -> np.ndarray:
    """Vectorised standard-normal quantile (Acklam's rational approximation, |error| < 1.2e-9)."""
    a = (
        -3.969683028665376e01,
        2.209460984245205e02,
        -2.759285104469687e02,
        1.383577518672690e02,
        -3.066479806614716e01,
        2.506628277459239e00,
    )
    b = (
        -5.447609879822406e01,
        1.615858368580409e02,
        -1.556989798598866e02,
        6.680131188771972e01,
        -1.328068155288572e01,
    )
    c = (
        -7.784894002430293e-03,
        -3.223964580411365e-01,
        -2.400758277161838e00,
        -2.549732539343734e00,
        4.374664141464968e00,
        2.938163982698783e00,
    )
    d = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00, 3.754408661907416e00)
    p = np.asarray(p, dtype=float)
    out = np.empty_like(p)
    lo = p < 0.02425
    hi = p > 1 - 0.02425
    mid = ~(lo | hi)
    q = p[mid] - 0.5
    r = q * q
    out[mid] = (
        (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
        * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    )
    for mask, sign, pp in ((lo, 1.0, p[lo]), (hi, -1.0, 1 - p[hi])):
        q = np.sqrt(-2 * np.log(pp))
        out[mask] = (
            sign
            * (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
            / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        )
    return out


def expected_regression_to_mean(threshold: float) -> float:
    """Expected improvement (points) from regression to the mean alone among enrolled patients.

    Screening score X = personal mean + noise. Among those with X >= threshold, the next visit
    is expected to be lower by (1 - r)(E[X | X >= T] - mean), with r = between² / (between² + within²).
    ``threshold`` must lie in ``RANGES["threshold"]`` (the model's enrolment thresholds).
    """
    _check_points("threshold", threshold)
    s = math.hypot(BETWEEN_SD, WITHIN_SD)
    a = (threshold - POP_MEAN) / s
    tail = 1 - _STD.cdf(a)
    mean_x = POP_MEAN + s * _STD.pdf(a) / tail
    r = BETWEEN_SD**2 / s**2
    return (1 - r) * (mean_x - POP_MEAN)


# ---- the simulation ----


def _enrol_from(u: np.ndarray, z: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Screening scores and personal means of patients whose screening score is >= threshold.

    ``u`` (uniform) and ``z`` (standard normal) are the random draws. Drawing directly from the
    truncated distribution is equivalent to screening people one by one and enrolling those
    above the threshold, but needs no loop.
    """
    s = math.hypot(BETWEEN_SD, WITHIN_SD)
    upper_tail = 1 - _STD.cdf((threshold - POP_MEAN) / s)  # share of screened people who qualify
    v = np.clip(u * upper_tail, 1e-300, None)
    screening = POP_MEAN - s * _norm_ppf(v)  # upper tail via the lower tail (better precision)
    r = BETWEEN_SD**2 / s**2
    personal = POP_MEAN + r * (screening - POP_MEAN) + BETWEEN_SD * math.sqrt(1 - r) * z
    return screening, personal


def _enrol(rng: np.random.Generator, shape: tuple[int, int], threshold: float) -> tuple[np.ndarray, np.ndarray]:
    u = rng.random(shape)
    return _enrol_from(u, rng.standard_normal(shape), threshold)


@lru_cache(maxsize=4)
def _draws(seed: int, n_studies: int) -> tuple[np.ndarray, ...]:
    """All random numbers one simulation needs, drawn once per seed at the largest study size.

    The sliders only shift and scale these draws (and a smaller study uses the first columns),
    so moving a slider costs arithmetic, not random-number generation: the widget stays fast
    and a change of one setting does not reshuffle the others.
    """
    rng = np.random.default_rng(seed)
    shape = (n_studies, RANGES["n_total"][1])
    # (uniform, personal-mean noise, visit noise) for the single-arm series, then for the RCT
    draws = tuple(f(shape) for _design in range(2) for f in (rng.random, rng.standard_normal, rng.standard_normal))
    for a in draws:
        a.flags.writeable = False
    return draws


def _improvements(
    draws: tuple[np.ndarray, np.ndarray, np.ndarray], settings: TrialSettings, treated: np.ndarray
) -> np.ndarray:
    """Before-minus-after improvement (points) for a (studies x patients) array."""
    n = settings.n_total
    u, z_personal, z_visit = (a[:, :n] for a in draws)
    screening, personal = _enrol_from(u, z_personal, settings.threshold)
    follow_up = personal - settings.placebo - settings.true_effect * treated + WITHIN_SD * z_visit
    before = np.clip(screening, 0.0, SCALE_MAX)
    after = np.clip(follow_up, 0.0, SCALE_MAX)
    return before - after


@dataclass(frozen=True)
class TrialResult:
    settings: TrialSettings
    single_effects: np.ndarray  # estimated improvement per simulated single-arm series (points)
    rct_effects: np.ndarray  # estimated treated-minus-sham difference per simulated RCT (points)
    single_significant: np.ndarray
    rct_significant: np.ndarray
    expected_rtm: float  # expected regression-to-the-mean improvement (points)

    @property
    def single_mean(self) -> float:
        return float(self.single_effects.mean())

    @property
    def rct_mean(self) -> float:
        return float(self.rct_effects.mean())

    @property
    def single_bias(self) -> float:
        return self.single_mean - self.settings.true_effect

    @property
    def rct_bias(self) -> float:
        return self.rct_mean - self.settings.true_effect

    @property
    def single_share_significant(self) -> float:
        return float(self.single_significant.mean())

    @property
    def rct_share_significant(self) -> float:
        return float(self.rct_significant.mean())


def simulate(settings: TrialSettings | None = None, **overrides) -> TrialResult:
    """Simulate ``n_studies`` single-arm series and as many RCTs of the same size (fixed seed)."""
    if settings is None:
        settings = TrialSettings(**overrides)
    elif overrides:
        raise ValueError("pass either a TrialSettings or keyword overrides, not both")
    draws = _draws(settings.seed, settings.n_studies)
    n, half = settings.n_total, settings.n_total // 2

    single = _improvements(draws[:3], settings, np.ones(n))
    single_est = single.mean(axis=1)
    single_se = single.std(axis=1, ddof=1) / math.sqrt(n)
    single_t = single_est / np.where(single_se > 0, single_se, np.inf)
    single_sig = np.abs(single_t) > t_critical(n - 1, settings.alpha)

    arm = np.r_[np.ones(half), np.zeros(half)]  # patients are exchangeable: the first half is the treated arm
    rct = _improvements(draws[3:], settings, arm)
    treated, control = rct[:, :half], rct[:, half:]
    rct_est = treated.mean(axis=1) - control.mean(axis=1)
    pooled_var = (treated.var(axis=1, ddof=1) + control.var(axis=1, ddof=1)) / 2
    rct_se = np.sqrt(pooled_var * 2 / half)
    rct_t = rct_est / np.where(rct_se > 0, rct_se, np.inf)
    rct_sig = np.abs(rct_t) > t_critical(n - 2, settings.alpha)

    return TrialResult(
        settings, single_est, rct_est, single_sig, rct_sig, expected_regression_to_mean(settings.threshold)
    )


# ---- histogram on fixed bins (the widget's step lines) ----

#: Wide enough for every slider setting: the single-arm mean reaches ~52 points (threshold 80,
#: placebo 15, effect 20) and no estimate reaches 70; see tests/test_trial_sim_widget.py.
BIN_LOW, BIN_HIGH, BIN_WIDTH = -20.0, 70.0, 1.0
BIN_EDGES = np.arange(BIN_LOW, BIN_HIGH + BIN_WIDTH / 2, BIN_WIDTH)


def histogram_percent(values: np.ndarray) -> np.ndarray:
    """Share of studies (%) in each fixed 1-point bin; values outside the range go to the edge bins."""
    n_bins = len(BIN_EDGES) - 1
    idx = np.clip(((np.asarray(values) - BIN_LOW) / BIN_WIDTH).astype(int), 0, n_bins - 1)
    return np.bincount(idx, minlength=n_bins) * (100.0 / len(values))


def points(value: float, signed: bool = False) -> str:
    """One decimal, never "-0.0" (a tiny negative average would read as a negative effect)."""
    value = round(float(value), 1) + 0.0  # adding +0.0 turns -0.0 into 0.0
    return f"{value:+.1f}" if signed else f"{value:.1f}"


def describe(result: TrialResult) -> str:
    s = result.settings
    zero = s.true_effect == 0
    rate = "false-positive rate" if zero else "share of studies significant"
    return (
        f"Histogram of the improvement estimated by {s.n_studies} simulated single-arm series and "
        f"{s.n_studies} simulated randomised trials, each with {s.n_total} synthetic patients; true effect "
        f"{s.true_effect:g} points, placebo response {s.placebo:g} points, enrolment threshold {s.threshold:g} "
        f"on a 0–100 scale. Single-arm estimates centre on {points(result.single_mean)} points "
        f"(bias {points(result.single_bias, True)}); randomised estimates centre on {points(result.rct_mean)} points "
        f"(bias {points(result.rct_bias, True)}). {rate.capitalize()} at alpha {s.alpha:g}: single-arm "
        f"{100 * result.single_share_significant:.0f}%, randomised {100 * result.rct_share_significant:.0f}%."
    )


def example_series(
    n_patients: int = 12, seed: int = 404, placebo: float = 5.0, threshold: float = 55.0, true_effect: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """One synthetic single-arm series: (before, after) scores, rounded to whole points.

    Used by the graded quiz, where the learner computes the mean improvement by hand.
    """
    if isinstance(n_patients, bool) or not isinstance(n_patients, int) or not 2 <= n_patients <= 200:
        raise ValueError(f"n_patients must be a whole number from 2 to 200, got {n_patients!r}")
    s = TrialSettings(
        n_total=40, true_effect=true_effect, placebo=placebo, threshold=threshold, n_studies=10, seed=seed
    )
    rng = np.random.default_rng(seed)
    screening, personal = _enrol(rng, (1, n_patients), s.threshold)
    follow_up = personal - s.placebo - s.true_effect + WITHIN_SD * rng.standard_normal((1, n_patients))
    before = np.round(np.clip(screening[0], 0.0, SCALE_MAX))
    after = np.round(np.clip(follow_up[0], 0.0, SCALE_MAX))
    return before, after
