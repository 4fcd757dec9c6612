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
``widgets.claim_sorter`` only collects the choice and shows the feedback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import yaml

from . import i18n, references, schema_check, source_claims
from .i18n import _
from .source_claims import Claim, ClaimFeedback

TAGS = ("evidence", "hope/hypothesis", "marketing")


#: The sorter's claims, in file order (data/claims.yml, entries with a ``sorter`` block).
CLAIMS: tuple[Claim, ...] = source_claims.claims("sorter")

CLAIMS_BY_ID = {c.id: c for c in CLAIMS}


def get_claim(claim_id: str) -> Claim:
    if claim_id not in CLAIMS_BY_ID:
        raise ValueError(f"unknown claim {claim_id!r}; choose from: {', '.join(CLAIMS_BY_ID)}")
    return CLAIMS_BY_ID[claim_id]


def grade_claim(claim_id: str, tag: str) -> ClaimFeedback:
    claim = get_claim(claim_id)
    if tag not in TAGS:
        raise ValueError(f"a tag must be one of {', '.join(TAGS)}, got {tag!r}")
    ok = claim.accepts(tag)
    if ok and claim.also_accept:
        both = _(" or ").join(f"'{_(t)}'" for t in (claim.tag, *claim.also_accept))
        verdict = _("Defensible: {both} can both be argued here; the reason says why.").format(both=both)
    elif ok:
        verdict = _("Right: {tag}.").format(tag=_(claim.tag))
    else:
        verdict = _("Not quite: this one is best tagged '{tag}', not '{chosen}'.").format(
            tag=_(claim.tag), chosen=_(tag)
        )
    reason = references.render_html(source_claims.localized(claim).reason)
    return ClaimFeedback(claim.id, tag_ok=ok, verdict=verdict, reason=reason)


def score(answers: dict[str, str]) -> tuple[int, int]:
    """(number correct, number answered) for a mapping claim id -> chosen tag."""
    for claim_id, tag in answers.items():
        get_claim(claim_id)
        if tag not in TAGS:
            raise ValueError(f"a tag must be one of {', '.join(TAGS)}, got {tag!r}")
    return sum(CLAIMS_BY_ID[c].accepts(t) for c, t in answers.items()), len(answers)


def validate_claims(claims: tuple[Claim, ...] = CLAIMS) -> list[str]:
    """Data integrity: problems found (empty = clean)."""
    problems = []
    seen = set()
    for c in claims:
        if c.id in seen:
            problems.append(f"{c.id}: duplicate id")
        seen.add(c.id)
        for tag in (c.tag, *c.also_accept):
            if tag not in TAGS:
                problems.append(f"{c.id}: tag {tag!r} not in {TAGS}")
        if c.tag in c.also_accept:
            problems.append(f"{c.id}: also_accept repeats the keyed tag {c.tag!r}")
        cited = references.keys_in(c.reason)
        problems += [p for p in references.citation_problems(c.id, c.reason, c.refs) if "unknown" in p]
        if set(cited) != set(c.refs):
            problems.append(
                f"{c.id}: refs {sorted(c.refs)} differ from the keys cited in the reason {sorted(set(cited))}"
            )
        if c.tag == "evidence" and not c.refs:
            problems.append(f"{c.id}: an 'evidence' claim must cite its evidence")
    return problems


# ---- talking with patients ----


@dataclass(frozen=True)
class ChecklistItem:
    """One point of the rubric the learner applies to their reply (data/patient_reply.yml)."""

    id: str
    label: str
    pattern: str  # cue for the hint: a wording that usually touches the point (case-insensitive regex)
    look_for: str = ""  # what meeting the point looks like, for the learner
    model_excerpt: str = ""  # where the model answer does it (its own words)
    against: tuple[str, ...] = ()  # wordings that undo the point ("cancel the surgery") unless negated


REPLY_FILE = "patient_reply.yml"


