"""Server-side widget latency, measured in a real kernel.

For each course notebook: start a kernel, run the notebook's code cells, then
change the value of every interactive control (every widget whose ``value`` has
an observer) repeatedly, timing how long the kernel takes to apply each change
(the observers run synchronously: model update, figure render, text panels).
In the same kernel a naive baseline is measured: ``interact`` with a function
that builds a new matplotlib figure on every call.

    python bench/widget_latency.py [course/01_stenosis_anatomy.ipynb ...] [--repeats 40]

Prints median and p95 (ms) per control; writes bench/results/widget_latency.md.
Target: p95 <= 60 ms per control on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parents[1]

MEASURE = r'''
import json, time, statistics
import numpy as np
import ipywidgets
from ipywidgets.widgets.widget import _instances

def _values_for(w):
    if isinstance(w, (ipywidgets.FloatSlider, ipywidgets.IntSlider)):
        # values a user can reach: multiples of the step across the whole range
        grid = np.arange(w.min, w.max + w.step / 2, w.step)
        vals = list(grid[np.linspace(0, len(grid) - 1, 9).round().astype(int)])
        vals = vals + vals[::-1]
        return [int(v) if isinstance(w, ipywidgets.IntSlider) else float(v) for v in vals]
    if isinstance(w, ipywidgets.Checkbox):
        return [not w.value, w.value]
    if hasattr(w, "options") and hasattr(w, "index") and not isinstance(w, ipywidgets.SelectMultiple):
        labels = [o[1] if isinstance(o, tuple) else o for o in w.options]
        return labels
    return None

def _observed(w):
    handlers = w._trait_notifiers.get("value", {}).get("change", [])
    return [h for h in handlers if getattr(h, "__self__", None) is not w]

def _owner(w):
    """The course widget class whose callback observes this control (None if not ours)."""
    if getattr(w, "_bench_baseline", False):
        return "baseline: naive interact"
    for h in _observed(w):
        owner = getattr(h, "__self__", None)
        if owner is not None and type(owner).__module__.startswith("spinecourse"):
            return type(owner).__name__
    return None

def _measure(repeats):
    rows = []
    for w in list(_instances.values()):
        if not _observed(w) or _owner(w) is None:
            continue
        values = _values_for(w)
        if not values:
            continue
        original = w.value
        times = []
        i = 0
        while len(times) < repeats:
            v = values[i % len(values)]
            i += 1
            if v == w.value:
                continue
            t = time.perf_counter()
            w.value = v
            times.append((time.perf_counter() - t) * 1000)
        w.value = original
        times.sort()
        rows.append({"owner": _owner(w), "control": w.description or getattr(w, "tooltip", None) or type(w).__name__,
                     "median_ms": statistics.median(times), "p95_ms": times[int(0.95 * (len(times) - 1))]})
    return rows
'''

BASELINE = r"""
import matplotlib.pyplot as plt
from ipywidgets import interact, FloatSlider
from spinecourse.models import anatomy

def _naive(disc=1.0):
    # What a first draft does: a new figure for every slider tick.
    inputs = anatomy.CanalInputs(disc_bulge_mm=disc)
    shapes = anatomy.geometry(inputs)
    fig, ax = plt.subplots(figsize=(5.2, 3.4))
    for name, xy in shapes.items():
        ax.fill(xy[:, 0], xy[:, 1], alpha=0.8)
    ax.set_xlabel("lateral position (mm)")
    ax.set_ylabel("anterior-posterior position (mm)")
    ax.set_title(f"sac area {anatomy.evaluate(inputs).dsca_mm2:.0f} mm²")
    plt.show()

_slider = FloatSlider(value=1.0, min=0, max=8, step=0.5, description="disc (new figure per tick)")
_slider._bench_baseline = True
_baseline = interact(_naive, disc=_slider)
"""


def run_cell(kc, code: str, timeout: float = 120) -> list[dict]:
    msg_id = kc.execute(code, store_history=False)
    outputs = []
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "error":
            raise RuntimeError("\n".join(msg["content"]["traceback"]))
        if kind == "stream":
            outputs.append(msg["content"]["text"])
        if kind == "status" and msg["content"]["execution_state"] == "idle":
            return outputs


def measure_notebook(path: Path, repeats: int) -> tuple[list[dict], float]:
    nb = nbformat.read(path, as_version=4)
    km, kc = start_new_kernel(kernel_name="python3", cwd=str(path.parent))
    try:
        start = time.perf_counter()
        for cell in nb.cells:
            if cell.cell_type == "code":
                run_cell(kc, cell.source)
        run_seconds = time.perf_counter() - start
        run_cell(kc, MEASURE)
        run_cell(kc, BASELINE)
        out = run_cell(kc, f"print('@@' + json.dumps(_measure({repeats})))")
        payload = next(line for line in "".join(out).splitlines() if line.startswith("@@"))
        return json.loads(payload[2:]), run_seconds
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--repeats", type=int, default=40)
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted((ROOT / "course").glob("[0-9][0-9]_*.ipynb"))
    lines = ["| notebook | widget | control | median ms | p95 ms |", "|---|---|---|---|---|"]
    worst = 0.0
    for path in notebooks:
        rows, run_seconds = measure_notebook(path.resolve(), args.repeats)
        print(f"\n{path.name}: cells executed in {run_seconds:.2f} s (kernel already started)")
        for r in rows:
            baseline = r["owner"].startswith("baseline")
            mark = "" if baseline else ("OK" if r["p95_ms"] <= 60 else "SLOW")
            print(
                f"  {r['owner']:>26} | {r['control']:<36} median {r['median_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms  {mark}"
            )
            lines.append(f"| {path.stem} | {r['owner']} | {r['control']} | {r['median_ms']:.1f} | {r['p95_ms']:.1f} |")
            if not baseline:
                worst = max(worst, r["p95_ms"])
    out = ROOT / "bench" / "results" / "widget_latency.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines) + "\n")
    print(f"\nworst course-widget p95: {worst:.1f} ms (target 60 ms); table written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
