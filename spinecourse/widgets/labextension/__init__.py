"""A minimal JupyterLab front-end fix shipped with the course: accessible names for slider handles.

ipywidgets 8 (8.1.9 here) gives the noUiSlider handle of every slider ``role="slider"`` but no
accessible name, and the widget has no Python-side hook for it (no ``aria_label`` trait). The
extension in this folder (one hand-written JavaScript file, no build step, no third-party code)
links each unnamed handle to its slider's visible label with ``aria-labelledby``. It also replaces
ipywidgets' bare "Error displaying widget: model not found" (a reopened notebook whose kernel no longer
holds the widgets) with a note to run the cell again, and puts the same kind of note on top of widget
views restored from saved state but not connected to a kernel (``saveState`` in jupyter-settings).

Install it into an environment (the Makefile's venv target, postBuild on Binder and the hub image
run this; it is idempotent)::

    python -m spinecourse.widgets.labextension [PREFIX]

It is copied to ``PREFIX/share/jupyter/labextensions/spinecourse-a11y`` (default: ``sys.prefix``),
where JupyterLab finds prebuilt ("federated") extensions. ``jupyter labextension list`` shows it.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

NAME = "spinecourse-a11y"
SOURCE = Path(__file__).resolve().parent
FILES = ("package.json", "install.json", "static/remoteEntry.spinecourse-a11y.js")


def target(prefix: str | Path | None = None) -> Path:
    return Path(prefix or sys.prefix) / "share" / "jupyter" / "labextensions" / NAME


def install(prefix: str | Path | None = None) -> Path:
    dest = target(prefix)
    if dest.exists():
        shutil.rmtree(dest)
    for rel in FILES:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(SOURCE / rel, dest / rel)
    return dest


def is_installed(prefix: str | Path | None = None) -> bool:
    dest = target(prefix)
    return all((dest / rel).is_file() and (dest / rel).read_bytes() == (SOURCE / rel).read_bytes() for rel in FILES)
