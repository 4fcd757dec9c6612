"""Learners' notebooks made safe to look at: no markup that runs code in the instructor's browser.

A submission is rendered by the formgrader (nbconvert's ``formgrade`` template, inside the instructor's
logged-in Jupyter session), as feedback HTML, and in JupyterLab. Anything a learner wrote that becomes
HTML there (a written answer's ``<img onerror=…>``, ``<script>``, a ``javascript:`` link, an SVG, or
HTML/JavaScript output printed by their code) would run with the instructor's rights.

:func:`sanitize_notebook` is applied at autograde time (so ``autograded/`` holds nothing executable) and
again when feedback is made; :class:`SanitizeLearnerContent` is its nbconvert preprocessor.

* Markdown and raw cells the learner could edit (every cell but nbgrader's locked ones, whose source
  nbgrader has restored from the gradebook): HTML in the source is cleaned by ``nh3`` (Ammonia) to a few
  attribute-free formatting tags; a cell from which nh3 removed anything, whose text could make a
  ``javascript:``/``data:``/``vbscript:``/``file:`` link, or whose rendered HTML is not plain, is shown
  as plain text (a fenced block) with a note, so the instructor still reads every word.
* Outputs of every code cell (learner code produced them): only ``text/plain``, ``image/png`` and
  ``image/jpeg`` (strict base64) are kept; HTML, JavaScript, SVG, Markdown, LaTeX and widget views are
  replaced by a note. Output metadata keeps numeric image sizes only.
* Cell ids, execution counts, cell and notebook metadata are reduced to valid, plain values (nbconvert's
  templates place some of them in HTML attributes); widget state is dropped; attachments keep PNG/JPEG.

"""

from __future__ import annotations

import base64
import binascii
import html
import html.parser
import re
import unicodedata

import nh3
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from .cells import is_instructor_cell as restored_by_nbgrader
from .safe_text import terminal_safe

SAFE_MIME = ("text/plain", "image/png", "image/jpeg")
#: Tags a learner may use in Markdown; no attributes at all (no href, src, style, on…).
MARKDOWN_TAGS = {
    "b",
    "i",
    "em",
    "strong",
    "sub",
    "sup",
    "br",
    "code",
    "pre",
    "p",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "del",
    "s",
    "u",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "blockquote",
    "kbd",
    "mark",
    "small",
}
#: Tags the Markdown renderer itself makes from plain Markdown (links and images among them).
RENDERED_TAGS = MARKDOWN_TAGS | {"a", "img", "div", "span", "input", "details", "summary"}
RENDERED_ATTRS = {
    "href",
    "src",
    "alt",
    "title",
    "id",
    "class",
    "align",
    "start",
    "type",
    "checked",
    "disabled",
    "colspan",
    "rowspan",
    "lang",
}
BAD_SCHEME = re.compile(r"(javascript|vbscript|livescript|data|file|blob|filesystem):")
SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
SAFE_WORD = re.compile(r"^[A-Za-z0-9_.+ -]{1,100}$")
PLAIN_VALUE = re.compile(r"^[^<>\"'&`\x00-\x1f\x7f]{1,100}$")
BASE64 = re.compile(r"^[A-Za-z0-9+/=\s]*$")
NOTE_TEXT = (
    "*(Shown as plain text: the grader removed markup from this answer that could run code "
    "when the notebook is opened.)*"
)


def _normalised(text: str) -> str:
    """Text as a browser would read a URL in it: entities decoded (repeatedly), escapes, spaces and controls gone."""
    for _ in range(5):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return "".join(ch for ch in text if not (ch.isspace() or ch == "\\" or unicodedata.category(ch)[0] == "C")).lower()


class _Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in RENDERED_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name not in RENDERED_ATTRS:
                self.problems.append(f"{tag}[{name}]")
            elif name in ("href", "src") and value and BAD_SCHEME.search(_normalised(value)):
                self.problems.append(f"{tag}[{name}]={value[:30]}")

    def handle_comment(self, data):
        self.problems.append("comment")

    def handle_decl(self, decl):
        self.problems.append("declaration")

    def handle_pi(self, data):
        self.problems.append("processing instruction")

    def unknown_decl(self, data):
        self.problems.append("declaration")


