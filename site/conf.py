"""Sphinx configuration of the course site (Jupyter Book 1's engine: Sphinx + MyST-NB + sphinx-book-theme).

Used by site/build.py on the prepared sources in site/_build/src (executed notebooks, launch
links injected). Everything the pages load is in the build: no CDN scripts, fonts or trackers.
"""

project = "Stem Cells for Spinal Stenosis"
author = "Course authors"
copyright = "course content CC BY 4.0, code MIT"
language = "en"
root_doc = "index"
# sphinx-mathjax-offline: MathJax 3 from the PyPI package, copied into _static/mathjax and loaded from there
# (Sphinx's default would load it from a CDN, which a closed hospital network cannot reach).
extensions = ["myst_nb", "sphinx-mathjax-offline"]
mathjax_path = "mathjax/tex-chtml.js"
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
html_title = "Stem Cells for Spinal Stenosis"
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
    "announcement": (
        "<b>Educational material, not medical advice.</b> MSC therapy for spinal stenosis "
        "is investigational: promising, not proven. All patient cases are synthetic."
    ),
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "show_toc_level": 2,
    "navigation_with_keys": False,
}
