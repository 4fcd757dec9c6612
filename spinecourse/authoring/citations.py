"""Expand citation keys in lesson notebooks into author-year links to the lesson's reference list.

Authors keep writing pandoc-style keys in Markdown cells, ``[@katz2008]`` or ``[@sport2008; @delitto2015]``.
This tool rewrites each group, keeping the brackets' place in the sentence, as::

    (<a href="#ref-katz2008">Katz and Harris 2008</a>)

and regenerates the lesson's ``## References`` list so every reference carries the link target and its
DOI/PMID links::

    - <a id="ref-katz2008"></a>Katz JN, Harris MB. Lumbar spinal stenosis. … ([doi:…](https://doi.org/…))

Why expand at authoring time, as inline HTML: it is the one form that renders the same in JupyterLab,
nbviewer/GitHub and Sphinx/MyST, offline, without an extension. JupyterLab's Markdown sanitizer keeps
``href`` and ``id`` but drops ``name`` (unless ``allowNamedProperties`` is set), so targets use ``id``.
The bibliography (``references.yml``: ``short`` for the label, ``full`` for the list) is the one source of
truth: running the tool again refreshes labels and list items that no longer match it, and is idempotent.
The key stays in every link (``#ref-KEY``), so ``references.keys_in`` and the content lint still see it.

The References section keeps everything that is not a reference item (prose before or after the list,
indented notes under an item) and every key it already listed (lessons also list sources cited by their
widgets and self-checks); keys cited in the text but not yet listed are appended in order of citation.

Command line::

    python -m spinecourse.authoring.citations course/01_stenosis_anatomy.ipynb ...   # rewrite in place
    python -m spinecourse.authoring.citations --check course/*.ipynb                 # exit 1 if anything would change
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..content import references

HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
REFERENCES_TITLE = "references"
#: A reference item as written before this tool (``- `key`: text``) or by it.
OLD_ITEM_RE = re.compile(r"^- `([a-z0-9_]+)`:")
NEW_ITEM_RE = re.compile(r'^- <a id="ref-([a-z0-9_]+)"></a>')
#: Code (fenced blocks and inline spans) is left alone: a key shown in code is an example, not a citation.
CODE_RE = re.compile(r"(^```.*?^```[^\n]*$|^~~~.*?^~~~[^\n]*$|`[^`\n]+`)", re.MULTILINE | re.DOTALL)


class CitationError(ValueError):
    """A citation the tool cannot expand (unknown key); the message says where."""


@dataclass
class Report:
    """What expansion changed, or would change, in one notebook."""

    path: str
    unexpanded: list[str] = field(default_factory=list)  # raw [@…] groups
    stale: list[str] = field(default_factory=list)  # link text that no longer matches the bibliography
    references: list[str] = field(default_factory=list)  # References section added to or refreshed

    @property
    def changed(self) -> bool:
        return bool(self.unexpanded or self.stale or self.references)

    def lines(self) -> list[str]:
        return (
            [f"{self.path}: unexpanded citation {c}" for c in self.unexpanded]
            + [f"{self.path}: stale citation {c}" for c in self.stale]
            + [f"{self.path}: {r}" for r in self.references]
        )


def _outside_code(text: str, transform) -> str:
    """Apply ``transform`` to the parts of a Markdown text that are not code."""
    out, last = [], 0
    for m in CODE_RE.finditer(text):
        out += [transform(text[last : m.start()]), m.group(0)]
        last = m.end()
    out.append(transform(text[last:]))
    return "".join(out)


def expand_text(text: str, report: Report | None = None, where: str = "") -> str:
    """Raw groups expanded and existing links refreshed from the bibliography (code left alone)."""

    def raw(m: re.Match) -> str:
        keys = references.KEY_RE.findall(m.group(1))
        for key in keys:
            if key not in references.load():
                raise CitationError(
                    f"{where}unknown reference key {key!r} in {m.group(0)}: cite only keys in "
                    "spinecourse/content/data/references.yml"
                )
        if report is not None:
            report.unexpanded.append(f"{where}{m.group(0)}")
        return references.render_citations(m.group(0), link=references.cite_link)

    def link(m: re.Match) -> str:
        key, label = m.group(1), m.group(2)
        if key not in references.load():
            raise CitationError(f"{where}unknown reference key {key!r} in {m.group(0)}")
        fresh = references.cite_link(key)
        if fresh != m.group(0) and report is not None:
            report.stale.append(f"{where}{label!r} for {key} (bibliography: {references.short(key)!r})")
        return fresh

    def transform(part: str) -> str:
        return references.CITE_LINK_RE.sub(link, references.CITE_GROUP_RE.sub(raw, part))

    return _outside_code(text, transform)


def _section_bounds(lines: list[str]) -> tuple[int, int] | None:
    """Line range [start, end) of the References section in one cell (heading line included)."""
    for i, line in enumerate(lines):
        m = HEADING_RE.match(line)
        if m and m.group(2).strip().lower() == REFERENCES_TITLE:
            level = len(m.group(1))
            for j in range(i + 1, len(lines)):
                n = HEADING_RE.match(lines[j])
                if n and len(n.group(1)) <= level:
                    return i, j
            return i, len(lines)
    return None


def _item_key(line: str) -> str | None:
    m = OLD_ITEM_RE.match(line) or NEW_ITEM_RE.match(line)
    return m.group(1) if m else None


def rebuild_section(section: list[str], cited: list[str]) -> list[str]:
    """A References section (heading first) with its list regenerated: the keys it listed, in order,
    then keys cited but not listed; prose and indented notes under an item are kept."""
    heading, body = section[0], section[1:]
    before: list[str] = []
    after: list[str] = []
    notes: dict[str, list[str]] = {}
    listed: list[str] = []
    current: str | None = None
    for line in body:
        key = _item_key(line)
        if key is not None:
            if key not in references.load():
                raise CitationError(f"References lists unknown key {key!r}")
            current = key
            if key not in listed:
                listed.append(key)
            notes.setdefault(key, [])
        elif current is not None and line.startswith((" ", "\t")) and line.strip():
            notes[current].append(line)  # an indented note belongs to the item above
        elif not listed:
            before.append(line)
        elif line.strip() or after:
            current = None
            after.append(line)
    keys = listed + [k for k in dict.fromkeys(cited) if k not in listed]
    items = [line for k in keys for line in [references.reference_item(k), *notes.get(k, [])]]
    while before and not before[-1].strip():
        before.pop()
    while after and not after[-1].strip():
        after.pop()
    out = [heading, *before, "", *items] if before else [heading, "", *items]
    if after:
        out += ["", *after]
    return out


def expand_notebook(nb, path: str = "notebook") -> Report:
    """Expand every Markdown cell of ``nb`` in place and regenerate its References section."""
    report = Report(path)
    cells = [c for c in nb.cells if c.cell_type == "markdown"]
    for n, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            cell.source = expand_text(cell.source, report, f"cell {n}: ")
    cited = [k for c in cells for k in references.keys_in(CODE_RE.sub("", c.source))]
    for cell in cells:
        lines = cell.source.split("\n")
        bounds = _section_bounds(lines)
        if bounds is None:
            continue
        start, end = bounds
        old = lines[start:end]
        trailing = []
        while old and not old[-1].strip():  # blank lines before the next heading stay where they were
            trailing.insert(0, old.pop())
        new = rebuild_section(old, cited)
        if new != old:
            report.references.append("References section refreshed from the bibliography")
        cell.source = "\n".join(lines[:start] + new + trailing + lines[end:])
        break
    else:
        if cited:
            nb.cells.append(nbformat.v4.new_markdown_cell("\n".join(rebuild_section(["## References"], cited))))
            report.references.append("References section added (none found)")
    return report


def process(path: Path, check: bool) -> Report:
    nb = nbformat.read(path, as_version=4)
    report = expand_notebook(nb, str(path))
    if report.changed and not check:
        nbformat.write(nb, path)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m spinecourse.authoring.citations",
        description="Expand [@key] citations in notebook Markdown into author-year "
        "links and regenerate each References section.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="change nothing; exit 1 listing unexpanded or stale citations and References sections",
    )
    parser.add_argument("files", nargs="+", type=Path, help="notebooks (.ipynb)")
    args = parser.parse_args(argv)
    status = 0
    for path in args.files:
        if path.suffix != ".ipynb" or not path.is_file():
            print(f"{path}: not a notebook file", file=sys.stderr)
            status = 2
            continue
        try:
            report = process(path, args.check)
        except CitationError as err:
            print(f"{path}: {err}", file=sys.stderr)
            status = 2
            continue
        if args.check and report.changed:
            print("\n".join(report.lines()))
            status = max(status, 1)
        elif report.changed:
            print(
                f"{path}: expanded {len(report.unexpanded)} citation group(s), refreshed {len(report.stale)}"
                + (f"; {'; '.join(report.references)}" if report.references else "")
            )
    if args.check and status == 1:
        print("run: python -m spinecourse.authoring.citations " + " ".join(str(p) for p in args.files), file=sys.stderr)
    return status


if __name__ == "__main__":  # pragma: no cover - exercised through main() in tests
    sys.exit(main())
