"""Opening site pages in Chromium, and one visit per page and width shared by the browser tests.

Each content page is loaded once at 1366 px (axe-core, the learner's-eye checks, figure text size, a
gallery screenshot) and once at 390 px (phone: sideways scrolling, tables, figure text, the navigation
toggles, a screenshot); the tests assert on what these visits recorded (conftest.py: ``desktop_visits``,
``phone_visits``), so the 2-core budget pays for each page load only once.
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


def open_page(
    chromium,
    url: str,
    outside: list[str],
    failed: list[str] | None = None,
    wait_until: str = "networkidle",
    **context_args,
):
    """A new context and page at ``url``: requests to other hosts are aborted and listed in ``outside``;
    responses with an error status are listed in ``failed`` when given."""
    context = chromium.new_context(**context_args)
    page = context.new_page()
    if failed is not None:
        page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    def route(r):
        host = urlsplit(r.request.url).hostname
        if urlsplit(r.request.url).scheme in ("http", "https", "ws", "wss") and host not in (
            "127.0.0.1",
            "localhost",
            "::1",
        ):
            outside.append(r.request.url)
            r.abort()
        else:
            r.continue_()

    context.route("**/*", route)
    page.goto(url, wait_until=wait_until)
    return context, page


def settle(page) -> None:
    """MathJax has typeset the page and spinecourse.js has set up the tables."""
    page.evaluate("""async () => {
        if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
    }""")
    page.wait_for_function("() => document.documentElement.dataset.spinecourseTables === 'ready'", timeout=10_000)


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


def desktop_visit(chromium, site_url: str, name: str) -> dict:
    outside: list[str] = []
    failed: list[str] = []
    context, page = open_page(chromium, f"{site_url}/{name}", outside, failed, wait_until="load", **DESKTOP)
    try:
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
            "html": page.content(),
        }
        learnereye.screenshot(page, "site-1366", shot_name(name))
    finally:
        context.close()
    return {**record, "outside": outside, "failed": failed}


def phone_visit(chromium, site_url: str, name: str) -> dict:
    outside: list[str] = []
    failed: list[str] = []
    context, page = open_page(chromium, f"{site_url}/{name}", outside, failed, wait_until="load", **PHONE)
    try:
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
        learnereye.screenshot(page, "site-390", shot_name(name))
        record["navigation"] = open_navigation(page, "Toggle primary sidebar", "#pst-primary-sidebar-modal")
    finally:
        context.close()
    return {**record, "outside": outside, "failed": failed}


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
    links = page.locator(f"{dialog} a[href]")
    visible = [links.nth(i).get_attribute("href") for i in range(links.count()) if links.nth(i).is_visible()]
    page.keyboard.press("Escape")
    page.locator(f"{dialog}:not([open])").wait_for(state="attached", timeout=5_000)
    return visible
