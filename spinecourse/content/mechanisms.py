"""Mechanism map: the five ways the source article says MSCs might help stenosis, each
set against the evidence that actually exists (shared references.md, section 15).

Every text field may cite keys as ``[@key]``; ``validate()`` checks that each entry
cites at least one key and that every key is in the bibliography. The claims are
paraphrased; the source article's sentences are not copied.
"""

from __future__ import annotations

from dataclasses import dataclass


from ..content import references


@dataclass(frozen=True)
class Mechanism:
    key: str
    name: str
    claim: str  # the source article's claim, paraphrased
    evidence: str  # the strongest evidence for it
    level: str  # evidence level, in words
    stenosis_human_data: bool  # is there any human evidence *in stenosis*?
    to_prove: str  # what it would take
    refs: tuple[str, ...]


MECHANISMS: tuple[Mechanism, ...] = (
    Mechanism(
        key="immunomodulation",
        name="1. Immunomodulation (anti-inflammatory signalling)",
        claim="Cytokines and growth factors released by MSCs could calm inflammation, swelling and scarring around compressed nerve roots.",
        evidence=("General MSC biology: MSCs are described as secreting bioactive factors that are immunomodulatory "
                  "and trophic [@caplan2017] and as acting through growth-factor secretion and interaction with the "
                  "immune system [@gomezsalazar2020]. A critical review finds their use on this basis \"far less clear\" "
                  "[@robey2017]. No study of this effect in stenosis patients was found."),
        level="Mechanism only (laboratory and review level), no human data in stenosis: OCEBM level 5, mechanism-based reasoning [@ocebm2011].",
        stenosis_human_data=False,
        to_prove=("A randomised, blinded trial in people with symptomatic stenosis, with a sham or active control, "
                  "showing less pain and better function (e.g. ODI) at a pre-specified time, plus a measured "
                  "inflammatory change at the compressed level that explains it."),
        refs=("caplan2017", "gomezsalazar2020", "robey2017", "ocebm2011"),
    ),
    Mechanism(
        key="trophic",
        name="2. Trophic / paracrine support",
        claim="Factors released by MSCs could help the patient's own cells survive and recover (nerve-supporting, vessel-forming, anti-cell-death signals).",
        evidence=("The same general reviews [@caplan2017; @gomezsalazar2020]. Early clinical investigations of MSCs "
                  "showed \"a relatively low engraftment rate and a transient benefit\", so any effect is thought to "
                  "be supportive (paracrine) rather than the cells becoming new tissue [@mastrolia2019]. Not shown in stenosis."),
        level="Mechanism only, no human data in stenosis (OCEBM level 5) [@ocebm2011].",
        stenosis_human_data=False,
        to_prove=("Evidence that injected cells or their factors reach the compressed roots, a dose-response in "
                  "patients, and a controlled trial in stenosis with outcomes that last longer than the expected "
                  "transient effect."),
        refs=("caplan2017", "gomezsalazar2020", "mastrolia2019", "ocebm2011"),
    ),
    Mechanism(
        key="matrix",
        name="3. Matrix remodelling / disc support",
        claim="MSCs could stabilise the disc, limit ligament thickening and slow matrix breakdown.",
        evidence=("Animal models: restoration of disc height and extracellular matrix [@nassj2025]. Humans, disc "
                  "degeneration (not stenosis): thirteen low-to-moderate-quality trials show modest improvement "
                  "\"without compelling imaging proof of biological repair\" [@nassj2025]; a phase IIB trial found "
                  "no superiority over sham for pain or disability at 6 months (secondary summary) [@dream2025]; a systematic review "
                  "found \"no evidence to support its use in humans\" [@soufi2023]. Disc trials often exclude "
                  "symptomatic stenosis [@nct06325566], and disc support would not remove the bony and ligamentous "
                  "compression that defines stenosis [@nass2011; @katz2008]."),
        level=("Preclinical support; indirect, low-to-moderate-quality and mixed human evidence in a different "
               "population (disc degeneration); none in stenosis."),
        stenosis_human_data=False,
        to_prove=("A controlled trial in people with stenosis (not only disc degeneration) showing both a "
                  "measurable change in the structures that narrow the canal and a clinically important "
                  "improvement (e.g. ≥10 ODI points) over sham."),
        refs=("nassj2025", "dream2025", "soufi2023", "nct06325566", "nass2011", "katz2008"),
    ),
    Mechanism(
        key="neural",
        name="4. Neural regeneration",
        claim="Some regeneration of damaged nerve tissue might occur where compression is less severe.",
        evidence=("No source showing neural regeneration from MSCs in stenosis was found. The nearest human study is "
                  "in traumatic spinal cord injury: a phase 1 safety trial of intrathecal autologous adipose MSCs in "
                  "10 patients, with no control group; 7 improved in AIS grade, which cannot be attributed to "
                  "regeneration [@bydon2024]."),
        level=("No evidence in stenosis. In a different disease (traumatic SCI), an uncontrolled phase 1 safety "
               "study: a case series, OCEBM level 4 [@ocebm2011]."),
        stenosis_human_data=False,
        to_prove=("Controlled trials in stenosis with objective neurological outcomes (e.g. walking distance, "
                  "nerve conduction) and evidence that any improvement exceeds what decompression or natural "
                  "history achieves."),
        refs=("bydon2024", "ocebm2011"),
    ),
    Mechanism(
        key="delay",
        name="5. Delaying further degeneration",
        claim="By reducing oxidative stress and cell breakdown, MSCs might slow the worsening of stenosis.",
        evidence=("No human evidence was found. General reviews describe supportive effects of MSCs "
                  "[@mastrolia2019], but none measured the progression of stenosis."),
        level="Hypothesis only: no human evidence found; at most mechanism-based reasoning (OCEBM level 5) [@ocebm2011].",
        stenosis_human_data=False,
        to_prove=("A long-term randomised trial (years, not months) with pre-specified imaging and clinical "
                  "progression outcomes, compared with a control group followed in the same way."),
        refs=("mastrolia2019", "ocebm2011"),
    ),
)

BY_KEY = {m.key: m for m in MECHANISMS}


def get(key: str) -> Mechanism:
    if key not in BY_KEY:
        raise ValueError(f"unknown mechanism {key!r}; choose one of {list(BY_KEY)}")
    return BY_KEY[key]


def validate(mechanisms=MECHANISMS) -> list[str]:
    """Problems with the table (empty = clean): missing citations, unknown keys, empty fields."""
    problems = []
    for m in mechanisms:
        for field in ("name", "claim", "evidence", "level", "to_prove"):
            if not getattr(m, field).strip():
                problems.append(f"{m.key}: empty '{field}'")
        text = m.evidence + m.level + m.to_prove
        if not references.keys_in(text):
            problems.append(f"{m.key}: the evidence cites no reference key")
        problems += references.citation_problems(m.key, text, m.refs)
    return problems


def card_html(m: Mechanism) -> str:
    r = references.render_citations
    badge = "No human data in stenosis" if not m.stenosis_human_data else "Human data in stenosis"
    return (
        f"<h4 style='margin:4px 0'>{m.name}</h4>"
        f"<p><b>What the source article claims (paraphrased):</b> {m.claim}</p>"
        f"<p><b>Strongest evidence found:</b> {r(m.evidence)}</p>"
        f"<p><b>Evidence level:</b> {r(m.level)} <span style='border:1px solid #D55E00;padding:0 4px'>{badge}</span></p>"
        f"<p><b>What it would take to prove it:</b> {r(m.to_prove)}</p>"
    )
