"""The course where learners use it: every lesson in JupyterLab, in a real browser (Chromium).

For each course/*.ipynb (served from a temporary copy): open it, Run All from the menu,
wait for the kernel to be idle, and check that no cell shows a traceback or a widget
render error, and that every slider and dropdown the kernel created rendered. Figure
widgets (slider + image + figure description) must respond to the keyboard and the mouse:
the PNG and the description change. The canal explorer (lesson 01) and, when lesson 04
exists, the trial simulator must be among them. axe-core (WCAG 2.1 A/AA rules) must find zero
violations inside the lesson's cells and outputs after Run All, and again in the outputs after the
sliders moved (a slider re-renders outputs only; figures carry their current alt text; slider handles
are named by the course's lab extension, spinecourse/widgets/labextension). A last test feeds
deliberately broken notebooks to the same detector and checks that it catches them. All of it runs in
one JupyterLab tab that opens lesson after lesson (conftest.LabTab), each in a fresh kernel.

Set-up: tools/install_browser.sh, tools/install_axe.sh and `pip install -e .[browser]`; see conftest.py.
"""

from __future__ import annotations

import contextlib
import importlib.util
import re
import sys
import time
from pathlib import Path

import axecheck
import labpage
import learnereye
import nbformat
import pytest

# Not `from conftest import ...`: several test folders have a conftest.py, and pytest keeps only the last
# one loaded as the module `conftest`; this folder's is loaded by path where a test needs it.
HERE = Path(__file__).resolve().parent
COURSE = HERE.parents[1] / "course"


