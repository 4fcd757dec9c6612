"""The source article's "challenges and risks" table, re-checked against the bibliography.

The source article lists seven challenges for MSC therapy in spinal stenosis, each
with a risk and "what researchers are doing". This module keeps those seven rows
(paraphrased, not copied) and adds, for each, the evidence behind it from the
checked bibliography, an evidence label, and a note where the literature does not
support what the article says.

Pure data and functions: the widget (``challenges_widget``) and the static,
screen-reader-friendly markdown table (``table_markdown``) both read from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content import references

#: Themes used by the filter, in display order. "all" is accepted by ``filter_challenges``.
THEMES: dict[str, str] = {
    "biology": "Biology of the cells",
    "delivery": "Delivery and dosing",
    "safety": "Safety",
    "system": "Standards, regulation and cost",
}
ALL = "all"


@dataclass(frozen=True)
class Challenge:
    id: str
    theme: str
    name: str
    risk: str
    research: str
    evidence: str
    evidence_label: str
    source_check: str
    refs: tuple[str, ...]

    def cited_keys(self) -> list[str]:
        """Every key cited in the row's texts plus its ``refs``, without duplicates, in order."""
        text = " ".join([self.risk, self.research, self.evidence, self.source_check])
        return list(dict.fromkeys([*references.keys_in(text), *self.refs]))


