"""The static course site (``make site``): what the build produced, read from the files.

Built once per session from scratch (tests/site/conftest.py). Browser checks (self-contained,
axe-core, phone viewport) are in test_site_browser.py.
"""

from __future__ import annotations

import html.parser
import re
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "site"))
import build  # noqa: E402  (site/build.py)

LESSONS = [p.name for p in build.lessons()]
DISCLAIMER = "not medical advice"


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.imgs, self.links, self.ids, self.details = [], [], set(), 0
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "img":
            self.imgs.append(a)
        if tag == "details":
            self.details += 1
        for attr in ("href", "src"):
            if a.get(attr) and tag in ("a", "link", "script", "img", "source", "iframe"):
                self.links.append((tag, a[attr]))

    def handle_data(self, data):
        self.text.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def content_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.glob("*.html") if p.name not in ("genindex.html", "search.html"))


def test_the_build_ran_without_network(site):
    import sitebuild

    assert sitebuild.BUILT_OFFLINE, ("could not build the site inside a network namespace (`unshare -n` needs root, "
                                    "or user namespaces for `unshare -U -r -n`): the offline build is not proved")


def test_every_lesson_has_a_page_and_the_start_page_is_home(site):
    expected = {build.page_name(n) + ".html" for n in LESSONS} | {"references.html"}
    assert expected <= {p.name for p in content_pages(site)}
    home = parse(site / "index.html")
    assert "Start here" in "".join(home.text) or "start" in "".join(home.text).lower()
    assert len(LESSONS) == 7, LESSONS


def test_every_page_carries_the_disclaimer(site):
    for path in content_pages(site):
        assert DISCLAIMER in " ".join(parse(path).text).lower(), f"{path.name}: no disclaimer"


def test_each_lesson_page_has_launch_links(site):
    for name in LESSONS:
        page = parse(site / (build.page_name(name) + ".html"))
        hrefs = [href for tag, href in page.links if tag == "a"]
        assert any("/v2/gh/" in h and name in unquote(h) for h in hrefs), f"{name}: no Binder link"
        assert any("/hub/user-redirect/git-pull?" in h and name in unquote(h) for h in hrefs), f"{name}: no hub link"


def test_launch_links_follow_the_configuration(monkeypatch):
    monkeypatch.setenv("SPINECOURSE_HUB_URL", "https://jupyter.hospital.example")
    config = build.launch_config()
    link = build.hub_link(config, "01_stenosis_anatomy.ipynb")
    assert link.startswith("https://jupyter.hospital.example/hub/user-redirect/git-pull?repo=")
    assert "urlpath=lab%2Ftree%2Fstem-cells-course%2F01_stenosis_anatomy.ipynb" in link


def test_every_image_has_alt_text_and_every_lesson_with_widgets_shows_figures(site):
    figures = {}
    for path in content_pages(site):
        page = parse(path)
        for img in page.imgs:
            assert (img.get("alt") or "").strip(), f"{path.name}: <img src={img.get('src', '')[:60]}> has no alt text"
            assert not re.fullmatch(r"\S+\.(png|svg|jpg)", img["alt"].strip()), f"{path.name}: alt is a file name"
        figures[path.name] = sum(i.get("src", "").startswith("data:image/png") for i in page.imgs)
    assert figures["01_stenosis_anatomy.html"] >= 1 and figures["04_evidence_hierarchy.html"] >= 1, figures


def test_widgets_show_their_static_copy_and_no_widget_javascript(site):
    text = (site / "01_stenosis_anatomy.html").read_text()
    assert "spinecourse-static" in text and "Figure description." in text and "Disc bulge (mm)" in text
    for path in content_pages(site):
        body = path.read_text()
        assert "application/vnd.jupyter.widget-view+json" not in body, f"{path.name}: a live widget view"
        assert "require.js" not in body and "html-manager" not in body, f"{path.name}: widget JavaScript"


def test_self_checks_are_readable_with_the_explanations_behind_show(site):
    for name in LESSONS:
        path = site / (build.page_name(name) + ".html")
        page = parse(path)
        text = path.read_text()
        assert page.details >= 1 and "Show the answer and explanation" in text, f"{name}: no self-check answers"


def test_references_page_lists_the_bibliography(site):
    from spinecourse.content import references

    text = " ".join(parse(site / "references.html").text)
    for key in references.load():
        assert references.short(key) in text, f"references page misses {key}"


def test_every_internal_link_and_asset_resolves(site):
    problems = []
    for path in sorted(site.glob("*.html")):  # the pages (_static/ holds the theme's template macros, not pages)
        page = parse(path)
        for tag, ref in page.links:
            parts = urlsplit(ref)
            if parts.scheme in ("http", "https", "mailto", "data", "javascript") or ref.startswith("//"):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.exists():
                problems.append(f"{path.name}: {tag} -> {ref} (missing)")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in parse(target).ids:
                problems.append(f"{path.name}: {tag} -> {ref} (no such anchor)")
    assert not problems, "\n".join(problems[:40])


def test_no_page_loads_anything_from_outside_in_its_markup(site):
    """Quick file check (the browser test intercepts real requests): no remote script, style, image, frame."""
    remote = re.compile(r"<(script|link|img|iframe|source)\b[^>]*\b(src|href)=\"(https?:)?//", re.I)
    for path in sorted(site.rglob("*.html")):
        found = remote.search(path.read_text())
        assert not found, f"{path.name}: {found.group(0)}"
