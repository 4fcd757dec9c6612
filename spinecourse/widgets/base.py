"""One colour-blind-safe palette and a figure that is drawn once and then updated.

Widgets must feel instant. A naive ``interact`` builds a new figure on every slider
tick (about 250 ms here). ``LiveFigure`` keeps one Agg figure, renders its static
parts once into a cached background, and on each update redraws only the artists
registered as animated (blitting), then sends the PNG to the page.

Accessibility in the real DOM: ``ipywidgets.Image`` has no ``alt`` trait (its view renders a bare
``<img>``), so a screen reader would announce nothing. The figure is therefore sent as an
``ipywidgets.HTML`` holding ``<img alt="..." src="data:image/png;base64,...">``: the alt text is
the current figure description, replaced together with the pixels on every redraw.

Reading without a kernel: every course widget also publishes a static ``text/html`` rendering of
its state (figure with alt text, numbers, description, control values) next to the widget view in
its display data, so the course site, nbviewer and code hosts show it without widget JavaScript.
"""

from __future__ import annotations

import base64
import html
import io
import math
import numbers
from typing import Iterable

import ipywidgets as widgets
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image as PILImage

from .palette import PALETTE, ROLE_COLOURS  # noqa: F401 (re-exported)


def encode_png(canvas: FigureCanvasAgg) -> bytes:
    """PNG bytes of the canvas's current buffer (fast compression: this runs per tick)."""
    width, height = canvas.get_width_height(physical=True)
    image = PILImage.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    out = io.BytesIO()
    image.save(out, format="png", compress_level=1)
    return out.getvalue()


class LiveFigure:
    """A persistent figure rendered into an ``<img>`` with alt text (``self.image``, an HTML widget).

    Usage: build axes and static artists on ``self.fig``; create the artists that
    change with ``animate(artist)``; call ``render()`` after updating their data.
    Static parts (axes, limits, labels) are drawn once: set them before the first render.
    Set ``alt_text`` before ``render()``: the ``<img>`` carries it (``FigureWidget.redraw`` does this).
    ``png`` holds the last PNG bytes.
    """

    def __init__(self, figsize: tuple[float, float] = (5.0, 4.0), dpi: int = 90, alt_text: str = ""):
        self.fig = Figure(figsize=figsize, dpi=dpi)
        self.canvas = FigureCanvasAgg(self.fig)
        self._animated: list[Artist] = []
        self._background = None
        self.renders = 0  # counted so tests can prove the figure is reused, not rebuilt
        self.width, self.height = int(figsize[0] * dpi), int(figsize[1] * dpi)
        # not widgets.Image: it has no alt attribute (see the module docstring)
        self.image = widgets.HTML(layout=widgets.Layout(width=f"{self.width}px", height=f"{self.height}px"))
        self.image.add_class("spinecourse-figure")
        self.alt_text = alt_text
        self.png = b""

    def animate(self, artist: Artist) -> Artist:
        """Register an artist that changes on updates; it is drawn over the cached background."""
        artist.set_animated(True)
        self._animated.append(artist)
        return artist

    def animate_all(self, artists: Iterable[Artist]) -> list[Artist]:
        return [self.animate(a) for a in artists]

    def render(self) -> bytes:
        if self._background is None:
            self.canvas.draw()  # draws static artists only: animated ones are skipped
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
        else:
            self.canvas.restore_region(self._background)
        for artist in self._animated:
            if artist.get_visible():
                self.fig.draw_artist(artist)
        png = encode_png(self.canvas)
        self.png = png
        self.image.value = self.img_html()
        self.renders += 1
        return png

    def img_html(self) -> str:
        """The current figure as an ``<img>`` with its alt text (data URL: works offline and on a static page)."""
        return img_tag(self.png, self.alt_text, self.width, self.height)


def img_tag(png: bytes, alt: str, width: int, height: int) -> str:
    if not alt.strip():
        raise ValueError("a figure needs alt text: set LiveFigure.alt_text before render()")
    src = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return (f'<img src="{src}" alt="{html.escape(alt, quote=True)}" width="{width}" height="{height}" '
            'style="max-width:100%;height:auto">')


