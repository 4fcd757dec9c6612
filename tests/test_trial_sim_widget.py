"""The trial simulator widget driven headless: sliders -> result, artists, text."""

import numpy as np
import pytest

from spinecourse import trial_sim
from spinecourse.trial_sim_widget import TrialSimulator


@pytest.fixture()
def sim():
    return TrialSimulator()


def test_initial_state_uses_defaults_and_shows_teaching_model(sim):
    assert sim.result.settings.n_total == trial_sim.DEFAULTS["n_total"]
    assert "Teaching model" in sim.widget.children[0].value
    assert "Figure description." in sim.description.value
    assert sim.live.alt_text and sim.live.renders == 1
    assert len(sim.controls) == 4


def test_true_effect_moves_marker_and_rct_curve(sim):
    fig, renders = sim.live.fig, sim.live.renders
    sim.true_effect.value = 12
    assert sim.result.settings.true_effect == 12
    assert list(sim.truth_line.get_xdata()) == [12, 12]
    x, y = sim.rct_line.get_xdata(), sim.rct_line.get_ydata()
    centre = np.sum(x[:-1] * y[:-1]) / np.sum(y[:-1])
    assert centre == pytest.approx(12.5, abs=1.5)  # bin starts + half a bin
    assert sim.live.renders == renders + 1 and sim.live.fig is fig
    assert "Studies 'significant' (power)" in sim.numbers.value
    assert "true effect 12 points" in sim.description.value


def test_threshold_raises_single_arm_bias_only(sim):
    sim.threshold.value = 0
    low = sim.result
    sim.threshold.value = 75
    high = sim.result
    assert high.single_bias > low.single_bias + 5
    assert abs(high.rct_bias) < 2
    assert "False-positive rate" in sim.numbers.value


def test_placebo_and_sample_size_update_step_lines(sim):
    before = sim.single_line.get_ydata().copy()
    sim.placebo.value = 15
    after = sim.single_line.get_ydata()
    assert not np.array_equal(before, after)
    assert after[:-1].sum() == pytest.approx(100.0)
    sim.n_total.value = 200
    assert sim.result.single_effects.shape == (trial_sim.N_STUDIES,)
    assert sim.result.settings.n_total == 200
    assert "100 vs 100" in sim.numbers.value
