"""Likelihood ratios at the bedside: pre-test probability + findings -> post-test probability.

The likelihood ratios (LR, with 95% CI) are those of the JAMA Rational Clinical
Examination review of the clinical syndrome of lumbar spinal stenosis in older
adults with leg pain [@suri2010].

Multiplying several LRs assumes the findings are *conditionally independent*.
Bedside findings of stenosis are not (forward-flexion relief and pain-free sitting
travel together), so a product of LRs usually overstates the certainty: treat a
combined result as likely an overestimate of what the findings tell you (not a
mathematical bound: correlated findings usually inflate the product, but the error
can go either way).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    key: str
    label: str
    lr: float
    ci: tuple[float, float]
    group: str | None = None  # findings in one group exclude each other


#: [@suri2010]: LR (95% CI).
FINDINGS: dict[str, Finding] = {
    f.key: f
    for f in [
        Finding("age_over_70", "Age over 70 years", 2.0, (1.6, 2.5), group="age"),
        Finding("age_under_60", "Age under 60 years", 0.40, (0.29, 0.57), group="age"),
        Finding("no_pain_seated", "No pain when seated", 7.4, (1.9, 30.0)),
        Finding("better_bending_forward", "Symptoms improve when bending forward", 6.4, (4.1, 9.9)),
        Finding("bilateral_pain", "Bilateral buttock or leg pain", 6.3, (3.1, 13.0)),
        Finding("claudication_present", "Neurogenic claudication present", 3.7, (2.9, 4.8), group="claudication"),
        Finding("claudication_absent", "Neurogenic claudication absent", 0.23, (0.17, 0.31), group="claudication"),
        Finding("wide_based_gait", "Wide-based gait", 13.0, (1.9, 95.0)),
        Finding("abnormal_romberg", "Abnormal Romberg test", 4.2, (1.4, 13.0)),
    ]
}


def _check_probability(p: float, name: str = "pre-test probability") -> None:
    if isinstance(p, bool) or not isinstance(p, (int, float)) or math.isnan(p):
        raise ValueError(f"{name} must be a number between 0 and 1, got {p!r}")
    if not 0 < p < 1:
        raise ValueError(
            f"{name} must be strictly between 0 and 1 (got {p}); "
            "give 30% as 0.30, and note that 0 and 1 cannot be updated by any finding"
        )


def odds(p: float) -> float:
    _check_probability(p, "probability")
    return p / (1 - p)


def probability(o: float) -> float:
    if not o >= 0 or math.isinf(o):
        raise ValueError(f"odds must be a finite number >= 0, got {o!r}")
    return o / (1 + o)


def post_test_probability(pretest: float, lrs: Iterable[float]) -> float:
    """Bayes' theorem in odds form: post-odds = pre-odds × LR1 × LR2 × ..."""
    _check_probability(pretest)
    post = odds(pretest)
    for lr in lrs:
        if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not lr > 0 or math.isinf(lr):
            raise ValueError(f"a likelihood ratio must be a positive finite number, got {lr!r}")
        post *= lr
    return probability(post)


def validate_findings(keys: Iterable[str]) -> list[Finding]:
    chosen: list[Finding] = []
    groups: dict[str, str] = {}
    for key in keys:
        if key not in FINDINGS:
            raise ValueError(f"unknown finding {key!r}; choose from: {', '.join(FINDINGS)}")
        finding = FINDINGS[key]
        if finding in chosen:
            continue
        if finding.group and finding.group in groups:
            raise ValueError(f"{key!r} and {groups[finding.group]!r} cannot both be present")
        if finding.group:
            groups[finding.group] = key
        chosen.append(finding)
    return chosen


@dataclass(frozen=True)
class BedsideResult:
    pretest: float
    post: float
    post_low: float  # every LR at the lower end of its 95% CI
    post_high: float  # every LR at the upper end
    findings: tuple[Finding, ...]


def bedside(pretest: float, findings: Iterable[str]) -> BedsideResult:
    chosen = validate_findings(findings)
    return BedsideResult(
        pretest=pretest,
        post=post_test_probability(pretest, [f.lr for f in chosen]),
        post_low=post_test_probability(pretest, [f.ci[0] for f in chosen]),
        post_high=post_test_probability(pretest, [f.ci[1] for f in chosen]),
        findings=tuple(chosen),
    )


def describe(result: BedsideResult) -> str:
    if not result.findings:
        named = "no findings selected, so the probability is unchanged"
    else:
        named = "findings: " + "; ".join(f"{f.label} (LR {f.lr:g})" for f in result.findings)
    return (
        f"Bar chart: pre-test probability {result.pretest:.0%}; post-test probability {result.post:.0%} "
        f"(range {result.post_low:.0%} to {result.post_high:.0%} using the ends of each LR's 95% CI); {named}."
    )
