"""The static course site (``make site``): what the build produced, read from the files.

Built once per session from scratch (tests/site/conftest.py). Browser checks (self-contained,
axe-core, phone viewport) are in test_site_browser.py.
"""

from __future__ import annotations

import html.parser
import re
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

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
        if tag == "a" and a.get("name"):  # <a name="ref-KEY">: the citation links' targets
            self.ids.add(a["name"])
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

    assert sitebuild.BUILT_OFFLINE, (
        "could not build the site inside a network namespace (`unshare -n` needs root, "
        "or user namespaces for `unshare -U -r -n`): the offline build is not proved"
    )


def test_every_lesson_has_a_page_and_the_start_page_is_home(site):
    expected = {build.page_name(n) + ".html" for n in LESSONS} | {"references.html"}
    assert expected <= {p.name for p in content_pages(site)}
    home = parse(site / "index.html")
    assert "Start here" in "".join(home.text) or "start" in "".join(home.text).lower()
    assert len(LESSONS) == 7, LESSONS


def test_every_page_carries_the_disclaimer(site):
    for path in content_pages(site):
        assert DISCLAIMER in " ".join(parse(path).text).lower(), f"{path.name}: no disclaimer"


def test_each_lesson_page_has_its_launch_block_and_hub_link(site):
    """The session's build configures the hub only (sitebuild.LAUNCH_ENV): its link on every lesson,
    no Binder link (placeholder); test_site_learner_eye checks the link's query in detail."""
    for name in LESSONS:
        path = site / (build.page_name(name) + ".html")
        page = parse(path)
        hrefs = [href for tag, href in page.links if tag == "a"]
        assert "spinecourse-launch" in path.read_text(), f"{name}: no launch block"
        assert any("/hub/user-redirect/git-pull?" in h and name in unquote(h) for h in hrefs), f"{name}: no hub link"
        assert not any("/v2/gh/" in h for h in hrefs), f"{name}: a Binder link to the placeholder repository"


def test_launch_links_follow_the_configuration(monkeypatch):
    monkeypatch.setenv("SPINECOURSE_HUB_URL", "https://jupyter.hospital.example")
    config = build.launch_config()
    link = build.hub_link(config, "01_stenosis_anatomy.ipynb")
    assert link.startswith("https://jupyter.hospital.example/hub/user-redirect/git-pull?repo=")
    assert "urlpath=lab%2Ftree%2Fstem-cells-course%2F01_stenosis_anatomy.ipynb" in link


CONFIGURED = {
    "spinecourse_repo_url": "https://github.com/course-org/spine-course",
    "spinecourse_branch": "HEAD",
    "spinecourse_binder_url": "https://mybinder.org",
    "spinecourse_hub_url": "https://hub.hospital.example",
    "spinecourse_hub_course_repo": "https://git.hospital.example/course.git",
    "spinecourse_hub_branch": "main",
    "spinecourse_hub_folder": "stem-cells-course",
}


def launch_hrefs(config) -> list[str]:
    page = Page()
    page.feed(build.launch_cell(config, "01_stenosis_anatomy.ipynb").source)  # HTML: attributes unescaped once
    return [href for tag, href in page.links if tag == "a"]


def test_launch_block_configured_has_both_links_escaped_once():
    available, notes = build.launch_targets(CONFIGURED)
    assert available == {"hub": True, "binder": True} and notes == []
    source = build.launch_cell(CONFIGURED, "01_stenosis_anatomy.ipynb").source
    assert "&amp;amp;" not in source and source.count("&amp;") == 3  # the hub query's three separators, once
    hub, binder = launch_hrefs(CONFIGURED)
    query = parse_qs(urlsplit(hub).query)
    assert query == {
        "repo": ["https://git.hospital.example/course.git"],
        "branch": ["main"],
        "targetpath": ["stem-cells-course"],
        "urlpath": ["lab/tree/stem-cells-course/01_stenosis_anatomy.ipynb"],
    }
    assert binder == (
        "https://mybinder.org/v2/gh/course-org/spine-course/HEAD?"
        "urlpath=lab%2Ftree%2Fcourse%2F01_stenosis_anatomy.ipynb"
    )


def test_launch_block_unconfigured_has_no_links_and_says_why(monkeypatch):
    for key in CONFIGURED:
        monkeypatch.delenv(key.upper(), raising=False)
    config = build.launch_config()  # site/config.toml as shipped: placeholders
    available, notes = build.launch_targets(config)
    assert available == {"hub": False, "binder": False}
    assert any("hub link left out" in n and "SPINECOURSE_HUB_URL" in n for n in notes), notes
    assert any("Binder link left out" in n and "SPINECOURSE_REPO_URL" in n for n in notes), notes
    assert launch_hrefs(config) == []
    assert "make lab" in build.launch_cell(config, "01_stenosis_anatomy.ipynb").source
    blank = {**CONFIGURED, "spinecourse_hub_url": " "}
    assert build.launch_targets(blank)[0] == {"hub": False, "binder": True}
    assert len(launch_hrefs(blank)) == 1


