"""Claim ledger: the source article's claims (paraphrased) against the checked evidence.

Each claim records the OCEBM 2011 level [@ocebm2011] of the best study design found behind it
(question: "does this intervention help?") and the GRADE certainty [@guyatt2008] that MSCs
help people with *stenosis*, given that evidence. Verdicts follow references.md section 15.
The claims and their keys are data: ``data/claims.yml`` (``ledger`` blocks), shared with the
claim sorter and the mechanism map so each claim is paraphrased once.
The learner picks a level and a certainty per claim (``ClaimLedger``); ``check`` explains. ``Claim`` and
``ClaimFeedback`` are the records shared with the claim sorter (``source_claims``).
The same data feeds a static summary figure (``claims_figure``).
"""

from __future__ import annotations

from . import references, source_claims
from .i18n import _
from .source_claims import Claim, ClaimFeedback

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


#: The ledger's claims, in file order (data/claims.yml, entries with a ``ledger`` block).
CLAIMS: tuple[Claim, ...] = source_claims.claims("ledger")


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
    return ClaimFeedback(claim.id, ocebm_ok=ocebm_ok, grade_ok=grade_ok)


def feedback_html(claim: Claim, fb: ClaimFeedback) -> str:
    if not fb.complete:
        return "<small>" + _("Pick a level and a certainty.") + "</small>"

    def mark(ok: bool) -> str:
        return "✔" if ok else "✘"

    claim = source_claims.localized(claim)
    keyed = f"{_(ocebm_label(claim.ocebm).split(':')[0])}; GRADE {claim.grade}"
    body = (
        "<b>"
        + _("{ocebm} level, {grade} certainty.").format(ocebm=mark(fb.ocebm_ok), grade=mark(fb.grade_ok))
        + "</b> "
        + _("Key: {key}.").format(key=keyed)
        + f" <i>{references.render_html(claim.verdict)}.</i> {references.render_html(claim.explanation)}"
    )
    return f'<div role="status" style="font-size:90%">{body}</div>'
