"""Sorting the source article's claims, and a patient-communication exercise (pure logic).

``CLAIMS`` paraphrases sentences of the source article (never its wording) and tags
each as

* ``"evidence"``: consistent with verified published evidence (the reason says how strong),
* ``"hope/hypothesis"``: a plausible idea, or mechanism/animal data, presented without
  human evidence in stenosis,
* ``"marketing"``: persuasion or promotion that no evidence addresses, or an
  unverifiable anecdote offered as proof.

The tags and reasons follow the course's comparison of the article with the
literature (shared references, section 15). ``grade_claim`` is pure; the widget in
``claim_sorting_widget`` only collects the choice and shows the feedback.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ..content import references

TAGS = ("evidence", "hope/hypothesis", "marketing")


@dataclass(frozen=True)
class Claim:
    id: str
    section: str  # where in the source article the idea appears
    paraphrase: str
    tag: str
    reason: str  # cites with [@key]
    refs: tuple[str, ...] = ()


CLAIMS: tuple[Claim, ...] = (
    Claim("anti-inflammatory", "How stem cells might help",
          "MSCs release anti-inflammatory signals and growth factors that may calm swelling and irritation around squeezed nerves.",
          "hope/hypothesis",
          "General MSC biology says MSCs secrete immunomodulatory and trophic factors [@caplan2017], but whether therapy works "
          "through these effects 'is far less clear' [@robey2017]. There are no human data in stenosis. Evidence level: mechanism only.",
          ("caplan2017", "robey2017")),
    Claim("disc-support", "How stem cells might help",
          "Stem cells may stabilise the disc and slow ligament thickening.",
          "hope/hypothesis",
          "Animal models show restored disc height and matrix, but human trials lack 'compelling imaging proof of biological repair' "
          "[@nassj2025]. And stenosis is narrowing by bone, joint and ligament, which disc support would not remove [@nass2011; @katz2008].",
          ("nassj2025", "nass2011", "katz2008")),
    Claim("animal-disc", "What the evidence says",
          "In animal models, MSCs restored disc height and extracellular matrix.",
          "evidence",
          "Preclinical models 'uniformly demonstrate' this in a 2025 systematic review [@nassj2025]. It is animal evidence about "
          "discs: true as stated, but it says nothing yet about people or about stenosis.",
          ("nassj2025",)),
    Claim("human-disc", "What the evidence says",
          "Early human studies show that MSCs regenerate disc tissue and reduce pain.",
          "hope/hypothesis",
          "Stated as settled, but the human data are mixed and mostly small: a sham-controlled phase IIB trial found no "
          "superiority for pain or disability at 6 months (secondary summary) [@dream2025], one systematic review found 'no evidence to support its "
          "use in humans' [@soufi2023] and another found modest gains without imaging proof of repair [@nassj2025]. These were "
          "disc patients, not stenosis patients.",
          ("dream2025", "soufi2023", "nassj2025")),
    Claim("sci-phase1", "What the evidence says",
          "A Mayo Clinic phase I trial of MSCs in traumatic spinal cord injury has published results.",
          "evidence",
          "True: 10 patients, no serious adverse events, 7 improved by at least one AIS grade [@bydon2024; @bydon2020]. But it was "
          "an uncontrolled safety study in traumatic injury, not stenosis, so the improvements cannot be credited to the cells.",
          ("bydon2024", "bydon2020")),
    Claim("case-report", "What the evidence says",
          "One reported patient with neck (cervical) stenosis, given MSCs plus PRP, improved on MRI and in symptoms within five months.",
          "marketing",
          "No such report could be found in a careful search, so treat it as unsupported. An unverifiable anecdote offered as "
          "precedent persuades rather than informs; even if it existed, one case report is the lowest level of clinical evidence "
          "[@ocebm2011; @guyatt2008].",
          ("ocebm2011", "guyatt2008")),
    Claim("trials-no-data", "Trials specifically for stenosis",
          "Trials of MSCs in lumbar stenosis are under way but have no peer-reviewed results.",
          "evidence",
          "Consistent with what was found: the one MSC trial in a stenosis population is recruiting with no results "
          "[@jrct2013210076], and two other 'stenosis' trials use amniotic-fluid products, not MSCs [@nct02932020; @nct04537026].",
          ("jrct2013210076", "nct02932020", "nct04537026")),
    Claim("risks", "Challenges and risks",
          "Risks include tumour formation and immune rejection, especially with donor cells.",
          "evidence",
          "Partly supported: a donor-derived spinal-cord lesion followed intrathecal mixed stem cells at unregulated clinics "
          "(secondary source) [@berkowitz2016]; antibodies against donor MSCs are described [@ankrum2014]. In regulated trials, meta-analysis found no "
          "link with malignancy but did find transient fever [@lalu2012].",
          ("berkowitz2016", "ankrum2014", "lalu2012")),
    Claim("proven-care", "What you should know today",
          "Physical therapy, injections and surgery still have key roles.",
          "evidence",
          "Randomised trials support decompression and physical therapy [@sport2008; @delitto2015]. Note the nuance for injections: "
          "epidural steroid added 'minimal or no short-term benefit' over lidocaine alone [@friedly2014].",
          ("sport2008", "delitto2015", "friedly2014")),
    Claim("beware-clinics", "What you should know today",
          "Be wary of unregulated clinics promising quick cures.",
          "evidence",
          "Well founded: the number of US businesses selling unproven stem-cell interventions rose to 1,480 in 2021 [@turner2021], "
          "and serious harms are documented, such as blindness after clinic injections [@kuriyan2017] and reports to the FDA "
          "[@fda2021info].",
          ("turner2021", "kuriyan2017", "fda2021info")),
    Claim("logic-strong", "Bottom line",
          "The therapy's rationale (damping inflammation, rebuilding tissue, shielding nerves) is convincing.",
          "hope/hypothesis",
          "Mechanism-based reasoning is the lowest rung of the evidence ladder [@ocebm2011], and even the mechanism is disputed "
          "[@robey2017]. Calling it 'convincing' turns a hypothesis into a conclusion.",
          ("ocebm2011", "robey2017")),
    Claim("uniquely-positioned", "Clinical strategy",
          "A centre like ours, with regenerative and minimally invasive expertise, is uniquely placed to pilot such programmes.",
          "marketing",
          "Self-promotion that no evidence addresses. What would count is independent scrutiny: registered trials with ethical "
          "review and published results [@isscr2021_rec311].",
          ("isscr2021_rec311",)),
    Claim("reach-out", "Bottom line",
          "If you are looking for alternatives to surgery, contact us and we will guide you through present and future options.",
          "marketing",
          "A call to action that frames an unproven therapy as an alternative to surgery. The FDA warns that being charged for "
          "such products outside a clinical trial suggests you are being deceived [@fda2021info].",
          ("fda2021info",)),
)

CLAIMS_BY_ID = {c.id: c for c in CLAIMS}


@dataclass(frozen=True)
class ClaimFeedback:
    correct: bool
    verdict: str
    reason: str  # HTML, citations rendered


def _render(text: str) -> str:
    return references.render_citations(html.escape(text, quote=False))


def get_claim(claim_id: str) -> Claim:
    if claim_id not in CLAIMS_BY_ID:
        raise ValueError(f"unknown claim {claim_id!r}; choose from: {', '.join(CLAIMS_BY_ID)}")
    return CLAIMS_BY_ID[claim_id]


def grade_claim(claim_id: str, tag: str) -> ClaimFeedback:
    claim = get_claim(claim_id)
    if tag not in TAGS:
        raise ValueError(f"a tag must be one of {', '.join(TAGS)}, got {tag!r}")
    ok = tag == claim.tag
    verdict = "Right: " + claim.tag + "." if ok else f"Not quite: this one is best tagged '{claim.tag}', not '{tag}'."
    return ClaimFeedback(ok, verdict, _render(claim.reason))


def score(answers: dict[str, str]) -> tuple[int, int]:
    """(number correct, number answered) for a mapping claim id -> chosen tag."""
    for claim_id, tag in answers.items():
        get_claim(claim_id)
        if tag not in TAGS:
            raise ValueError(f"a tag must be one of {', '.join(TAGS)}, got {tag!r}")
    return sum(CLAIMS_BY_ID[c].tag == t for c, t in answers.items()), len(answers)


def validate_claims(claims: tuple[Claim, ...] = CLAIMS) -> list[str]:
    """Data integrity: problems found (empty = clean)."""
    problems = []
    seen = set()
    for c in claims:
        if c.id in seen:
            problems.append(f"{c.id}: duplicate id")
        seen.add(c.id)
        if c.tag not in TAGS:
            problems.append(f"{c.id}: tag {c.tag!r} not in {TAGS}")
        cited = references.keys_in(c.reason)
        problems += [p for p in references.citation_problems(c.id, c.reason, c.refs) if "unknown" in p]
        if set(cited) != set(c.refs):
            problems.append(f"{c.id}: refs {sorted(c.refs)} differ from the keys cited in the reason {sorted(set(cited))}")
        if c.tag == "evidence" and not c.refs:
            problems.append(f"{c.id}: an 'evidence' claim must cite its evidence")
    return problems


# ---- talking with patients ----

PATIENT_QUESTION = (
    "Mrs K (synthetic), 71, has neurogenic claudication after about 100 m, an MRI showing severe narrowing at L4–5, "
    "and an appointment to discuss decompression surgery. She asks: \"A clinic advertises a stem-cell injection that "
    "regrows the spine so I can avoid the operation. My neighbour says it worked for her knee. Should I cancel my "
    "surgery appointment and have the injection instead?\""
)

MODEL_ANSWER = (
    "Thank you for asking before deciding; that is exactly the right thing to do. I can see why the idea appeals, and "
    "research on stem cells for the spine is going on. But at the moment there is no published trial showing that stem-cell "
    "injections help spinal stenosis, and the only trial I know of in stenosis gives the cells together with surgery, not "
    "instead of it [@jrct2013210076]. The narrowing in your spine is made of thickened ligament, joint and bone, and no "
    "injection has been shown to remove it. In its 2020 consumer alert the FDA said the only approved stem-cell products were "
    "blood-forming cells from umbilical cord blood [@fda2020alert], and the FDA warns that being charged for them outside a clinical trial is a sign you may be being misled [@fda2021info]; serious harms "
    "have been reported from such clinics [@berkowitz2016]. Decompression surgery and physical therapy have been tested in "
    "randomised trials [@sport2008; @delitto2015], so please keep your appointment and bring these questions: we can talk "
    "through the benefits and risks of surgery and of the non-surgical options, and if you want to take part in research, "
    "I can help you look for a properly registered trial. What matters most to you in deciding?"
)


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    label: str
    pattern: str  # regular expression, searched case-insensitively in the draft


CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem("acknowledge", "Acknowledges her question and hope without dismissing her",
                  r"understand|appeal|hope|good question|glad|thank|right to ask"),
    ChecklistItem("unproven", "Says plainly that it is unproven for stenosis (no trial results)",
                  r"unproven|not proven|no (published )?(trial|evidence|study|studies|results)|experimental|investigational|research"),
    ChecklistItem("structure", "Explains that the narrowing is structural (bone, ligament, joint)",
                  r"bone|ligament|joint|structur|narrow"),
    ChecklistItem("harms-regulation", "Mentions harms, regulation or paying outside a trial",
                  r"risk|harm|safe|approv|regulat|FDA|trial|charg|pay|cost"),
    ChecklistItem("proven-care", "Does not abandon proven care: keep the surgical appointment / discuss options",
                  r"surg|operation|physio|physical therap|appointment|option"),
    ChecklistItem("invite", "Invites her questions, values or a shared decision",
                  r"\?|decide|decision|matters|prefer|question|talk"),
)


def review_draft(draft: str) -> list[tuple[ChecklistItem, bool]]:
    """A rough self-review prompt: which checklist points the draft seems to touch (keyword match, not a grade)."""
    if not isinstance(draft, str):
        raise ValueError(f"the draft must be text, got {type(draft).__name__}")
    return [(item, re.search(item.pattern, draft, re.IGNORECASE) is not None) for item in CHECKLIST]
