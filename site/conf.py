"""Sphinx configuration of the course site (Jupyter Book 1's engine: Sphinx + MyST-NB + sphinx-book-theme).

Used by site/build.py on the prepared sources in site/_build/src (executed notebooks, launch
links injected), and for the Korean edition on site/_build/src-ko with SPINECOURSE_SITE_LANG=ko (and
``-D language=ko``), published in the English site's ko/ folder. Everything the pages load is in the build:
no CDN scripts, fonts or trackers.
"""

import os

import sphinx.search

from spinecourse.content.i18n import CODE_DOMAIN, N_, translate

SITE_LANG = os.environ.get("SPINECOURSE_SITE_LANG", "en")


def _(text: str) -> str:
    """The site's own words in this edition's language (the code-side catalogue; English if unchecked)."""
    return text if SITE_LANG == "en" else translate(CODE_DOMAIN, text, SITE_LANG)


project = _(N_("Stem Cells for Spinal Stenosis"))
author = "Course authors"
copyright = "course content CC BY 4.0, code MIT"
language = SITE_LANG
root_doc = "index"
# sphinx-mathjax-offline: MathJax 3 from the PyPI package, copied into _static/mathjax and loaded from there
# (Sphinx's default would load it from a CDN, which a closed hospital network cannot reach). The Korean
# edition lives in the English site's ko/ folder and loads the same copy (Sphinx prefixes "_static/").
extensions = ["myst_nb"] + (["sphinx-mathjax-offline"] if SITE_LANG == "en" else [])
mathjax_path = "mathjax/tex-chtml.js" if SITE_LANG == "en" else "../../_static/mathjax/tex-chtml.js"
# Sphinx has no Korean search: the course's indexes each Hangul word with its prefixes, so a search for
# 협착증 finds 협착증은 and 협착증에서 (spinecourse/authoring/translation.py, SearchKorean).
sphinx.search.languages["ko"] = "spinecourse.authoring.translation.SearchKorean"
# The language switch on every page (site/_templates/language-switch.html): the same page in the other
# edition, named in its own language. English is the site's root; Korean is in ko/.
html_context = {
    "spinecourse_switch": (
        {"lang": "ko", "label": "한국어", "prefix": "ko/"}
        if SITE_LANG == "en"
        else {"lang": "en", "label": "English", "prefix": "../"}
    )
}
exclude_patterns = ["_build", "**.ipynb_checkpoints", ".*"]

# The notebooks arrive executed (build.py runs each in a fresh kernel): never execute again here.
nb_execution_mode = "off"
# Widget views need the ipywidgets JavaScript from a CDN: show the static HTML copy that every
# course widget publishes next to its view instead, and load no widget script at all.
nb_mime_priority_overrides = [
    ("html", "application/vnd.jupyter.widget-view+json", None),
    ("html", "application/vnd.jupyter.widget-state+json", None),
]
nb_ipywidgets_js = {}
nb_output_stderr = "remove-warn"
# Math: $...$, $$...$$ and amsmath environments. "$" that is money is escaped in the site's copies by
# build.protect_dollars before MyST reads them, so it never becomes math.
myst_enable_extensions = ["html_image", "dollarmath", "amsmath"]
myst_heading_anchors = 3
suppress_warnings = ["mystnb.unknown_mime_type"]

html_theme = "sphinx_book_theme"
html_title = project
html_static_path = ["static"]
# theme-switcher.html: an accessible-name fix; sections/header.html: the phone/tablet navigation fix
# (see each file)
templates_path = ["_templates"]
html_css_files = ["spinecourse.css"]
html_js_files = [("spinecourse.js", {"defer": "defer"})]  # wide tables: labelled, focusable, scroll cue
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {
    "announcement": _(
        N_(
            "<b>Educational material, not medical advice.</b> MSC therapy for spinal stenosis "
            "is investigational: promising, not proven. All patient cases are synthetic."
        )
    ),
    # the theme's buttons, then the language switch (visible at every width, in the article header)
    "article_header_end": ["article-header-buttons.html", "language-switch.html"],
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "show_toc_level": 2,
    "navigation_with_keys": False,
}