def excerpt_problems(data: dict) -> list[str]:
    """Each rubric point's ``model_excerpt`` must be words of the model answer (two fields: no schema says it)."""
    model = " ".join(data["model_answer"].split())
    return [
        f"{schema_check.entry_name(REPLY_FILE, 'checklist', n, item)}, field 'model_excerpt': "
        f"is not words of the model answer: {item['model_excerpt']!r}"
        for n, item in enumerate(data["checklist"])
        if item.get("model_excerpt") and " ".join(item["model_excerpt"].split()) not in model
    ]


def _patient_reply() -> dict:
    text = resources.files("spinecourse.content").joinpath(f"data/{REPLY_FILE}").read_text(encoding="utf-8")
    data = schema_check.check(yaml.safe_load(text), "patient_reply", REPLY_FILE)
    problems = excerpt_problems(data)
    if problems:
        raise schema_check.ContentSchemaError(REPLY_FILE, problems)
    return data


_REPLY = _patient_reply()
PATIENT_QUESTION: str = _REPLY["patient_question"]
MODEL_ANSWER: str = _REPLY["model_answer"]
CHECKLIST: tuple[ChecklistItem, ...] = tuple(
    ChecklistItem(**{**item, "against": tuple(item.get("against") or ())}) for item in _REPLY["checklist"]
)


def patient_question() -> str:
    """Mrs K's question in the session's language (``data/patient_reply`` catalogue)."""
    return i18n.translate(i18n.data_catalogue("patient_reply"), PATIENT_QUESTION)


def model_answer() -> str:
    """The model answer in the session's language."""
    return i18n.translate(i18n.data_catalogue("patient_reply"), MODEL_ANSWER)


def localized_item(item: ChecklistItem) -> ChecklistItem:
    """A rubric point with its label, cue and model excerpt in the session's language; its id and its
    hint patterns (English keyword cues) stay the English file's."""
    return i18n.localize_record("patient_reply", item)


# A negation shortly before a phrase reverses it: "please do not cancel the surgery", "I wouldn't skip
# your appointment", "no study shows it will regrow". Looked for in the same clause only.
_NEGATION = re.compile(
    r"\b(not|no|never|nothing|nobody|none|neither|nor|without|cannot|rather than|instead of)\b|n't\b|"
    r"\b(bad idea|mistake|unwise|wrong|advise against|recommend against|warn against)\b",
    re.IGNORECASE,
)
_NEGATION_WORDS = 6
_CLAUSE = re.compile(
    r"[.;:!?\n]+|,\s*(?:but|although|though|however|so|and|therefore|then|yet)\b|\s-\s|"
    r"\s+(?:but|so)\s+",
    re.IGNORECASE,
)


def clauses(text: str) -> list[str]:
    return [c.strip() for c in _CLAUSE.split(text) if c and c.strip()]


def _negated(clause: str, start: int) -> bool:
    before = clause[:start].split()[-_NEGATION_WORDS:]
    return bool(_NEGATION.search(" ".join(before)))


def contradicting_clauses(item: ChecklistItem, draft: str) -> list[str]:
    """Clauses of the draft that say the opposite of the point ("cancel the surgery"), not negated."""
    out = []
    for clause in clauses(draft):
        for pattern in item.against:
            if any(not _negated(clause, m.start()) for m in re.finditer(pattern, clause, re.IGNORECASE)):
                out.append(clause)
                break
    return out


def review_draft(draft: str) -> list[tuple[ChecklistItem, bool]]:
    """A hint for the learner's own review: which rubric points the draft seems to meet. A point counts only
    if a cue is there and no clause says the opposite ("cancel the surgery" never ticks "does not abandon
    proven care"). Keyword cues, not a grade: the learner applies the rubric, with the model answer."""
    if not isinstance(draft, str):
        raise ValueError(f"the draft must be text, got {type(draft).__name__}")
    return [
        (item, re.search(item.pattern, draft, re.IGNORECASE) is not None and not contradicting_clauses(item, draft))
        for item in CHECKLIST
    ]


def draft_warnings(draft: str) -> list[tuple[ChecklistItem, str]]:
    """(rubric point, clause) for every clause of the draft that says the opposite of a point."""
    if not isinstance(draft, str):
        raise ValueError(f"the draft must be text, got {type(draft).__name__}")
    return [(item, clause) for item in CHECKLIST for clause in contradicting_clauses(item, draft)]
