"""Per-lesson metadata written into the lesson notebooks: key points, computed time, glossary links.

    python -m spinecourse.authoring.lesson_meta --write course/0[1-6]_*.ipynb   # insert / update (idempotent)
    python -m spinecourse.authoring.lesson_meta --check course/*.ipynb          # what a test runs

For each lesson 01-06 (the start page 00 is left alone):

* a **Key points** cell (from ``content/data/lessons.yml``) right after the overview cell, the one
  holding the ``**Time:**`` line; updated in place when the data changes;
* the ``**Time:**`` line, computed by ``TIME_RULE`` from the lesson's words, widgets, figures and
  self-check questions;
* the lesson's time in the learning-path table of the start page (``00_start_here.ipynb``, when it is
  among the notebooks given), so the two never disagree;
* a link to the glossary page on the first use of each abbreviation (``content/data/glossary.yml``),
  with the expansion as the link title, so hovering shows it in JupyterLab and on the site.

Why the glossary link points at ``../site/pages/glossary.md``: it is one file in the repository that
JupyterLab opens from the lesson (as Markdown), and the site renders as its Glossary page (the site build
maps ``../site/pages/`` to its pages folder). The link title carries the expansion, so a reader who does
not follow the link still gets it on hover.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import nbformat
import yaml

from ..content import glossary, questions, schema_check

WORDS_PER_MINUTE = 200  # clinical text, read carefully
MINUTES_PER_WIDGET = 8  # move the controls, read the figure description
MINUTES_PER_FIGURE = 2  # a static figure or table produced by code
MINUTES_PER_QUESTION = 1.5  # answer, then read the explanation
ROUND_TO = 5
TIME_RULE = (
    f"reading at {WORDS_PER_MINUTE} words a minute, {MINUTES_PER_WIDGET} minutes per interactive widget, "
    f"{MINUTES_PER_FIGURE} per static figure or table, {MINUTES_PER_QUESTION:g} per self-check question, "
    f"total rounded up to {ROUND_TO} minutes"
)

KEY_POINTS_MARK = "key-points"  # cell metadata spinecourse.generated
TIME_LINE_RE = re.compile(r"^\*\*Time:\*\*.*$", re.MULTILINE)
_REFERENCES = re.compile(r"^#+\s*references\b", re.IGNORECASE | re.MULTILINE)
_WORD = re.compile(r"[A-Za-z0-9][\w'’-]*")
_WIDGET = re.compile(r"=\s*([A-Z][A-Za-z]+)\(")
_FIGURE = re.compile(r"^(show_\w+\(|HTML\(|display\()", re.MULTILINE)
_SELF_CHECK = re.compile(r"self_check\(\s*[\"']([\w]+)[\"']")
_GLOSSARY_LINK = re.compile(r"\[([^\]]+)\]\(" + re.escape(glossary.LINK_TARGET) + r'(?:\s+"[^"]*")?\)')


@dataclass(frozen=True)
class Estimate:
    words: int
    widgets: int
    figures: int
    questions: int

    @property
    def reading(self) -> int:
        return math.ceil(self.words / WORDS_PER_MINUTE)

    @property
    def self_check(self) -> int:
        return math.ceil(self.questions * MINUTES_PER_QUESTION)

    @property
    def total(self) -> int:
        raw = self.reading + self.widgets * MINUTES_PER_WIDGET + self.figures * MINUTES_PER_FIGURE + self.self_check
        return ROUND_TO * math.ceil(raw / ROUND_TO)

    def line(self) -> str:
        parts = [f"reading {self.reading} min"]
        if self.widgets:
            parts.append(f"{self.widgets} widget{'s' * (self.widgets > 1)} {self.widgets * MINUTES_PER_WIDGET} min")
        if self.figures:
            parts.append(f"{self.figures} figure{'s' * (self.figures > 1)} {self.figures * MINUTES_PER_FIGURE} min")
        if self.questions:
            parts.append(f"{self.questions} self-check questions {self.self_check} min")
        return (
            f"**Time:** about {self.total} minutes ({', '.join(parts)}; {self.words:,} words; rule: "
            f"{WORDS_PER_MINUTE} words a minute, {MINUTES_PER_WIDGET} min a widget, {MINUTES_PER_FIGURE} min a "
            f"figure, {MINUTES_PER_QUESTION:g} min a question, rounded up to {ROUND_TO} min)."
        )


# ---- data ----


@lru_cache(maxsize=1)
def key_points() -> dict[str, tuple[str, ...]]:
    data = yaml.safe_load(
        resources.files("spinecourse.content").joinpath("data/lessons.yml").read_text(encoding="utf-8")
    )
    schema_check.check(data, "lessons", "lessons.yml")
    return {e["id"]: tuple(e["key_points"]) for e in data["lessons"]}


def is_lesson(path: Path) -> bool:
    return re.match(r"0[1-9]_", path.name) is not None


def _generated(cell) -> str | None:
    return cell.get("metadata", {}).get("spinecourse", {}).get("generated")


# ---- measuring a lesson ----


def estimate(nb, lesson_id: str) -> Estimate:
    words = 0
    for cell in nb.cells:
        if cell.cell_type != "markdown" or _generated(cell):
            continue
        text = cell.source
        found = _REFERENCES.search(text)
        text = text[: found.start()] if found else text
        text = TIME_LINE_RE.sub("", text)  # the estimate does not count itself
        text = _GLOSSARY_LINK.sub(r"\1", text)  # a linked abbreviation is one word, as before the link
        text = re.sub(r"\]\([^)]*\)", "]", text)
        words += len(_WORD.findall(text))
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    widgets = sum(len(_WIDGET.findall(src)) for src in code)
    figures = sum(len(_FIGURE.findall(src)) for src in code if "self_check(" not in src)
    banks = [b for src in code for b in _SELF_CHECK.findall(src)]
    n_questions = sum(len(questions.load_bank(b)) for b in banks)
    return Estimate(words, widgets, figures, n_questions)


def _overview_index(nb) -> int:
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and TIME_LINE_RE.search(cell.source):
            return i
    raise ValueError("no '**Time:**' line in any markdown cell: the overview must have one")


def key_points_markdown(lesson_id: str) -> str:
    points = key_points()[lesson_id]
    return "> **Key points**\n>\n" + "\n".join(f"> - {p}" for p in points)


# ---- glossary links: first use of each abbreviation in a lesson ----


def _protected(text: str) -> list[tuple[int, int]]:
    """Spans where a link must not go: headings, block quotes, code, citations, links, HTML, References."""
    spans = []
    for pattern in (
        r"^#.*$",
        r"^>.*$",
        r"`[^`]*`",
        r"\[@[^\]]*\]",
        r"\[[^\]]*\]\([^)]*\)",
        r"<[^>]+>",
        r"https?://\S+",
        r"\$[^$\n]*\$",
    ):
        spans += [m.span() for m in re.finditer(pattern, text, re.MULTILINE)]
    # a whole HTML link, text included (the expanded citations): a link inside a link is broken HTML
    spans += [m.span() for m in re.finditer(r"<a\b[^>]*>.*?</a>", text, re.DOTALL | re.IGNORECASE)]
    found = _REFERENCES.search(text)
    if found:
        spans.append((found.start(), len(text)))
    return spans


def link_glossary(sources: list[str]) -> list[str]:
    """Link the first use of each glossary term across the cells (in order); remove any other link to it."""
    sources = [_GLOSSARY_LINK.sub(r"\1", s) for s in sources]
    done: set[str] = set()
    out = []
    for text in sources:
        spans = _protected(text)
        pieces, last = [], 0
        for m in glossary._TOKEN.finditer(text):
            start, end = m.span(1)
            if any(a <= start < b for a, b in spans):
                continue
            term = glossary.lookup(m.group(1))
            if term is None or term.term in done:
                continue
            done.add(term.term)
            title = term.expansion.replace('"', "'")
            pieces += [text[last:start], f'[{m.group(1)}]({glossary.LINK_TARGET} "{title}")']
            last = end
        out.append("".join(pieces) + text[last:])
    return out


# ---- write and check ----


def apply(nb, lesson_id: str) -> None:
    """Insert or update the key-points cell, the time line and the glossary links (idempotent)."""
    md = [c for c in nb.cells if c.cell_type == "markdown" and not _generated(c)]
    for cell, text in zip(md[1:], link_glossary([c.source for c in md[1:]])):  # cell 0: title and disclaimer
        cell.source = text
    overview = _overview_index(nb)
    nb.cells[overview].source = TIME_LINE_RE.sub(estimate(nb, lesson_id).line(), nb.cells[overview].source, count=1)
    existing = [i for i, c in enumerate(nb.cells) if _generated(c) == KEY_POINTS_MARK]
    for i in reversed(existing[1:]):
        del nb.cells[i]
    if existing:
        nb.cells[existing[0]].source = key_points_markdown(lesson_id)
        if existing[0] != overview + 1:
            nb.cells.insert(overview + 1, nb.cells.pop(existing[0]))
    else:
        cell = nbformat.v4.new_markdown_cell(key_points_markdown(lesson_id))
        cell.id = f"{lesson_id[:2]}-key-points"
        cell.metadata["spinecourse"] = {"generated": KEY_POINTS_MARK}
        nb.cells.insert(overview + 1, cell)


def check(nb, lesson_id: str) -> list[str]:
    """Problems a --write would fix: key points missing or out of date, time line not the computed one,
    a glossary link missing or not on the first use."""
    problems = []
    if lesson_id not in key_points():
        return [f"no key points for {lesson_id} in content/data/lessons.yml"]
    try:
        overview = _overview_index(nb)
    except ValueError as err:
        return [str(err)]
    cells = [c for c in nb.cells if _generated(c) == KEY_POINTS_MARK]
    if len(cells) != 1 or nb.cells.index(cells[0]) != overview + 1:
        problems.append("no key-points cell right after the overview cell")
    elif cells[0].source != key_points_markdown(lesson_id):
        problems.append("the key-points cell differs from content/data/lessons.yml")
    wanted = estimate(nb, lesson_id).line()
    stated = TIME_LINE_RE.search(nb.cells[overview].source).group(0)
    if stated != wanted:
        problems.append(f"time line is {stated!r}; computed: {wanted!r}")
    md = [c.source for c in nb.cells if c.cell_type == "markdown" and not _generated(c)]
    if link_glossary(md[1:]) != md[1:]:
        problems.append("glossary links are missing or not on the first use of each abbreviation")
    return problems


_PATH_ROW = re.compile(r"^(\|[^\n]*\]\((0[1-9]_[a-z0-9_]+)\.ipynb\)\s*\|\s*)(\d+)( min\s*\|)", re.MULTILINE)


def start_page_times(nb, totals: dict[str, int]) -> list[tuple[str, int, int]]:
    """Rows of the start page's learning-path table whose time differs from the computed one:
    (lesson id, stated, computed). ``totals`` maps lesson id -> computed minutes."""
    out = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for m in _PATH_ROW.finditer(cell.source):
                if m.group(2) in totals and int(m.group(3)) != totals[m.group(2)]:
                    out.append((m.group(2), int(m.group(3)), totals[m.group(2)]))
    return out


def apply_start_page(nb, totals: dict[str, int]) -> None:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = _PATH_ROW.sub(
                lambda m: m.group(1) + str(totals.get(m.group(2), int(m.group(3)))) + m.group(4), cell.source
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="insert or update key points, time line, glossary links")
    mode.add_argument("--check", action="store_true", help="report what --write would change; exit 1 if anything")
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    failed = False
    totals: dict[str, int] = {}
    for path in args.notebooks:
        if not is_lesson(path):
            continue
        lesson_id = path.stem
        nb = nbformat.read(path, as_version=4)
        if args.write:
            apply(nb, lesson_id)
            nbformat.write(nb, path)
            print(f"{path}: {estimate(nb, lesson_id).line()}")
        else:
            for problem in check(nb, lesson_id):
                failed = True
                print(f"{path}: {problem}")
        totals[lesson_id] = estimate(nb, lesson_id).total
    for path in args.notebooks:
        if path.name.startswith("00_"):
            nb = nbformat.read(path, as_version=4)
            if args.write:
                apply_start_page(nb, totals)
                nbformat.write(nb, path)
            for lesson_id, stated, computed in start_page_times(nb, totals):
                failed = True
                print(f"{path}: the learning path gives {lesson_id} {stated} min; computed: {computed} min")
    if args.check and not failed:
        print("lesson metadata up to date")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
