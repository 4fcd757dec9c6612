"""Mechanism map: the five ways the source article says MSCs might help stenosis, each
set against the evidence that actually exists (shared references.md, section 15).

Every text field may cite keys as ``[@key]``; ``validate()`` checks that each entry
cites at least one key and that every key is in the bibliography. The claims are
paraphrased; the source article's sentences are not copied.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import references, source_claims
from .i18n import _


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


def _from_entry(e: dict) -> Mechanism:
    b = e["mechanism"]
    return Mechanism(
        key=e["id"],
        name=b["name"],
        claim=e["paraphrase"],
        evidence=b["evidence"],
        level=b["level"],
        stenosis_human_data=b["stenosis_human_data"],
        to_prove=b["to_prove"],
        refs=tuple(b["refs"]),
    )


#: The five mechanisms, in file order (data/claims.yml, entries with a ``mechanism`` block).
MECHANISMS: tuple[Mechanism, ...] = tuple(_from_entry(e) for e in source_claims.entries("mechanism"))

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
    m = source_claims.localized(m)
    badge = _("No human data in stenosis") if not m.stenosis_human_data else _("Human data in stenosis")
    claims = _("What the source article claims (paraphrased):")
    strongest = _("Strongest evidence found:")
    level = _("Evidence level:")
    to_prove = _("What it would take to prove it:")
    return (
        f"<h4 style='margin:4px 0'>{m.name}</h4>"
        f"<p><b>{claims}</b> {m.claim}</p>"
        f"<p><b>{strongest}</b> {r(m.evidence)}</p>"
        f"<p><b>{level}</b> {r(m.level)} <span style='border:1px solid #D55E00;padding:0 4px'>{badge}</span></p>"
        f"<p><b>{to_prove}</b> {r(m.to_prove)}</p>"
    )
