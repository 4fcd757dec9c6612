"""Driving a notebook in JupyterLab like a learner: open, Run All, read outputs, move sliders.

Kept apart from the tests so the detector can be tested against deliberately broken notebooks.
"""

from __future__ import annotations

import json
import re
import time

import nbformat

IDLE_TEXT = "(ipykernel) | Idle"
STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
# JupyterLab gives widget outputs no data-mime-type attribute: find them by the rendered view.
WIDGET_OUTPUT = ".jp-OutputArea-output:has(.jupyter-widgets)"
RENDER_ERRORS = (
    "Error displaying widget",
    "Error rendering",
    "Failed to load model class",
    "Click to show javascript error",  # ipywidgets 8's placeholder for a view that failed
    "Could not create a model",
    "Model not found",
)
ERROR_LINE = re.compile(r"^\w*(Error|Exception)\b", re.MULTILINE)
# Appended to the served copy only: reports which widgets the kernel created, so the test
# can check that each of them rendered in the page.
PROBE_MARK = "E2E_WIDGET_PROBE"
PROBE_SOURCE = f"""# {PROBE_MARK}: added by tests/browser to the temporary copy, not part of the course
import json as _json
from ipywidgets.widgets.widget import _instances as _w
print("{PROBE_MARK}" + _json.dumps(sorted(w._model_name for w in list(_w.values()))))"""


def add_probe(path) -> None:
    nb = nbformat.read(path, as_version=4)
    cell = nbformat.v4.new_code_cell(PROBE_SOURCE)
    cell.id = "e2e-widget-probe"
    nb.cells.append(cell)
    nbformat.write(nb, path)


def open_notebook(page, server, name: str) -> None:
    """Open the notebook and wait until its own kernel is idle.

    The first time, the tab loads JupyterLab at the notebook's URL (``?reset``: an empty workspace); later
    the JupyterLab already loaded in the tab opens it (``docmanager:open``, what File → Open runs), which
    saves reloading the whole application for every lesson. ``close_notebooks`` leaves one notebook open."""
    if page.evaluate("() => Boolean(window.jupyterapp)"):
        close_notebooks(page)
        page.evaluate(
            "async (path) => { await window.jupyterapp.commands.execute('docmanager:open', {path, factory: 'Notebook'}); }",
            name,
        )
    else:
        page.goto(server.notebook_url(name))
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for()
    # this notebook's kernel, not a status left on screen by the one before
    page.wait_for_function(
        """(path) => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
                       const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
                       return Boolean(k) && w.context.path === path && k.status === 'idle'; }""",
        arg=name,
        timeout=90_000,
        polling=100,
    )
    page.get_by_text(IDLE_TEXT).wait_for(timeout=90_000)  # and the learner sees it idle


def close_notebooks(page) -> None:
    """Close every document in the main area without the "unsaved changes" dialog (the served copy is
    throw-away); their kernels keep running until the server deletes the sessions."""
    page.evaluate(
        """() => { const app = window.jupyterapp; if (!app) return;
                   for (const w of [...app.shell.widgets('main')]) w.dispose(); }"""
    )


def run_all(page, timeout_ms: int = 90_000) -> float:
    """Run → Run All Cells from the menu bar; wait until every code cell has an execution count and
    the kernel is idle (the execution indicator alone reports idle while the kernel starts)."""
    start = time.perf_counter()
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(
        ".lm-Menu-item:not(.lm-mod-disabled) .lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")
    ).click()
    # Run All stops at a cell that raises: then the later cells keep an empty prompt.
    page.wait_for_function(
        """() => { const p = [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputArea-prompt')];
                   if (p.length === 0) return false;
                   if (p.every(e => /\\[\\d+\\]/.test(e.textContent))) return true;
                   const running = p.some(e => /\\[\\*\\]/.test(e.textContent));
                   const failed = [...document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output')]
                                  .some(e => /Traceback/.test(e.textContent));
                   return failed && !running; }""",
        timeout=timeout_ms,
        polling=100,  # not every frame: reading every output's text competes with the kernel for the 2 cores
    )
    page.get_by_text(IDLE_TEXT).wait_for(timeout=timeout_ms)
    wait_stable(page)
    return time.perf_counter() - start


