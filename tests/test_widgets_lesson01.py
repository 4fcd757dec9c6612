"""Widget callbacks driven headless: set a control's value, assert on the figure data and text."""

import numpy as np
import pytest

from spinecourse.models import anatomy
from spinecourse.widgets import BedsideProbability, CanalExplorer


@pytest.fixture
def canal():
    return CanalExplorer()


def test_canal_slider_moves_the_sac_and_updates_text(canal):
    fig, renders = canal.live.fig, canal.live.renders
    before = canal.patches["sac"].get_xy().copy()
    png_before = canal.live.image.value
    canal.disc.value = 5.0
    after = canal.patches["sac"].get_xy()
    assert canal.live.fig is fig, "the figure must be reused, not rebuilt"
    assert canal.live.renders == renders + 1
    assert after[:, 1].max() < before[:, 1].max(), "a bigger bulge pushes the sac's front backwards"
    assert canal.live.image.value != png_before
    assert canal.result == anatomy.evaluate(anatomy.CanalInputs(5.0, 3.0, 0.0))
    assert "5.0 mm disc bulge" in canal.description.value
    assert "Figure description" in canal.description.value
    assert f"{canal.result.dsca_mm2:.0f} mm²" in canal.numbers.value


def test_canal_classification_text_follows_the_model(canal):
    canal.flavum.value = 6.0
    canal.disc.value = 3.0
    assert canal.result.ap_grade == "absolute"  # 17 - 3 - 6 = 8 mm
    assert "absolute stenosis" in canal.numbers.value
    assert "Kalichman et al. 2009" in canal.numbers.value  # citation rendered, not a raw key
    assert "[@" not in canal.numbers.value


def test_narrow_canal_checkbox_redraws_the_outline(canal):
    width_before = np.ptp(canal.canal_outline.get_xy()[:, 0])
    canal.narrow.value = True
    assert np.ptp(canal.canal_outline.get_xy()[:, 0]) < width_before
    assert "developmentally narrow" in canal.description.value


def test_bedside_findings_update_bars_and_whisker():
    w = BedsideProbability(pretest_percent=30)
    assert w.bars[1].get_height() == pytest.approx(30)
    w.checks["no_pain_seated"].value = True
    assert w.bars[1].get_height() == pytest.approx(76.03, abs=0.01)
    low, high = w.whisker.get_ydata()
    assert low < 76.03 < high
    assert "76%" in w.numbers.value and "No pain when seated" in w.description.value
    w.claudication.value = "claudication_absent"
    assert w.result.post < 0.76
    w.pretest.value = 50
    assert w.bars[0].get_height() == pytest.approx(50)


def test_bedside_renders_reuse_one_figure():
    w = BedsideProbability()
    fig, n = w.live.fig, w.live.renders
    for v in (10, 20, 30):
        w.pretest.value = v
    assert w.live.fig is fig and w.live.renders == n + 3


def test_canal_scale_circle_follows_the_critical_area(monkeypatch):
    import math

    from matplotlib.patches import Circle

    monkeypatch.setattr(anatomy, "CRITICAL_AREA_MM2", 80.0)
    canal = CanalExplorer()
    (circle,) = [p for p in canal.ax.patches if isinstance(p, Circle)]
    assert circle.get_radius() == pytest.approx(math.sqrt(80.0 / math.pi))
    assert math.pi * circle.get_radius() ** 2 == pytest.approx(80.0)
    labels = [t.get_text() for t in canal.ax.texts]
    assert "80 mm²\nfor scale" in labels and not any(t.startswith("75 mm²") for t in labels)