@pytest.mark.parametrize(
    "source, expected",
    [
        ("a US$10,000 package", r"a US\$10,000 package"),
        ("costs $5 and $10 a dose", r"costs \$5 and \$10 a dose"),
        ("from $10-$20", r"from \$10-\$20"),
        (
            r"where $\Delta$ is the difference and $z$ a quantile",
            r"where $\Delta$ is the difference and $z$ a quantile",
        ),
        (
            r"with $\sigma = 20$, power 80% ($z = 0.842$): $2 \times 2.802^2 = 62.8$, or $10",
            r"with $\sigma = 20$, power 80% ($z = 0.842$): $2 \times 2.802^2 = 62.8$, or \$10",
        ),
        (r"$$n = \frac{a}{b}$$ costs $3", r"$$n = \frac{a}{b}$$ costs \$3"),
        ("code `echo $HOME $PATH` stays", "code `echo $HOME $PATH` stays"),
        (r"already \$5", r"already \$5"),
    ],
)
def test_money_is_escaped_and_math_is_kept(source, expected):
    assert build.protect_dollars(source) == expected


def test_kernel_only_instructions_are_reworded_for_readers():
    text = build.reword("Answer each question and press **Check**: every option comes with an explanation.")
    assert "press **Check**" not in text and "Show the answer and explanation" in text


def test_extra_pages_come_sorted_after_the_lessons(tmp_path, monkeypatch):
    pages = tmp_path / "pages"
    pages.mkdir()
    for name in ("glossary.md", "about.md", "evidence_status.ipynb", "notes.txt", "draft.md~"):
        (pages / name).write_text("# x\n")
    monkeypatch.setattr(build, "SITE", tmp_path)
    assert [p.name for p in build.extra_pages()] == ["about.md", "evidence_status.ipynb", "glossary.md"]
    monkeypatch.setattr(build, "SITE", tmp_path / "none")
    assert build.extra_pages() == []


def test_extra_pages_are_in_the_navigation_in_order(site):
    """Every site/pages/*.md|ipynb is a page, listed after the lessons and references, by file name."""
    index = (site / "index.html").read_text()
    index = index[index.index('class="bd-links bd-docs-nav"') :]  # the site navigation (sidebar)
    order = [build.page_name(n) + ".html" for n in LESSONS if n != build.START] + ["references.html"]
    order += [p.stem + ".html" for p in build.extra_pages()]
    positions = [index.find(f'href="{name}"') for name in order]
    assert all(p >= 0 for p in positions), dict(zip(order, positions))
    assert positions == sorted(positions), dict(zip(order, positions))


def test_every_image_has_alt_text_and_every_lesson_with_widgets_shows_figures(site):
    figures = {}
    for path in [*content_pages(site), *content_pages(site / "ko")]:
        page = parse(path)
        for img in page.imgs:
            assert (img.get("alt") or "").strip(), f"{path.name}: <img src={img.get('src', '')[:60]}> has no alt text"
            assert not re.fullmatch(r"\S+\.(png|svg|jpg)", img["alt"].strip()), f"{path.name}: alt is a file name"
        figures[path.relative_to(site).as_posix()] = sum(
            i.get("src", "").startswith("data:image/png") for i in page.imgs
        )
    for folder in ("", "ko/"):
        assert figures[f"{folder}01_stenosis_anatomy.html"] >= 1 and figures[f"{folder}04_evidence_hierarchy.html"] >= 1


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
    ids: dict[Path, set[str]] = {}  # each page parsed once (the references page is linked hundreds of times)
    # the pages of both editions (_static/ holds the theme's template macros, not pages)
    for path in sorted([*site.glob("*.html"), *site.glob("ko/*.html")]):
        page = parse(path)
        ids[path.resolve()] = page.ids
        for tag, ref in page.links:
            parts = urlsplit(ref)
            if parts.scheme in ("http", "https", "mailto", "data", "javascript") or ref.startswith("//"):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.exists():
                problems.append(f"{path.relative_to(site)}: {tag} -> {ref} (missing)")
            elif parts.fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = parse(target).ids
                if parts.fragment not in ids[target]:
                    problems.append(f"{path.relative_to(site)}: {tag} -> {ref} (no such anchor)")
    assert not problems, "\n".join(problems[:40])


def test_no_page_loads_anything_from_outside_in_its_markup(site):
    """Quick file check (the browser test intercepts real requests): no remote script, style, image, frame."""
    remote = re.compile(r"<(script|link|img|iframe|source)\b[^>]*\b(src|href)=\"(https?:)?//", re.I)
    for path in sorted(site.rglob("*.html")):
        found = remote.search(path.read_text())
        assert not found, f"{path.name}: {found.group(0)}"
