"""Accessibility checks on live widget objects (the widget half of the course's a11y checks).

- ``widget_label_problems(widget)``: every slider and dropdown in a widget tree has a non-empty
  description (its accessible name); ``package_widget_problems()`` applies it to every widget class of
  the package: each ``base.CourseWidget`` subclass defined in a ``spinecourse`` module, wherever it lives
  (found by importing every submodule);
- ``figure_problems(obj)``: a figure widget's ``<img>`` (the HTML sent to the page) carries its current
  alt text, and the widget publishes a static ``text/html`` copy (for viewers without widget JS).

Notebook, heading and colour checks are in ``spinecourse.authoring.a11y``. ``python -m
spinecourse.widgets.a11y`` prints the widget report.
"""

from __future__ import annotations

import html
import importlib
import inspect
import pkgutil
import re
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
HTML_IMG_RE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ALT_RE = re.compile(r"""\balt\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)


# ---- widget labels ----


def _labelled_types() -> tuple[type, ...]:
    import ipywidgets as w

    return (
        w.IntSlider,
        w.FloatSlider,
        w.FloatLogSlider,
        w.IntRangeSlider,
        w.FloatRangeSlider,
        w.SelectionSlider,
        w.SelectionRangeSlider,
        w.Dropdown,
    )


def walk(widget) -> list:
    """The widget and every widget below it (Box children, Tab/Accordion pages)."""
    out, stack, seen = [], [widget], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        out.append(node)
        stack.extend(reversed(list(getattr(node, "children", ()) or ())))
    return out


def widget_label_problems(widget, owner: str = "widget") -> list[str]:
    problems = []
    for node in walk(widget):
        if isinstance(node, _labelled_types()) and not str(getattr(node, "description", "")).strip():
            problems.append(f"{owner}: a {type(node).__name__} has no description (screen readers announce nothing)")
    return problems


def figure_problems(obj, owner: str = "widget") -> list[str]:
    """The figure <img> in the page has the current non-empty alt text; the display data has a static copy."""
    problems = []
    live = getattr(obj, "live", None)
    if live is not None:
        tag = HTML_IMG_RE.search(live.image.value or "")
        alt = ALT_RE.search(tag.group(0)) if tag else None
        if not tag:
            problems.append(f"{owner}: the figure is not sent as an <img> (no alt text in the page)")
        elif not alt or not alt.group(2).strip():
            problems.append(f"{owner}: the figure <img> has no alt text")
        elif html.unescape(alt.group(2)) != live.alt_text:
            problems.append(f"{owner}: the figure <img> alt text is not the current description")
    bundle = obj._repr_mimebundle_() if hasattr(obj, "_repr_mimebundle_") else {}
    if "text/html" not in (bundle or {}):
        problems.append(f"{owner}: no static text/html copy in its display data (blank on the site and nbviewer)")
    return problems


def widget_modules() -> list[str]:
    """Every module of the package (a widget class may live in any of them)."""
    return sorted(
        m.name
        for m in pkgutil.walk_packages([str(PACKAGE_DIR)], prefix="spinecourse.")
        if not m.ispkg and not m.name.endswith("__main__")
    )


def widget_classes() -> list[type]:
    """Every ``plotting.CourseWidget`` subclass defined in a ``spinecourse`` module (the bases excluded)."""
    from .base import CourseWidget, FigureWidget

    classes = []
    for name in widget_modules():
        module = importlib.import_module(name)
        classes += [
            cls
            for _, cls in inspect.getmembers(module, inspect.isclass)
            if cls.__module__ == module.__name__
            and issubclass(cls, CourseWidget)
            and cls not in (CourseWidget, FigureWidget)
        ]
    return classes


def package_widget_problems() -> list[str]:
    problems = []
    for cls in widget_classes():
        try:
            obj = cls()
        except Exception as exc:  # a widget that cannot be built with defaults cannot be checked
            problems.append(f"{cls.__module__}.{cls.__name__}: cannot be built with default arguments ({exc!r})")
            continue
        roots = [getattr(obj, "widget", None), *getattr(obj, "controls", [])]
        roots = [r for r in roots if r is not None]
        if not roots:
            problems.append(f"{cls.__module__}.{cls.__name__}: no .widget or .controls to check")
        for root in roots:
            problems += widget_label_problems(root, f"{cls.__module__}.{cls.__name__}")
        problems += figure_problems(obj, f"{cls.__module__}.{cls.__name__}")
        for root in roots:  # close this object's tree only (Widget.close_all would close every widget)
            for node in walk(root):
                if hasattr(node, "close"):
                    node.close()
    return list(dict.fromkeys(problems))


def main() -> int:  # pragma: no cover - thin CLI over tested functions
    problems = package_widget_problems()
    print("\n".join(problems) or "no widget accessibility problems found")
    return 1 if problems else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