def wait_stable(page, quiet_ms: int = 400, timeout_ms: int = 15_000) -> None:
    """Wait until the notebook's DOM has not changed for quiet_ms (widgets finish rendering)."""
    page.wait_for_function(
        """([quiet]) => {
             const root = document.querySelector('.jp-NotebookPanel');
             if (!root) return false;
             if (!window.__e2eObs || window.__e2eRoot !== root) {  // the tab opens one notebook after another
               if (window.__e2eObs) window.__e2eObs.disconnect();
               window.__e2eRoot = root;
               window.__e2eLast = performance.now();
               window.__e2eObs = new MutationObserver(() => { window.__e2eLast = performance.now(); });
               window.__e2eObs.observe(root, {subtree: true, childList: true, attributes: true, characterData: true});
             }
             return performance.now() - window.__e2eLast > quiet;
           }""",
        arg=[quiet_ms],
        timeout=timeout_ms,
        polling=100,
    )


def output_errors(page) -> list[str]:
    """Tracebacks and error lines on stderr, and widget render failures, as learners would see them."""
    problems = []
    for text in page.locator(f".jp-NotebookPanel {STDERR}").all_inner_texts():
        if "Traceback" in text or ERROR_LINE.search(text):
            problems.append("error output: " + text.strip()[:800])
    outputs = page.locator(".jp-NotebookPanel .jp-OutputArea").all_inner_texts()
    for text in outputs:
        for marker in RENDER_ERRORS:
            if marker in text:
                problems.append(f"render error ({marker}): " + text.strip()[:400])
    return problems


def kernel_widgets(page) -> list[str]:
    """Model names the kernel created, read from the probe cell's output."""
    texts = page.locator(".jp-NotebookPanel .jp-OutputArea-output", has_text=PROBE_MARK).all_inner_texts()
    assert texts, "the widget probe cell printed nothing (did Run All reach the last cell?)"
    return json.loads(texts[-1].split(PROBE_MARK, 1)[1].strip())


def rendered_counts(page) -> dict[str, int]:
    panel = page.locator(".jp-NotebookPanel")
    return {"slider": panel.locator(".widget-slider").count(), "dropdown": panel.locator(".widget-dropdown").count()}


def figure_widgets(page):
    """Output areas that hold a slider, an image and a 'Figure description' (the course's widget pattern)."""
    outs = page.locator(f".jp-NotebookPanel {WIDGET_OUTPUT}")
    return [
        o
        for o in outs.all()
        if o.locator(".widget-slider").count() and o.locator("img").count() and "Figure description" in o.inner_text()
    ]


def snapshot(widget) -> dict:
    """What a learner perceives: the PNG bytes behind the image (hash), and the visible text."""
    png = widget.locator("img").first.evaluate(
        """async (img) => {
             const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
             let h = 2166136261;
             for (const b of bytes) { h = Math.imul(h ^ b, 16777619) >>> 0; }
             return {png: bytes[1] === 0x50 && bytes[2] === 0x4E && bytes[3] === 0x47, size: bytes.length, hash: h};
           }"""
    )
    htmls = widget.locator(".widget-html").all_inner_texts()
    return {**png, "description": next((t for t in htmls if "Figure description" in t), ""), "text": "\n".join(htmls)}


def watch_kernel(page) -> None:
    """Count, from now on, the requests the open notebook's kernel finished (busy, then idle)."""
    page.evaluate(
        """() => { const k = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
                   if (window.__e2eUnwatch) window.__e2eUnwatch();
                   window.__e2eHandled = 0;
                   let busy = false;
                   const slot = (_, status) => {
                     if (status === 'busy') busy = true;
                     else if (status === 'idle' && busy) { busy = false; window.__e2eHandled += 1; }
                   };
                   k.statusChanged.connect(slot);
                   window.__e2eUnwatch = () => k.statusChanged.disconnect(slot); }"""
    )


