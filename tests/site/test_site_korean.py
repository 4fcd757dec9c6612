"""The Korean edition of the course site (issue 21): site/_build/html/ko/, built with the English one.

The browser checks every other test file makes (axe-core WCAG 2.1 A/AA, nothing loaded from outside
127.0.0.1, the learner's-eye checks, phone width, MathJax) already cover the Korean pages: the shared
visits (conftest.py) load both editions. Here: what is particular to two editions (the page language, the
language switch on every page, the site's own words in Korean, the extra pages in Korean (an English-only
one marked as such), one MathJax copy) and Korean search in Chromium.
"""

from __future__ import annotations

import collections
import re
import sys
from pathlib import Path
from urllib.parse import quote

import sitepage
from sitepage import open_page
from test_site_build import parse

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "site"))
import build  # noqa: E402  (site/build.py)

KO = "ko/"
SWITCH = {"en": ("ko", "한국어", "ko/"), "ko": ("en", "English", "")}  # the other edition: lang, label, folder


def ko(text: str) -> str:
    """A site string in Korean, from the code-side catalogue; it must have a checked translation."""
    korean = build._site(text, "ko")
    assert korean != text, f"no Korean for the site string {text[:60]!r} in locales/ko/LC_MESSAGES/spinecourse.po"
    return korean


def lesson_pages() -> list[str]:
    return [build.page_name(p.name) + ".html" for p in build.lessons()]


def counterpart(name: str) -> str:
    return name.removeprefix(KO) if name.startswith(KO) else KO + name


def test_both_editions_have_the_same_pages_and_korean_pages_say_ko(site):
    english = {p.name for p in site.glob("*.html")}
    korean = {p.name for p in (site / "ko").glob("*.html")}
    assert english == korean and {"index.html", "search.html", "references.html"} <= korean, english ^ korean
    for name in sorted(korean):
        text = (site / "ko" / name).read_text(encoding="utf-8")
        assert re.search(r'<html[^>]*\blang="ko"', text), f'ko/{name}: not <html lang="ko">'
        assert "의학적 조언이 아닙니다" in text, f"ko/{name}: no Korean disclaimer"
    assert re.search(r'<html[^>]*\blang="en"', (site / "index.html").read_text()), "the English home lost lang=en"


def test_every_page_of_both_editions_links_to_its_counterpart(site, site_url, desktop_visits):
    """One visible link per page, named in the other language (lang) and saying where it leads
    (hreflang), to the same page in the other edition, which exists."""
    problems = []
    assert any(n.startswith(KO) for n in desktop_visits) and any(not n.startswith(KO) for n in desktop_visits)
    for name, visit in desktop_visits.items():
        lang = "ko" if name.startswith(KO) else "en"
        other, label, _folder = SWITCH[lang]
        switches = visit["switch"]
        if visit["lang"] != lang:
            problems.append(f"{name}: <html lang={visit['lang']!r}>, expected {lang!r}")
        if len(switches) != 1:
            problems.append(f"{name}: {len(switches)} language switches")
            continue
        s = switches[0]
        expected = f"{site_url}/{counterpart(name)}"
        if (s["href"], s["lang"], s["hreflang"], s["text"], s["visible"]) != (expected, other, other, label, True):
            problems.append(f"{name}: switch {s}, expected {expected} lang/hreflang={other} text={label!r} visible")
        if not (site / counterpart(name)).is_file():
            problems.append(f"{name}: its counterpart {counterpart(name)} does not exist")
    assert not problems, "\n".join(problems)


def test_the_switch_works_both_ways_in_the_browser(chromium, site, site_url):
    outside: list[str] = []
    context, page = open_page(chromium, f"{site_url}/01_stenosis_anatomy.html", outside, **sitepage.DESKTOP)
    try:
        page.get_by_role("link", name="한국어").click()
        page.wait_for_url(f"{site_url}/ko/01_stenosis_anatomy.html")
        assert page.evaluate("() => document.documentElement.lang") == "ko"
        page.get_by_role("link", name="English").click()
        page.wait_for_url(f"{site_url}/01_stenosis_anatomy.html")
        assert page.evaluate("() => document.documentElement.lang") == "en"
        # the search page too: the switch keeps the reader on the search page of the other edition
        page.goto(f"{site_url}/ko/search.html")
        page.get_by_role("link", name="English").click()
        page.wait_for_url(f"{site_url}/search.html")
    finally:
        context.close()
    assert not outside


def test_the_site_s_own_words_are_korean_on_korean_pages(site):
    launch = ko(build.LAUNCH_TEXT).split("{where}")[0]
    static_notes = (ko(build.STATIC_SELF_CHECK).split("{how}")[0], ko(build.STATIC_FIGURE).split("{how}")[0])
    english = ("Launch interactive:", "Static copy:", "Reading this on the course site?", "press <strong>Check")
    for name in lesson_pages():
        text = (site / "ko" / name).read_text(encoding="utf-8")
        assert launch in text, f"ko/{name}: no Korean launch block"
        for phrase in english:
            assert phrase not in text, f"ko/{name}: the site's English {phrase!r}"
        # the Korean lessons' own kernel-only instruction ("**확인**을 누르세요") is reworded as in English
        assert not re.search(r"<strong>확인</strong>[을를] 누르세요", text), f"ko/{name}: '확인을 누르세요' left"
        if "spinecourse-static-note" in text:
            assert any(n in text for n in static_notes), f"ko/{name}: a static-copy note not in Korean"
    home = (site / "ko" / "index.html").read_text(encoding="utf-8")
    assert ko(build.SITE_READER_NOTE).split("**")[1] in home, "no Korean reader note"
    assert "정답과 설명 보기" in home, "the start page's self-check did not run in Korean"
    refs = parse(site / "ko" / "references.html")
    assert ko(build.REFERENCES_TITLE) in " ".join(refs.text)


