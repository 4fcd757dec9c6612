"""The site's appendix pages in Korean (issue 21): site/pages/ko/*.md are generated from the English data and
locales/ko/LC_MESSAGES/pages.po, are up to date, fully translated, and keep every number, date, key, id,
citation and URL of their English page."""

import re

import pytest

from spinecourse.authoring import pages, translation
from spinecourse.content import status

SOURCE = translation.Source("pages", translation.PAGES)
KEPT = ("number", "citation key", "trial id", "abbreviation or evidence label", "URL", "link or image target")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def korean():
    return pages.pages("ko")


def test_the_pages_source_resolves_to_one_catalogue_and_is_in_the_manifest():
    assert translation.resolve("pages") == [SOURCE]
    assert translation.po_path(SOURCE, "ko").relative_to(translation.ROOT).as_posix() == (
        "locales/ko/LC_MESSAGES/pages.po"
    )
    assert SOURCE in translation.manifest("ko")
    assert SOURCE in translation.all_sources()


def test_committed_korean_pages_equal_a_fresh_generation():
    assert pages.stale(lang="ko") == [], "run: python -m spinecourse.authoring.pages --write"


def test_every_unit_is_translated_not_fuzzy_and_passes_the_checks():
    st = translation.status(SOURCE, "ko")
    assert not st.catalogue_missing
    assert st.untranslated == [] and st.fuzzy == []
    assert len(st.translated) == len(pages.units()) > 100
    assert translation.check([SOURCE], "ko") == []


@pytest.mark.parametrize("name", sorted(pages.PAGE_FUNCTIONS))
def test_korean_page_keeps_every_number_date_key_id_and_url_of_the_english(name, korean):
    en, ko = pages.pages()[name], korean[name]
    ours, theirs = translation.tokens(en), translation.tokens(ko)
    for kind in KEPT:
        missing = set(ours[kind]) - set(theirs[kind])
        assert not missing, f"ko/{name}: {kind} missing: {sorted(missing)}"
    # ISO dates (as of), bold ids and terms (N-E1, **AD-MSC**) and reference anchors, literally
    for rx in (r"\d{4}-\d{2}-\d{2}", r"\*\*[^*]+\*\*", r"\(#ref-[\w-]+\)", r"https?://[^\s>)]+"):
        missing = set(re.findall(rx, en)) - set(re.findall(rx, ko))
        assert not missing, f"ko/{name}: missing {sorted(missing)}"
    # the same tables: as many rows, as many cells in each
    rows = lambda text: [r.count("|") - r.count("\\|") for r in text.splitlines() if r.startswith("|")]  # noqa: E731
    assert rows(ko) == rows(en)
    assert ko.count("```{table}") == en.count("```{table}")


@pytest.mark.parametrize("name", sorted(pages.PAGE_FUNCTIONS))
def test_korean_page_is_korean_with_the_same_structure(name, korean):
    en, ko = pages.pages()[name], korean[name]
    heads = lambda text: [h.split()[0] for h in re.findall(r"^#{1,6} .*$", text, re.MULTILINE)]  # noqa: E731
    assert heads(ko) == heads(en), "the same headings at the same levels"
    for heading in re.findall(r"^#{1,6} (.*)$", ko, re.MULTILINE):
        assert _HANGUL.search(heading), f"ko/{name}: heading {heading!r} not in Korean"
    assert "의학적 조언이 아닙니다" in ko, "the Korean disclaimer"
    # author-year citation labels are the bibliography's, unchanged
    assert re.findall(r"\[[^\]]+\]\(#ref-[\w-]+\)", ko) == re.findall(r"\[[^\]]+\]\(#ref-[\w-]+\)", en)


def test_korean_dates_are_the_english_dates_in_korean_order(korean):
    reviewed = status.human_date("2026-12-02")
    assert reviewed in pages.pages()["about.md"]
    assert pages._date("2026-12-02", pages._Catalogue("ko", pages.catalogue_path("ko"))) == "2026년 12월 2일"
    assert "2026년 12월 2일" in korean["about.md"] and reviewed not in korean["about.md"]


def test_a_fuzzy_or_missing_entry_shows_the_english(tmp_path):
    po = tmp_path / "pages.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        '#, fuzzy\nmsgid "Glossary"\nmsgstr "용어집"\n\nmsgid "Abbreviation"\nmsgstr "약어"\n',
        encoding="utf-8",
    )
    t = pages._Catalogue("ko", po)
    assert t("Glossary") == "Glossary"  # fuzzy: never an out-of-date translation
    assert t("Abbreviation") == "약어"
    assert t("Note") == "Note"  # missing: the English
    text = pages.glossary_page(t)
    assert text.splitlines()[2] == "# Glossary" and "| 약어 |" in text


def test_unknown_language_is_a_clear_error():
    with pytest.raises(ValueError, match="no site pages for language 'fr'"):
        pages.pages("fr")
