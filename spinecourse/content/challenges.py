"""The source article's "challenges and risks" table, re-checked against the bibliography.

The source article lists seven challenges for MSC therapy in spinal stenosis, each
with a risk and "what researchers are doing". This module keeps those seven rows
(paraphrased, not copied) and adds, for each, the evidence behind it from the
checked bibliography, an evidence label, and a note where the literature does not
support what the article says.

The rows are data (``data/challenges.yml``); the widget (``widgets.challenges``) and the static,
screen-reader-friendly markdown table (``table_markdown``) both read from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import yaml

from . import references

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


FIELDS = ("id", "theme", "name", "risk", "research", "evidence", "evidence_label", "source_check", "refs")


def schema_problems(data) -> list[str]:
    """Shape of data/challenges.yml: a ``themes`` mapping and ``challenges`` rows with exactly FIELDS."""
    if not isinstance(data, dict) or not isinstance(data.get("themes"), dict) or not isinstance(data.get("challenges"), list):
        return ["data/challenges.yml: expected 'themes' (mapping) and 'challenges' (list)"]
    problems = []
    for n, row in enumerate(data["challenges"], 1):
        if not isinstance(row, dict):
            problems.append(f"challenge {n}: expected a mapping"); continue
        where = f"challenge {row.get('id', n)}"
        if set(row) != set(FIELDS):
            problems.append(f"{where}: fields must be exactly {FIELDS} (missing {sorted(set(FIELDS) - set(row))}, "
                            f"unknown {sorted(set(row) - set(FIELDS))})")
            continue
        problems += [f"{where}: '{f}' must be non-empty text" for f in FIELDS[:-1]
                     if not isinstance(row[f], str) or not row[f].strip()]
        if not isinstance(row["refs"], list) or not all(isinstance(k, str) for k in row["refs"]):
            problems.append(f"{where}: 'refs' must be a list of reference keys")
        if row["theme"] not in data["themes"]:
            problems.append(f"{where}: unknown theme {row['theme']!r}; themes: {sorted(data['themes'])}")
    return problems


def _load() -> dict:
    data = yaml.safe_load(resources.files("spinecourse.content").joinpath("data/challenges.yml").read_text(encoding="utf-8"))
    problems = schema_problems(data)
    if problems:
        raise ValueError("; ".join(problems))
    return data


_DATA = _load()
#: Themes used by the filter, in display order. "all" is accepted by ``filter_challenges``.
THEMES: dict[str, str] = dict(_DATA["themes"])
#: The seven rows, in the article's order (data/challenges.yml).
CHALLENGES: tuple[Challenge, ...] = tuple(Challenge(**{**row, "refs": tuple(row["refs"])}) for row in _DATA["challenges"])

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
