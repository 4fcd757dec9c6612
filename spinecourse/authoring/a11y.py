"""Accessibility checks for the course: what a screen-reader or colour-blind learner would trip over.

Each check returns a list of human-readable problems (empty = clean), like ``contentlint``:

- ``heading_problems(nb)``: heading levels never skip (h2 then h4), markdown and HTML headings;
- ``image_alt_problems(nb)``: every markdown / HTML image has alt text;
- ``colour_problems(paths)``: hex colours in package code come from ``plotting.PALETTE`` /
  ``ROLE_COLOURS`` (plus the neutral greys, black and white);

The checks that need live widget objects (labels of sliders and menus, figure alt text, static copies)
are in ``spinecourse.widgets.a11y``: authoring tools never import widgets (tests/test_layers.py).

What only a browser can show (the DOM after Run All, colour contrast, the slider handles' names given
by spinecourse/widgets/labextension) is checked with axe-core in tests/browser and tests/site.

Run ``python -m spinecourse.authoring.a11y`` for a report on course/ and the package's colours.
"""

from __future__ import annotations

import io
import re
import sys
import tokenize
from collections.abc import Iterable
from pathlib import Path

import nbformat

PACKAGE_DIR = Path(__file__).resolve().parent.parent
FENCE_RE = re.compile(r"^(```|~~~).*?^\1", re.DOTALL | re.MULTILINE)
MD_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$", re.MULTILINE)
HTML_HEADING_RE = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.IGNORECASE | re.DOTALL)
MD_IMAGE_RE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)[^)]*\)")
HTML_IMG_RE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ALT_RE = re.compile(r"""\balt\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
HEX_RE = re.compile(r"#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})(?![0-9A-Za-z])")
NEUTRAL_COLOURS = {"#DDDDDD", "#999999", "#000000", "#FFFFFF"}


def _markdown_cells(nb) -> list[str]:
    return [FENCE_RE.sub("", c.source) for c in nb.cells if c.cell_type == "markdown"]


def headings(nb) -> list[tuple[int, str]]:
    """(level, text) of every markdown and HTML heading, in document order, code fences ignored."""
    out = []
    for text in _markdown_cells(nb):
        found = [(m.start(), len(m.group(1)), m.group(2)) for m in MD_HEADING_RE.finditer(text)]
        found += [
            (m.start(), int(m.group(1)), re.sub(r"<[^>]+>", "", m.group(2))) for m in HTML_HEADING_RE.finditer(text)
        ]
        out += [(level, title.strip()) for _, level, title in sorted(found)]
    return out


def heading_problems(nb) -> list[str]:
    problems, previous = [], 0
    for level, title in headings(nb):
        if level > previous + 1 and not (previous == 0 and level == 1):
            where = f"h{previous}" if previous else "the start"
            problems.append(f"heading level skips from {where} to h{level} at '{title}'")
        previous = level
    return problems


def image_alt_problems(nb) -> list[str]:
    problems = []
    for text in _markdown_cells(nb):
        for alt, target in MD_IMAGE_RE.findall(text):
            if not alt.strip():
                problems.append(f"image {target} has no alt text")
        for tag in HTML_IMG_RE.findall(text):
            alt = ALT_RE.search(tag)
            if not alt or not alt.group(2).strip():
                problems.append(f"HTML image without alt text: {tag[:80]}")
    return problems


def notebook_problems(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    return [f"{path.name}: {p}" for p in heading_problems(nb) + image_alt_problems(nb)]


# ---- colours ----


def allowed_colours() -> set[str]:
    from ..content.palette import PALETTE, ROLE_COLOURS

    return {c.upper() for c in (*PALETTE.values(), *ROLE_COLOURS.values())} | NEUTRAL_COLOURS


def _expand(hex_colour: str) -> str:
    h = hex_colour.upper()
    return "#" + "".join(ch * 2 for ch in h[1:]) if len(h) == 4 else h


def colour_literals(source: str) -> list[tuple[int, str]]:
    """(line, colour) for hex colours inside string literals (comments and code are not scanned)."""
    found = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.STRING or getattr(tokenize, "FSTRING_MIDDLE", -1) == tok.type:
            found += [(tok.start[0], _expand(m.group())) for m in HEX_RE.finditer(tok.string)]
    return found


def colour_problems(paths: Iterable[Path] | None = None) -> list[str]:
    paths = sorted(PACKAGE_DIR.rglob("*.py")) if paths is None else list(paths)
    allowed = allowed_colours()
    problems = []
    for path in paths:
        for line, colour in colour_literals(Path(path).read_text()):
            if colour not in allowed:
                problems.append(f"{Path(path).name}:{line}: colour {colour} is not in plotting.PALETTE/ROLE_COLOURS")
    return problems


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - thin CLI over tested functions
    argv = sys.argv[1:] if argv is None else argv
    course = Path(argv[0]) if argv else PACKAGE_DIR.parent / "course"
    problems = [p for path in sorted(course.glob("*.ipynb")) for p in notebook_problems(path)]
    problems += colour_problems()  # widget trees: python -m spinecourse.widgets.a11y
    print("\n".join(problems) or "no accessibility problems found")
    return 1 if problems else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