CHALLENGES: tuple[Challenge, ...] = (
    Challenge(
        id="cell_source",
        theme="biology",
        name="Cell source and type",
        risk="Cells sold as 'MSCs' come from different tissues (bone marrow, fat, umbilical cord) and are grown "
             "in different ways; nobody knows which, if any, suits stenosis.",
        research="The article says comparative studies are under way.",
        evidence="The ISCT minimal criteria define what may be called an MSC: plastic adherence; at least 95% of "
                 "cells positive for CD105, CD73 and CD90 and at most 2% positive for haematopoietic markers; and "
                 "differentiation to bone, fat and cartilage in vitro [@dominici2006]. Even the name is disputed: "
                 "Caplan proposes 'Medicinal Signaling Cells' [@caplan2017], and Robey argues the 'MSC' term "
                 "should be abandoned [@robey2017].",
        evidence_label="Evidence: consensus statement and expert reviews; no comparative human data in stenosis.",
        source_check="Unverified for stenosis: the checked bibliography found no MSC trial or case series with "
                     "published results in degenerative lumbar or cervical stenosis, so no comparison of cell "
                     "sources in stenosis exists yet.",
        refs=("dominici2006", "caplan2017", "robey2017"),
    ),
    Challenge(
        id="engraftment",
        theme="biology",
        name="Cell survival and engraftment",
        risk="Injected cells may die, or fail to integrate into degenerated tissue.",
        research="Scaffolds, biomaterials and growth factors delivered with the cells. The only MSC trial found in "
                 "a stenosis population combines allogeneic bone-marrow MSCs with an in-situ-forming gel; it is "
                 "recruiting and has no results [@jrct2013210076].",
        evidence="Early investigations showed 'a relatively low engraftment rate and a transient benefit', and "
                 "tissue-supportive (paracrine) functions 'may be prevailing' over differentiation [@mastrolia2019].",
        evidence_label="Evidence: narrative review of early clinical work; mechanism only, no human data in stenosis.",
        source_check="Consistent with the literature. Note the consequence: if most cells do not engraft, any "
                     "benefit would come from signalling, not from rebuilding tissue.",
        refs=("mastrolia2019", "jrct2013210076"),
    ),
    Challenge(
        id="delivery",
        theme="delivery",
        name="Delivery and targeting",
        risk="The cells must reach the compressed segment; epidural and intrathecal injections carry their own "
             "procedure risks, and cells cannot remove the bone and ligament that narrow the canal.",
        research="Imaging-guided injection and biomaterial carriers.",
        evidence="The SafeCell meta-analysis covered intravascular delivery only [@lalu2012], so its reassurance "
                 "does not transfer directly to spinal routes. In traumatic spinal cord injury, 10 patients given "
                 "autologous culture-expanded fat-derived MSCs intrathecally had no serious adverse events; "
                 "headache and musculoskeletal pain were the most common [@bydon2024]. A serious spinal harm, a "
                 "cord lesion made mostly of non-host cells, followed intrathecal injection of mixed mesenchymal, "
                 "embryonic and fetal neural stem cells at unregulated clinics (secondary source) [@berkowitz2016].",
        evidence_label="Evidence: uncontrolled phase 1 study (spinal cord injury, not stenosis) and a case report.",
        source_check="Reasonable, but incomplete: stenosis is narrowing of the space for the neural elements by "
                     "degenerative change [@nass2011], a structural problem that targeting cells does not address.",
        refs=("lalu2012", "bydon2024", "berkowitz2016", "nass2011"),
    ),
    Challenge(
        id="dose_timing",
        theme="delivery",
        name="Dose and timing",
        risk="The right number of cells, and the right stage of disease to treat, are unknown.",
        research="Early dose-finding trials.",
        evidence="In discogenic back pain, a phase I study gave 2 × 10⁷ (n=5) or 4 × 10⁷ (n=5) cells per disc and "
                 "saw no procedure- or cell-related adverse events in 1 year [@kumar2017]. A 100-patient randomised "
                 "trial compared two doses, 6M and 18M mesenchymal precursor cells with hyaluronic acid, against "
                 "hyaluronic acid alone and saline (3:3:2:2) [@amirdelfan2021].",
        evidence_label="Evidence: a phase I safety study and a phase 2 randomised trial, both in disc "
                       "degeneration (indirect for stenosis).",
        source_check="Partly supported: dose-finding exists for disc degeneration, none for stenosis; disc trials "
                     "often exclude significant stenosis, so their doses cannot simply be carried over.",
        refs=("kumar2017", "amirdelfan2021"),
    ),
    Challenge(
        id="safety",
        theme="safety",
        name="Safety: tumours and immune reactions",
        risk="A possible tumour risk, and immune rejection of donor (allogeneic) cells.",
        research="The article proposes 'immunoprivileged' MSCs and long-term monitoring.",
        evidence="In controlled trials: 8 RCTs with 321 participants showed no association with malignancy but an "
                 "association with transient fever [@lalu2012]; 62 RCTs with 3,546 participants gave transient "
                 "fever OR 3.65 (2.05–6.49) [@wang2021]. Antibodies against, and immune rejection of, allogeneic "
                 "donor MSCs have been described; MSCs are 'immune evasive, not immune privileged', and whether "
                 "rejection affects efficacy 'is not known' [@ankrum2014]. Outside trials, a glioproliferative "
                 "spinal-cord lesion made mostly of non-host cells followed intrathecal injection of mixed mesenchymal, embryonic "
                 "and fetal neural stem cells (secondary source) [@berkowitz2016].",
        evidence_label="Evidence: meta-analyses of randomised trials (short follow-up, small samples) and a case "
                       "report.",
        source_check="Contradicted in part: 'immunoprivileged MSCs' is the claim Ankrum and colleagues argue "
                     "against; MSCs evade the immune system for a while but are not privileged from it "
                     "[@ankrum2014].",
        refs=("lalu2012", "wang2021", "ankrum2014", "berkowitz2016"),
    ),
    Challenge(
        id="standardisation",
        theme="system",
        name="Standardisation",
        risk="Clinics prepare and report cells differently, so results cannot be compared or pooled.",
        research="Consensus guidelines and manufacturing (GMP) standards.",
        evidence="Minimal criteria for calling a cell an MSC exist [@dominici2006], and the ISSCR updated its "
                 "guidelines for clinical translation in 2021 [@lovellbadge2021]; these guidelines 'do not have the "
                 "force of law' [@isscr2021_commentary].",
        evidence_label="Evidence: consensus statements and professional guidelines (not trials).",
        source_check="Supported. A definition of the cell is not a standard for the product: dose, route and "
                     "outcome measures still vary between studies.",
        refs=("dominici2006", "lovellbadge2021", "isscr2021_commentary"),
    ),
    Challenge(
        id="regulation_cost",
        theme="system",
        name="Regulation and cost",
        risk="Products are expensive to make, and regulatory pathways are slow.",
        research="The article points to partnerships between industry and universities.",
        evidence="In the US, cell products that are more than minimally manipulated or used non-homologously need "
                 "premarket review under section 351 (secondary summary) [@cfr1271]; the FDA's 2020 consumer alert "
                 "listed only cord-blood blood-forming cells as approved stem-cell products [@fda2020alert]. The EU "
                 "regulates them as advanced therapy medicinal products [@ec1394_2007]; Korea's Advanced Regenerative-Bio Act has been in force since "
                 "28 August 2020 [@korea_arba]. Meanwhile 1,480 US businesses operating 2,754 clinics sold "
                 "unlicensed stem-cell interventions in March 2021 [@turner2021].",
        evidence_label="Evidence: laws, regulations and regulator statements; market surveys. No verified cost "
                       "figures are in the course bibliography.",
        source_check="Framed one-sidedly: slow review is how safety and efficacy get proven before products reach "
                     "patients [@isscr2021_rec311]; the unregulated market shows what happens without it.",
        refs=("cfr1271", "fda2020alert", "ec1394_2007", "korea_arba", "turner2021", "isscr2021_rec311"),
    ),
)

