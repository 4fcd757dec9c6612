"""Trial eligibility: synthetic patients screened against registered trials' criteria.

Pure logic for the eligibility exercise of lesson 06. Each *trial* holds the few
inclusion and exclusion criteria that the course bibliography records for it
(quoted where the registry wording was seen), plus the source article's own
proposed "ideal candidate", which is a hypothesis, not a trial.

Every criterion is applied by a small rule that returns ``"yes"`` (met /
triggered), ``"no"`` or ``"unknown"`` with a reason. How a rule reads a registry
phrase (e.g. "severe on any cross sectional imaging" read as Schizas grade C or D
[@schizas2010]) is a **teaching interpretation**, said so in ``interpretation``.
Real screening reads the full registry entry: most comorbidity and prior-surgery
criteria are not applied here (see ``NOT_APPLIED``).

The tables (trials, their criteria and rules, the synthetic patients) are data in
``eligibility_trials``; this module applies them and returns records. Texts quote the
registries and carry their ``[@key]`` citations as plain strings; the widget
(``spinecourse.widgets.eligibility``) renders them. It imports nothing of the course above it.

All patients are synthetic.
"""

from __future__ import annotations

from dataclasses import dataclass

from .eligibility_patients import (  # noqa: F401 - the tables are part of this module's interface
    GRADE_MEANING,
    GRADES,
    NARROWED_GRADES,
    SEVERE_GRADES,
    VIGNETTES,
    Vignette,
)
from .eligibility_trials import KINDS, NOT_APPLIED, STATES, TRIALS, Check, Criterion, Trial  # noqa: F401

DECISIONS = ("eligible", "not eligible", "uncertain")


@dataclass(frozen=True)
class Step:
    criterion: Criterion
    check: Check

    @property
    def blocks(self) -> bool:
        """True if this step alone makes the patient not eligible."""
        yes = self.check.state == "yes"
        return yes if self.criterion.kind == "exclusion" else self.check.state == "no"


@dataclass(frozen=True)
class Assessment:
    vignette: Vignette
    trial: Trial
    decision: str
    steps: tuple[Step, ...]


def get_vignette(vignette: str | Vignette) -> Vignette:
    if isinstance(vignette, Vignette):
        return vignette
    if vignette not in VIGNETTES:
        raise ValueError(f"unknown patient {vignette!r}; choose from: {', '.join(VIGNETTES)}")
    return VIGNETTES[vignette]


def get_trial(trial: str) -> Trial:
    if trial not in TRIALS:
        raise ValueError(f"unknown trial {trial!r}; choose from: {', '.join(TRIALS)}")
    return TRIALS[trial]


def assess(vignette: str | Vignette, trial: str) -> Assessment:
    """Apply every criterion of ``trial`` to the patient and combine them into a decision.

    Not eligible if any inclusion criterion is not met or any exclusion criterion is
    triggered; otherwise uncertain if any criterion is unknown; otherwise eligible
    (on the criteria recorded here).
    """
    v = get_vignette(vignette)
    t = get_trial(trial)
    steps = tuple(Step(c, c.apply(v)) for c in t.criteria)
    if any(s.blocks for s in steps):
        decision = "not eligible"
    elif any(s.check.state == "unknown" for s in steps):
        decision = "uncertain"
    else:
        decision = "eligible"
    return Assessment(v, t, decision, steps)


def check_prediction(vignette: str | Vignette, trial: str, prediction: str) -> tuple[bool, Assessment]:
    if prediction not in DECISIONS:
        raise ValueError(f"a prediction must be one of {', '.join(DECISIONS)}, got {prediction!r}")
    result = assess(vignette, trial)
    return prediction == result.decision, result


def matrix() -> dict[str, dict[str, str]]:
    """patient id -> trial id -> decision, for every synthetic patient and every trial."""
    return {v: {t: assess(v, t).decision for t in TRIALS} for v in VIGNETTES}


# ---- plain-text summary (the widget renders everything else) ----

STATE_WORDS = {
    ("inclusion", "yes"): "met",
    ("inclusion", "no"): "NOT met",
    ("inclusion", "unknown"): "unknown",
    ("exclusion", "yes"): "TRIGGERED",
    ("exclusion", "no"): "not triggered",
    ("exclusion", "unknown"): "unknown",
}


def describe(a: Assessment) -> str:
    """One plain sentence for the decision (also the screen-reader summary)."""
    parts = "; ".join(
        f"{s.criterion.kind} '{s.criterion.id}' {STATE_WORDS[(s.criterion.kind, s.check.state)]}" for s in a.steps
    )
    qualifier = " on the criteria recorded here" if a.decision == "eligible" else ""
    withdrawn = " The trial was withdrawn without enrolling anyone." if a.trial.withdrawn else ""
    return f"{a.vignette.name} (synthetic) and {a.trial.label}: {a.decision}{qualifier} ({parts}).{withdrawn}"
