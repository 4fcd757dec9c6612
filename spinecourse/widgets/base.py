"""One colour-blind-safe palette and a figure that is drawn once and then updated.

Widgets must feel instant. A naive ``interact`` builds a new figure on every slider
tick (about 250 ms here). ``LiveFigure`` keeps one Agg figure, renders its static
parts once into a cached background, and on each update redraws only the artists
registered as animated (blitting), then sends a PNG to an ``ipywidgets.Image``.
"""

from __future__ import annotations

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
    """A persistent figure rendered into an ``ipywidgets.Image``.

    Usage: build axes and static artists on ``self.fig``; create the artists that
    change with ``animate(artist)``; call ``render()`` after updating their data.
    Static parts (axes, limits, labels) are drawn once: set them before the first render.
    ``alt_text`` is kept next to the image for screen readers and tests.
    """

    def __init__(self, figsize: tuple[float, float] = (5.0, 4.0), dpi: int = 90, alt_text: str = ""):
        self.fig = Figure(figsize=figsize, dpi=dpi)
        self.canvas = FigureCanvasAgg(self.fig)
        self._animated: list[Artist] = []
        self._background = None
        self.renders = 0  # counted so tests can prove the figure is reused, not rebuilt
        width, height = int(figsize[0] * dpi), int(figsize[1] * dpi)
        self.image = widgets.Image(
            format="png",
            layout=widgets.Layout(width=f"{width}px", height=f"{height}px"),
        )
        self.alt_text = alt_text

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
        self.image.value = png
        self.renders += 1
        return png


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

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


class FigureWidget(CourseWidget):
    """A course widget with a ``LiveFigure`` (``self.live``) and a text description panel."""

    live: LiveFigure
    description: widgets.HTML

    def redraw(self, text: str) -> None:
        """Render the updated artists and publish the figure's text alternative."""
        self.live.render()
        self.live.alt_text = text
        self.description.value = f"<p><b>Figure description.</b> {text}</p>"