_BY_ID = {c.id: c for c in CHALLENGES}


def get(challenge_id: str) -> Challenge:
    if challenge_id not in _BY_ID:
        raise ValueError(f"unknown challenge {challenge_id!r}; choose one of {', '.join(_BY_ID)}")
    return _BY_ID[challenge_id]


def filter_challenges(theme: str = ALL) -> list[Challenge]:
    """The rows of one theme (or all of them), in table order."""
    if theme == ALL:
        return list(CHALLENGES)
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}; choose 'all' or one of {', '.join(THEMES)}")
    return [c for c in CHALLENGES if c.theme == theme]


def all_cited_keys() -> list[str]:
    return list(dict.fromkeys(k for c in CHALLENGES for k in c.cited_keys()))


def _cell(text: str, render: bool) -> str:
    text = references.render_citations(text) if render else text
    return text.replace("|", "\\|").replace("\n", " ")


def table_markdown(theme: str = ALL, render: bool = True) -> str:
    """The whole table as markdown (the accessible, static version of the widget).

    ``render=True`` turns ``[@key]`` into author-year labels; ``render=False`` keeps
    the keys (for the notebook's reference check).
    """
    rows = filter_challenges(theme)
    lines = [
        "| Challenge | Theme | Risk | What researchers are doing | Evidence | Does the literature support the article? |",
        "|---|---|---|---|---|---|",
    ]
    for c in rows:
        evidence = f"{c.evidence} *{c.evidence_label}*"
        lines.append("| " + " | ".join(_cell(t, render) for t in
                                           (f"**{c.name}**", THEMES[c.theme], c.risk, c.research, evidence, c.source_check)) + " |")
    return "\n".join(lines)


def detail_markdown(challenge_id: str, render: bool = True) -> str:
    """One row as a short markdown section (the detail panel's text)."""
    c = get(challenge_id)
    text = (
        f"**{c.name}** ({THEMES[c.theme]})\n\n"
        f"- **Risk:** {c.risk}\n"
        f"- **What researchers are doing:** {c.research}\n"
        f"- **Evidence:** {c.evidence}\n"
        f"- **{c.evidence_label}**\n"
        f"- **Check against the literature:** {c.source_check}"
    )
    return references.render_citations(text) if render else text