def rendered_problems(markdown: str, attachments: dict | None = None) -> list[str]:
    """What is not plain in the HTML nbconvert makes of ``markdown`` (the formgrader's and feedback's renderer).

    A cell nbconvert cannot render at all (e.g. a missing attachment) is a problem too: it would stop
    that learner's feedback and formgrader page.
    """
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    try:
        page = MarkdownWithMath(renderer=IPythonRenderer(escape=False, attachments=attachments or {})).render(markdown)
    except Exception as exc:  # any failure to render is reported, never raised
        return [f"cannot be rendered: {type(exc).__name__}"]
    parser = _Tags()
    parser.feed(page)
    parser.close()
    return parser.problems


def as_plain_text(source: str) -> str:
    """``source`` in a fenced block longer than any run of backticks in it: rendered as text only."""
    longest = max((len(m) for m in re.findall(r"`+", source)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{NOTE_TEXT}\n\n{fence}text\n{source}\n{fence}"


def safe_markdown(source: str, attachments: dict | None = None) -> tuple[str, bool]:
    """(source safe to render, whether it was changed); ``attachments``: the cell's (already made safe)."""
    if source.startswith(NOTE_TEXT):  # already made plain by an earlier pass (feedback after autograde)
        return source, False
    cleaned = nh3.clean(
        source,
        tags=MARKDOWN_TAGS,
        attributes={},
        url_schemes=set(),
        link_rel=None,
        strip_comments=True,
        clean_content_tags={"script", "style"},
    )
    # Anything nh3 removed (a tag, an attribute, a comment) means markup: show the learner's exact text instead,
    # so the marker sees what was written. Escaping a lone "<" or "&" is not a removal.
    if (
        html.unescape(cleaned) != source
        or BAD_SCHEME.search(_normalised(cleaned))
        or rendered_problems(cleaned, attachments)
    ):
        return as_plain_text(source), True
    return cleaned, cleaned != source


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _b64_ok(value) -> bool:
    text = _text(value)
    if not BASE64.match(text):
        return False
    try:
        base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def safe_output(output: dict) -> dict | None:
    """A copy of one output with only safe content, or None to drop it."""
    kind = output.get("output_type")
    if kind == "stream":
        name = output.get("name") if output.get("name") in ("stdout", "stderr") else "stdout"
        return {"output_type": "stream", "name": name, "text": _text(output.get("text", ""))}
    if kind == "error":
        tb = output.get("traceback", [])
        return {
            "output_type": "error",
            "ename": _text(output.get("ename", "Error")),
            "evalue": _text(output.get("evalue", "")),
            "traceback": [_text(t) for t in tb] if isinstance(tb, list) else [_text(tb)],
        }
    if kind not in ("display_data", "execute_result"):
        return None
    data = output.get("data", {}) if isinstance(output.get("data"), dict) else {}
    kept, removed = {}, []
    for mime, value in data.items():
        if mime == "text/plain":
            kept[mime] = _text(value)
        elif mime in ("image/png", "image/jpeg") and _b64_ok(value):
            kept[mime] = "".join(_text(value).split())
        else:
            removed.append(mime)
    if removed and "text/plain" not in kept:
        kept["text/plain"] = (
            "[output not shown: "
            + ", ".join(terminal_safe(m)[:60] for m in sorted(removed))
            + "; the grader keeps only text and PNG/JPEG images]"
        )
    if not kept:
        return None
    meta = {}
    for mime in ("image/png", "image/jpeg"):
        size = (output.get("metadata") or {}).get(mime)
        if mime in kept and isinstance(size, dict):
            dims = {
                k: v
                for k, v in size.items()
                if k in ("width", "height")
                and isinstance(v, (int, float))
                and not isinstance(v, bool)
                and 0 < v < 10000
            }
            if dims:
                meta[mime] = dims
    out = {"output_type": kind, "data": kept, "metadata": meta}
    if kind == "execute_result":
        count = output.get("execution_count")
        out["execution_count"] = count if isinstance(count, int) and not isinstance(count, bool) else None
    return out


def is_instructor_cell(cell) -> bool:
    """A locked cell nbgrader knows by grade_id: its source was restored from the gradebook (not a learner's)."""
    return restored_by_nbgrader(cell)


def _safe_cell_metadata(cell) -> dict:
    meta = cell.get("metadata") or {}
    out = {}
    nbg = meta.get("nbgrader")
    if isinstance(nbg, dict) and (not nbg.get("grade_id") or SAFE_WORD.match(str(nbg.get("grade_id")))):
        out["nbgrader"] = nbg
    tags = meta.get("tags")
    if isinstance(tags, list):
        out["tags"] = [t for t in tags if isinstance(t, str) and SAFE_WORD.match(t)]
    return out


def sanitize_notebook(nb) -> list[str]:
    """Make ``nb`` safe to render, in place; returns what was changed (one short line per kind)."""
    import nbformat

    changes: set[str] = set()
    keep = {k: nb.metadata[k] for k in ("kernelspec", "language_info") if isinstance(nb.metadata.get(k), dict)}
    for key in keep:  # plain strings and numbers only (nbconvert puts some into HTML attributes)
        keep[key] = {
            k: v
            for k, v in keep[key].items()
            if (isinstance(v, str) and PLAIN_VALUE.match(v)) or (isinstance(v, int) and not isinstance(v, bool))
        }
    if set(nb.metadata) - set(keep):
        changes.add("notebook metadata reduced")
    nb.metadata = nbformat.from_dict(keep)
    seen: set[str] = set()
    for index, cell in enumerate(nb.cells):
        cid = cell.get("id")
        if cid is not None and (not isinstance(cid, str) or not SAFE_ID.match(cid) or cid in seen):
            cell["id"] = f"safe-{index}"
            changes.add("cell ids renewed")
        if cell.get("id"):
            seen.add(cell["id"])
        new_meta = _safe_cell_metadata(cell)
        if new_meta != dict(cell.get("metadata") or {}):
            cell["metadata"] = nbformat.from_dict(new_meta)
        source = _text(cell.get("source", ""))
        if cell.get("cell_type") == "code":
            count = cell.get("execution_count")
            if count is not None and (not isinstance(count, int) or isinstance(count, bool)):
                cell["execution_count"] = None
            outputs = []
            for output in cell.get("outputs", []):
                safe = safe_output(output if isinstance(output, dict) else {})
                if safe is None or safe != output:
                    changes.add("outputs reduced to text and PNG/JPEG images")
                if safe is not None:
                    outputs.append(nbformat.from_dict(safe))
            cell["outputs"] = outputs
            cell["source"] = source
            continue
        attachments = cell.pop("attachments", None)
        if isinstance(attachments, dict):
            safe_att = {
                name: {
                    m: "".join(_text(v).split())
                    for m, v in data.items()
                    if m in ("image/png", "image/jpeg") and _b64_ok(v)
                }
                for name, data in attachments.items()
                if isinstance(name, str) and SAFE_WORD.match(name) and isinstance(data, dict)
            }
            safe_att = {k: v for k, v in safe_att.items() if v}
            if safe_att != attachments:
                changes.add("attachments reduced to PNG/JPEG")
            if safe_att:
                cell["attachments"] = nbformat.from_dict(safe_att)
        if cell.get("cell_type") not in ("markdown", "raw"):
            cell["cell_type"], cell["source"] = "markdown", as_plain_text(source)
            changes.add("unknown cell type shown as text")
        elif is_instructor_cell(cell):
            cell["source"] = source
        elif cell["cell_type"] == "raw":  # nbconvert copies raw cells into the HTML as they are
            cell["source"] = html.escape(source, quote=False)
            changes.add("raw cells escaped") if cell["source"] != source else None
        else:
            cell["source"], changed = safe_markdown(source, cell.get("attachments"))
            if changed:
                changes.add("markup removed from Markdown")
    return sorted(changes)


class SanitizeLearnerContent(Preprocessor):
    """nbconvert preprocessor round :func:`sanitize_notebook` (autograde, feedback, formgrader's exporter)."""

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        sanitize_notebook(nb)
        return nb, resources


#: Feedback is a file opened from disk (or from the hub): it runs nothing at all, loads nothing from
#: elsewhere, and cannot be framed or submit forms.
FEEDBACK_CSP = (
    "default-src 'none'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; "
    "img-src data:; style-src 'unsafe-inline'; font-src data:"
)


class FeedbackCSP(Preprocessor):
    """Puts a Content-Security-Policy ``<meta>`` at the top of the feedback page's ``<head>``.

    nbgrader's feedback template has no block for it; its ``<head>`` writes ``resources.inlining.css``
    as ``<style>`` elements before any script (the MathJax loader comes after), so the policy is
    closed into that list. Run it after ``CSSHTMLHeaderPreprocessor`` (which sets the list).
    """

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        inlining = resources.setdefault("inlining", {})
        css = list(inlining.get("css", []))
        meta = (
            f'</style>\n<meta http-equiv="Content-Security-Policy" content="{FEEDBACK_CSP}">\n<style type="text/css">'
        )
        inlining["css"] = [meta, *css]
        return nb, resources
