"""Citations a learner can read: `[@key]` expanded at authoring time into author-year links to the
lesson's reference list (spinecourse.authoring.citations), from the bibliography as the one source.

The command is tried on temporary copies of the lessons, never on course/ itself."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from spinecourse.authoring import citations, contentlint
from spinecourse.content import references

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "course").glob("*.ipynb"))
RAW_GROUP = references.CITE_GROUP_RE


def _md(nb) -> str:
    return "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_a_group_becomes_linked_author_year_text_in_its_brackets():
    text = "Crossover was heavy [@sport2008; @delitto2015], see also [@katz2008]."
    out = citations.expand_text(text)
    assert out == (
        'Crossover was heavy (<a href="#ref-sport2008">' + references.short("sport2008") + "</a>; "
        '<a href="#ref-delitto2015">' + references.short("delitto2015") + "</a>), see also "
        '(<a href="#ref-katz2008">Katz and Harris 2008</a>).'
    )
    assert citations.expand_text(out) == out  # idempotent
    assert references.keys_in(out) == references.keys_in(text) == ["sport2008", "delitto2015", "katz2008"]


def test_stale_link_text_is_refreshed_from_the_bibliography_and_reported():
    report = citations.Report("x")
    out = citations.expand_text('as shown (<a href="#ref-katz2008">Katz 2007</a>)', report)
    assert out == 'as shown (<a href="#ref-katz2008">Katz and Harris 2008</a>)'
    assert report.stale and "Katz 2007" in report.stale[0] and not report.unexpanded


def test_code_is_left_alone_and_unknown_keys_are_refused():
    text = "Write `[@katz2008]` in Markdown.\n\n```\n[@suri2010]\n```\n"
    assert citations.expand_text(text) == text
    with pytest.raises(citations.CitationError, match="unknown reference key 'nobody2099'"):
        citations.expand_text("see [@nobody2099]")


def test_keys_in_reads_raw_and_expanded_forms_but_not_list_targets():
    text = (
        'a [@suri2010] b (<a href="#ref-katz2008">Katz and Harris 2008</a>)\n'
        '- <a id="ref-verbiest1954"></a>Verbiest H. …'
    )
    assert references.keys_in(text) == ["suri2010", "katz2008"]


def test_references_section_keeps_prose_notes_and_listed_keys():
    section = [
        "## References",
        "",
        "Sources cited in the text and in the widgets.",
        "",
        "- `suri2010`: old text",
        "  - Note: a secondary source, kept.",
        "- `verbiest1954`: old text",
        "",
        "Closing remark.",
    ]
    out = citations.rebuild_section(section, ["katz2008", "suri2010"])
    assert out[0] == "## References" and "Sources cited in the text and in the widgets." in out
    assert out[-1] == "Closing remark."
    keys = [citations._item_key(line) for line in out if citations._item_key(line)]
    assert keys == ["suri2010", "verbiest1954", "katz2008"]  # listed first (widgets cite them too), then new
    assert out[out.index(references.reference_item("suri2010")) + 1] == "  - Note: a secondary source, kept."
    assert citations.rebuild_section(out, ["katz2008", "suri2010"]) == out


def test_reference_items_link_doi_and_pmid():
    key = next(k for k, e in references.load().items() if e.get("doi") and e.get("pmid"))
    e = references.entry(key)
    item = references.reference_item(key)
    assert item.startswith(f'- <a id="ref-{key}"></a>')
    assert f"[doi:{e['doi']}](https://doi.org/{e['doi']})" in item
    assert f"[PMID {e['pmid']}](https://pubmed.ncbi.nlm.nih.gov/{e['pmid']}/)" in item


@pytest.fixture(scope="module")
def lesson_copies(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("lessons")
    for path in LESSONS:
        shutil.copy(path, folder / path.name)
    return folder


def _command(*args: str) -> subprocess.CompletedProcess:
    """The command as an author types it (a new Python process)."""
    return subprocess.run(
        [sys.executable, "-m", "spinecourse.authoring.citations", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _run(*args: str) -> subprocess.CompletedProcess:
    """The command's main() in this process (what ``python -m`` calls; _command shows that route works):
    saves a Python start per call."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = citations.main(list(args))
    return subprocess.CompletedProcess(["citations", *args], code, out.getvalue(), err.getvalue())


