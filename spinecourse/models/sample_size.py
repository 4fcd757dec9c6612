"""How many patients does a two-arm trial need? (normal-approximation sample size)

    n per arm = 2 (z_{1-alpha/2} + z_{1-beta})^2 sigma^2 / Delta^2, rounded up

Delta defaults to the ODI minimal important change of 10 points proposed by Ostelo et al.
2008 [@ostelo2008]. The standard deviation sigma is the learner's input: the course's
bibliography holds no "typical" ODI SD, so none is assumed here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

ODI_MIC = 10.0  # points on the 0–100 ODI [@ostelo2008]
SD_RANGE = (5.0, 40.0)  # the widget's SD slider (points)
FORMULA_HTML = "n per arm = 2 (z<sub>1−α/2</sub> + z<sub>1−β</sub>)² σ² / Δ², rounded up"


@dataclass(frozen=True)
class SampleSize:
    per_arm: int
    total: int
    z_alpha: float
    z_beta: float
    exact: float  # before rounding up


def _check(name: str, value: float, low: float, high: float, open_interval: bool = True) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise ValueError(f"{name} must be a number, got {value!r}")
    ok = low < value < high if open_interval else low <= value <= high
    if not ok:
        raise ValueError(f"{name} must be between {low:g} and {high:g}, got {value!r}")


def patients_per_arm(sd: float, power: float = 0.8, alpha: float = 0.05, delta: float = ODI_MIC) -> SampleSize:
    """Patients per arm to detect a true difference ``delta`` with the given power (two-sided alpha)."""
    _check("sd", sd, 0, 1000)
    _check("power", power, 0.5, 1)
    _check("alpha", alpha, 0, 0.5)
    _check("delta", delta, 0, 1000)
    z_alpha = NormalDist().inv_cdf(1 - alpha / 2)
    z_beta = NormalDist().inv_cdf(power)
    exact = 2 * (z_alpha + z_beta) ** 2 * sd**2 / delta**2
    per_arm = math.ceil(exact - 1e-9)
    return SampleSize(per_arm, 2 * per_arm, z_alpha, z_beta, exact)


def describe(sd: float, power: float, alpha: float, result: SampleSize, delta: float = ODI_MIC) -> str:
    return (
        f"To detect a true difference of {delta:g} points with SD {sd:g} points, power {power:.0%} and two-sided "
        f"alpha {alpha:g}: z(1−α/2) = {result.z_alpha:.3f}, z(1−β) = {result.z_beta:.3f}, "
        f"n = {result.exact:.1f}, so {result.per_arm} patients per arm ({result.total} in total)."
    )
