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

Texts here are data: criteria quote the registries and carry their ``[@key]``
citations as plain strings; the widget (``spinecourse.widgets.eligibility``)
renders them. This module imports nothing of the course above it.

All patients are synthetic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

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
    prior_surgery: str = "none"  # "none", or a short description of previous lumbar surgery
    disc_herniation: bool = False  # a disc herniation on MRI (with the stenosis: "combined" stenosis)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.strip():
            raise ValueError("a vignette needs a non-empty text id")
        if isinstance(self.age, bool) or not isinstance(self.age, int) or not 18 <= self.age <= 110:
            raise ValueError(f"{self.id}: age must be a whole number of years from 18 to 110, got {self.age!r}")
        if self.schizas is not None and self.schizas not in GRADES:
            raise ValueError(f"{self.id}: Schizas grade must be one of {', '.join(GRADES)} or None (no MRI), got {self.schizas!r}")
        for name in ("disc_back_pain", "claudication", "motor_deficit", "surgery_recommended", "laminoplasty_candidate",
                     "disc_herniation"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{self.id}: {name} must be True or False, got {getattr(self, name)!r}")
        if not isinstance(self.comorbidities, tuple):
            raise ValueError(f"{self.id}: comorbidities must be a tuple of texts")
        if not isinstance(self.prior_surgery, str) or not self.prior_surgery.strip():
            raise ValueError(f"{self.id}: prior_surgery must be 'none' or a description, got {self.prior_surgery!r}")

    @property
    def had_lumbar_surgery(self) -> bool:
        return self.prior_surgery.strip().lower() != "none"

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
    withdrawn: bool = False  # registered, then withdrawn without enrolling anyone: eligibility on paper only


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


def _combined_stenosis(v: Vignette) -> Check:
    base = _canal_stenosis(v)
    if base.state != "yes":
        return base
    if v.disc_herniation:
        return Check("yes", f"Neurogenic claudication, canal narrowing (Schizas {v.schizas}) and a disc herniation on MRI: "
                            "stenosis combined with a herniation.")
    return Check("no", "Stenosis without a disc herniation: not the 'combined' stenosis (stenosis plus herniation) the trial enrols.")


def _leg_pain_nonradicular(v: Vignette) -> Check:
    if not v.claudication:
        return Check("yes", "No leg symptoms recorded, so the leg-pain conditions are met (they apply only to leg pain \"if present\").")
    if v.schizas in NARROWED_GRADES:
        return Check("no", f"Neurogenic claudication with a narrowed canal (Schizas {v.schizas}): leg pain from compressed "
                           "nerve roots, which the trial's inclusion rules out.")
    return Check("unknown", "Leg symptoms on walking with little or no narrowing on MRI (or no MRI): whether they come from "
                            "nerve roots, reach below the knee or exceed half the back pain is not recorded.")


def _leg_pain_predominant(v: Vignette) -> Check:
    if not v.claudication:
        return Check("no", "No leg symptoms: the trial requires persistent, predominant leg pain.")
    if v.disc_back_pain:
        return Check("unknown", "Leg and back pain are both main complaints; whether the leg pain predominates is not recorded.")
    return Check("yes", "Leg symptoms are the main complaint (no disc-related back pain recorded).")


def _previous_lumbar_surgery(v: Vignette) -> Check:
    if v.had_lumbar_surgery:
        return Check("yes", f"Previous lumbar surgery: {v.prior_surgery}.")
    return Check("no", "No previous lumbar surgery.")


def _discogram_disc(v: Vignette) -> Check:
    if not 19 <= v.age < 70:
        return Check("no", f"Aged {v.age}: outside the registry's age range (19 to under 70).")
    if not v.disc_back_pain:
        return Check("no", "No disc-related back pain, so no pain-causing disc to identify.")
    return Check("unknown", "A pain-causing disc must be identified by discography; the card does not record one.")


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
            "nct03692221", "NCT03692221: MSC disc trial (withdrawn, never enrolled)", ("nct03692221",),
            "A planned early-phase trial of autologous bone-marrow MSCs injected into degenerated lumbar discs; "
            "withdrawn with 0 participants enrolled [@nct03692221].",
            (
                Criterion("nct03692221-in", "inclusion", DISC_INCLUSION_TEXT + " [@nct03692221]",
                          "Simplified: the registry also asks for symptoms for over 6 months despite conservative care, "
                          "a block showing no facet involvement and Pfirrmann III–V, which the cards do not record.",
                          _disc_population),
                Criterion("nct03692221-in-leg", "inclusion",
                          "\"Leg pain, if present, is of nonradicular origin\" and \"does not extend below the knee and is no "
                          "greater than 50% of low back pain\" [@nct03692221]",
                          "Teaching reading: no leg symptoms = met; neurogenic claudication with a narrowed canal "
                          "(Schizas B–D) = radicular leg pain, not met; leg symptoms with minor narrowing or no MRI = unknown.",
                          _leg_pain_nonradicular),
                Criterion("nct03692221-ex", "exclusion",
                          "Excludes \"Significant spinal stenosis – interpreted as 'severe' on any cross sectional imaging\" [@nct03692221]",
                          "Teaching reading: Schizas grade C (severe) or D (extreme) [@schizas2010]. Symptoms do not matter "
                          "for this criterion; imaging alone decides.",
                          _severe_on_imaging),
            ),
            note="Registered in 2018 and withdrawn (\"Stalled due to Covid\") with 0 enrolled: a protocol, not a study "
                 "with data. Eligibility here is on paper only [@nct03692221].",
            withdrawn=True,
        ),
        Trial(
            "nct02338271", "NCT02338271 / NCT04530071: Korean adipose-MSC trials", ("nct02338271", "nct04530071"),
            "Adipose-derived MSC trials in disc-related low back pain [@nct02338271; @nct04530071].",
            (
                Criterion("nct02338271-in", "inclusion", DISC_INCLUSION_TEXT + " [@nct02338271; @nct04530071]",
                          DISC_INCLUSION_NOTE, _disc_population),
                Criterion("nct04530071-in-disc", "inclusion",
                          "NCT04530071: age 19 to under 70 and \"One pain-causing degenerative lumbar disc … identified by "
                          "discography\" [@nct04530071]",
                          "Applied to both trials of this entry (only NCT04530071's inclusion criteria are recorded). "
                          "The cards record no discography, so a disc patient in the age range stays 'unknown'.",
                          _discogram_disc),
                Criterion("nct02338271-ex", "exclusion",
                          "Excludes severe stenosis with nerve compression requiring surgery [@nct02338271; @nct04530071]",
                          "Teaching reading: Schizas C or D **and** a surgeon has recommended decompression.",
                          _severe_needing_surgery),
            ),
        ),
        Trial(
            "jrct2013210076", "jRCT2013210076: MSCs + gel into the disc after laminoplasty and discectomy (Japan, phase 2)",
            ("jrct2013210076", "sudo2023"),
            "The only MSC trial found in a stenosis population: lumbar canal stenosis combined with a disc herniation, "
            "operated on with laminoplasty and discectomy; allogeneic bone-marrow MSCs plus gel (or gel alone, or nothing) "
            "are placed into the disc defect to prevent disc degeneration; outcomes are back and leg pain and disc MRI. "
            "Double-blind, target 45 [@jrct2013210076; @sudo2023].",
            (
                Criterion("jrct-in-stenosis", "inclusion",
                          "Population: combined lumbar canal stenosis, i.e. stenosis with a disc herniation [@jrct2013210076; @sudo2023]",
                          "Teaching reading: neurogenic claudication with canal narrowing on MRI (Schizas B–D) and a disc "
                          "herniation.", _combined_stenosis),
                Criterion("jrct-in-surgery", "inclusion",
                          "\"Candidate for laminoplasty following lumbar discectomy for combined LSCS\" [@jrct2013210076]",
                          "Every arm has the operation: the cells are tested as a disc filler after surgery, not instead of it.",
                          _laminoplasty),
                Criterion("jrct-in-leg", "inclusion", "Persistent, predominant leg pain > 40 mm on VAS [@jrct2013210076]",
                          "Teaching reading: leg symptoms without disc-related back pain = met; both = unknown.",
                          _leg_pain_predominant),
                Criterion("jrct-ex-surgery", "exclusion", "Previous lumbar surgery [@jrct2013210076]",
                          "Read from the card's prior spine surgery.", _previous_lumbar_surgery),
            ),
            note="Also excludes spondylolisthesis above grade 1, which the cards do not record [@jrct2013210076].",
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

NOT_APPLIED = ("Only the criteria listed for each trial are applied. Most comorbidity and prior-surgery criteria "
               "(for example the phase 3 disc trial's exclusion of earlier disc surgery or laminectomy at the index level) "
               "are shown on the card but not applied. Real screening reads the full registry entry.")


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
           laminoplasty_candidate=True, disc_herniation=True),
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


# ---- plain-text summary (the widget renders everything else) ----

STATE_WORDS = {
    ("inclusion", "yes"): "met", ("inclusion", "no"): "NOT met", ("inclusion", "unknown"): "unknown",
    ("exclusion", "yes"): "TRIGGERED", ("exclusion", "no"): "not triggered", ("exclusion", "unknown"): "unknown",
}


def describe(a: Assessment) -> str:
    """One plain sentence for the decision (also the screen-reader summary)."""
    parts = "; ".join(f"{s.criterion.kind} '{s.criterion.id}' {STATE_WORDS[(s.criterion.kind, s.check.state)]}" for s in a.steps)
    qualifier = " on the criteria recorded here" if a.decision == "eligible" else ""
    withdrawn = " The trial was withdrawn without enrolling anyone." if a.trial.withdrawn else ""
    return f"{a.vignette.name} (synthetic) and {a.trial.label}: {a.decision}{qualifier} ({parts}).{withdrawn}"
