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

import html
import re
from dataclasses import dataclass
from importlib import resources

import yaml

from . import references, source_claims

TAGS = ("evidence", "hope/hypothesis", "marketing")


@dataclass(frozen=True)
class Claim:
    id: str
    section: str  # where in the source article the idea appears
    paraphrase: str
    tag: str
    reason: str  # cites with [@key]; where a second tag is defensible, says why
    refs: tuple[str, ...] = ()
    also_accept: tuple[str, ...] = ()  # other defensible tags

    def accepts(self, tag: str) -> bool:
        return tag == self.tag or tag in self.also_accept


def _from_entry(e: dict) -> Claim:
    b = e["sorter"]
    return Claim(e["id"], e["section"], e["paraphrase"], b["tag"], b["reason"], tuple(b["refs"]),
                 tuple(b.get("also_accept", ())))


#: The sorter's claims, in file order (data/claims.yml, entries with a ``sorter`` block).
CLAIMS: tuple[Claim, ...] = tuple(_from_entry(e) for e in source_claims.entries("sorter"))

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
    ok = claim.accepts(tag)
    if ok and claim.also_accept:
        both = " or ".join(f"'{t}'" for t in (claim.tag, *claim.also_accept))
        verdict = f"Defensible: {both} can both be argued here; the reason says why."
    elif ok:
        verdict = "Right: " + claim.tag + "."
    else:
        verdict = f"Not quite: this one is best tagged '{claim.tag}', not '{tag}'."
    return ClaimFeedback(ok, verdict, _render(claim.reason))


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
            problems.append(f"{c.id}: refs {sorted(c.refs)} differ from the keys cited in the reason {sorted(set(cited))}")
        if c.tag == "evidence" and not c.refs:
            problems.append(f"{c.id}: an 'evidence' claim must cite its evidence")
    return problems


# ---- talking with patients ----

@dataclass(frozen=True)
class ChecklistItem:
    id: str
    label: str
    pattern: str  # regular expression, searched case-insensitively in the draft


def _patient_reply() -> dict:
    data = yaml.safe_load(resources.files("spinecourse.content").joinpath("data/patient_reply.yml").read_text(encoding="utf-8"))
    problems = patient_reply_problems(data)
    if problems:
        raise ValueError("data/patient_reply.yml: " + "; ".join(problems))
    return data


def patient_reply_problems(data) -> list[str]:
    """Schema of data/patient_reply.yml: question and model answer texts, a checklist of id/label/pattern."""
    if not isinstance(data, dict):
        return ["expected a mapping"]
    problems = [f"'{k}' must be non-empty text" for k in ("patient_question", "model_answer")
                if not isinstance(data.get(k), str) or not data[k].strip()]
    items = data.get("checklist")
    if not isinstance(items, list) or not items:
        return problems + ["'checklist' must be a non-empty list"]
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or set(item) != {"id", "label", "pattern"}:
            problems.append(f"checklist item {n}: needs exactly id, label, pattern")
            continue
        try:
            re.compile(item["pattern"])
        except re.error as err:
            problems.append(f"checklist item {item['id']}: bad pattern ({err})")
    return problems


_REPLY = _patient_reply()
PATIENT_QUESTION: str = _REPLY["patient_question"]
MODEL_ANSWER: str = _REPLY["model_answer"]
CHECKLIST: tuple[ChecklistItem, ...] = tuple(ChecklistItem(**item) for item in _REPLY["checklist"])


def review_draft(draft: str) -> list[tuple[ChecklistItem, bool]]:
    """A rough self-review prompt: which checklist points the draft seems to touch (keyword match, not a grade)."""
    if not isinstance(draft, str):
        raise ValueError(f"the draft must be text, got {type(draft).__name__}")
    return [(item, re.search(item.pattern, draft, re.IGNORECASE) is not None) for item in CHECKLIST]
