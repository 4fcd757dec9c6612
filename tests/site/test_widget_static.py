"""What the widgets put in the page and in their display data (headless, no browser):
the figure <img> carries the current alt text, and a static HTML copy travels with every widget."""

from __future__ import annotations

import html
import re
from types import SimpleNamespace

import pytest

from spinecourse.widgets import CanalExplorer, SampleSizeCalculator, self_check
from spinecourse.widgets import a11y as widget_a11y
from spinecourse.widgets.base import img_tag

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def alt_of(markup: str) -> str:
    return html.unescape(re.search(r'<img [^>]*alt="([^"]*)"', markup).group(1))


def test_figure_img_alt_follows_every_redraw():
    canal = CanalExplorer()
    first = alt_of(canal.live.image.value)
    assert first == canal.live.alt_text and "dural sac" in first
    canal.disc.value = 6.0
    second = alt_of(canal.live.image.value)
    assert second != first and second == canal.live.alt_text and "6.0 mm disc bulge" in second
    assert canal.live.image.value.count("data:image/png;base64,") == 1


def test_display_data_has_the_live_view_and_a_static_copy():
    canal = CanalExplorer()
    bundle = canal._repr_mimebundle_()
    assert WIDGET_VIEW in bundle and bundle[WIDGET_VIEW]["model_id"] == canal.widget.model_id
    static = bundle["text/html"]
    assert alt_of(static) == canal.live.alt_text and "Figure description." in static
    assert "Disc bulge (mm): <b>1</b>" in static and "Developmentally narrow canal: <b>no</b>" in static
    calc = SampleSizeCalculator()._repr_mimebundle_()["text/html"]
    assert "patients per arm" in calc and "Two-sided alpha: <b>0.05</b>" in calc


def test_self_check_static_copy_hides_the_answers_behind_show():
    box = self_check("01_stenosis_anatomy")
    static = box._repr_mimebundle_()["text/html"]
    assert static.count("<details>") == len(box.questions) >= 1
    assert "Show the answer and explanation" in static
    q = box.questions[0].question
    assert html.escape(q.options[0].text) in static or q.type == "numeric"


def test_a11y_figure_check_catches_missing_alt_and_missing_static_copy():
    class NoStatic:
        live = SimpleNamespace(image=SimpleNamespace(value='<img src="data:image/png;base64,AA">'), alt_text="x")

    problems = widget_a11y.figure_problems(NoStatic(), "fake")
    assert "fake: the figure <img> has no alt text" in problems
    assert any("no static text/html copy" in p for p in problems)
    stale = CanalExplorer()
    stale.live.alt_text = "something else"
    assert any("not the current description" in p for p in widget_a11y.figure_problems(stale, "stale"))
    assert widget_a11y.figure_problems(CanalExplorer()) == []


def test_a_figure_without_alt_text_is_refused():
    with pytest.raises(ValueError, match="alt text"):
        img_tag(b"\x89PNG", "  ", 10, 10)