def _wait_change(page, widget, before: dict, timeout_s: float = 15) -> dict:
    """The widget's snapshot once the figure or its description changed; or, if they did not change, once the
    kernel has handled the change (busy, then idle, since ``watch_kernel``) and the page has settled: the
    course's widgets redraw inside the callback (spinecourse.widgets.base.LiveFigure.render), so a kernel that
    went idle without a new figure sends none. ``timeout_s`` bounds the wait if the kernel never answers."""
    deadline = time.monotonic() + timeout_s
    while True:
        page.get_by_text(IDLE_TEXT).wait_for()
        handled = page.evaluate("() => window.__e2eHandled || 0")
        after = snapshot(widget)
        if after["hash"] != before["hash"] or after["description"] != before["description"]:
            wait_stable(page)  # a drag sends intermediate values: assert on the settled state
            page.get_by_text(IDLE_TEXT).wait_for()
            return snapshot(widget)
        if handled:  # handled before this snapshot was taken: settle once more, then it is final
            wait_stable(page)
            return snapshot(widget)
        if time.monotonic() > deadline:
            return after
        page.wait_for_timeout(100)


def check_responds(page, widget, after: dict, before: dict, how: str) -> None:
    assert after["png"], f"{how}: the figure is not PNG data"
    assert after["hash"] != before["hash"], f"{how}: the figure did not change"
    assert after["description"] != before["description"], f"{how}: the figure description did not change"
    assert after["text"] != before["text"], f"{how}: the numbers/description text did not change"


def move_by_keyboard(
    page, widget, slider_index: int = 0, timeout_s: float = 15, max_presses: int = 20
) -> tuple[str, str]:
    """Focus the slider handle (as Tab would) and press an arrow key, towards the side with more room.

    One press moves one step; a small step (0.1 %) may not change a pixel of the figure, so keep
    pressing (up to max_presses) until it does. The text must change from the first press."""
    handle = widget.locator(".widget-slider .noUi-handle").nth(slider_index)
    value = handle.get_attribute("aria-valuenow")
    low, high = float(handle.get_attribute("aria-valuemin")), float(handle.get_attribute("aria-valuemax"))
    key = "ArrowLeft" if float(value) - low > high - float(value) else "ArrowRight"
    before = snapshot(widget)
    handle.focus()
    watch_kernel(page)
    handle.press(key)
    after = _wait_change(page, widget, before, timeout_s)
    new_value = handle.get_attribute("aria-valuenow")
    assert new_value != value, f"keyboard {key} did not move the slider (value stays {value})"
    assert after["description"] != before["description"], f"keyboard {key}: the figure description did not change"
    for _ in range(max_presses - 1):
        if after["hash"] != before["hash"]:
            break
        watch_kernel(page)
        handle.press(key)
        after = _wait_change(page, widget, before, timeout_s=2)
    check_responds(page, widget, after, before, f"keyboard {key}")
    return value, handle.get_attribute("aria-valuenow")


def move_by_mouse(page, widget, slider_index: int = 0, fraction: float = 0.8) -> tuple[str, str]:
    """Drag the handle along the track to the given fraction of its length."""
    slider = widget.locator(".widget-slider").nth(slider_index)
    handle, track = slider.locator(".noUi-handle"), slider.locator(".noUi-base")
    value = handle.get_attribute("aria-valuenow")
    h, t = handle.bounding_box(), track.bounding_box()
    before = snapshot(widget)
    watch_kernel(page)
    page.mouse.move(h["x"] + h["width"] / 2, h["y"] + h["height"] / 2)
    page.mouse.down()
    page.mouse.move(t["x"] + fraction * t["width"], h["y"] + h["height"] / 2, steps=8)
    page.mouse.up()
    after = _wait_change(page, widget, before)
    new_value = handle.get_attribute("aria-valuenow")
    assert new_value != value, f"mouse drag did not move the slider (value stays {value})"
    check_responds(page, widget, after, before, "mouse drag")
    return value, new_value
