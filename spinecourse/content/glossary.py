"""The glossary of abbreviations (``data/glossary.yml``) and the scan that finds abbreviations in lessons.

``abbreviations(text)`` finds capitalised tokens with at least two capitals (MSC, ODI, SF-36, HCT/P,
NCT03692221, CD34, iPSC) in Markdown prose, leaving out citations, code, link targets and the
References section; ``lookup(token)`` finds the glossary entry that explains a token; ``unexplained``
lists tokens the glossary does not cover (the test fails on any).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from . import schema_check

FILENAME = "glossary.yml"
#: Where lessons link the first use of an abbreviation (relative to course/); the site maps it to its page.
LINK_TARGET = "../site/pages/glossary.md"

# Two or more capitals; a hyphen or slash continues the token only into another code ("SF-36", "HCT/P",
# "SR-aGVHD"), not into a word ("FDA-approved" is FDA).
_TOKEN = re.compile(
    r"(?<![\w/@.-])([A-Za-z0-9]*[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*"
    r"(?:[-/](?=[A-Za-z]?[A-Z0-9])[A-Za-z0-9]+)*)(?![\w@])"
)
_REFERENCES = re.compile(r"^#+\s*references\b", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Term:
    term: str
    expansion: str
    note: str = ""
    matches: str = ""

    def explains(self, token: str) -> bool:
        if token in (self.term, self.term + "s"):
            return True
        return bool(self.matches) and re.fullmatch(self.matches, token) is not None

    @property
    def anchor(self) -> str:
        return "glossary-" + re.sub(r"[^a-z0-9]+", "-", self.term.lower()).strip("-")


def parse(data, filename: str = FILENAME) -> tuple[tuple[Term, ...], tuple[str, ...]]:
    schema_check.check(data, "glossary", filename)  # schemas/glossary.schema.json: unique terms, valid patterns
    return tuple(Term(**e) for e in data["terms"]), tuple(data.get("not_abbreviations", ()))


@lru_cache(maxsize=1)
def load() -> tuple[tuple[Term, ...], tuple[str, ...]]:
    text = resources.files("spinecourse.content").joinpath(f"data/{FILENAME}").read_text(encoding="utf-8")
    return parse(yaml.safe_load(text))


def terms() -> tuple[Term, ...]:
    return load()[0]


def lookup(token: str) -> Term | None:
    exact = [t for t in terms() if token in (t.term, t.term + "s")]
    if exact:
        return exact[0]
    family = [t for t in terms() if t.explains(token)]
    return family[0] if family else None


def prose(markdown: str) -> str:
    """The reader's prose of a Markdown cell: no References section, citations, code or link targets."""
    found = _REFERENCES.search(markdown)
    text = markdown[: found.start()] if found else markdown
    text = re.sub(r"\[@[^\]]*\]", " ", text)
    text = re.sub(r'<a\s+href="#ref-[^"]*">.*?</a>', " ", text, flags=re.DOTALL)  # expanded citations
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"https?://\S+", " ", text)
    return text


def abbreviations(markdown: str) -> list[str]:
    """Abbreviation-like tokens in order of appearance (duplicates kept)."""
    return [m.group(1) for m in _TOKEN.finditer(prose(markdown))]


def explained(token: str) -> bool:
    skip = set(load()[1])
    if token in skip or lookup(token) is not None:
        return True
    parts = token.split("/")  # "CD105/CD73/CD90": each part explained
    return len(parts) > 1 and all(p in skip or lookup(p) is not None for p in parts)


def unexplained(tokens) -> list[str]:
    return sorted({t for t in tokens if not explained(t)})


def page_markdown() -> str:
    """The site's glossary page: one accessible table, alphabetical."""
    rows = ["| Abbreviation | Stands for | Note |", "|---|---|---|"]
    for t in sorted(terms(), key=lambda t: t.term.lower()):
        cell = lambda s: " ".join(s.split()).replace("|", "\\|")  # noqa: E731
        rows.append(f"| **{cell(t.term)}** | {cell(t.expansion)} | {cell(t.note)} |")
    return "\n".join(rows)
