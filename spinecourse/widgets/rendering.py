"""How a course figure becomes pixels: the page size (``CSS_DPI``), the 2x rendering (``PIXEL_RATIO``), the
smallest font (``MIN_FONT_PT``), the PNG encoding, the ``<img>`` tag with alt text and ``data-min-font-px``, and
``StaticFigure`` (a finished figure displayable under any matplotlib backend). ``base`` re-exports every name; the
module docstring of ``widgets/base.py`` explains why figures are sized and sharpened this way.
"""

from __future__ import annotations

import base64
import html
import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image as PILImage

from ..content.i18n import _

#: CSS pixels per figure inch: a figure's size on the page at its natural size.
CSS_DPI = 90
#: Device pixels per CSS pixel in the PNG (2 = sharp on hi-DPI screens and when zoomed).
PIXEL_RATIO = 2
#: Seconds of rest after the last tick before a live figure re-renders at ``PIXEL_RATIO``.
SHARPEN_DELAY = 0.3
#: The smallest font size (points) any course figure uses: 9 pt = 11.25 CSS px at ``CSS_DPI``.
MIN_FONT_PT = 9.0
#: Static figures (also read on phones, scaled to a ~358 px column): 10 pt = 12.5 CSS px at natural size.
STATIC_MIN_FONT_PT = 10.0


def enforce_min_font(fig: Figure, minimum: float = MIN_FONT_PT) -> None:
    """Raise every text in the figure (titles, ticks, legends, labels) to at least ``minimum`` points."""
    from matplotlib.text import Text

    for text in fig.findobj(Text):
        if text.get_fontsize() < minimum:
            text.set_fontsize(minimum)


def smallest_font_px(fig: Figure, css_dpi: float = CSS_DPI) -> float:
    """The smallest visible, non-empty text of the figure in CSS px when shown at its natural size."""
    from matplotlib.text import Text

    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    if not sizes:
        raise ValueError("the figure has no text to measure")
    return round(min(sizes) * css_dpi / 72, 2)


def encode_png(canvas: FigureCanvasAgg) -> bytes:
    """PNG bytes of the canvas's current buffer (fast compression: this runs per tick)."""
    width, height = canvas.get_width_height(physical=True)
    image = PILImage.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    out = io.BytesIO()
    image.save(out, format="png", compress_level=1)
    return out.getvalue()


def img_tag(png: bytes, alt: str, width: int, height: int, min_font_px: float | None = None) -> str:
    if not alt.strip():
        raise ValueError("a figure needs alt text: set LiveFigure.alt_text before render()")
    src = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    font = f' data-min-font-px="{min_font_px:g}"' if min_font_px is not None else ""
    return (
        f'<img src="{src}" alt="{html.escape(alt, quote=True)}" width="{width}" height="{height}"{font} '
        'style="max-width:100%;height:auto">'
    )


class StaticFigure:
    """A finished figure with its alt text and description, displayable under any matplotlib backend.

    Its display data hold ``image/png`` (2x pixels; ``width``/``height`` metadata at 1x), ``text/html``
    (the ``<img>`` with alt text, then the "Figure description." paragraph) and ``text/plain`` (the
    description), never matplotlib's ``<Figure size …>`` repr.
    """

    def __init__(
        self,
        fig: Figure,
        description: str,
        alt_text: str | None = None,
        css_dpi: float = CSS_DPI,
        pixel_ratio: float = PIXEL_RATIO,
        min_font_pt: float = STATIC_MIN_FONT_PT,
    ):
        if not description.strip():
            raise ValueError("a figure needs a text description")
        enforce_min_font(fig, min_font_pt)
        self.description = description
        self.alt_text = alt_text or description
        self.min_font_px = smallest_font_px(fig, css_dpi)
        width_in, height_in = fig.get_size_inches()
        self.width, self.height = int(round(width_in * css_dpi)), int(round(height_in * css_dpi))
        fig.set_dpi(css_dpi * pixel_ratio)
        canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
        out = io.BytesIO()
        canvas.print_png(out)
        self.png = out.getvalue()

    def html(self) -> str:
        return (
            f'<figure class="spinecourse-figure">{img_tag(self.png, self.alt_text, self.width, self.height, self.min_font_px)}'
            f"<figcaption><p><b>" + _("Figure description.") + f"</b> {html.escape(self.description, quote=False)}</p>"
            "</figcaption></figure>"
        )

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        data = {
            "image/png": base64.b64encode(self.png).decode("ascii"),
            "text/html": self.html(),
            "text/plain": "" + _("Figure description.") + f" {self.description}",
        }
        return data, {"image/png": {"width": self.width, "height": self.height}}
