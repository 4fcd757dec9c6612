"""Translated editions, notebook Markdown as units: cut a Markdown cell into stable segments (one per heading,
paragraph, list item, block quote or table row) and reassemble it from translated units. Part of ``translation``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

# ---- notebook Markdown as units ----

_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^(#{1,6}\s+)(.*)$")
_ITEM = re.compile(r"^(\s*(?:[-*+]|\d+[.)])\s+)(.*)$")
_QUOTE = re.compile(r"^(\s*>\s?)(.*)$")
_TABLE_SEP = re.compile(r"^\s*\|?[\s:|-]+\|?\s*$")
_WORDS = re.compile(r"[A-Za-z]{2,}")


@dataclass
class Segment:
    """A piece of a Markdown cell: a unit to translate (``text``) with its Markdown ``prefix`` ("## ",
    "- ", "1. ", or ""), verbatim lines (``text`` None) such as code fences and blank lines, or a block
    quote whose inner Markdown is cut the same way (``children``, re-quoted line by line with ``prefixes``)."""

    kind: str  # heading | item | row | para | quote | verbatim
    prefix: str = ""
    text: str | None = None
    raw: str = ""  # verbatim lines
    indents: list[str] = field(default_factory=list)  # each continuation line's indent, in a list item
    children: list[Segment] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)

    @property
    def translatable(self) -> bool:
        if self.kind == "quote":
            return any(c.translatable for c in self.children)
        return self.text is not None and _WORDS.search(self.text) is not None


def segment_markdown(source: str) -> list[Segment]:
    """Cut Markdown into units: headings, list items (with their continuation lines), table rows and
    paragraphs, also inside block quotes; fenced code, blank lines and table rules stay verbatim."""
    lines = source.split("\n")
    out: list[Segment] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _FENCE.match(line):
            fence = _FENCE.match(line).group(1)
            j = i + 1
            while j < len(lines) and not lines[j].lstrip().startswith(fence):
                j += 1
            out.append(Segment("verbatim", raw="\n".join(lines[i : j + 1])))
            i = j + 1
            continue
        if not line.strip():
            out.append(Segment("verbatim", raw=line))
            i += 1
            continue
        if m := _HEADING.match(line):
            out.append(Segment("heading", m.group(1), m.group(2)))
            i += 1
            continue
        if line.lstrip().startswith("|"):
            if _TABLE_SEP.match(line):
                out.append(Segment("verbatim", raw=line))
            else:
                out.append(Segment("row", "", line))
            i += 1
            continue
        if _QUOTE.match(line):
            prefixes, inner = [], []
            while i < len(lines) and (q := _QUOTE.match(lines[i])):
                prefixes.append(q.group(1))
                inner.append(q.group(2))
                i += 1
            out.append(Segment("quote", children=segment_markdown("\n".join(inner)), prefixes=prefixes))
            continue
        if m := _ITEM.match(line):
            body, indents = [m.group(2)], []
            i += 1
            while i < len(lines) and lines[i].strip() and not _starts_block(lines[i]):
                indents.append(re.match(r"\s*", lines[i]).group(0))
                body.append(lines[i].lstrip())
                i += 1
            out.append(Segment("item", m.group(1), "\n".join(body), indents=indents))
            continue
        body = [line]
        i += 1
        while i < len(lines) and lines[i].strip() and not _starts_block(lines[i]):
            body.append(lines[i])
            i += 1
        out.append(Segment("para", "", "\n".join(body)))
    return out


def units_of(segments: Iterable[Segment]) -> list[Segment]:
    """The translatable leaf segments, in document order (block quotes opened)."""
    out = []
    for s in segments:
        if s.kind == "quote":
            out += units_of(s.children)
        elif s.translatable:
            out.append(s)
    return out


def _starts_block(line: str) -> bool:
    return bool(
        _FENCE.match(line)
        or _HEADING.match(line)
        or _ITEM.match(line)
        or _QUOTE.match(line)
        or line.lstrip().startswith("|")
    )


def render_markdown(segments: Iterable[Segment], translate: Callable[[str], str]) -> str:
    """Put the segments back together, each unit's text passed through ``translate``."""
    parts = []
    for s in segments:
        if s.kind == "quote":
            lines = render_markdown(s.children, translate).split("\n")
            prefixes = s.prefixes if len(s.prefixes) == len(lines) else [("> " if ln else ">") for ln in lines]
            parts.append("\n".join(p + ln for p, ln in zip(prefixes, lines)))
            continue
        if not s.translatable:
            parts.append(s.raw if s.text is None else s.prefix + s.text)
            continue
        lines = translate(s.text).split("\n")
        if s.kind == "item":
            # a translation may have more or fewer lines than the English: indent those under the item
            indents = s.indents if len(s.indents) == len(lines) - 1 else [" " * len(s.prefix)] * (len(lines) - 1)
            parts.append(s.prefix + lines[0] + "".join("\n" + ind + ln for ind, ln in zip(indents, lines[1:])))
        else:
            parts.append(s.prefix + "\n".join(lines))
    return "\n".join(parts)
