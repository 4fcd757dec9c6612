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
Exercises override ``CourseWidget.static_html`` to show a worked example and the key behind "Show".

Legibility: figures are sized in CSS pixels at ``CSS_DPI`` (the ``width``/``height`` of the ``<img>``)
and rendered at ``PIXEL_RATIO`` times that resolution, so they stay sharp on hi-DPI screens; no text is
smaller than ``MIN_FONT_PT`` (``MIN_FONT_PT * CSS_DPI / 72`` CSS px at natural size, exposed as the
``data-min-font-px`` attribute of every figure ``<img>`` so browser tests can check it). A live figure
renders each slider tick at 1x (a 2x tick costs about three times as long: 5 -> 16 ms for the canal
model) and sharpens itself to 2x once the controls rest (``LiveFigure.sharpen``, scheduled on the
kernel's event loop ``SHARPEN_DELAY`` s after the last tick); the static copy is always the 2x image.

Static figures (``StaticFigure``) carry ``image/png`` plus ``text/html`` (the ``<img>`` with alt text and
the description) in their display data, so they show whatever matplotlib backend is active: a
``Figure`` made without pyplot has no rich display of its own outside the inline backend.
"""

from __future__ import annotations

import asyncio
import html
import math
import numbers
from collections.abc import Iterable

import ipywidgets as widgets
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..content.i18n import N_, _, configure_fonts
from .palette import PALETTE, ROLE_COLOURS  # noqa: F401 (re-exported)
from .rendering import (  # noqa: F401 (re-exported: the figure names of base)
    CSS_DPI,
    MIN_FONT_PT,
    PIXEL_RATIO,
    SHARPEN_DELAY,
    STATIC_MIN_FONT_PT,
    StaticFigure,
    encode_png,
    enforce_min_font,
    img_tag,
    smallest_font_px,
)


class LiveFigure:
    """A persistent figure rendered into an ``<img>`` with alt text (``self.image``, an HTML widget).

    Usage: build axes and static artists on ``self.fig``; create the artists that
    change with ``animate(artist)``; call ``render()`` after updating their data.
    Static parts (axes, limits, labels) are drawn once: set them before the first render.
    Set ``alt_text`` before ``render()``: the ``<img>`` carries it (``FigureWidget.redraw`` does this).
    ``png`` holds the last PNG bytes (1x after a tick, ``pixel_ratio`` x once ``sharp``).
    """

    def __init__(
        self,
        figsize: tuple[float, float] = (5.0, 4.0),
        dpi: int = CSS_DPI,
        alt_text: str = "",
        pixel_ratio: float = PIXEL_RATIO,
    ):
        # ``dpi`` sets the size on the page (CSS px per inch); ticks render at it, ``sharpen`` at pixel_ratio x
        configure_fonts()  # Korean: a Hangul font in matplotlib's fallback before any text is drawn (no-op in English)
        self.fig = Figure(figsize=figsize, dpi=dpi)
        self.canvas = FigureCanvasAgg(self.fig)
        self.pixel_ratio = pixel_ratio
        self.sharp = False
        self._pending = None  # the scheduled sharpen (an asyncio TimerHandle)
        self._animated: list[Artist] = []
        self._background = None
        self._backgrounds: dict = {}  # cached static parts per view (e.g. axis limits), see use_view()
        self._view = None
        self.renders = 0  # counted so tests can prove the figure is reused, not rebuilt
        self.css_dpi = dpi
        self.width, self.height = int(figsize[0] * dpi), int(figsize[1] * dpi)
        self.min_font_px: float | None = None
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

    def reset_background(self) -> None:
        """Forget every cached static part (call after changing labels or anything else static)."""
        self._background = None
        self._backgrounds.clear()

    def use_view(self, key) -> None:
        """Switch to the static parts of view ``key`` (say, a pair of axis limits set just before).

        Each view's background is drawn once and kept (up to ``MAX_VIEWS``), so a slider that moves the
        axes back and forth pays the full draw only on the first visit to each view."""
        self._view = key
        self._background = self._backgrounds.get(key)

    MAX_VIEWS = 12

    def render(self) -> bytes:
        """Draw the animated artists over the cached background at 1x (the fast path, once per tick)."""
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        if self._background is None:
            enforce_min_font(self.fig)
            self.min_font_px = smallest_font_px(self.fig, self.css_dpi)
            self.canvas.draw()  # draws static artists only: animated ones are skipped
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
            if self._view is not None:
                if len(self._backgrounds) >= self.MAX_VIEWS:
                    self._backgrounds.pop(next(iter(self._backgrounds)))
                self._backgrounds[self._view] = self._background
        else:
            self.canvas.restore_region(self._background)
        for artist in self._animated:
            if artist.get_visible():
                self.fig.draw_artist(artist)
        png = encode_png(self.canvas)
        self.png = png
        self.sharp = self.pixel_ratio == 1
        self.image.value = self.img_html()
        self.renders += 1
        self._schedule_sharpen()
        return png

    def _schedule_sharpen(self) -> None:
        """In a kernel, sharpen once the controls have rested; headless (no running loop) nothing is scheduled."""
        if self.sharp:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._pending = loop.call_later(SHARPEN_DELAY, self.sharpen)

    def sharpen(self) -> bytes:
        """Re-render the whole figure at ``pixel_ratio`` x (hi-DPI) and show it; the 1x background is kept."""
        self._pending = None
        if self.sharp or not self.png:
            return self.png
        flags = [a.get_animated() for a in self._animated]
        try:
            for artist in self._animated:
                artist.set_animated(False)  # one full draw, changing artists included
            self.fig.set_dpi(self.css_dpi * self.pixel_ratio)
            self.canvas.draw()
            png = encode_png(self.canvas)
        finally:
            for artist, flag in zip(self._animated, flags):
                artist.set_animated(flag)
            self.fig.set_dpi(self.css_dpi)
        # the 1x background buffer stays valid: the next tick restores it into a 1x renderer again
        self.png, self.sharp = png, True
        self.image.value = self.img_html()
        return png

    def img_html(self) -> str:
        """The current figure as an ``<img>`` with its alt text (data URL: works offline and on a static page)."""
        return img_tag(self.png, self.alt_text, self.width, self.height, self.min_font_px)


def text_panel(html: str = "") -> widgets.HTML:
    """An HTML panel for numbers and the text description of a figure."""
    return widgets.HTML(value=html, layout=widgets.Layout(max_width="34em"))


TEACHING_MODEL_BADGE = '<div style="border-left:4px solid {c};padding:2px 8px;margin:4px 0"><b>{label}</b> {msg}</div>'


def teaching_model_note(msg: str) -> str:
    """The on-screen label every widget model carries (``msg`` already in the session's language)."""
    return TEACHING_MODEL_BADGE.format(c=PALETTE["orange"], label=_("Teaching model."), msg=msg)


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

    def static_html(self) -> str:
        """The static copy published next to the live view; exercises override it with a worked example."""
        live = getattr(self, "live", None)
        if isinstance(live, LiveFigure):
            live.sharpen()  # the copy (course site, nbviewer) carries the hi-DPI image
        return static_html(self.widget)

    def _repr_mimebundle_(self, **kwargs) -> dict:
        """The live widget view plus a static HTML copy of its current state (for viewers without widget JS)."""
        return with_static_html(self.widget, static=self.static_html(), **kwargs)


#: What a reader sees where the live widget cannot be shown: in text/plain, which a frontend without
#: the widget manager (or a terminal) displays instead of the widget view.
#: English (tests compare with it); shown through ``_()`` at display time.
RUN_CELL_NOTE = N_(
    "Interactive widget: run this cell (or Run All) to use it. If you reopened the notebook, "
    "its widgets need the kernel again."
)


def with_static_html(widget: widgets.Widget, static: str | None = None, **kwargs) -> dict:
    data = dict(widget._repr_mimebundle_(**kwargs) or {})
    data["text/html"] = static_html(widget) if static is None else static
    data["text/plain"] = _(RUN_CELL_NOTE)
    return data


def _control_value(node) -> str:
    label = getattr(node, "label", None)  # selection widgets: the visible option text
    if label is not None:
        return str(label)
    if node.value is None and hasattr(node, "options"):
        # nothing selected: name the option that stands for "nothing" (e.g. "not used"), else say so
        named = [lab for lab, val in getattr(node, "_options_full", ()) if val is None]
        return str(named[0]) if named else _("not chosen yet")
    value = node.value
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple):
        return _(" to ").join(f"{v:g}" if isinstance(v, float) else str(v) for v in value)
    return str(value)


#: The static copies' opening lines (English constants; ``static_intro()``/``worked_intro()`` translate at call time).
STATIC_INTRO = N_(
    "<p><i>Static copy of this interactive widget at its starting settings; "
    "launch the interactive version to change them.</i></p>"
)
WORKED_INTRO = N_(
    "<p><i>Static copy of this interactive exercise with a worked example; run the notebook to try it yourself.</i></p>"
)


def static_intro() -> str:
    return _(STATIC_INTRO)


def worked_intro() -> str:
    return _(WORKED_INTRO)


def close_tree(widget: widgets.Widget) -> None:
    """Close a widget and every widget inside it (a throw-away copy leaves no models behind)."""
    if isinstance(widget, widgets.Box):
        for child in widget.children:
            close_tree(child)
    widget.close()


def show_details(summary: str, body: str) -> str:
    """Content behind a native "Show" control (``<details>``: keyboard accessible, no script needed)."""
    return f"<details><summary>{html.escape(summary, quote=False)}</summary>{body}</details>"


def static_html(
    widget: widgets.Widget, skip: Iterable[widgets.Widget] = (), extra: str = "", intro: str | None = None
) -> str:
    """A readable HTML copy of a widget tree: HTML panels (figures included) as they are, and each
    control as 'label: value'. Buttons and empty panels are left out (they do nothing on a static page),
    as are the widgets in ``skip`` (e.g. an unanswered "your call" and its placeholder feedback);
    ``extra`` (a worked example, the key behind "Show") is appended."""
    intro = static_intro() if intro is None else intro
    skipped = {id(w) for w in skip}
    parts: list[str] = []
    controls: list[str] = []

    def flush() -> None:
        if controls:
            parts.append('<ul class="spinecourse-static-controls">' + "".join(controls) + "</ul>")
            controls.clear()

    def visit(node) -> None:
        if id(node) in skipped:
            return
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
            name = str(getattr(node, "description", "") or "").strip() or _("Setting")
            controls.append(f"<li>{html.escape(name.rstrip(':'))}: <b>{html.escape(_control_value(node))}</b></li>")

    visit(widget)
    flush()
    return '<div class="spinecourse-static">' + intro + "".join(parts) + extra + "</div>"


class FigureWidget(CourseWidget):
    """A course widget with a ``LiveFigure`` (``self.live``) and a text description panel."""

    live: LiveFigure
    description: widgets.HTML

    def redraw(self, text: str) -> None:
        """Render the updated artists and publish the figure's text alternative (on the <img> and as text)."""
        self.live.alt_text = text
        self.live.render()
        self.description.value = "<p><b>" + _("Figure description.") + f"</b> {text}</p>"