def browser_conftest():
    spec = importlib.util.spec_from_file_location("browser_conftest", HERE / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["browser_conftest"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


LESSONS = sorted(p.name for p in COURSE.glob("*.ipynb"))
# Widgets the issue names explicitly: notebook -> a slider label that must be exercised.
REQUIRED_FIGURE_WIDGETS = {
    "01_stenosis_anatomy.ipynb": ["Disc bulge (mm)"],
    "04_evidence_hierarchy.ipynb": ["Patients per study"],  # the trial simulator
}
TIMINGS: dict[str, float] = {}
AXE_COUNTS: dict[str, int] = {}  # per lesson, after Run All and the slider moves (printed at the end)
EYE_COUNTS: dict[str, dict] = {}  # per lesson, what learner_eye counted (printed at the end)
# What axe checks: the course's content in every cell of the open notebook, i.e. rendered Markdown and
# every output (widgets included). JupyterLab's own chrome is not the course's to fix: its code
# editors (CodeMirror role=textbox without a name) and heading-collapse buttons (no text) fail
# aria-input-field-name / button-name in any notebook (reported upstream in the closing note).
_OPEN = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"
LESSON_CONTENT = [f"{_OPEN} .jp-MarkdownOutput", f"{_OPEN} .jp-OutputArea"]
# What moving a slider can change: outputs (rendered Markdown stays as axe saw it after Run All).
LESSON_OUTPUTS = [f"{_OPEN} .jp-OutputArea"]


def learner_eye(page, name: str) -> list[str]:
    """What the learner must never see (tests/browser/learnereye.py) in the rendered lesson after Run All:
    raw [@key], raw TeX, <Figure size>, widget errors, a figure description without its image, a
    broken image. Live widgets are not static copies, so an empty choice there is a control, not a defect."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    # JupyterLab typesets math asynchronously after the Markdown renders; still raw after 10 s: reported below
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(
            """() => ![...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownOutput')]
                      .some(e => /\\$\\$|\\\\frac|\\\\sqrt/.test(e.innerText))""",
            timeout=10_000,
            polling=100,  # innerText lays the page out: not on every frame
        )
    text = learnereye.visible_text(page, LESSON_CONTENT)
    problems = learnereye.text_problems(text, static_copies=False)
    problems += learnereye.figure_problems(page, LESSON_CONTENT, ".jp-OutputArea")
    EYE_COUNTS[name] = {
        "raw citation keys": learnereye.count(text, learnereye.RAW_CITATION),
        "raw TeX": learnereye.count(text, learnereye.RAW_TEX),
        "<Figure size": learnereye.count(text, learnereye.FIGURE_REPR),
    }
    fonts = learnereye.figure_fonts(page, LESSON_CONTENT)
    if fonts:
        EYE_COUNTS[name]["smallest figure text px"] = min(f["px"] for f in fonts)
    learnereye.lab_screenshot(page, name.removesuffix(".ipynb"))
    return problems


def axe_lesson(page, name: str, when: str, include: list[str] = LESSON_CONTENT) -> None:
    violations = axecheck.run_axe(page, include)
    AXE_COUNTS[name] = AXE_COUNTS.get(name, 0) + axecheck.count(violations)
    assert not violations, (
        f"{name}: axe-core finds {axecheck.count(violations)} WCAG 2.1 A/AA violation(s) "
        f"in the lesson {when}:\n" + axecheck.report(violations)
    )


def test_slider_name_extension_is_installed():
    """The axe check relies on it; a stale copy would test old code (make venv installs it)."""
    import sys

    from spinecourse.widgets import labextension

    assert labextension.is_installed(sys.prefix), (
        f"{labextension.target(sys.prefix)} is missing or stale: run `.venv/bin/python -m spinecourse.widgets.labextension`"
    )


def test_there_are_lessons():
    assert "00_start_here.ipynb" in LESSONS and "01_stenosis_anatomy.ipynb" in LESSONS


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_runs_and_widgets_work_in_jupyterlab(page, lab_server, name):
    start = time.perf_counter()
    labpage.add_probe(lab_server.root / name)
    labpage.open_notebook(page, lab_server, name)
    labpage.run_all(page)

    problems = labpage.output_errors(page)
    assert not problems, f"{name}: errors visible after Run All:\n" + "\n".join(problems)
    never_see = learner_eye(page, name)  # asserted last, so the widget checks below still run and report
    axe_lesson(page, name, "after Run All")

    # learner settings from jupyter-settings/overrides.json: the cell toolbar has no one-click delete
    toolbar = page.locator(".jp-NotebookPanel .jp-cell-toolbar").first
    assert toolbar.locator('[data-jp-item-name="duplicate-cell"]').count() == 1, "cell toolbar not shown"
    assert toolbar.locator('[data-jp-item-name="delete-cell"]').count() == 0, "delete button still in the cell toolbar"

    created = labpage.kernel_widgets(page)
    expected = {
        "slider": sum(m.endswith("SliderModel") and "Range" not in m for m in created),
        "dropdown": created.count("DropdownModel"),
    }
    rendered = labpage.rendered_counts(page)
    for kind, n in expected.items():
        assert rendered[kind] >= n, f"{name}: the kernel made {n} {kind}(s) but {rendered[kind]} rendered"

    figures = labpage.figure_widgets(page)
    exercised = []
    for widget in figures:
        label = widget.locator(".widget-slider .widget-label").first.inner_text().strip()
        labpage.move_by_keyboard(page, widget)
        labpage.move_by_mouse(page, widget)
        exercised.append(label)
    for label in REQUIRED_FIGURE_WIDGETS.get(name, []):
        assert label in exercised, f"{name}: no figure widget with a slider '{label}' (found {exercised})"
    if name in REQUIRED_FIGURE_WIDGETS:
        assert exercised, f"{name}: no figure widget (slider + image + 'Figure description') rendered"

    problems = labpage.output_errors(page)
    assert not problems, f"{name}: errors after moving sliders:\n" + "\n".join(problems)
    if exercised:
        for widget in figures:  # the alt text must follow the figure, not stay at its first value
            img = widget.locator("img").first
            alt = img.get_attribute("alt") or ""
            assert alt.strip(), f"{name}: a widget figure has no alt text after moving its slider"
            assert alt in widget.inner_text(), f"{name}: the figure's alt text is not its current description"
        axe_lesson(page, name, "after moving the sliders", LESSON_OUTPUTS)
    assert not [e for e in page.console_errors if "Error" in e and "widget" in e.lower()], page.console_errors
    TIMINGS[name] = (time.perf_counter() - start, exercised)
    assert not never_see, f"{name}: what a learner should never see, after Run All in JupyterLab:\n" + "\n".join(
        never_see
    )


# ---- the detector itself: broken notebooks must be caught ----

BROKEN_CELLS = {  # in run order; Run All stops at the raising cell, so it comes last
    # HTML output with a text box that has no label: axe-core must report it
    "unlabelled": 'from IPython.display import HTML\nHTML(\'<p>Dose: <input type="text" size="4"></p>\')',
    # a widget whose model the front end cannot load
    "unloadable": "import ipywidgets as w\nfrom traitlets import Unicode\n"
    "class Ghost(w.DOMWidget):\n"
    "    _model_name = Unicode('GhostModel').tag(sync=True)\n"
    "    _model_module = Unicode('no-such-widget-module').tag(sync=True)\n"
    "    _view_name = Unicode('GhostView').tag(sync=True)\n"
    "    _view_module = Unicode('no-such-widget-module').tag(sync=True)\n"
    "Ghost()",
    # renders fine, then the callback breaks: the figure stops following the slider
    "stale": "from spinecourse.widgets import CanalExplorer\n"
    "class Stale(CanalExplorer):\n"
    "    def update(self):\n"
    "        if hasattr(self, 'result'):\n"
    "            raise RuntimeError('deliberately broken callback')\n"
    "        return super().update()\n"
    "Stale()",
    # a traceback while the widget is built
    "raise": "from spinecourse.widgets import CanalExplorer\n"
    "class Raises(CanalExplorer):\n"
    "    def update(self):\n"
    "        raise RuntimeError('deliberately broken widget')\n"
    "Raises()",
}


def test_detector_catches_broken_widgets(page, lab_server):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    for key, source in BROKEN_CELLS.items():
        cell = nbformat.v4.new_code_cell(source)
        cell.id = f"broken-{key}"
        nb.cells.append(cell)
    nbformat.write(nb, lab_server.root / "zz_detector_selftest.ipynb")
    labpage.open_notebook(page, lab_server, "zz_detector_selftest.ipynb")
    labpage.run_all(page)
    page.wait_for_function(
        "() => /Click to show javascript error|Failed to load model class|Error displaying widget/"
        ".test(document.querySelector('.jp-NotebookPanel').innerText)",
        timeout=20_000,
        polling=100,
    )

    problems = "\n".join(labpage.output_errors(page))
    assert "deliberately broken widget" in problems and "RuntimeError" in problems, problems
    assert re.search("render error", problems), problems

    violations = axecheck.run_axe(page, LESSON_CONTENT)
    assert "label" in {v["id"] for v in violations}, f"axe-core missed a text box without a label: {violations}"

    stale = labpage.figure_widgets(page)
    assert len(stale) == 1, "the stale canal explorer should have rendered once"
    with pytest.raises(AssertionError, match="did not change"):
        labpage.move_by_keyboard(page, stale[0], timeout_s=3, max_presses=1)


def test_missing_browser_fails_with_the_setup_hint(monkeypatch, tmp_path):
    """No Chromium must FAIL the run (never skip), and say how to install it."""
    conftest = browser_conftest()
    monkeypatch.setattr(conftest, "CHROMIUM", tmp_path / "no-chromium")
    with pytest.raises(pytest.fail.Exception, match=r"tools/install_browser\.sh"):
        conftest.require_browser_tools()
