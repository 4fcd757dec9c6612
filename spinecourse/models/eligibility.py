"""Trial eligibility: synthetic patients screened against registered trials' criteria.

Pure logic for the eligibility exercise of lesson 06. Each *trial* holds the few
inclusion and exclusion criteria that the course bibliography records for it
(quoted where the registry wording was seen), plus the source article's own
proposed "ideal candidate", which is a hypothesis, not a trial.

Every criterion is applied by a small rule that returns ``"yes"`` (met /
triggered), ``"no"`` or ``"unknown"`` with a reason. How a rule reads a registry
phrase (e.g. "severe on any cross sectional imaging" read as Schizas grade C or D
[@schizas2010]) is a **teaching interpretation**, said so in ``interpretation``.
Real screening reads the full registry entry: comorbidity and prior-surgery
criteria of these trials are not recorded in the bibliography, so they are shown
on the patient card but not applied.

All patients are synthetic.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Callable

from ..content.references import render_citations

#: Schizas morphological grades, mildest first [@schizas2010].
GRADES = ("A1", "A2", "A3", "A4", "B", "C", "D")
SEVERE_GRADES = ("C", "D")  # C = severe, D = extreme [@schizas2010]
NARROWED_GRADES = ("B", "C", "D")  # B = moderate
STATES = ("yes", "no", "unknown")
DECISIONS = ("eligible", "not eligible", "uncertain")
KINDS = ("inclusion", "exclusion")

GRADE_MEANING = {
    "A1": "A1: no or minor stenosis",
    "A2": "A2: no or minor stenosis",
    "A3": "A3: no or minor stenosis",
    "A4": "A4: no or minor stenosis",
    "B": "B: moderate (rootlets fill the sac but can still be told apart)",
    "C": "C: severe (no recognisable rootlets, posterior epidural fat present)",
    "D": "D: extreme (no rootlets and no posterior epidural fat)",
}


@dataclass(frozen=True)
class Vignette:
    """A synthetic patient. Fields used by the rules are typed; the rest is narrative."""

    id: str
    name: str
    age: int
    sex: str
    story: str
    disc_back_pain: bool  # chronic low back pain attributed to disc degeneration
    claudication: bool  # neurogenic claudication (leg symptoms on walking/standing, eased by sitting)
    schizas: str | None  # MRI grade, or None if no MRI yet
    motor_deficit: bool  # objective weakness (a sign that nerve integrity is not preserved)
    surgery_recommended: bool  # a spine surgeon has recommended decompression for nerve compression
    laminoplasty_candidate: bool  # candidate for laminoplasty following lumbar discectomy
    comorbidities: tuple[str, ...] = ()
    prior_surgery: str = "none"

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.strip():
            raise ValueError("a vignette needs a non-empty text id")
        if isinstance(self.age, bool) or not isinstance(self.age, int) or not 18 <= self.age <= 110:
            raise ValueError(f"{self.id}: age must be a whole number of years from 18 to 110, got {self.age!r}")
        if self.schizas is not None and self.schizas not in GRADES:
            raise ValueError(f"{self.id}: Schizas grade must be one of {', '.join(GRADES)} or None (no MRI), got {self.schizas!r}")
        for name in ("disc_back_pain", "claudication", "motor_deficit", "surgery_recommended", "laminoplasty_candidate"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{self.id}: {name} must be True or False, got {getattr(self, name)!r}")
        if not isinstance(self.comorbidities, tuple):
            raise ValueError(f"{self.id}: comorbidities must be a tuple of texts")

    @property
    def mri(self) -> str:
        return "no MRI yet" if self.schizas is None else f"Schizas grade {GRADE_MEANING[self.schizas]}"


@dataclass(frozen=True)
class Check:
    state: str  # "yes" | "no" | "unknown"
    reason: str

    def __post_init__(self) -> None:
        if self.state not in STATES:
            raise ValueError(f"a criterion check must be one of {STATES}, got {self.state!r}")


@dataclass(frozen=True)
class Criterion:
    id: str
    kind: str  # "inclusion" | "exclusion"
    text: str  # what the registry (or the source article) says, with a citation
    interpretation: str  # how this teaching tool applies it
    rule: Callable[[Vignette], Check] = field(repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.id}: kind must be one of {KINDS}, got {self.kind!r}")

    def apply(self, v: Vignette) -> Check:
        return self.rule(v)


@dataclass(frozen=True)
class Trial:
    id: str
    label: str
    keys: tuple[str, ...]  # bibliography keys
    population: str
    criteria: tuple[Criterion, ...]
    is_trial: bool = True  # False for the source article's proposal
    note: str = ""


# ---- rules ----

def _disc_population(v: Vignette) -> Check:
    if v.disc_back_pain:
        return Check("yes", "Chronic low back pain attributed to disc degeneration: the population these disc trials study.")
    return Check("no", "The main problem is not disc-related low back pain, so this is not the population the trial studies.")


def _symptomatic_central(v: Vignette) -> Check:
    if not v.claudication:
        return Check("no", "No neurogenic claudication: no symptoms of central canal stenosis.")
    if v.schizas is None:
        return Check("unknown", "Claudication-type symptoms but no MRI yet: the canal cannot be judged until it is imaged.")
    if v.schizas in NARROWED_GRADES:
        return Check("yes", f"Neurogenic claudication with a narrowed canal (Schizas {v.schizas}): symptomatic central stenosis.")
    return Check("unknown", f"Claudication-type symptoms but only minor narrowing (Schizas {v.schizas}): whether this counts as "
                            "'symptomatic' stenosis is the investigators' judgement.")


def _severe_on_imaging(v: Vignette) -> Check:
    if v.schizas is None:
        return Check("unknown", "No cross-sectional imaging yet, so severity cannot be judged.")
    if v.schizas in SEVERE_GRADES:
        return Check("yes", f"Schizas {v.schizas} is read as 'severe' on imaging.")
    return Check("no", f"Schizas {v.schizas} is not severe.")


def _severe_needing_surgery(v: Vignette) -> Check:
    if not v.surgery_recommended:
        return Check("no", "No surgeon has recommended decompression.")
    if v.schizas is None:
        return Check("unknown", "Surgery has been suggested but there is no MRI to confirm severe compression.")
    if v.schizas in SEVERE_GRADES:
        return Check("yes", f"Severe narrowing (Schizas {v.schizas}) with nerve compression for which surgery is recommended.")
    return Check("no", f"Surgery was suggested, but the narrowing (Schizas {v.schizas}) is not severe.")


def _canal_stenosis(v: Vignette) -> Check:
    if v.schizas is None:
        return Check("unknown", "No MRI yet: lumbar canal stenosis is not confirmed.")
    if v.claudication and v.schizas in NARROWED_GRADES:
        return Check("yes", f"Neurogenic claudication with canal narrowing on MRI (Schizas {v.schizas}).")
    if not v.claudication:
        return Check("no", "No neurogenic claudication: not a symptomatic canal stenosis patient.")
    return Check("no", f"Only minor narrowing on MRI (Schizas {v.schizas}).")


def _laminoplasty(v: Vignette) -> Check:
    if v.laminoplasty_candidate:
        return Check("yes", "The surgical team has listed this patient for laminoplasty following lumbar discectomy.")
    return Check("no", "Not a candidate for laminoplasty following lumbar discectomy.")


def _symptomatic_stenosis(v: Vignette) -> Check:
    if v.schizas is None and v.claudication:
        return Check("unknown", "Leg symptoms on walking but no imaging yet; a vascular cause has not been excluded.")
    if v.claudication:
        return Check("yes", "Neurogenic claudication: a symptomatic stenosis patient, the group the article targets.")
    return Check("no", "No neurogenic claudication: not the stenosis patient the article has in mind.")


def _nerve_integrity(v: Vignette) -> Check:
    if v.motor_deficit:
        return Check("no", "Objective weakness: nerve integrity is not preserved.")
    return Check("yes", "No motor deficit recorded: read here as preserved nerve integrity.")


def _advanced(v: Vignette) -> Check:
    if v.schizas is None:
        return Check("unknown", "No MRI yet, so the stage of compression is unknown.")
    if v.schizas in SEVERE_GRADES:
        return Check("yes", f"Schizas {v.schizas}: advanced compression.")
    return Check("no", f"Schizas {v.schizas}: early-to-mid stage.")


DISC_INCLUSION_TEXT = "Chronic low back pain due to disc degeneration (the trial population)"
DISC_INCLUSION_NOTE = ("Simplified: the registry's detailed inclusion criteria are not recorded in the course bibliography; "
                       "only the population (disc degeneration / low back pain) is.")

TRIALS: dict[str, Trial] = {
    t.id: t
    for t in [
        Trial(
            "nct06325566", "NCT06325566: confirmatory phase 3 disc trial (rexlemestrocel-L programme)", ("nct06325566",),
            "Chronic low back pain from disc degeneration; 300 participants, 12-month pain primary endpoint [@nct06325566].",
            (
                Criterion("nct06325566-in", "inclusion", DISC_INCLUSION_TEXT + " [@nct06325566]", DISC_INCLUSION_NOTE, _disc_population),
                Criterion("nct06325566-ex", "exclusion",
                          "Excludes \"symptomatic central vertebral canal stenosis\" [@nct06325566]",
                          "Teaching reading: neurogenic claudication plus a narrowed canal (Schizas B–D). "
                          "Claudication with only minor narrowing, or without an MRI, is left 'unknown'.",
                          _symptomatic_central),
            ),
        ),
        Trial(
            "nct03692221", "NCT03692221: MSC disc trial", ("nct03692221",),
            "An MSC trial in disc-related back pain; only its stenosis exclusion is recorded in the bibliography [@nct03692221].",
            (
                Criterion("nct03692221-in", "inclusion", DISC_INCLUSION_TEXT + " [@nct03692221]", DISC_INCLUSION_NOTE, _disc_population),
                Criterion("nct03692221-ex", "exclusion",
                          "Excludes \"Significant spinal stenosis – interpreted as 'severe' on any cross sectional imaging\" [@nct03692221]",
                          "Teaching reading: Schizas grade C (severe) or D (extreme) [@schizas2010]. Symptoms do not matter "
                          "for this criterion; imaging alone decides.",
                          _severe_on_imaging),
            ),
        ),
        Trial(
            "nct02338271", "NCT02338271 / NCT04530071: Korean adipose-MSC trials", ("nct02338271", "nct04530071"),
            "Adipose-derived MSC trials in disc-related low back pain [@nct02338271; @nct04530071].",
            (
                Criterion("nct02338271-in", "inclusion", DISC_INCLUSION_TEXT + " [@nct02338271; @nct04530071]",
                          DISC_INCLUSION_NOTE, _disc_population),
                Criterion("nct02338271-ex", "exclusion",
                          "Excludes severe stenosis with nerve compression requiring surgery [@nct02338271; @nct04530071]",
                          "Teaching reading: Schizas C or D **and** a surgeon has recommended decompression.",
                          _severe_needing_surgery),
            ),
        ),
        Trial(
            "jrct2013210076", "jRCT2013210076: MSCs + gel with laminoplasty following discectomy (Japan, phase 2)", ("jrct2013210076",),
            "The only MSC trial found in a stenosis population: ultra-purified allogeneic bone-marrow MSCs plus an "
            "in-situ-forming gel, double-blind, target 45, recruiting, no results [@jrct2013210076].",
            (
                Criterion("jrct-in-stenosis", "inclusion", "Population: combined lumbar canal stenosis [@jrct2013210076]",
                          "Teaching reading: neurogenic claudication with canal narrowing on MRI (Schizas B–D).", _canal_stenosis),
                Criterion("jrct-in-surgery", "inclusion",
                          "Candidates for laminoplasty following lumbar discectomy [@jrct2013210076]",
                          "The cells are given alongside surgery, not instead of it.", _laminoplasty),
            ),
            note="Its exclusion criteria are not recorded in the bibliography.",
        ),
        Trial(
            "source_article", "The source article's 'ideal candidate' (a proposal, never tested)", (),
            "Early-to-mid-stage stenosis with preserved nerve integrity; the article adds that advanced compression "
            "'may not benefit'. No trial has tested this selection rule.",
            (
                Criterion("article-in-stenosis", "inclusion", "Symptomatic stenosis (the article's target group)",
                          "Teaching reading: neurogenic claudication.", _symptomatic_stenosis),
                Criterion("article-in-nerve", "inclusion", "Preserved nerve integrity",
                          "Teaching reading: no objective motor deficit.", _nerve_integrity),
                Criterion("article-ex-advanced", "exclusion", "Advanced compression (the article suggests it may not benefit)",
                          "Teaching reading: Schizas C or D [@schizas2010]. Untested: no trial shows that advanced compression "
                          "does not benefit, or that early stages do.", _advanced),
            ),
            is_trial=False,
        ),
    ]
}

NOT_APPLIED = ("Comorbidity and prior-surgery criteria of these trials are not recorded in the course bibliography, "
               "so this tool shows them on the card but does not apply them. Real screening reads the full registry entry.")


def _v(id, name, age, sex, story, **kw) -> Vignette:
    return Vignette(id, name, age, sex, story, **kw)


#: Synthetic patients (invented for teaching; any resemblance to real people is accidental).
VIGNETTES: dict[str, Vignette] = {
    v.id: v
    for v in [
        _v("A", "Mr A", 72, "man",
           "Bilateral leg heaviness after about 200 m of walking, eased by sitting or leaning on a trolley. "
           "Strength normal. A spine surgeon has offered decompression.",
           disc_back_pain=False, claudication=True, schizas="C", motor_deficit=False, surgery_recommended=True,
           laminoplasty_candidate=False, comorbidities=("type 2 diabetes",)),
        _v("B", "Ms B", 66, "woman",
           "Years of mechanical low back pain from a degenerated disc, and for a year leg tiredness on walking that "
           "eases on sitting. Strength normal. No surgery advised.",
           disc_back_pain=True, claudication=True, schizas="B", motor_deficit=False, surgery_recommended=False,
           laminoplasty_candidate=False, comorbidities=("hypertension",)),
        _v("C", "Mr C", 41, "man",
           "Chronic low back pain from one degenerated lumbar disc despite a year of physiotherapy; no leg symptoms.",
           disc_back_pain=True, claudication=False, schizas="A1", motor_deficit=False, surgery_recommended=False,
           laminoplasty_candidate=False),
        _v("D", "Ms D", 58, "woman",
           "Chronic disc-related low back pain; lately some leg aching after long walks that settles when she sits.",
           disc_back_pain=True, claudication=True, schizas="A3", motor_deficit=False, surgery_recommended=False,
           laminoplasty_candidate=False, comorbidities=("osteoarthritis of the knee",)),
        _v("E", "Mr E", 69, "man",
           "Neurogenic claudication at 100 m with a disc herniation and a narrowed canal. His surgeons plan "
           "laminoplasty following lumbar discectomy.",
           disc_back_pain=False, claudication=True, schizas="C", motor_deficit=False, surgery_recommended=True,
           laminoplasty_candidate=True),
        _v("F", "Ms F", 77, "woman",
           "Claudication after 50 m and a weak ankle (foot drop) for three months. Surgery has been recommended.",
           disc_back_pain=False, claudication=True, schizas="D", motor_deficit=True, surgery_recommended=True,
           laminoplasty_candidate=False, comorbidities=("peripheral arterial disease", "atrial fibrillation on anticoagulants"),
           prior_surgery="L4–5 decompression 8 years ago"),
        _v("G", "Mr G", 63, "man",
           "Calf pain on walking for six months; no imaging yet. He smokes and has diabetes, so a vascular cause "
           "(peripheral arterial disease) is still on the list.",
           disc_back_pain=False, claudication=True, schizas=None, motor_deficit=False, surgery_recommended=False,
           laminoplasty_candidate=False, comorbidities=("type 2 diabetes", "smoker")),
        _v("H", "Ms H", 49, "woman",
           "Chronic disc-related low back pain, no leg symptoms. Her MRI also shows marked narrowing of the canal "
           "at one level that causes her no symptoms.",
           disc_back_pain=True, claudication=False, schizas="C", motor_deficit=False, surgery_recommended=False,
           laminoplasty_candidate=False),
    ]
}


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


# ---- text ----

def _e(text: str) -> str:
    return render_citations(html.escape(text, quote=False)).replace("**", "")


def card_html(v: Vignette) -> str:
    comorb = ", ".join(v.comorbidities) or "none recorded"
    return (
        f"<p><b>{_e(v.name)}</b>, {v.age}-year-old {v.sex} <i>(synthetic patient)</i></p>"
        f"<p>{_e(v.story)}</p><ul>"
        f"<li>MRI: {_e(v.mri)}</li>"
        f"<li>Neurogenic claudication: {'yes' if v.claudication else 'no'}; "
        f"disc-related chronic low back pain: {'yes' if v.disc_back_pain else 'no'}</li>"
        f"<li>Motor deficit: {'yes' if v.motor_deficit else 'no'}; surgery recommended: {'yes' if v.surgery_recommended else 'no'}; "
        f"listed for laminoplasty following discectomy: {'yes' if v.laminoplasty_candidate else 'no'}</li>"
        f"<li>Comorbidities: {_e(comorb)}; prior spine surgery: {_e(v.prior_surgery)}</li></ul>"
    )


def criteria_html(t: Trial) -> str:
    items = "".join(f"<li><b>{c.kind.capitalize()}:</b> {_e(c.text)}</li>" for c in t.criteria)
    kind = "" if t.is_trial else "<p><b>Not a trial:</b> a proposal from the source article, shown for comparison.</p>"
    note = f"<p><small>{_e(t.note)}</small></p>" if t.note else ""
    return f"<p><b>{_e(t.label)}</b><br>{_e(t.population)}</p>{kind}<ul>{items}</ul>{note}"


STATE_WORDS = {
    ("inclusion", "yes"): "met", ("inclusion", "no"): "NOT met", ("inclusion", "unknown"): "unknown",
    ("exclusion", "yes"): "TRIGGERED", ("exclusion", "no"): "not triggered", ("exclusion", "unknown"): "unknown",
}


def reasoning_html(a: Assessment) -> str:
    rows = "".join(
        f"<tr><td>{s.criterion.kind}</td><td>{_e(s.criterion.text)}</td>"
        f"<td><b>{STATE_WORDS[(s.criterion.kind, s.check.state)]}</b></td>"
        f"<td>{_e(s.check.reason)}<br><small>{_e(s.criterion.interpretation)}</small></td></tr>"
        for s in a.steps
    )
    return (
        '<table style="border-collapse:collapse" border="1" cellpadding="4">'
        "<caption>Reasoning per criterion</caption>"
        "<tr><th>Kind</th><th>Criterion</th><th>Result</th><th>Why</th></tr>"
        f"{rows}</table>"
    )


def describe(a: Assessment) -> str:
    """One plain sentence for the decision (also the screen-reader summary)."""
    parts = "; ".join(f"{s.criterion.kind} '{s.criterion.id}' {STATE_WORDS[(s.criterion.kind, s.check.state)]}" for s in a.steps)
    qualifier = " on the criteria recorded here" if a.decision == "eligible" else ""
    return f"{a.vignette.name} (synthetic) and {a.trial.label}: {a.decision}{qualifier} ({parts})."


def matrix_html() -> str:
    m = matrix()
    head = "".join(f"<th>{html.escape(TRIALS[t].label.split(':')[0])}</th>" for t in TRIALS)
    rows = "".join(
        f"<tr><th>{html.escape(VIGNETTES[v].name)} ({VIGNETTES[v].age}, {VIGNETTES[v].mri.replace('Schizas grade ', '').split(':')[0]})</th>"
        + "".join(f"<td>{m[v][t]}</td>" for t in TRIALS) + "</tr>"
        for v in VIGNETTES
    )
    return ('<table border="1" cellpadding="4" style="border-collapse:collapse">'
            "<caption>Synthetic patients × trials: decision on the recorded criteria</caption>"
            f"<tr><th>Patient (age, MRI)</th>{head}</tr>{rows}</table>")
