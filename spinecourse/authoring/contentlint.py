"""Content lint for course notebooks: the checks a reviewer would otherwise do by eye.

``lint_notebook(nb, kind)`` returns a list of human-readable problems (empty = clean).
``kind`` is "lesson" (course/NN_*.ipynb, NN >= 01), "start" (00_start_here) or
"quiz" (nbgrader source notebooks). ``lint_question_bank(name)`` checks one self-check bank.

Dates: lessons and the start page show ``dating.review_line()`` near the top, and no notebook
or bank uses a dated fact (``dating.DATED_FACTS``) without its year in the same sentence.

Statuses (``content/data/evidence_status.yml``, ``content.status``): no notebook, bank or content
table states a status the data contradicts, and ``lint_evidence_status`` fails on a status checked
more than 12 months before the content review date.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from ..authoring import a11y
from ..content import dating, questions, references, schema_check, status, texts

TIME_RE = re.compile(r"(time|⏱)[^\n]{0,40}?\b\d+\s*(min|minutes)\b", re.IGNORECASE)
DIRECT_PLOT_RE = re.compile(r"\bplt\.(subplots|figure|plot|show|bar|hist|scatter)\b")
#: The review line must be in one of the first cells, where a reader sees it before the content.
REVIEW_LINE_CELLS = 2


def _markdown(nb) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def lint_notebook(nb, kind: str = "lesson") -> list[str]:
    problems: list[str] = []
    md = "\n\n".join(_markdown(nb))
    code = "\n\n".join(c.source for c in nb.cells if c.cell_type == "code")
    heads = a11y.headings(nb)
    titles = [t.lower() for _, t in heads]

    if not any(all(part in text.lower() for part in texts.DISCLAIMER_PARTS) for text in _markdown(nb)):
        problems.append(
            "no disclaimer: a markdown cell must say it is "
            + " and ".join(map(repr, texts.DISCLAIMER_PARTS))
            + " (content.texts.DISCLAIMER)"
        )
    if kind == "lesson":
        for wanted in ("objectives", "summary", "references"):
            if not any(wanted in t for t in titles):
                problems.append(f"no '{wanted}' heading")
        if not TIME_RE.search(md):
            problems.append("no time estimate (e.g. '**Time:** 40 minutes')")

    # how current the content is: the same review line, near the top, in every lesson
    if kind in ("lesson", "start"):
        top = [c.source for c in nb.cells[:REVIEW_LINE_CELLS] if c.cell_type == "markdown"]
        if not any(dating.review_line() in t for t in top):
            problems.append(
                f"the first {REVIEW_LINE_CELLS} cells do not show the review line "
                f"{dating.review_line()!r} (dates live in spinecourse/content/dating.py)"
            )
    problems += dating.dated_fact_problems(md)
    problems += status.contradiction_problems(md)

    # accessibility: heading levels never skip, every image has alt text (shared with spinecourse.authoring.a11y)
    problems += a11y.heading_problems(nb) + a11y.image_alt_problems(nb)

    # citations
    bib = references.load()
    cited = references.keys_in(md) + references.keys_in(code)
    for key in dict.fromkeys(cited):
        if key not in bib:
            problems.append(f"unknown reference key [@{key}]")
    if kind == "lesson":
        ref_cells = [
            c.source
            for c in nb.cells
            if c.cell_type == "markdown" and re.search(r"^#+\s*references", c.source, re.IGNORECASE | re.MULTILINE)
        ]
        ref_text = "\n".join(ref_cells)
        listed = set(re.findall(r"`([a-z0-9_]+)`", ref_text)) | set(references.REF_TARGET_RE.findall(ref_text))
        for key in dict.fromkeys(cited):
            if key in bib and key not in listed:  # "- `key`: …" or, expanded, "- <a id="ref-key"></a>…"
                problems.append(f"[@{key}] is cited but not listed in the References section")

    # figures drawn in the notebook itself must come with a text description
    for cell in nb.cells:
        if cell.cell_type == "code" and DIRECT_PLOT_RE.search(cell.source) and "Figure description" not in cell.source:
            problems.append(
                "a code cell draws with plt.* but gives no 'Figure description'; "
                "use a package figure helper that prints one"
            )
    return problems


def lint_question_bank(name: str) -> list[str]:
    """Dated facts in a self-check bank: prompts, option texts and explanations."""
    problems = []
    for qid, q in questions.load_bank(name).items():
        texts = [q.prompt] + [t for o in q.options for t in (o.text, o.explanation)] + [q.explanation]
        problems += dating.dated_fact_problems("\n\n".join(texts), f"{name}/{qid}")
        problems += status.contradiction_problems("\n\n".join(texts), f"{name}/{qid}")
    return problems


def lint_data_file(path: Path) -> list[str]:
    """Dated facts in a content table (``spinecourse/content/data/*.yml``): every string, each its own paragraph."""
    import yaml

    texts: list[str] = []

    def walk(value) -> None:
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if Path(path).name == status.FILENAME:  # its patterns are not prose: lint the items and statuses only
        return dating.dated_fact_problems(status.prose_of_data_file(data), Path(path).name)
    walk(data)
    text = "\n\n".join(texts)
    return dating.dated_fact_problems(text, Path(path).name) + status.contradiction_problems(text, Path(path).name)


def lint_evidence_status(path: Path | None = None, reviewed: str | None = None) -> list[str]:
    """The evidence-status data: schema, source keys, and no status older than 12 months at the
    content review date (``dating.CONTENT_REVIEWED`` unless ``reviewed`` is given)."""
    import yaml

    path = Path(path) if path else Path(status.__file__).parent / "data" / status.FILENAME
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    problems = schema_check.problems(data, "evidence_status", path.name)
    if problems:
        return problems
    return status.stale_problems(reviewed or dating.CONTENT_REVIEWED, status.parse(data, path.name))


def kind_of(path: Path) -> str:
    if path.parent.name == "course":
        return "start" if path.name.startswith("00_") else "lesson"
    return "quiz"


def lint_path(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    return [f"{path.name}: {p}" for p in lint_notebook(nb, kind_of(path))]


def outputs_present(nb) -> bool:
    """Committed notebooks stay small: no outputs, no execution counts, no saved widget state (JupyterLab
    saves it with the learner settings' ``saveState``, so an author's save would otherwise commit it)."""
    return bool(nb.metadata.get("widgets")) or any(
        c.cell_type == "code" and (c.outputs or c.execution_count) for c in nb.cells
    )