def text_panel(html: str = "") -> widgets.HTML:
    """An HTML panel for numbers and the text description of a figure."""
    return widgets.HTML(value=html, layout=widgets.Layout(max_width="34em"))


TEACHING_MODEL_BADGE = (
    '<div style="border-left:4px solid {c};padding:2px 8px;margin:4px 0">'
    "<b>Teaching model.</b> {msg}</div>"
)


def teaching_model_note(msg: str) -> str:
    """The on-screen label every widget model carries."""
    return TEACHING_MODEL_BADGE.format(c=PALETTE["orange"], msg=msg)


def check_start(description: str, value, low: float, high: float):
    """``value`` if it is a number within a slider's range [low, high], else a clear ValueError.

    An ipywidgets slider silently clamps a start value outside its range, so the widget would
    show (and compute) something other than what the caller asked for.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or math.isnan(value):
        raise ValueError(f"{description} must be a number, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{description} = {value!r} is outside the slider's range {low:g} to {high:g}")
    return value


class CourseWidget:
    """The pattern every course widget follows.

    A subclass builds its ``controls`` and ``widget`` (the box shown), calls ``connect()``,
    and implements ``update()``, which computes the result with the package's pure
    functions, refreshes the display and returns the result (also kept as ``self.result``
    so tests and the latency bench can drive the widget headless).
    """

    controls: list
    widget: widgets.Widget

    def connect(self, controls=None) -> None:
        for control in self.controls if controls is None else controls:
            control.observe(self._on_change, names="value")

    def _on_change(self, _change=None) -> None:
        self.update()

    def update(self):  # pragma: no cover - every subclass implements it
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs) -> dict:
        """The live widget view plus a static HTML copy of its current state (for viewers without widget JS)."""
        return with_static_html(self.widget, **kwargs)


def with_static_html(widget: widgets.Widget, **kwargs) -> dict:
    data = dict(widget._repr_mimebundle_(**kwargs) or {})
    data["text/html"] = static_html(widget)
    return data


def _control_value(node) -> str:
    label = getattr(node, "label", None)  # selection widgets: the visible option text
    if label is not None:
        return str(label)
    value = node.value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple):
        return " to ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in value)
    return str(value)


def static_html(widget: widgets.Widget) -> str:
    """A readable HTML copy of a widget tree: HTML panels (figures included) as they are, and each
    control as 'label: value'. Buttons and empty panels are left out (they do nothing on a static page)."""
    parts: list[str] = []
    controls: list[str] = []

    def flush() -> None:
        if controls:
            parts.append('<ul class="spinecourse-static-controls">' + "".join(controls) + "</ul>")
            controls.clear()

    def visit(node) -> None:
        if isinstance(node, widgets.Box):
            for child in node.children:
                visit(child)
        elif isinstance(node, (widgets.HTML, widgets.HTMLMath)):
            if node.value.strip():
                flush()
                parts.append(f"<div>{node.value}</div>")
        elif isinstance(node, widgets.Button):
            return
        elif isinstance(node, widgets.ValueWidget) and isinstance(node, widgets.DOMWidget):
            name = str(getattr(node, "description", "") or "").strip() or "Setting"
            controls.append(f"<li>{html.escape(name.rstrip(':'))}: <b>{html.escape(_control_value(node))}</b></li>")

    visit(widget)
    flush()
    return ('<div class="spinecourse-static"><p><i>Static copy of this interactive widget at its starting settings; '
            "launch the interactive version to change them.</i></p>" + "".join(parts) + "</div>")


class FigureWidget(CourseWidget):
    """A course widget with a ``LiveFigure`` (``self.live``) and a text description panel."""

    live: LiveFigure
    description: widgets.HTML

    def redraw(self, text: str) -> None:
        """Render the updated artists and publish the figure's text alternative (on the <img> and as text)."""
        self.live.alt_text = text
        self.live.render()
        self.description.value = f"<p><b>Figure description.</b> {text}</p>"
