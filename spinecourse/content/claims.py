"""Claim ledger: the source article's claims (paraphrased) against the checked evidence.

Each claim records the OCEBM 2011 level [@ocebm2011] of the best study design found behind it
(question: "does this intervention help?") and the GRADE certainty [@guyatt2008] that MSCs
help people with *stenosis*, given that evidence. Verdicts follow references.md section 15.
The learner picks a level and a certainty per claim (``ClaimLedger``); ``check`` explains.
The same data feeds a static summary figure (``claims_figure``).
"""

from __future__ import annotations

import html
from dataclasses import dataclass


from ..content import references

#: OCEBM 2011 levels for "does this intervention help?" [@ocebm2011]; None = no published study.
OCEBM_LEVELS = {
    1: "Level 1: systematic review of randomised trials or n-of-1 trials",
    2: "Level 2: randomised trial or observational study with dramatic effect",
    3: "Level 3: non-randomised controlled cohort/follow-up study",
    4: "Level 4: case series, case-control or historically controlled studies",
    5: "Level 5: mechanism-based reasoning",
    None: "No published study found",
}
#: GRADE certainty levels [@guyatt2008] (the four levels are a secondary-source fact).
GRADE_LEVELS = ("high", "moderate", "low", "very low")


@dataclass(frozen=True)
class Claim:
    id: str
    short: str                 # label for the figure
    text: str                  # paraphrase of the source article's claim (not a quotation)
    best_evidence: str         # what was found
    ocebm: int | None          # the keyed OCEBM level (None = no published study)
    grade: str                 # the keyed GRADE certainty for benefit in stenosis
    verdict: str               # short verdict (references.md section 15)
    explanation: str           # with [@key] citations
    keys: tuple[str, ...]
    also_accept_ocebm: tuple[int | None, ...] = ()
    also_accept_grade: tuple[str, ...] = ()

    def ocebm_ok(self, level: int | None) -> bool:
        return level == self.ocebm or level in self.also_accept_ocebm

    def grade_ok(self, certainty: str) -> bool:
        return certainty == self.grade or certainty in self.also_accept_grade


