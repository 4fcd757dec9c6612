"""How current the course is, and the facts that are true only at a date.

One place for both dates: every lesson shows them near the top (``review_line``), and the
content lint checks that each lesson shows exactly this line. Change the dates here, then
update the line in each lesson (the lint tells you which ones).

``DATED_FACTS`` lists statements that were true when made and have since been overtaken (or
that belong to one version of a law). Wherever the course uses one, the text must
carry its year (same paragraph, list item or table cell), so a reader can tell what was true when: the content lint checks lessons,
quizzes and question banks against this list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: When a clinician-author last checked the lessons against the bibliography (ISO date).
CONTENT_REVIEWED = "2026-12-02"
#: Date of the last additions to the checked bibliography (docs/checked-references.md).
BIBLIOGRAPHY_CHECKED = "2026-12-02"


def review_line() -> str:
    """The Markdown line every lesson shows near its top."""
    return f"**Content last reviewed:** {CONTENT_REVIEWED} · **Bibliography checked:** {BIBLIOGRAPHY_CHECKED}"


@dataclass(frozen=True)
class DatedFact:
    name: str
    year: str
    key: str  # the bibliography key; citing it counts as using the fact
    pattern: str  # wording that uses the fact without citing it (case-insensitive regex)
    why: str


DATED_FACTS = (
    DatedFact(
        "FDA 2020 consumer alert",
        "2020",
        "fda2020alert",
        r"cord[- ]blood[^.|]{0,120}approv|approv[^.|]{0,120}cord[- ]blood",
        "'only cord-blood stem-cell products are FDA-approved' was true in July 2020, "
        "out of date since the December 2024 MSC approval",
    ),
    DatedFact(
        "Korean Advanced Regenerative-Bio Act of 2020",
        "2020",
        "korea_arba",
        r"Act No\.?\s*16556",
        "until 21 February 2025 the Act restricted advanced regenerative medicine to clinical research (amended by Act No. 20331)",
    ),
    DatedFact(
        "FDA approval of remestemcel-L (Ryoncil), December 2024",
        "2024",
        "fda2024ryoncil",
        r"Ryoncil|remestemcel",
        "the first FDA-approved MSC product; the date tells the reader what it overtook",
    ),
    DatedFact(
        "Korean Act No. 20331, in force February 2025",
        "2025",
        "korea_arba2025",
        r"Act No\.?\s*20331",
        "the route to treatment outside trials exists only since 21 February 2025",
    ),
    DatedFact(
        "Florida stem-cell law (CS/CS/SB 1768), in force 1 July 2025",
        "2025",
        "florida2025",
        r"SB\s*1768|Florida[^.|]{0,120}(law|statute|legal|bill)|(law|statute|legal|bill)[^.|]{0,120}Florida",
        "a state permission that exists only since 1 July 2025 (and could change again)",
    ),
    DatedFact(
        "Alofisel (darvadstrocel) withdrawal, December 2024",
        "2024",
        "alofisel2024",
        r"Alofisel|darvadstrocel",
        "authorised in the EU in 2018 and withdrawn on 13 December 2024: without the date a reader "
        "cannot tell whether it is on the market",
    ),
    DatedFact(
        "Stemirac conditional approval in Japan, December 2018",
        "2018",
        "stemirac2018",
        r"Stemirac",
        "a conditional, time-limited (7-year) approval from 2018, with a full-approval decision pending",
    ),
)

# A citation group or a backticked key names a reference, not a date ("fda2020alert").
_CITATION = re.compile(r"\[@[^\]]*\]|`[a-z0-9_]+`|<a href=\"#ref-[a-z0-9_]+\">[^<]*</a>|<a id=\"ref-[a-z0-9_]+\"></a>")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+\.)\s")


def units(text: str) -> list[str]:
    """The places a reader takes in at once: paragraphs, list items and table cells of a Markdown text.

    A dated fact and its year must share one of these; a year two paragraphs away does not date it.
    """
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        current: list[str] = []
        for line in block.splitlines():
            if line.lstrip().startswith("|"):
                out += [c for c in line.split("|") if c.strip()]
                continue
            if _LIST_ITEM.match(line) and current:
                out.append(" ".join(current))
                current = []
            current.append(line)
        if current:
            out.append(" ".join(current))
    return [u for u in out if u.strip()]


def dated_fact_problems(text: str, where: str = "") -> list[str]:
    """One problem per paragraph, list item or table cell that uses a dated fact without its year."""
    problems = []
    prefix = f"{where}: " if where else ""
    for unit in units(text):
        plain = _CITATION.sub("", unit)
        for fact in DATED_FACTS:
            used = (
                f"@{fact.key}]" in unit
                or f"@{fact.key};" in unit
                or f'href="#ref-{fact.key}"' in unit
                or re.search(fact.pattern, plain, re.IGNORECASE)
            )  # raw or expanded citation
            if used and fact.year not in plain:
                short = unit.strip()
                short = short if len(short) <= 140 else short[:137] + "..."
                problems.append(f"{prefix}uses the {fact.name} without its year {fact.year} ({fact.why}): {short!r}")
    return problems
