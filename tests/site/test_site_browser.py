"""The course site in a real browser (Chromium), served from 127.0.0.1.

- Self-contained: every request a page makes is intercepted; any request to another host fails
  the test (a closed hospital network must be able to read the site).
- axe-core (WCAG 2.1 A/AA): zero violations in each page's main content.
- A phone-sized viewport: the page does not scroll sideways.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

import axecheck

AXE_COUNTS: dict[str, int] = {}
MAIN = ["main"]  # sphinx-book-theme: <main id="main-content"> holds the article


def pages(site):
    return sorted(p.name for p in site.glob("*.html") if p.name not in ("genindex.html",))


def open_page(chromium, url: str, outside: list[str], failed: list[str] | None = None, **context_args):
    """A new context and page at ``url``: requests to other hosts are aborted and listed in ``outside``;
    responses with an error status are listed in ``failed`` when given."""
    context = chromium.new_context(**context_args)
    page = context.new_page()
    if failed is not None:
        page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    def route(r):
        host = urlsplit(r.request.url).hostname
        if urlsplit(r.request.url).scheme in ("http", "https", "ws", "wss") and host not in ("127.0.0.1", "localhost", "::1"):
            outside.append(r.request.url)
            r.abort()
        else:
            r.continue_()

    context.route("**/*", route)
    page.goto(url, wait_until="networkidle")
    return context, page


def test_pages_load_nothing_from_outside_and_pass_axe(chromium, site, site_url):
    problems = []
    for name in pages(site):
        outside: list[str] = []
        context, page = open_page(chromium, f"{site_url}/{name}", outside, viewport={"width": 1280, "height": 900})
        try:
            if name == "search.html":  # the search page works offline too: query the local index
                page.goto(f"{site_url}/search.html?q=stenosis", wait_until="networkidle")
                page.locator("#search-results li").first.wait_for(timeout=10_000)
            violations = axecheck.run_axe(page, MAIN)
            AXE_COUNTS[name] = axecheck.count(violations)
            if violations:
                problems.append(f"{name}: axe-core finds {axecheck.count(violations)} violation(s):\n"
                                + axecheck.report(violations))
        finally:
            context.close()
        if outside:
            problems.append(f"{name}: requests outside the site: {sorted(set(outside))[:5]}")
    assert not problems, "\n".join(problems)


def test_interception_catches_an_outside_request(chromium, site, site_url, tmp_path):
    """The detector itself: a page that asks for a remote script is caught (nothing leaves: aborted)."""
    (site / "zz_remote_probe.html").write_text('<!doctype html><html lang="en"><title>probe</title>'
                                               '<script src="https://cdn.example.org/x.js"></script></html>')
    try:
        outside: list[str] = []
        context, _page = open_page(chromium, f"{site_url}/zz_remote_probe.html", outside)
        context.close()
        assert outside == ["https://cdn.example.org/x.js"]
    finally:
        (site / "zz_remote_probe.html").unlink()


def test_axe_catches_a_violation_on_a_site_page(chromium, site, site_url):
    """The detector itself: an image without alt text in <main> is reported."""
    (site / "zz_axe_probe.html").write_text('<!doctype html><html lang="en"><title>probe</title><main>'
                                            '<img src="_static/spinecourse.css"></main></html>')
    try:
        outside: list[str] = []
        context, page = open_page(chromium, f"{site_url}/zz_axe_probe.html", outside)
        try:
            assert "image-alt" in {v["id"] for v in axecheck.run_axe(page, MAIN)}
        finally:
            context.close()
    finally:
        (site / "zz_axe_probe.html").unlink()


def test_phone_viewport_has_no_horizontal_scrolling(chromium, site, site_url):
    outside: list[str] = []
    context, page = open_page(chromium, f"{site_url}/01_stenosis_anatomy.html", outside,
                              viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True,
                              has_touch=True)
    try:
        sizes = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, view: window.innerWidth})")
        assert sizes["scroll"] <= sizes["view"], f"the page scrolls sideways on a phone: {sizes}"
        # Data tables and code may scroll inside their own box (WCAG 1.4.10 exempts two-dimensional layout).
        wide = page.evaluate("""() => [...document.querySelectorAll(
                                    'main article p, main article li, main article h1, main article h2, main article img')]
                                  .filter(e => e.offsetParent !== null && !e.closest('table, pre'))
                                  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                                  .map(e => e.tagName + ': ' + (e.textContent || e.alt || '').slice(0, 60))""")
        assert not wide, f"text or figures wider than a phone screen: {wide[:5]}"
        assert page.locator("main img[alt]").count() >= 1
    finally:
        context.close()
    assert not outside
