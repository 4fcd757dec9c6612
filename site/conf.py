"""Sphinx configuration of the course site (Jupyter Book 1's engine: Sphinx + MyST-NB + sphinx-book-theme).

Used by site/build.py on the prepared sources in site/_build/src (executed notebooks, launch
links injected). Everything the pages load is in the build: no CDN scripts, fonts or trackers.
"""

project = "Stem Cells for Spinal Stenosis"
author = "Course authors"
copyright = "course content CC BY 4.0, code MIT"
language = "en"
root_doc = "index"
extensions = ["myst_nb"]
exclude_patterns = ["_build", "**.ipynb_checkpoints", ".*"]

# The notebooks arrive executed (build.py runs each in a fresh kernel): never execute again here.
nb_execution_mode = "off"
# Widget views need the ipywidgets JavaScript from a CDN: show the static HTML copy that every
# course widget publishes next to its view instead, and load no widget script at all.
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None),
                              ("html", "application/vnd.jupyter.widget-state+json", None)]
nb_ipywidgets_js = {}
nb_output_stderr = "remove-warn"
myst_enable_extensions = ["html_image"]  # no dollarmath: "$" is money here, and MathJax would need a CDN
myst_heading_anchors = 3
suppress_warnings = ["mystnb.unknown_mime_type"]

html_theme = "sphinx_book_theme"
html_title = "Stem Cells for Spinal Stenosis"
html_static_path = ["static"]
templates_path = ["_templates"]  # theme-switcher.html: an accessible-name fix (see the file)
html_css_files = ["spinecourse.css"]
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {
    "announcement": ("<b>Educational material, not medical advice.</b> MSC therapy for spinal stenosis "
                     "is investigational: promising, not proven. All patient cases are synthetic."),
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "show_toc_level": 2,
    "navigation_with_keys": False,
}
