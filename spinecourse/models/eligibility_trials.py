"""The eligibility exercise's trials: registered trials' criteria, each with the rule that applies it, as Python data.

Why Python and not a YAML file in ``content/data/``: each criterion is a small rule over a patient
(``Criterion.apply``), and models import nothing of the course above them (``tests/test_layers.py``), so the
tables stay in ``models/``, apart from the logic that applies them (``eligibility``). Criterion texts quote
the registries and carry their ``[@key]`` citations as plain strings; the widget renders them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .eligibility_patients import NARROWED_GRADES, SEVERE_GRADES, Vignette

STATES = ("yes", "no", "unknown")
KINDS = ("inclusion", "exclusion")


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
        return Check(
            "yes", "Chronic low back pain attributed to disc degeneration: the population these disc trials study."
        )
    return Check(
        "no", "The main problem is not disc-related low back pain, so this is not the population the trial studies."
    )


def _symptomatic_central(v: Vignette) -> Check:
    if not v.claudication:
        return Check("no", "No neurogenic claudication: no symptoms of central canal stenosis.")
    if v.schizas is None:
        return Check(
            "unknown", "Claudication-type symptoms but no MRI yet: the canal cannot be judged until it is imaged."
        )
    if v.schizas in NARROWED_GRADES:
        return Check(
            "yes", f"Neurogenic claudication with a narrowed canal (Schizas {v.schizas}): symptomatic central stenosis."
        )
    return Check(
        "unknown",
        f"Claudication-type symptoms but only minor narrowing (Schizas {v.schizas}): whether this counts as "
        "'symptomatic' stenosis is the investigators' judgement.",
    )


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
        return Check(
            "yes", f"Severe narrowing (Schizas {v.schizas}) with nerve compression for which surgery is recommended."
        )
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
        return Check(
            "yes",
            f"Neurogenic claudication, canal narrowing (Schizas {v.schizas}) and a disc herniation on MRI: "
            "stenosis combined with a herniation.",
        )
    return Check(
        "no",
        "Stenosis without a disc herniation: not the 'combined' stenosis (stenosis plus herniation) the trial enrols.",
    )


def _leg_pain_nonradicular(v: Vignette) -> Check:
    if not v.claudication:
        return Check(
            "yes",
            'No leg symptoms recorded, so the leg-pain conditions are met (they apply only to leg pain "if present").',
        )
    if v.schizas in NARROWED_GRADES:
        return Check(
            "no",
            f"Neurogenic claudication with a narrowed canal (Schizas {v.schizas}): leg pain from compressed "
            "nerve roots, which the trial's inclusion rules out.",
        )
    return Check(
        "unknown",
        "Leg symptoms on walking with little or no narrowing on MRI (or no MRI): whether they come from "
        "nerve roots, reach below the knee or exceed half the back pain is not recorded.",
    )


def _leg_pain_predominant(v: Vignette) -> Check:
    if not v.claudication:
        return Check("no", "No leg symptoms: the trial requires persistent, predominant leg pain.")
    if v.disc_back_pain:
        return Check(
            "unknown", "Leg and back pain are both main complaints; whether the leg pain predominates is not recorded."
        )
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
DISC_INCLUSION_NOTE = (
    "Simplified: the registry's detailed inclusion criteria are not recorded in the course bibliography; "
    "only the population (disc degeneration / low back pain) is."
)

TRIALS: dict[str, Trial] = {
    t.id: t
    for t in [
        Trial(
            "nct06325566",
            "NCT06325566: confirmatory phase 3 disc trial (rexlemestrocel-L programme)",
            ("nct06325566",),
            "Chronic low back pain from disc degeneration; 300 participants, 12-month pain primary endpoint [@nct06325566].",
            (
                Criterion(
                    "nct06325566-in",
                    "inclusion",
                    DISC_INCLUSION_TEXT + " [@nct06325566]",
                    DISC_INCLUSION_NOTE,
                    _disc_population,
                ),
                Criterion(
                    "nct06325566-ex",
                    "exclusion",
                    'Excludes "symptomatic central vertebral canal stenosis" [@nct06325566]',
                    "Teaching reading: neurogenic claudication plus a narrowed canal (Schizas B–D). "
                    "Claudication with only minor narrowing, or without an MRI, is left 'unknown'.",
                    _symptomatic_central,
                ),
            ),
        ),
        Trial(
            "nct03692221",
            "NCT03692221: MSC disc trial (withdrawn, never enrolled)",
            ("nct03692221",),
            "A planned early-phase trial of autologous bone-marrow MSCs injected into degenerated lumbar discs; "
            "withdrawn with 0 participants enrolled [@nct03692221].",
            (
                Criterion(
                    "nct03692221-in",
                    "inclusion",
                    DISC_INCLUSION_TEXT + " [@nct03692221]",
                    "Simplified: the registry also asks for symptoms for over 6 months despite conservative care, "
                    "a block showing no facet involvement and Pfirrmann III–V, which the cards do not record.",
                    _disc_population,
                ),
                Criterion(
                    "nct03692221-in-leg",
                    "inclusion",
                    '"Leg pain, if present, is of nonradicular origin" and "does not extend below the knee and is no '
                    'greater than 50% of low back pain" [@nct03692221]',
                    "Teaching reading: no leg symptoms = met; neurogenic claudication with a narrowed canal "
                    "(Schizas B–D) = radicular leg pain, not met; leg symptoms with minor narrowing or no MRI = unknown.",
                    _leg_pain_nonradicular,
                ),
                Criterion(
                    "nct03692221-ex",
                    "exclusion",
                    "Excludes \"Significant spinal stenosis – interpreted as 'severe' on any cross sectional imaging\" [@nct03692221]",
                    "Teaching reading: Schizas grade C (severe) or D (extreme) [@schizas2010]. Symptoms do not matter "
                    "for this criterion; imaging alone decides.",
                    _severe_on_imaging,
                ),
            ),
            note='Registered in 2018 and withdrawn ("Stalled due to Covid") with 0 enrolled: a protocol, not a study '
            "with data. Eligibility here is on paper only [@nct03692221].",
            withdrawn=True,
        ),
        Trial(
            "nct02338271",
            "NCT02338271 / NCT04530071: Korean adipose-MSC trials",
            ("nct02338271", "nct04530071"),
            "Adipose-derived MSC trials in disc-related low back pain [@nct02338271; @nct04530071].",
            (
                Criterion(
                    "nct02338271-in",
                    "inclusion",
                    DISC_INCLUSION_TEXT + " [@nct02338271; @nct04530071]",
                    DISC_INCLUSION_NOTE,
                    _disc_population,
                ),
                Criterion(
                    "nct04530071-in-disc",
                    "inclusion",
                    'NCT04530071: age 19 to under 70 and "One pain-causing degenerative lumbar disc … identified by '
                    'discography" [@nct04530071]',
                    "Applied to both trials of this entry (only NCT04530071's inclusion criteria are recorded). "
                    "The cards record no discography, so a disc patient in the age range stays 'unknown'.",
                    _discogram_disc,
                ),
                Criterion(
                    "nct02338271-ex",
                    "exclusion",
                    "Excludes severe stenosis with nerve compression requiring surgery [@nct02338271; @nct04530071]",
                    "Teaching reading: Schizas C or D **and** a surgeon has recommended decompression.",
                    _severe_needing_surgery,
                ),
            ),
        ),
        Trial(
            "jrct2013210076",
            "jRCT2013210076: MSCs + gel into the disc after laminoplasty and discectomy (Japan, phase 2)",
            ("jrct2013210076", "sudo2023"),
            "The only MSC trial found in a stenosis population: lumbar canal stenosis combined with a disc herniation, "
            "operated on with laminoplasty and discectomy; allogeneic bone-marrow MSCs plus gel (or gel alone, or nothing) "
            "are placed into the disc defect to prevent disc degeneration; outcomes are back and leg pain and disc MRI. "
            "Double-blind, target 45 [@jrct2013210076; @sudo2023].",
            (
                Criterion(
                    "jrct-in-stenosis",
                    "inclusion",
                    "Population: combined lumbar canal stenosis, i.e. stenosis with a disc herniation [@jrct2013210076; @sudo2023]",
                    "Teaching reading: neurogenic claudication with canal narrowing on MRI (Schizas B–D) and a disc "
                    "herniation.",
                    _combined_stenosis,
                ),
                Criterion(
                    "jrct-in-surgery",
                    "inclusion",
                    '"Candidate for laminoplasty following lumbar discectomy for combined LSCS" [@jrct2013210076]',
                    "Every arm has the operation: the cells are tested as a disc filler after surgery, not instead of it.",
                    _laminoplasty,
                ),
                Criterion(
                    "jrct-in-leg",
                    "inclusion",
                    "Persistent, predominant leg pain > 40 mm on VAS [@jrct2013210076]",
                    "Teaching reading: leg symptoms without disc-related back pain = met; both = unknown.",
                    _leg_pain_predominant,
                ),
                Criterion(
                    "jrct-ex-surgery",
                    "exclusion",
                    "Previous lumbar surgery [@jrct2013210076]",
                    "Read from the card's prior spine surgery.",
                    _previous_lumbar_surgery,
                ),
            ),
            note="Also excludes spondylolisthesis above grade 1, which the cards do not record [@jrct2013210076].",
        ),
        Trial(
            "source_article",
            "The source article's 'ideal candidate' (a proposal, never tested)",
            (),
            "Early-to-mid-stage stenosis with preserved nerve integrity; the article adds that advanced compression "
            "'may not benefit'. No trial has tested this selection rule.",
            (
                Criterion(
                    "article-in-stenosis",
                    "inclusion",
                    "Symptomatic stenosis (the article's target group)",
                    "Teaching reading: neurogenic claudication.",
                    _symptomatic_stenosis,
                ),
                Criterion(
                    "article-in-nerve",
                    "inclusion",
                    "Preserved nerve integrity",
                    "Teaching reading: no objective motor deficit.",
                    _nerve_integrity,
                ),
                Criterion(
                    "article-ex-advanced",
                    "exclusion",
                    "Advanced compression (the article suggests it may not benefit)",
                    "Teaching reading: Schizas C or D [@schizas2010]. Untested: no trial shows that advanced compression "
                    "does not benefit, or that early stages do.",
                    _advanced,
                ),
            ),
            is_trial=False,
        ),
    ]
}

NOT_APPLIED = (
    "Only the criteria listed for each trial are applied. Most comorbidity and prior-surgery criteria "
    "(for example the phase 3 disc trial's exclusion of earlier disc surgery or laminectomy at the index level) "
    "are shown on the card but not applied. Real screening reads the full registry entry."
)
