"""The site's appendix pages (site/pages/*.md), generated from content data: up to date, one H1, no raw
citations, captioned tables, valid MyST (a Sphinx build with warnings as errors), a paraphrased source article."""

import difflib
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from spinecourse.authoring import pages

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = Path("/work/shared/source-article.md")


def test_committed_pages_are_up_to_date():
    assert pages.stale() == [], "run: python -m spinecourse.authoring.pages --write"


def test_check_mode_fails_on_an_edited_page(tmp_path):
    assert pages.main(["--write", "--dir", str(tmp_path)]) == 0
    assert pages.main(["--check", "--dir", str(tmp_path)]) == 0
    (tmp_path / "glossary.md").write_text("# Glossary\n\nhand-edited\n", encoding="utf-8")
    assert pages.main(["--check", "--dir", str(tmp_path)]) == 1


@pytest.mark.parametrize("name", sorted(pages.pages()))
def test_page_has_one_h1_no_raw_citation_and_captioned_tables(name):
    text = pages.pages()[name]
    outside_code = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    assert len(re.findall(r"^# ", outside_code, re.MULTILINE)) == 1
    assert "[@" not in text
    assert "not medical advice" in text
    for table in re.findall(r"```\{table\}([^\n]*)\n(.*?)```", text, re.DOTALL):
        caption, body = table
        assert caption.strip(), "a table needs a caption"
        assert re.match(r"\|[^\n]+\|\n\|(-+\|)+", body), "a table needs a header row"
    # every table in a page is inside a captioned {table} directive
    assert len(re.findall(r"^\|(-+\|)+$", text, re.MULTILINE)) == text.count("```{table}")


def test_evidence_status_page_has_a_row_per_status_with_source_links():
    from spinecourse.content import status

    text = pages.evidence_status_page()
    for s in status.load():
        assert f"| {s.as_of} |" in text and f"(#ref-{s.sources[0]})" in text


def test_what_changed_lists_each_finding_of_the_review_once():
    text = pages.what_changed_page()
    wanted = [
        "N-E1",
        *[f"N-M{i}" for i in range(1, 5)],
        *[f"N-O{i}" for i in range(1, 5)],
        *[f"N-m{i}" for i in range(1, 11)],
    ]
    found = re.findall(r"^- \*\*(N-[A-Za-z]\d+)\*\*", text, re.MULTILINE)
    assert found == wanted


def _sentences(text):
    return [s for s in re.split(r"(?<=[.!?:])\s+|\n+", text) if len(s.split()) >= 8]


@pytest.mark.skipif(
    not ARTICLE.exists(), reason="the shared source article is beside the repository on authors' machines"
)
def test_source_article_page_paraphrases_and_never_copies():
    article = ARTICLE.read_text(encoding="utf-8").split("---", 1)[1]
    ours = pages.source_article_page()
    art_words = re.findall(r"[a-z']+", article.lower())
    art_grams = {tuple(art_words[i : i + 7]) for i in range(len(art_words) - 6)}
    our_words = re.findall(r"[a-z']+", ours.lower())
    copied = [
        " ".join(our_words[i : i + 7]) for i in range(len(our_words) - 6) if tuple(our_words[i : i + 7]) in art_grams
    ]
    assert copied == [], copied
    # every pair of sentences: one matcher per article sentence (SequenceMatcher indexes its second sequence),
    # and quick_ratio(), an upper bound of ratio(), settles most pairs without the full comparison
    matcher = difflib.SequenceMatcher(None)
    mine_all = _sentences(ours)
    for theirs in _sentences(article):
        matcher.set_seq2(theirs.lower())
        for mine in mine_all:
            matcher.set_seq1(mine.lower())
            if matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6:
                ratio = matcher.ratio()
                assert ratio < 0.6, (mine, theirs, ratio)


def test_pages_are_valid_myst_in_a_sphinx_build(tmp_path):
    spec = importlib.util.spec_from_file_location("site_build", ROOT / "site" / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    src = tmp_path / "src"
    (src / "pages").mkdir(parents=True)
    assert pages.main(["--write", "--dir", str(src / "pages")]) == 0
    (src / "references.md").write_text(build.references_page(), encoding="utf-8")
    # the Korean pages (site/pages/ko/) too: the same MyST must build
    names = "\n".join(f"pages/{lang}{Path(n).stem}" for lang in ("", "ko/") for n in sorted(pages.pages()))
    (src / "index.md").write_text(f"# Home\n\n```{{toctree}}\n{names}\nreferences\n```\n", encoding="utf-8")
    (src / "conf.py").write_text(
        'extensions = ["myst_parser"]\nmyst_enable_extensions = ["html_image"]\n'
        'myst_heading_anchors = 3\nroot_doc = "index"\n',
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q", str(src), str(tmp_path / "html")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    html = (tmp_path / "html" / "pages" / "evidence-status.html").read_text(encoding="utf-8")
    assert "<caption" in html and "<th" in html and 'href="../references.html#ref-' in html
    html = (tmp_path / "html" / "pages" / "ko" / "evidence-status.html").read_text(encoding="utf-8")
    assert "<caption" in html and "<th" in html and 'href="../../references.html#ref-' in html