CLAIMS: tuple[Claim, ...] = (
    Claim("immunomodulation", "anti-inflammatory",
          "MSCs release anti-inflammatory signals and growth factors that could calm swelling and irritation around squeezed nerves.",
          "General MSC biology and laboratory work; no human data in stenosis.",
          5, "very low", "General MSC biology only",
          "That MSCs secrete immunomodulatory and trophic factors is general biology [@caplan2017; @gomezsalazar2020], and "
          "even that rationale for treatment is called 'far less clear' by a critic [@robey2017]. Reasoning from "
          "mechanism is OCEBM Level 5; with no human data in stenosis, certainty of benefit is very low.",
          ("caplan2017", "gomezsalazar2020", "robey2017")),
    Claim("trophic", "trophic / paracrine",
          "The factors MSCs release nourish and protect the cells already in the tissue (paracrine support).",
          "Mechanism reviews; early studies showed low engraftment and a transient benefit.",
          5, "very low", "Mechanism only, not shown in stenosis",
          "Reviews describe low engraftment and a transient benefit, so any effect is thought to be supportive "
          "rather than cells becoming new tissue [@mastrolia2019; @caplan2017]. That is mechanism-based "
          "reasoning (Level 5); no stenosis data, so very low certainty.",
          ("mastrolia2019", "caplan2017")),
    Claim("matrix", "matrix / disc support",
          "MSCs may stabilise the disc, temper ligament thickening and slow the breakdown of tissue matrix.",
          "Animal models (disc height and matrix restored); no imaging proof of repair in humans.",
          5, "very low", "Preclinical yes, human no",
          "Animal models show disc height and matrix restored, but human trials lack 'compelling imaging proof of "
          "biological repair' [@nassj2025]. Animal and mechanism data sit at Level 5. And disc support would not "
          "remove the bone and ligament that narrow the canal [@nass2011; @katz2008].",
          ("nassj2025", "nass2011", "katz2008")),
    Claim("neural", "nerve regeneration",
          "Some damaged nerve cells might regenerate where the compression is milder.",
          "No source showing nerve regeneration from MSCs in stenosis.",
          5, "very low", "Not shown",
          "No study shows MSC-driven nerve regeneration in stenosis; the idea is reasoning from mechanism (Level 5). "
          "The nearest human data, an uncontrolled safety trial in traumatic cord injury, cannot attribute "
          "improvement to regeneration [@bydon2024].",
          ("bydon2024",), also_accept_ocebm=(None,)),
    Claim("delay", "delays degeneration",
          "MSCs might slow further degeneration and so stop stenosis from getting worse.",
          "No human evidence found.",
          5, "very low", "No human evidence",
          "No human study tests this; it is a hope based on mechanism (Level 5). Even for disc degeneration, a "
          "systematic review found 'no evidence to support its use in humans' [@soufi2023].",
          ("soufi2023",), also_accept_ocebm=(None,)),
    Claim("disc", "disc trials (animal + early human)",
          "In animals and early human studies, MSCs regenerated disc tissue, restored disc height and reduced pain.",
          "Randomised trials exist, but in disc-degeneration populations that often exclude stenosis; results mixed.",
          2, "low", "Animal yes; human mixed, indirect",
          "There are randomised trials in disc degeneration: Noriega (24 patients) [@noriega2017], a 100-patient "
          "placebo-controlled trial [@amirdelfan2021] and DREAM (52 patients), which found no superiority over sham "
          "for pain or disability at 6 months (secondary summary) [@dream2025]; an uncontrolled pilot had 10 (figure "
          "from a review table) [@orozco2011]. Reviews "
          "range from 'no evidence to support its use in humans' [@soufi2023] to 'modest' improvements from low to "
          "moderate-quality trials [@nassj2025]. Randomised evidence starts high in GRADE but is rated down for "
          "indirectness (disc trials often exclude significant stenosis [@nct06325566; @nct03692221]), "
          "inconsistency and imprecision: low at best for stenosis, very low is also defensible.",
          ("noriega2017", "amirdelfan2021", "dream2025", "orozco2011", "soufi2023", "nassj2025", "nct06325566", "nct03692221"),
          also_accept_ocebm=(1,), also_accept_grade=("very low",)),
    Claim("celltop", "Mayo phase I (cord injury)",
          "A Mayo Clinic phase I trial of MSCs in traumatic spinal cord injury reported promising results.",
          "CELLTOP: 10 patients, uncontrolled, primary endpoint safety; traumatic injury, not stenosis.",
          4, "very low", "Supported as stated, with caveats",
          "CELLTOP treated 10 patients with no control group; the primary endpoint was safety, with no serious "
          "adverse events, and 7 improved by at least one AIS grade [@bydon2024; @bydon2020]. Uncontrolled series "
          "are Level 4, very low certainty, and the population had traumatic injury, not stenosis.",
          ("bydon2024", "bydon2020")),
    Claim("case_report", "cervical case report",
          "A case report of cervical stenosis treated with MSCs plus PRP showed MRI improvement and relief at 5 months.",
          "Not found despite repeated searches.",
          None, "very low", "Not found: treat as unsupported",
          "The case report could not be found, so it cannot be cited. Even if it existed, a single case report is "
          "OCEBM Level 4 [@ocebm2011] and very low certainty in GRADE [@guyatt2008]; improvement at 5 months could "
          "be natural history, regression to the mean or placebo (section 4 of this lesson).",
          ("ocebm2011", "guyatt2008"), also_accept_ocebm=(4,)),
    Claim("stenosis_trials", "stenosis trials (no results)",
          "Some MSC trials for lumbar stenosis are under way, but many have no peer-reviewed data.",
          "One registered MSC trial in a stenosis population, recruiting, no results; two others use amniotic fluid, not MSCs.",
          None, "very low", "Consistent with what was found",
          "One MSC trial in a stenosis population is registered (a phase 2 RCT, target 45, recruiting, no results "
          "seen) [@jrct2013210076]. The other two 'stenosis' biologic trials use amniotic-fluid products, not MSCs: "
          "one withdrawn [@nct02932020], one a phase I/II trial with no results seen [@nct04537026]. A registration "
          "is not evidence of benefit: no published study, so nothing to rate above very low.",
          ("jrct2013210076", "nct02932020", "nct04537026")),
)