def test_cli_expands_every_lesson_idempotently_and_check_passes_after(lesson_copies):
    before = {p.name: nbformat.read(p, as_version=4) for p in sorted(lesson_copies.glob("*.ipynb"))}
    files = [str(p) for p in sorted(lesson_copies.glob("*.ipynb"))]
    first = _run(*files)
    assert first.returncode == 0, first.stderr
    after = {p.name: p.read_bytes() for p in sorted(lesson_copies.glob("*.ipynb"))}
    again = _run(*files)
    assert again.returncode == 0 and again.stdout == ""
    assert after == {p.name: p.read_bytes() for p in sorted(lesson_copies.glob("*.ipynb"))}  # idempotent
    check = _command("--check", *files)
    assert check.returncode == 0, check.stdout
    for name, old in before.items():
        new = nbformat.read(lesson_copies / name, as_version=4)
        md = _md(new)
        assert not RAW_GROUP.search(md), f"{name}: raw citation left"
        assert references.keys_in(_md(old)) == references.keys_in(md), f"{name}: a citation was lost or added"
        for key in references.keys_in(md):
            assert f'<a id="ref-{key}"></a>' in md, f"{name}: {key} cited but has no reference target"
        for key, label in references.CITE_LINK_RE.findall(md):
            assert label == references.short(key).replace("&", "&amp;")
        assert [c.source for c in old.cells if c.cell_type == "code"] == [
            c.source for c in new.cells if c.cell_type == "code"
        ]
        # the content lint reads the expanded form as it read the raw one
        assert contentlint.lint_notebook(new, contentlint.kind_of(ROOT / "course" / name)) == contentlint.lint_notebook(
            old, contentlint.kind_of(ROOT / "course" / name)
        )


def test_cli_check_lists_unexpanded_and_stale_citations(lesson_copies, tmp_path):
    source = sorted(lesson_copies.glob("01_*.ipynb"))[0]
    _run(str(source))
    nb = nbformat.read(source, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "markdown" and 'href="#ref-' in c.source)
    key = references.CITE_LINK_RE.search(cell.source).group(1)
    cell.source = references.CITE_LINK_RE.sub(
        lambda m: f'<a href="#ref-{m.group(1)}">Someone 1999</a>', cell.source, count=1
    )
    cell.source += "\n\nA new fact [@suri2010]."
    broken = tmp_path / source.name
    nbformat.write(nb, broken)
    written = broken.read_bytes()
    check = _run("--check", str(broken))
    assert check.returncode == 1
    assert "unexpanded citation" in check.stdout and "[@suri2010]" in check.stdout
    assert "stale citation" in check.stdout and "Someone 1999" in check.stdout and key in check.stdout
    assert broken.read_bytes() == written  # --check changes nothing
    fixed = _run(str(broken))
    assert fixed.returncode == 0 and _run("--check", str(broken)).returncode == 0


def test_cli_refuses_unknown_keys_and_non_notebooks(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("A fact [@nobody2099].")])
    path = tmp_path / "x.ipynb"
    nbformat.write(nb, path)
    result = _run(str(path))
    assert result.returncode == 2 and "nobody2099" in result.stderr
    assert _run(str(tmp_path / "missing.ipynb")).returncode == 2


def test_a_notebook_without_references_gets_a_section(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("A fact [@katz2008].")])
    report = citations.expand_notebook(nb)
    assert nb.cells[-1].source.startswith("## References") and 'id="ref-katz2008"' in nb.cells[-1].source
    assert report.references == ["References section added (none found)"]


def test_expanded_citations_survive_nbconvert_html(lesson_copies):
    """nbviewer and GitHub render notebooks through nbconvert: the links and their targets must stay."""
    from nbconvert import HTMLExporter

    path = sorted(lesson_copies.glob("01_*.ipynb"))[0]
    _run(str(path))
    body, _ = HTMLExporter(template_name="basic").from_notebook_node(nbformat.read(path, as_version=4))
    key = references.keys_in(_md(nbformat.read(path, as_version=4)))[0]
    assert re.search(rf'<a href="#ref-{key}">{re.escape(references.short(key))}</a>', body)
    assert f'id="ref-{key}"' in body and "[@" not in body
