"""Opening site pages in Chromium, and one visit per page and width shared by the browser tests.

Each content page is loaded once at 1366 px (axe-core, the learner's-eye checks, figure text size, the
typeset math, a gallery screenshot) and once at 390 px (phone: sideways scrolling, tables, figure text,
the navigation toggles, a screenshot); the tests assert on what these visits recorded (conftest.py:
``desktop_visits``, ``phone_visits``), so the 2-core budget pays for each page load only once. The visits of
one width share one browser tab (``Tab``: one context, one page, a warm cache), so a visit costs a
navigation, not a new context and renderer process.

The gallery (a review aid: every check reads the DOM) holds each English lesson whole at 1366 px (the
JupyterLab gallery shows only a lesson's first screen) and the first screen of every other page and of
every page at 390 px: a lesson is 13,000 to 43,000 px tall, and capturing the 26 pages whole at 1366 px
took about as long as axe-core on all of them (and as long again at 390 px).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import axecheck
import learnereye

MAIN = ["main"]  # sphinx-book-theme: <main id="main-content"> holds the article
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
FIGURE_CONTAINERS = ".cell_output, .spinecourse-static, figure"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
PLACEHOLDER_HOSTS = ("OWNER/REPO", "HUB.EXAMPLE.ORG")  # site/config.toml's unset values (build.PLACEHOLDERS)


def _route_to_loopback_only(route, outside: list[str]) -> None:
    """Requests to another host are aborted (nothing leaves the machine) and listed in ``outside``."""
    parts = urlsplit(route.request.url)
    if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOOPBACK:
        outside.append(route.request.url)
        route.abort()
    else:
        route.continue_()


def _record_failure(response, failed: list[str]) -> None:
    if response.status >= 400:
        failed.append(f"{response.status} {response.url}")


def open_page(
    chromium,
    url: str,
    outside: list[str],
    failed: list[str] | None = None,
    wait_until: str = "load",
    **context_args,
):
    """A new context and page at ``url``: requests to other hosts are aborted and listed in ``outside``;
    responses with an error status are listed in ``failed`` when given."""
    context = chromium.new_context(**context_args)
    page = context.new_page()
    if failed is not None:
        page.on("response", lambda r: _record_failure(r, failed))
    context.route("**/*", lambda r: _route_to_loopback_only(r, outside))
    page.goto(url, wait_until=wait_until)
    return context, page


class Tab:
    """One context and page kept for a series of visits at one width. Each ``visit`` starts new lists of
    the requests to other hosts (aborted, ``outside``) and the error responses (``failed``). A file the
    cache serves was requested, and answered 200, on an earlier visit; an aborted or failed request is
    not cached, so every page that makes one is caught."""

    def __init__(self, chromium, **context_args):
        self.outside: list[str] = []
        self.failed: list[str] = []
        self.context = chromium.new_context(**context_args)
        # the lists are looked up per request, so each visit collects its own
        self.context.route("**/*", lambda r: _route_to_loopback_only(r, self.outside))
        self.page = self.context.new_page()
        self.page.on("response", lambda r: _record_failure(r, self.failed))

    def visit(self, url: str):
        self.outside, self.failed = [], []
        self.page.goto(url, wait_until="load")
        return self.page

    def close(self) -> None:
        self.context.close()


def settle(page) -> None:
    """MathJax has typeset the page and spinecourse.js has set up the tables."""
    page.evaluate("""async () => {
        if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
    }""")
    page.wait_for_function("() => document.documentElement.dataset.spinecourseTables === 'ready'", timeout=10_000)


def search_finished(page) -> None:
    """Sphinx's search has listed every result: it writes its summary ("Search finished, found N page(s)",
    or its translation) only after the last one."""
    page.wait_for_function(
        "() => (document.querySelector('#search-results .search-summary') || {}).textContent?.trim()",
        timeout=15_000,
    )


EDITIONS = {"en": "", "ko": "ko/"}  # each edition's folder in the site (site/build.py: English at the root)


def content_pages(site: Path) -> list[str]:
    """Both editions' content pages, as paths from the site's root ("01_x.html", "ko/01_x.html")."""
    return sorted(
        folder + p.name
        for folder in EDITIONS.values()
        for p in (site / folder).glob("*.html")
        if p.name not in ("genindex.html", "search.html")
    )


def shot_name(name: str) -> str:
    return name.removesuffix(".html").replace("/", "-")  # ko/01_x.html -> ko-01_x.jpg in the gallery


def clear_gallery(section: str) -> None:
    """A section of the gallery holds this run's pages only (no page left over from an earlier build)."""
    for old in (learnereye.GALLERY / section).glob("*.jpg"):
        old.unlink()


# The typeset math: how many formulas, how many MathJax rendered, and where MathJax came from.
_MATH_JS = """() => { const m = [...document.querySelectorAll('main .math')];
    return {math: m.length, typeset: m.filter(e => e.querySelector('mjx-container')).length,
            loaded: performance.getEntriesByType('resource').map(e => e.name).filter(u => /mathjax/i.test(u))}; }"""


