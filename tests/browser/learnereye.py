"""What a learner must never see, checked in the rendered page (Chromium): shared by the course site
(tests/site/test_site_learner_eye.py) and JupyterLab after Run All (tests/browser/test_lab_e2e.py).

- raw citation keys ``[@key]`` (they should read "Author Year" and link to the reference list);
- raw TeX (``\\frac``, ``\\sqrt``, ``$$``, ``\\(`` ...): math that no renderer typeset;
- ``<Figure size ...>``: a matplotlib figure that printed its repr instead of an image;
- "Error displaying widget" / "model not found";
- in a static copy of an exercise: an unset value (``Age: None``) or an empty choice (``choose…``);
- a "Figure description." without its image, a broken image.

Text is read from the rendered DOM (what is on screen), leaving out code (``pre``, ``code``), and the
typeset math itself (MathJax's own elements hold no TeX source).
Screenshots go to the gallery (``tests/_output/gallery``, git-ignored), with an index.html.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GALLERY = ROOT / "tests" / "_output" / "gallery"

RAW_CITATION = re.compile(r"\[@[A-Za-z0-9_:-]+")
RAW_TEX = re.compile(
    r"\\(?:frac|dfrac|sqrt|times|cdot|text|mathrm|left|right|alpha|beta|sigma|Delta|mu|qquad|quad|"
    r"lceil|rceil|le|ge|leq|geq|pm|sum|begin|end)\b|\$\$|\\\(|\\\)|\\\[|\\\]"
)
FIGURE_REPR = re.compile(r"<Figure size \d")
WIDGET_ERRORS = re.compile(r"Error displaying widget|model not found", re.I)
UNSET_VALUE = re.compile(r":\s*None\b(?!\s*:)")  # "Age: None"; the answer option "None: ..." is fine
EMPTY_CHOICE = re.compile(r"choose(?:…|\.\.\.)", re.I)

# Visible text of the elements matching the selectors, without code and typeset math, one string.
_TEXT_JS = """(selectors) => {
  const skip = 'pre, code, script, style, mjx-container, mjx-assistive-mml, .MathJax, .CodeMirror, .cm-editor';
  const roots = selectors.flatMap(s => [...document.querySelectorAll(s)]);
  const parts = [];
  for (const root of roots) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest(skip)) continue;
      parts.push(n.data);
    }
  }
  return parts.join(' ');
}"""

# Each "Figure description." must share its output (or static copy) with a loaded image; every image loads.
_FIGURES_JS = """([roots, containers]) => {
  const problems = [];
  for (const root of roots.flatMap(s => [...document.querySelectorAll(s)])) {
    for (const img of root.querySelectorAll('img')) {
      if (!img.complete || img.naturalWidth === 0)
        problems.push('broken image: ' + (img.getAttribute('alt') || img.getAttribute('src') || '').slice(0, 80));
    }
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!/Figure description\\./.test(n.data) || !n.parentElement || n.parentElement.closest('pre, code')) continue;
      const box = n.parentElement.closest(containers);
      const scope = box || (n.parentElement.closest('p, div, figure') || n.parentElement).parentElement;
      const ok = [...scope.querySelectorAll('img')].some(i => i.complete && i.naturalWidth > 0);
      if (!ok) problems.push('figure description without its image: ' +
                             n.parentElement.closest('p, div, figure, li').textContent.trim().slice(0, 100));
    }
  }
  return problems;
}"""

# The smallest figure text on screen, in CSS px: the figure's own smallest font at its natural size
# (data-min-font-px, written by spinecourse.widgets.base.img_tag) scaled by displayed / natural width.
# Without the attribute: matplotlib's default 10 pt tick labels at 100 dpi (13.9 px per natural pixel).
_FONTS_JS = """(roots) => roots.flatMap(s => [...document.querySelectorAll(s + ' img')])
  .filter(i => i.naturalWidth > 0 && i.getBoundingClientRect().width > 0 && /^data:image\\/png/.test(i.src))
  .map(i => {
    const shown = i.getBoundingClientRect().width;
    const font = parseFloat(i.dataset.minFontPx || 'NaN');
    const natural = parseFloat(i.getAttribute('width') || 'NaN');
    const measured = !isNaN(font) && !isNaN(natural) && natural > 0;
    const px = measured ? font * shown / natural : 10 * 100 / 72 * shown / i.naturalWidth;
    return {px: Math.round(px * 10) / 10, measured, alt: (i.alt || '').slice(0, 60)};
  })"""


def visible_text(page, selectors: list[str]) -> str:
    return page.evaluate(_TEXT_JS, selectors)


def text_problems(text: str, static_copies: bool) -> list[str]:
    """What the learner should never read; ``static_copies``: the page holds static copies of exercises."""
    checks = [
        ("raw citation key", RAW_CITATION),
        ("raw TeX", RAW_TEX),
        ("matplotlib repr", FIGURE_REPR),
        ("widget error", WIDGET_ERRORS),
    ]
    if static_copies:
        checks += [("unset value in a static copy", UNSET_VALUE), ("empty choice in a static copy", EMPTY_CHOICE)]
    problems = []
    for what, pattern in checks:
        hits = [m for m in pattern.finditer(text)]
        if hits:
            samples = "; ".join(repr(text[max(0, m.start() - 40) : m.end() + 30].replace("\n", " ")) for m in hits[:3])
            problems.append(f"{len(hits)} {what}(s), e.g. {samples}")
    return problems


def count(text: str, pattern: re.Pattern) -> int:
    return len(pattern.findall(text))


def figure_problems(page, roots: list[str], containers: str) -> list[str]:
    return page.evaluate(_FIGURES_JS, [roots, containers])


def figure_fonts(page, roots: list[str]) -> list[dict]:
    return page.evaluate(_FONTS_JS, roots)


def lab_screenshot(page, name: str) -> Path:
    """The open notebook as the learner first sees it after Run All: the window (1400 x 1000 px), scrolled to
    the top. A review aid only (every check reads the DOM); the whole lesson, widgets' static copies included,
    is in the site gallery. Growing the window to the notebook's height (up to 15,000 px) made JupyterLab lay
    out and paint every cell again, 1-8 s per lesson."""
    page.evaluate("""() => document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer,'
                            + ' .jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook').forEach(e => { e.scrollTop = 0; })""")
    return screenshot(page, "jupyterlab", name, full_page=False)


def screenshot(page, section: str, name: str, full_page: bool = True) -> Path:
    """A JPEG of the page in the gallery (tests/_output/gallery/SECTION/NAME.jpg); refreshes index.html."""
    folder = GALLERY / section
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.jpg"
    page.screenshot(path=str(path), full_page=full_page, type="jpeg", quality=70)
    write_index()
    return path


def write_index() -> Path:
    """One page that shows every screenshot, grouped by section, so a reviewer sees the course at once."""
    parts = [
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Course gallery</title>',
        "<style>body{font-family:sans-serif;margin:1em}figure{display:inline-block;vertical-align:top;"
        "margin:0 1em 1em 0}img{max-width:320px;max-height:480px;object-fit:cover;object-position:top;"
        "border:1px solid #999}</style></head><body><h1>What the learner sees</h1>",
        "<p>Screenshots written by tests/site (the course site at 1366 and 390 px) and tests/browser "
        "(JupyterLab after Run All). Open an image for the whole page.</p>",
    ]
    for section in sorted(p for p in GALLERY.iterdir() if p.is_dir()):
        parts.append(f"<h2>{html.escape(section.name)}</h2>")
        for shot in sorted(section.glob("*.jpg")):
            rel = f"{section.name}/{shot.name}"
            parts.append(
                f'<figure><a href="{html.escape(rel)}"><img src="{html.escape(rel)}" loading="lazy" '
                f'alt="{html.escape(shot.stem)}"></a><figcaption>{html.escape(shot.stem)}</figcaption></figure>'
            )
    parts.append("</body></html>")
    index = GALLERY / "index.html"
    index.write_text("\n".join(parts), encoding="utf-8")
    return index
