"""The project bibliography (built from the checked list in shared/references.md), and the one place
citations are rendered.

Course text cites by key with pandoc-style brackets: ``[@kalichman2009]`` or
``[@sport2008; @delitto2015]``. ``render_citations(text, link)`` turns each group into author-year
labels, each label written by ``link(key)``:

* ``short`` (default): plain text, ``(Kalichman et al. 2009)``;
* ``cite_link``: an HTML link to the lesson's reference list (notebooks, ``authoring.citations``);
* ``markdown_link``: a Markdown link to the site's references page (``authoring.pages``).

``render_html(text)`` escapes text for HTML, then renders its citations (widgets, feedback).
The file is checked against ``schemas/references.schema.json``; the content lint checks every
cited key exists here.

In lesson notebooks the keys are expanded at authoring time (``spinecourse.authoring.citations``)
into author-year links to the lesson's reference list, ``<a href="#ref-KEY">Katz and Harris 2008</a>``,
and each reference carries the target ``<a id="ref-KEY"></a>``. The key stays in the link, so
``keys_in`` reads both the raw and the expanded form.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from importlib import resources

import yaml

from . import schema_check

#: One citation group ``[@a; @b]``; keys are lower-case letters, digits and underscores.
CITE_GROUP_RE = re.compile(r"\[(@[a-z0-9_]+(?:\s*;\s*@[a-z0-9_]+)*)\]")
KEY_RE = re.compile(r"@([a-z0-9_]+)")
#: One expanded citation: a link to the reference list, its text the entry's ``short`` label.
CITE_LINK_RE = re.compile(r'<a href="#ref-([a-z0-9_]+)">([^<]*)</a>')
#: The target of those links in a References section.
REF_TARGET_RE = re.compile(r'<a id="ref-([a-z0-9_]+)"></a>')
#: Either form of a citation (raw group or expanded link), for code that blanks citations out of prose.
ANY_CITATION_RE = re.compile(CITE_GROUP_RE.pattern + "|" + CITE_LINK_RE.pattern)


class UnknownReferenceError(KeyError, ValueError):
    """A citation key that is not in the bibliography.

    A ValueError (bad input, like the rest of the package's errors) that is still a KeyError,
    so code written against the earlier ``except KeyError`` keeps working.
    """

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return str(self.args[0]) if self.args else ""


FILE = "references.yml"


@lru_cache(maxsize=1)
def load() -> dict[str, dict]:
    text = resources.files("spinecourse.content").joinpath(f"data/{FILE}").read_text(encoding="utf-8")
    return schema_check.check(yaml.safe_load(text), "references", FILE)


def keys_in(text: str) -> list[str]:
    """Every cited key in a text, in order of appearance (duplicates kept): raw ``[@a; @b]`` groups
    and expanded ``<a href="#ref-KEY">…</a>`` links alike (reference-list targets are not citations)."""
    keys = []
    for m in ANY_CITATION_RE.finditer(text):
        keys += KEY_RE.findall(m.group(1)) if m.group(1) is not None else [m.group(2)]
    return keys


def citation_problems(owner: str, text: str, listed, field: str = "refs") -> list[str]:
    """Problems of one data entry whose ``text`` cites keys and which also ``listed`` its keys:
    unknown keys, and keys cited in the text but missing from the list (used by the data tables'
    ``validate`` functions)."""
    bib = load()
    cited = keys_in(text)
    problems = [f"{owner}: unknown reference key {key!r}" for key in dict.fromkeys([*cited, *listed]) if key not in bib]
    problems += [
        f"{owner}: cites {key!r} but does not list it in {field}" for key in dict.fromkeys(cited) if key not in listed
    ]
    return problems


def entry(key: str) -> dict:
    bib = load()
    if key not in bib:
        raise UnknownReferenceError(
            f"unknown reference key {key!r}: cite only keys in spinecourse/content/data/references.yml"
        )
    return bib[key]


def short(key: str) -> str:
    return entry(key)["short"]


def render_citations(text: str, link=short) -> str:
    """Replace each ``[@a; @b]`` with ``(A 2009; B 2010)``, each label written by ``link(key)``."""
    return CITE_GROUP_RE.sub(lambda m: "(" + "; ".join(link(k) for k in KEY_RE.findall(m.group(1))) + ")", text)


def render_html(text: str) -> str:
    """Plain text (with citations) as HTML: escaped, then citations rendered as author-year labels."""
    return render_citations(html.escape(text, quote=False))


def full(key: str) -> str:
    return _full(key, links=False)


def _full(key: str, links: bool) -> str:
    e = entry(key)
    parts = [p.strip() for p in (e.get("authors"), e.get("title"), e["source"]) if p]
    if links:
        parts = [_md_escape(p) for p in parts]
    # join with ". " unless a part already ends in punctuation ("…the name!")
    text = "".join(p + ("" if i == len(parts) - 1 else (" " if p[-1] in ".!?" else ". ")) for i, p in enumerate(parts))
    text += "" if text[-1] in ".!?" else "."
    # Identifiers in brackets, separated by "; ": a DOI then never runs into the next
    # character of a file (a newline in notebook JSON), so DOI checks can read it exactly.
    ids = ([f"doi:{e['doi']}"] if e.get("doi") else []) + ([f"PMID {e['pmid']}"] if e.get("pmid") else [])
    if links:  # Markdown links (every DOI in the bibliography is free of brackets and parentheses)
        ids = ([f"[doi:{e['doi']}](https://doi.org/{e['doi']})"] if e.get("doi") else []) + (
            [f"[PMID {e['pmid']}](https://pubmed.ncbi.nlm.nih.gov/{e['pmid']}/)"] if e.get("pmid") else []
        )
    if ids:
        text += f" ({'; '.join(ids)})"
    if e["status"] == "verified-secondary":
        text += " (facts seen in a secondary source)"
    return text


def _md_escape(text: str) -> str:
    """Characters that Markdown (CommonMark, MyST, JupyterLab) would read as markup, escaped."""
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)


def cite_link(key: str) -> str:
    """One expanded citation: the entry's author-year label linked to its place in the reference list."""
    return f'<a href="#ref-{key}">{html.escape(short(key), quote=False)}</a>'


def markdown_link(key: str) -> str:
    """One citation as a Markdown link to the site's references page, which defines ``ref-<key>`` targets."""
    return f"[{short(key)}](#ref-{key})"


def reference_item(key: str) -> str:
    """One line of a lesson's References list: the link target, then the full reference with DOI/PMID links."""
    return f'- <a id="ref-{key}"></a>{_full(key, links=True)}'


def markdown_list(keys: list[str]) -> str:
    """Markdown for a notebook's References section, one line per key, in the given order."""
    return "\n".join(f"- `{k}`: {full(k)}" for k in dict.fromkeys(keys))
