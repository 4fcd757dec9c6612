"""The source article's claims, paraphrased once, in ``data/claims.yml``: one source of truth for
the claim ledger (lesson 04), the claim sorter (lesson 06) and the mechanism map (lesson 03).

``entries()`` reads the file and checks it against ``schemas/claims.schema.json`` (through
``schema_check``). ``Claim`` and ``ClaimFeedback`` are the one claim record and the one feedback
record of both exercises: each view's module (``claims`` for the ledger, ``claim_sorting`` for the
sorter) builds claims from the entries that carry its block and grades a learner's answer.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from . import i18n, schema_check

FILE = "data/claims.yml"
VIEWS = ("ledger", "sorter", "mechanism")


@dataclass(frozen=True)
class Claim:
    """One claim of the source article with the blocks of the views that show it (empty when absent)."""

    id: str
    section: str  # where in the source article the idea appears
    paraphrase: str  # never the article's wording
    # the ledger's block: OCEBM level and GRADE certainty of the best evidence behind the claim
    short: str = ""  # label for the figure
    best_evidence: str = ""
    ocebm: int | None = None  # None = no published study
    grade: str = ""
    verdict: str = ""
    explanation: str = ""  # with [@key] citations
    keys: tuple[str, ...] = ()  # the ledger block's refs
    also_accept_ocebm: tuple[int | None, ...] = ()
    also_accept_grade: tuple[str, ...] = ()
    # the sorter's block: evidence, hope/hypothesis or marketing
    tag: str = ""
    reason: str = ""  # cites with [@key]; where a second tag is defensible, says why
    refs: tuple[str, ...] = ()  # the sorter block's refs
    also_accept: tuple[str, ...] = ()  # other defensible tags

    @property
    def text(self) -> str:
        """The paraphrase (the ledger's name for it)."""
        return self.paraphrase

    def ocebm_ok(self, level: int | None) -> bool:
        return level == self.ocebm or level in self.also_accept_ocebm

    def grade_ok(self, certainty: str) -> bool:
        return certainty == self.grade or certainty in self.also_accept_grade

    def accepts(self, tag: str) -> bool:
        return tag == self.tag or tag in self.also_accept

    @classmethod
    def from_entry(cls, e: dict) -> Claim:
        fields: dict = {"id": e["id"], "section": e["section"], "paraphrase": e["paraphrase"]}
        if "ledger" in e:
            b = e["ledger"]
            fields |= {k: b[k] for k in ("short", "best_evidence", "ocebm", "grade", "verdict", "explanation")}
            fields |= {
                "keys": tuple(b["refs"]),
                "also_accept_ocebm": tuple(b.get("also_accept_ocebm", ())),
                "also_accept_grade": tuple(b.get("also_accept_grade", ())),
            }
        if "sorter" in e:
            b = e["sorter"]
            fields |= {
                "tag": b["tag"],
                "reason": b["reason"],
                "refs": tuple(b["refs"]),
                "also_accept": tuple(b.get("also_accept", ())),
            }
        return cls(**fields)


@dataclass(frozen=True)
class ClaimFeedback:
    """A learner's answer to one claim: each part asked right, wrong or not answered yet (None)."""

    claim_id: str
    ocebm_ok: bool | None = None  # the ledger asks for a level and a certainty
    grade_ok: bool | None = None
    tag_ok: bool | None = None  # the sorter asks for a tag
    verdict: str = ""
    reason: str = ""  # HTML, citations rendered

    @property
    def _parts(self) -> tuple[bool | None, ...]:
        return (self.tag_ok,) if self.tag_ok is not None else (self.ocebm_ok, self.grade_ok)

    @property
    def complete(self) -> bool:
        return all(p is not None for p in self._parts)

    @property
    def correct(self) -> bool:
        return self.complete and all(self._parts)


@lru_cache(maxsize=1)
def _load() -> tuple[dict, ...]:
    data = yaml.safe_load(resources.files("spinecourse.content").joinpath(FILE).read_text(encoding="utf-8"))
    return tuple(schema_check.check(data, "claims", "claims.yml")["claims"])


def entries(view: str | None = None) -> list[dict]:
    """Entries of the file (copies), all of them or only those that carry ``view``'s block."""
    if view is not None and view not in VIEWS:
        raise ValueError(f"unknown view {view!r}: use one of {VIEWS}")
    return [copy.deepcopy(e) for e in _load() if view is None or view in e]


def localized(record):
    """A claim (or mechanism) with its prose in the session's language (``data/claims`` catalogue); ids,
    tags, OCEBM levels and GRADE certainties stay the English file's. The same object in English."""
    return i18n.localize_record("claims", record)


def claims(view: str) -> tuple[Claim, ...]:
    """The claims that carry ``view``'s block, in file order."""
    return tuple(Claim.from_entry(e) for e in entries(view))
