"""Evidence status: every status in the course that can change, once, as data (``data/evidence_status.yml``).

Lessons, banks and widgets read a status from here instead of restating it::

    from spinecourse.content import status
    status.text("jrct2013210076")    # the status sentence
    status.dated("jrct2013210076")   # the same, ending "(checked 2 December 2026)"
    status.get("florida2025").sources

The content lint uses two checks (``spinecourse.authoring.contentlint``):

* ``stale_problems(reviewed)``: a status last checked more than 12 months before the content review
  date (``dating.CONTENT_REVIEWED``) must be checked again;
* ``contradiction_problems(text)``: a sentence that names an item and states a different status from
  the data (e.g. "jRCT2013210076 is recruiting" when the data says "Not Recruiting").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from . import references, schema_check

FILENAME = "evidence_status.yml"
#: A status older than this at the content review date is stale.
MAX_AGE_MONTHS = 12
KINDS = ("trial", "approval", "withdrawal", "law", "alert")


@dataclass(frozen=True)
class Status:
    id: str
    item: str
    kind: str
    status: str
    as_of: str
    sources: tuple[str, ...]
    mentions: tuple[str, ...]
    states: tuple[str, ...]
    contradicted_by: tuple[str, ...]

    @property
    def as_of_date(self) -> dt.date:
        return dt.date.fromisoformat(self.as_of)


def parse(data, filename: str = FILENAME, check_keys: bool = True) -> tuple[Status, ...]:
    """Check parsed YAML against ``schemas/evidence_status.schema.json`` (ids unique, dates real, patterns
    valid, sources in the bibliography unless ``check_keys=False``) and build the statuses; raise
    ``schema_check.ContentSchemaError`` (a ValueError) listing every problem."""
    schema_check.check(data, "evidence_status", filename, check_keys)
    return tuple(
        Status(
            **{
                **e,
                "as_of": str(e["as_of"]),
                **{k: tuple(e[k]) for k in ("sources", "mentions", "states", "contradicted_by")},
            }
        )
        for e in data["statuses"]
    )


def read(path: Path | str, check_keys: bool = True) -> tuple[Status, ...]:
    path = Path(path)
    return parse(yaml.safe_load(path.read_text(encoding="utf-8")), path.name, check_keys)


@lru_cache(maxsize=2)
def load(check_keys: bool = True) -> tuple[Status, ...]:
    """The course's statuses. ``check_keys=False`` skips the bibliography check (the prose lint needs only
    the phrases; the evidence-status lint reports unknown keys once)."""
    text = resources.files("spinecourse.content").joinpath(f"data/{FILENAME}").read_text(encoding="utf-8")
    return parse(yaml.safe_load(text), check_keys=check_keys)


def ids() -> list[str]:
    return [s.id for s in load()]


def get(status_id: str) -> Status:
    for s in load():
        if s.id == status_id:
            return s
    raise ValueError(
        f"unknown evidence status {status_id!r}; known: {', '.join(ids())} (spinecourse/content/data/{FILENAME})"
    )


def text(status_id: str) -> str:
    """The status sentence(s), as written in the data."""
    return get(status_id).status


def human_date(iso: str) -> str:
    d = dt.date.fromisoformat(iso)
    return f"{d.day} {d.strftime('%B')} {d.year}"


def dated(status_id: str) -> str:
    """The status with the date it was checked, for prose: '... (checked 2 December 2026)'."""
    s = get(status_id)
    return f"{s.status} (checked {human_date(s.as_of)})"


# ---- the lint's two checks ----


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for d in (day.day, 30, 29, 28):  # 29 February, 31st of a short month
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def stale_problems(reviewed: str, statuses: tuple[Status, ...] | None = None) -> list[str]:
    """Statuses last checked more than MAX_AGE_MONTHS before the content review date ``reviewed``."""
    statuses = load() if statuses is None else statuses
    limit = _months_before(dt.date.fromisoformat(reviewed), MAX_AGE_MONTHS)
    return [
        f"{FILENAME}: entry {s.id!r}: status checked {s.as_of}, more than {MAX_AGE_MONTHS} months before the "
        f"content review date {reviewed}: check {', '.join(s.sources)} again and update 'status' and 'as_of'"
        for s in statuses
        if s.as_of_date < limit
    ]


_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z(\"'“*\[])|\n")
#: A citation in either form (raw ``[@key]`` or the expanded author-year link): its words are no status.
_CITATION = re.compile(r'\[@[^\]]*\]|<a href="#ref-[^"]*">[^<]*</a>')


def sentences(text: str) -> list[str]:
    """Sentences of Markdown prose (within paragraphs and list items, as ``dating.units``); a table row
    is one unit, since its item and its status sit in different cells.

    Citation groups are kept: ``[@jrct2013210076]`` names the item as surely as its registry number."""
    from .dating import units

    out = []
    for block in re.split(r"\n\s*\n", text):
        prose = []
        for line in block.splitlines():
            if line.lstrip().startswith("|"):
                if not set(line.strip()) <= set("|-: "):  # not the header rule
                    out.append(line)
            else:
                prose.append(line)
        for unit in units("\n".join(prose)):
            out += [s for s in _SENTENCE_END.split(unit) if s.strip()]
    return out


def _blank(pattern: str, text: str) -> str:
    """Blank out matches with spaces of the same length, so positions in the sentence still hold."""
    return re.sub(pattern, lambda m: " " * len(m.group()), text, flags=re.IGNORECASE)


def _spans(patterns, text: str) -> list[tuple[int, int]]:
    return [m.span() for p in patterns for m in re.finditer(p, text, re.IGNORECASE)]


def _distance(span: tuple[int, int], spans: list[tuple[int, int]]) -> int:
    return min((max(0, a - span[1], span[0] - b) for a, b in spans), default=10**9)


def contradiction_problems(text: str, where: str = "", statuses: tuple[Status, ...] | None = None) -> list[str]:
    """One problem per sentence that names an item and states a status the data contradicts.

    A sentence may name several items ("the stenosis trial is recruiting [@jrct...]; NCT02932020 was
    withdrawn"): a status phrase is held against the item named nearest to it."""
    statuses = load(check_keys=False) if statuses is None else statuses
    prefix = f"{where}: " if where else ""
    problems = []
    for sentence in sentences(text):
        named = {s.id: _spans(s.mentions, sentence) for s in statuses}
        named = {k: v for k, v in named.items() if v}
        for s in statuses:
            if s.id not in named:
                continue
            plain = sentence
            for pattern in s.states:  # a correctly stated status is not a contradiction
                plain = _blank(pattern, plain)
            plain = _blank(_CITATION.pattern, plain)
            for pattern in s.contradicted_by:
                hits = [m.span() for m in re.finditer(pattern, plain, re.IGNORECASE)]
                mine = [h for h in hits if _distance(h, named[s.id]) <= min(_distance(h, v) for v in named.values())]
                if mine:
                    short = sentence.strip()
                    short = short if len(short) <= 160 else short[:157] + "..."
                    problems.append(
                        f"{prefix}states a status of {s.id!r} that disagrees with {FILENAME} "
                        f"(data: {' '.join(s.status.split())[:120]!r}, checked {s.as_of}): {short!r}"
                    )
                    break
    return problems


def prose_of_data_file(data) -> str:
    """The reader-facing text of evidence_status.yml (item and status), for the dated-fact lint; its
    regular expressions are not prose."""
    return "\n\n".join(f"{e.get('item', '')}: {e.get('status', '')}" for e in data.get("statuses", []))


# ---- the site's table ----


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def markdown_table(statuses: tuple[Status, ...] | None = None, link=None) -> str:
    """The evidence-status table (item, status, as of, source). ``link(key)`` renders a source key."""
    statuses = load() if statuses is None else statuses
    link = link or (lambda key: references.short(key))
    rows = ["| Item | Status | As of | Source |", "|---|---|---|---|"]
    for s in statuses:
        rows.append(f"| {_cell(s.item)} | {_cell(s.status)} | {s.as_of} | {'; '.join(link(k) for k in s.sources)} |")
    return "\n".join(rows)