def test_extra_pages_are_korean_and_an_english_only_page_says_so(site):
    """The appendix pages are Korean (site/pages/ko/*.md, from pages.po): no lang="en" article, no 'not
    translated yet' note, the Korean H1. A page without a translation would be English, marked lang="en"."""
    note = ko(build.UNTRANSLATED_PAGE)
    for page in build.extra_pages():
        text = (site / "ko" / f"{page.stem}.html").read_text(encoding="utf-8")
        translated = build.translated_page(page, "ko")
        if translated is None:  # English only: said at the top and marked
            assert '<article class="bd-article" lang="en"' in text, f"ko/{page.stem}.html: not marked lang=en"
            assert note.split(":")[0] in text, f"ko/{page.stem}.html: no 'not translated yet' note"
            continue
        assert re.search(r'<html[^>]*\blang="ko"', text), f"ko/{page.stem}.html: not lang=ko"
        assert 'bd-article" lang="en"' not in text, f"ko/{page.stem}.html: a Korean page marked English"
        assert note.split(":")[0] not in text, f"ko/{page.stem}.html: says 'not translated' but is"
        title = re.search(r"^# (.+)$", translated.read_text(encoding="utf-8"), re.MULTILINE).group(1)
        assert f"{title}<" in text, f"ko/{page.stem}.html: no Korean title {title!r}"
    assert all(build.translated_page(p, "ko") for p in build.extra_pages() if p.suffix == ".md"), (
        "every Markdown appendix page has its Korean page"
    )
    for name in lesson_pages():  # a lesson is Korean (or partly): never marked English as a whole
        assert 'bd-article" lang="en"' not in (site / "ko" / name).read_text(encoding="utf-8")


def test_mathjax_is_served_once_for_both_editions(site):
    assert (site / "_static" / "mathjax" / "tex-chtml.js").is_file()
    assert not (site / "ko" / "_static" / "mathjax").exists(), "MathJax copied twice"
    text = (site / "ko" / "01_stenosis_anatomy.html").read_text(encoding="utf-8")
    src = re.search(r'<script[^>]*src="([^"]*tex-chtml\.js)"', text).group(1)
    assert (site / "ko" / src).resolve() == (site / "_static" / "mathjax" / "tex-chtml.js").resolve(), src


def _korean_words(site: Path) -> tuple[collections.Counter, set[str]]:
    words: collections.Counter = collections.Counter()
    pages: dict[str, set[str]] = {}
    for name in sitepage.content_pages(site):
        if name.startswith(KO):
            found = re.findall(r"\w+", " ".join(parse(site / name).text))
            words.update(found)
            pages[name] = set(found)
    return words, pages


def search(tab, site_url: str, term: str) -> list[str]:
    page = tab.visit(f"{site_url}/ko/search.html?q={quote(term)}")
    sitepage.search_finished(page)
    hrefs = page.evaluate("() => [...document.querySelectorAll('#search-results li a')].map(a => a.href)")
    assert not tab.outside, tab.outside
    return sorted({h.split("#")[0].split("?")[0].removeprefix(f"{site_url}/") for h in hrefs})


def test_korean_search_finds_a_word_with_particles_attached(desktop_tab, site, site_url):
    """Sphinx indexes whole words: without the course's SearchKorean a two-syllable noun that the pages only
    use with a particle (e.g. 근거는, 근거를) is not found. Chosen from the built pages: a Hangul stem that
    never stands alone, on the page where it appears most with a particle."""
    words, pages = _korean_words(site)
    particles = ("은", "는", "이", "가", "을", "를", "의", "에", "에서", "으로", "로", "과", "와")
    stems: collections.Counter = collections.Counter()
    for word, n in words.items():
        for p in particles:
            stem = word[: -len(p)]
            if word.endswith(p) and len(stem) == 2 and re.fullmatch(r"[가-힣]+", stem) and stem not in words:
                stems[stem] += n
    assert stems, "no Korean word with a particle on the Korean pages"
    stem = stems.most_common(1)[0][0]
    expected = {name for name, found in pages.items() if any(w.startswith(stem) for w in found)}
    results = search(desktop_tab, site_url, stem)
    assert set(results) & expected, f"searching {stem!r} found {results}; pages using it: {sorted(expected)}"
    assert all(r.startswith(KO) for r in results), f"a Korean search left the Korean edition: {results}"
    # and a lesson's subject: 협착증 (stenosis) finds the anatomy lesson
    assert "ko/01_stenosis_anatomy.html" in search(desktop_tab, site_url, "협착증")