def claims_by_id() -> dict[str, Claim]:
    return {c.id: c for c in CLAIMS}


def validate(claims: tuple[Claim, ...] = CLAIMS) -> list[str]:
    """Problems with the ledger (empty = clean): ids, empty text, levels, and reference keys."""
    problems = []
    seen = set()
    for c in claims:
        if c.id in seen:
            problems.append(f"{c.id}: duplicate claim id")
        seen.add(c.id)
        for name in ("short", "text", "best_evidence", "verdict", "explanation"):
            if not getattr(c, name).strip():
                problems.append(f"{c.id}: empty '{name}'")
        for level in (c.ocebm, *c.also_accept_ocebm):
            if level not in OCEBM_LEVELS:
                problems.append(f"{c.id}: unknown OCEBM level {level!r} (use 1–5 or None)")
        for certainty in (c.grade, *c.also_accept_grade):
            if certainty not in GRADE_LEVELS:
                problems.append(f"{c.id}: unknown GRADE certainty {certainty!r} (use one of {GRADE_LEVELS})")
        if not c.keys:
            problems.append(f"{c.id}: lists no reference key")
        if not references.keys_in(c.explanation):
            problems.append(f"{c.id}: the explanation cites no reference key")
        problems += references.citation_problems(c.id, c.explanation, c.keys, field="keys")
    return problems


def ocebm_label(level: int | None) -> str:
    if level not in OCEBM_LEVELS:
        raise ValueError(f"unknown OCEBM level {level!r}: use 1–5 or None (no published study)")
    return OCEBM_LEVELS[level]


@dataclass(frozen=True)
class ClaimFeedback:
    claim_id: str
    ocebm_ok: bool | None   # None = not answered yet
    grade_ok: bool | None

    @property
    def complete(self) -> bool:
        return self.ocebm_ok is not None and self.grade_ok is not None

    @property
    def correct(self) -> bool:
        return bool(self.ocebm_ok and self.grade_ok)


_UNSET = object()


def check(claim: Claim, ocebm=_UNSET, grade=_UNSET) -> ClaimFeedback:
    """Grade a learner's picks for one claim (an argument left out = not answered)."""
    ocebm_ok = None
    if ocebm is not _UNSET:
        ocebm_label(ocebm)  # validates
        ocebm_ok = claim.ocebm_ok(ocebm)
    grade_ok = None
    if grade is not _UNSET:
        if grade not in GRADE_LEVELS:
            raise ValueError(f"unknown GRADE certainty {grade!r}: use one of {GRADE_LEVELS}")
        grade_ok = claim.grade_ok(grade)
    return ClaimFeedback(claim.id, ocebm_ok, grade_ok)


def feedback_html(claim: Claim, fb: ClaimFeedback) -> str:
    if not fb.complete:
        return "<small>Pick a level and a certainty.</small>"

    def mark(ok: bool) -> str:
        return "✔" if ok else "✘"

    keyed = f"{ocebm_label(claim.ocebm).split(':')[0]}; GRADE {claim.grade}"
    body = (
        f"<b>{mark(fb.ocebm_ok)} level, {mark(fb.grade_ok)} certainty.</b> Key: {keyed}. "
        f"<i>{html.escape(claim.verdict)}.</i> {html.escape(claim.explanation, quote=False)}"
    )
    return f'<div role="status" style="font-size:90%">{references.render_citations(body)}</div>'