def desktop_visit(tab: Tab, site_url: str, name: str, whole_page: bool = False) -> dict:
    """``whole_page``: the gallery screenshot is the whole page, not its first screen."""
    page = tab.visit(f"{site_url}/{name}")
    settle(page)
    record = {
        "axe": axecheck.run_axe(page, MAIN),
        "text": learnereye.visible_text(page, MAIN),
        "figures": learnereye.figure_problems(page, MAIN, FIGURE_CONTAINERS),
        "fonts": learnereye.figure_fonts(page, MAIN),
        "hrefs": page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)"),
        "lang": page.evaluate("() => document.documentElement.lang"),
        # the language switch(es): where each leads, and how it is labelled for assistive technology
        "switch": page.evaluate("""() => [...document.querySelectorAll('a.spinecourse-lang-switch')].map(a => ({
            href: a.href, lang: a.getAttribute('lang'), hreflang: a.getAttribute('hreflang'),
            text: a.textContent.trim(), visible: a.offsetParent !== null}))"""),
        "math": page.evaluate(_MATH_JS),
        # how often each placeholder occurs in the rendered page's HTML (counted in the page: the HTML of
        # a lesson, its figures inline, is megabytes)
        "placeholders": page.evaluate(
            "(ps) => { const h = document.documentElement.outerHTML; return ps.map(p => h.split(p).length - 1); }",
            list(PLACEHOLDER_HOSTS),
        ),
    }
    learnereye.screenshot(page, "site-1366", shot_name(name), full_page=whole_page)
    return {**record, "outside": tab.outside, "failed": tab.failed}


def phone_visit(tab: Tab, site_url: str, name: str) -> dict:
    page = tab.visit(f"{site_url}/{name}")
    settle(page)
    record = {
        "sizes": page.evaluate("() => ({scroll: document.documentElement.scrollWidth, view: window.innerWidth})"),
        # Data tables and code may scroll inside their own box (WCAG 1.4.10 exempts two-dimensional layout).
        "wide": page.evaluate("""() => [...document.querySelectorAll(
                                'main article p, main article li, main article h1, main article h2, main article img')]
                              .filter(e => e.offsetParent !== null && !e.closest('table, pre'))
                              .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                              .map(e => e.tagName + ': ' + (e.textContent || e.alt || '').slice(0, 60))"""),
        "images": page.locator("main img[alt]").count(),
        "fonts": learnereye.figure_fonts(page, MAIN),
        "tables": table_state(page),
    }
    learnereye.screenshot(page, "site-390", shot_name(name), full_page=False)
    record["navigation"] = open_navigation(page, "Toggle primary sidebar", "#pst-primary-sidebar-modal")
    return {**record, "outside": tab.outside, "failed": tab.failed}


def table_state(page) -> list[dict]:
    return page.evaluate("""() => [...document.querySelectorAll('main table')].map(t => {
        const box = t.closest('.spinecourse-table-scroll');
        const cue = box && box.previousElementSibling;
        return {boxed: !!box, wide: !!box && box.scrollWidth > box.clientWidth + 1,
                tabindex: box && box.getAttribute('tabindex'), role: box && box.getAttribute('role'),
                label: box && box.getAttribute('aria-label'),
                cue: !!cue && cue.classList.contains('spinecourse-scroll-cue') && !cue.hidden
                     && cue.getBoundingClientRect().height > 0,
                head: t.textContent.trim().slice(0, 40)};
      })""")


def table_problems(tables: list[dict]) -> list[str]:
    """A table wider than the phone scrolls inside a labelled, focusable box with a visible cue."""
    problems = []
    for t in tables:
        if not t["boxed"]:
            problems.append(f"table not in a scroll box: {t['head']}")
        elif t["wide"] and not (
            t["tabindex"] == "0" and t["role"] == "region" and (t["label"] or "").strip() and t["cue"]
        ):
            problems.append(f"wide table without a focusable, labelled box and a visible cue at 390 px: {t}")
    return problems


def open_navigation(page, toggle: str, dialog: str) -> list[str]:
    """Tap a sidebar toggle; return the links that became visible in its dialog (then close it)."""
    page.get_by_role("button", name=toggle).tap()
    page.locator(f"{dialog}[open]").wait_for(timeout=5_000)
    # visible as Playwright's is_visible() means it (a box of non-zero size, not visibility:hidden), in one call
    visible = page.locator(f"{dialog} a[href]").evaluate_all("""links => links.filter(a => {
        const r = a.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && getComputedStyle(a).visibility !== 'hidden';
      }).map(a => a.getAttribute('href'))""")
    page.keyboard.press("Escape")
    page.locator(f"{dialog}:not([open])").wait_for(state="attached", timeout=5_000)
    return visible
