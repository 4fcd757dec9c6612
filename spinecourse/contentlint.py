"""Content lint for course notebooks: the checks a reviewer would otherwise do by eye.

``lint_notebook(nb, kind)`` returns a list of human-readable problems (empty = clean).
``kind`` is "lesson" (course/NN_*.ipynb, NN >= 01), "start" (00_start_here) or
"quiz" (nbgrader source notebooks).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from . import references

DISCLAIMER_PHRASE = "educational material and not medical advice"
TIME_RE = re.compile(r"(time|⏱)[^\n]{0,40}?\b\d+\s*(min|minutes)\b", re.IGNORECASE)
HEADING_RE = re.compile(r"^(#{1,6})\s+(.*)$", re.MULTILINE)
IMAGE_RE = re.compile(r"!\[([^\]]*)\]\(([^)]+)\)")
HTML_IMG_RE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
DIRECT_PLOT_RE = re.compile(r"\bplt\.(subplots|figure|plot|show|bar|hist|scatter)\b")


def _markdown(nb) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def headings(nb) -> list[tuple[int, str]]:
    out = []
    for text in _markdown(nb):
        # ignore fenced code blocks
        text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
        out += [(len(h), t.strip()) for h, t in HEADING_RE.findall(text)]
    return out


def lint_notebook(nb, kind: str = "lesson") -> list[str]:
    problems: list[str] = []
    md = "\n\n".join(_markdown(nb))
    code = "\n\n".join(c.source for c in nb.cells if c.cell_type == "code")
    heads = headings(nb)
    titles = [t.lower() for _, t in heads]

    if DISCLAIMER_PHRASE not in md:
        problems.append(f"no disclaimer: a markdown cell must say it is '{DISCLAIMER_PHRASE}'")
    if kind == "lesson":
        for wanted in ("objectives", "summary", "references"):
            if not any(wanted in t for t in titles):
                problems.append(f"no '{wanted}' heading")
        if not TIME_RE.search(md):
            problems.append("no time estimate (e.g. '**Time:** 40 minutes')")
    if kind in ("lesson", "start") and heads and heads[0][0] != 1:
        problems.append("the first heading must be a level-1 title")

    # heading levels must not skip (## then #### is an accessibility problem)
    previous = 0
    for level, title in heads:
        if previous and level > previous + 1:
            problems.append(f"heading level skips from h{previous} to h{level} at '{title}'")
        previous = level

    # citations
    bib = references.load()
    cited = references.keys_in(md) + references.keys_in(code)
    for key in dict.fromkeys(cited):
        if key not in bib:
            problems.append(f"unknown reference key [@{key}]")
    if kind == "lesson":
        ref_cells = [c.source for c in nb.cells if c.cell_type == "markdown" and re.search(r"^#+\s*references", c.source, re.IGNORECASE | re.MULTILINE)]
        ref_text = "\n".join(ref_cells)
        for key in dict.fromkeys(cited):
            if key in bib and f"`{key}`" not in ref_text:
                problems.append(f"[@{key}] is cited but not listed in the References section")

    # figures: alt text / text descriptions
    for alt, target in IMAGE_RE.findall(md):
        if not alt.strip():
            problems.append(f"image {target} has no alt text")
    for tag in HTML_IMG_RE.findall(md):
        if not re.search(r'alt="[^"]+"', tag):
            problems.append(f"HTML image without alt text: {tag[:60]}")
    for cell in nb.cells:
        if cell.cell_type == "code" and DIRECT_PLOT_RE.search(cell.source) and "Figure description" not in cell.source:
            problems.append("a code cell draws with plt.* but gives no 'Figure description'; "
                            "use a package figure helper that prints one")
    return problems


def kind_of(path: Path) -> str:
    if path.parent.name == "course":
        return "start" if path.name.startswith("00_") else "lesson"
    return "quiz"


def lint_path(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    return [f"{path.name}: {p}" for p in lint_notebook(nb, kind_of(path))]


def outputs_present(nb) -> bool:
    """Committed notebooks stay small: no outputs, no execution counts."""
    return any(c.cell_type == "code" and (c.outputs or c.execution_count) for c in nb.cells)
