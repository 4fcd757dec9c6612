"""The course site in a real browser (Chromium), served from 127.0.0.1.

- Self-contained: every request a page makes is intercepted; any request to another host fails
  the test (a closed hospital network must be able to read the site).
- axe-core (WCAG 2.1 A/AA): zero violations in each page's main content.
- A phone-sized viewport (390 px): no page scrolls sideways.

Each page is loaded once per width for all the browser checks (sitepage.py, conftest.py); the search pages
here, in the same desktop tab.
"""

from __future__ import annotations

import axecheck
import sitepage
from sitepage import open_page

AXE_COUNTS: dict[str, int] = {}
MAIN = sitepage.MAIN


def pages(site):
    """Both editions' pages (ko/ is the Korean edition), the search pages included."""
    return sorted(
        folder + p.name
        for folder in sitepage.EDITIONS.values()
        for p in (site / folder).glob("*.html")
        if p.name != "genindex.html"
    )


SEARCH_TERM = {"search.html": "stenosis", "ko/search.html": "협착증"}  # a word each edition's index holds


def test_pages_load_nothing_from_outside_and_pass_axe(site, site_url, desktop_visits, desktop_tab):
    problems = []
    for name in pages(site):
        if name in desktop_visits:  # loaded once at 1366 px for every browser check (sitepage.py)
            violations, outside = desktop_visits[name]["axe"], desktop_visits[name]["outside"]
        else:  # the search page works offline too: query the local index
            page = desktop_tab.visit(f"{site_url}/{name}?q={SEARCH_TERM[name]}")
            sitepage.search_finished(page)
            assert page.locator("#search-results li").count() >= 1, f"{name}: nothing found for {SEARCH_TERM[name]}"
            violations, outside = axecheck.run_axe(page, MAIN), desktop_tab.outside
        AXE_COUNTS[name] = axecheck.count(violations)
        if violations:
            problems.append(
                f"{name}: axe-core finds {axecheck.count(violations)} violation(s):\n" + axecheck.report(violations)
            )
        if outside:
            problems.append(f"{name}: requests outside the site: {sorted(set(outside))[:5]}")
    assert not problems, "\n".join(problems)


def test_interception_catches_an_outside_request(chromium, site, site_url, desktop_tab):
    """The detector itself: a page that asks for a remote script is caught (nothing leaves: aborted), in a new
    context and in the shared tab, on every visit (an aborted or failed request is never served from the
    cache); the tab lists the failed one too."""
    (site / "zz_remote_probe.html").write_text(
        '<!doctype html><html lang="en"><title>probe</title><script src="https://cdn.example.org/x.js"></script>'
        '<img src="zz_missing.png" alt="probe"></html>'
    )
    try:
        outside: list[str] = []
        context, _page = open_page(chromium, f"{site_url}/zz_remote_probe.html", outside)
        context.close()
        assert outside == ["https://cdn.example.org/x.js"]
        seen = []
        for name in ("zz_remote_probe.html", "about.html", "zz_remote_probe.html"):
            desktop_tab.visit(f"{site_url}/{name}")
            failed = [f.removeprefix(f"404 {site_url}/") for f in desktop_tab.failed if not f.endswith("/favicon.ico")]
            seen.append((desktop_tab.outside, failed))
        probe = (["https://cdn.example.org/x.js"], ["zz_missing.png"])
        assert seen == [probe, ([], []), probe], seen
    finally:
        (site / "zz_remote_probe.html").unlink()


def test_axe_catches_a_violation_on_a_site_page(chromium, site, site_url):
    """The detector itself: an image without alt text in <main> is reported."""
    (site / "zz_axe_probe.html").write_text(
        '<!doctype html><html lang="en"><title>probe</title><main><img src="_static/spinecourse.css"></main></html>'
    )
    try:
        outside: list[str] = []
        context, page = open_page(chromium, f"{site_url}/zz_axe_probe.html", outside)
        try:
            assert "image-alt" in {v["id"] for v in axecheck.run_axe(page, MAIN)}
        finally:
            context.close()
    finally:
        (site / "zz_axe_probe.html").unlink()


def test_phone_viewport_has_no_horizontal_scrolling(phone_visits):
    problems = []
    for name, visit in phone_visits.items():
        sizes = visit["sizes"]
        if sizes["scroll"] > sizes["view"]:
            problems.append(f"{name}: the page scrolls sideways on a phone: {sizes}")
        if visit["wide"]:
            problems.append(f"{name}: text or figures wider than a phone screen: {visit['wide'][:5]}")
        if visit["outside"]:
            problems.append(f"{name}: requests outside the site: {visit['outside'][:5]}")
    assert phone_visits["01_stenosis_anatomy.html"]["images"] >= 1
    assert not problems, "\n".join(problems)
