"""The trial simulator widget driven headless: sliders -> result, artists, text."""

import numpy as np
import pytest

from spinecourse.models import trial_sim
from spinecourse.widgets import TrialSimulator


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


def test_extreme_settings_fit_the_bins_and_the_axes(sim):
    # The largest single-arm bias the sliders reach: mean about 51.5 points. With the old bins
    # (up to 50) every study piled up in the last bin and the bar was clipped by the y-limit.
    sim.threshold.value = trial_sim.RANGES["threshold"][1]
    sim.placebo.value = trial_sim.RANGES["placebo"][1]
    sim.true_effect.value = trial_sim.RANGES["true_effect"][1]
    ymax = sim.ax.get_ylim()[1]
    for n in (trial_sim.RANGES["n_total"][0], 40, trial_sim.RANGES["n_total"][1]):
        sim.n_total.value = n
        assert sim.result.single_mean > 50
        for effects in (sim.result.single_effects, sim.result.rct_effects):
            assert effects.max() < trial_sim.BIN_HIGH  # nothing is pushed into the edge bin
        for line in (sim.single_line, sim.rct_line):
            y = line.get_ydata()
            assert y[-2] < 1.0, f"n={n}: {y[-2]:.0f}% of studies pile up in the last bin"
            assert y.max() <= ymax, f"n={n}: the tallest bar ({y.max():.0f}%) is above the axis"
        assert not sim.off_scale.get_visible()


def test_tallest_reachable_bar_is_inside_the_axes(sim):
    # the narrowest histograms: most patients, a high threshold (scanned over the whole slider grid)
    sim.n_total.value = 200
    for effect, placebo, threshold in ((17, 15, 36), (20, 15, 80), (0, 0, 0), (20, 0, 60)):
        sim.true_effect.value, sim.placebo.value, sim.threshold.value = effect, placebo, threshold
        tallest = max(trial_sim.histogram_percent(e).max() for e in (sim.result.single_effects, sim.result.rct_effects))
        assert tallest <= sim.ax.get_ylim()[1]
        assert not sim.off_scale.get_visible()


def test_off_scale_bar_is_clipped_and_marked():
    few = TrialSimulator(n_studies=10, n_total=200, threshold=80)  # 10 studies: 7 of them share one bin
    tallest = max(trial_sim.histogram_percent(e).max() for e in (few.result.single_effects, few.result.rct_effects))
    assert tallest == pytest.approx(70.0) and tallest > few.ax.get_ylim()[1]
    assert few.off_scale.get_visible() and few.off_scale.get_text() == "▲ off scale: tallest bar 70%"
    assert max(few.single_line.get_ydata().max(), few.rct_line.get_ydata().max()) <= few.ax.get_ylim()[1]
    assert "cut off" in few.description.value


def test_settings_without_a_slider_are_passed_through():
    sim = TrialSimulator(alpha=0.01, seed=7, n_studies=100, threshold=60)
    s = sim.result.settings
    assert (s.alpha, s.seed, s.n_studies, s.threshold) == (0.01, 7, 100, 60)
    assert sim.result.single_effects.shape == (100,)
    assert "alpha 0.01" in sim.numbers.value and "100 simulated studies" in sim.ax.get_title()
    sim.placebo.value = 10  # a slider change keeps them
    assert sim.result.settings.alpha == 0.01 and sim.result.settings.seed == 7


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(treshold=60), "unknown setting"),
        (dict(effect=5), "unknown setting"),
        (dict(threshold=95), "threshold must be a number from 0 to 80"),
        (dict(n_total=300), "n_total"),
        (dict(alpha="0.05"), "alpha"),
    ],
)
def test_bad_start_settings_raise(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TrialSimulator(**kwargs)
