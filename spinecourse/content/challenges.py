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

from . import i18n, references, schema_check

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


FILE = "challenges.yml"


def theme_problems(data: dict) -> list[str]:
    """Each row's theme must be one of the file's themes (two parts of one file: no schema says it)."""
    return [
        f"{schema_check.entry_name(FILE, 'challenges', n, row)}, field 'theme': unknown theme {row['theme']!r}; "
        f"themes: {sorted(data['themes'])}"
        for n, row in enumerate(data["challenges"])
        if row["theme"] not in data["themes"]
    ]


def _load() -> dict:
    text = resources.files("spinecourse.content").joinpath(f"data/{FILE}").read_text(encoding="utf-8")
    data = schema_check.check(yaml.safe_load(text), "challenges", FILE)
    problems = theme_problems(data)
    if problems:
        raise schema_check.ContentSchemaError(FILE, problems)
    return data


_DATA = _load()
#: Themes used by the filter, in display order. "all" is accepted by ``filter_challenges``.
THEMES: dict[str, str] = dict(_DATA["themes"])
#: The seven rows, in the article's order (data/challenges.yml).
CHALLENGES: tuple[Challenge, ...] = tuple(
    Challenge(**{**row, "refs": tuple(row["refs"])}) for row in _DATA["challenges"]
)

_BY_ID = {c.id: c for c in CHALLENGES}


def localized(c: Challenge) -> Challenge:
    """A row with its prose in the session's language (``data/challenges`` catalogue); id, theme key and
    refs stay the English file's. The same object in English."""
    return i18n.localize_record("challenges", c)


def theme_label(theme: str) -> str:
    """A theme's name in the session's language."""
    return i18n.translate(i18n.data_catalogue("challenges"), THEMES[theme])


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
        lines.append(
            "| "
            + " | ".join(
                _cell(t, render)
                for t in (f"**{c.name}**", THEMES[c.theme], c.risk, c.research, evidence, c.source_check)
            )
            + " |"
        )
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
