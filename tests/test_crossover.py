"""ITT vs as-treated teaching simulation and its widget."""

import math

import numpy as np
import pytest

from spinecourse.models import crossover
from spinecourse.widgets import CrossoverSimulator


def run(**kw):
    return crossover.simulate(crossover.TrialSettings(**kw))


def test_seeded_and_deterministic():
    a, b = run(seed=3), run(seed=3)
    assert a.itt == b.itt and a.as_treated == b.as_treated
    assert run(seed=4).itt != a.itt


def test_uptake_is_exact():
    r = run(uptake_surgery_arm=0.67, uptake_control_arm=0.43, n_per_arm=1000)
    assert r.observed_uptake == (0.67, 0.43)


def test_no_crossover_no_selection_recovers_true_effect():
    r = run(true_effect=10, uptake_surgery_arm=1.0, uptake_control_arm=0.0, selection=0.0, n_per_arm=5000)
    assert r.itt.value == pytest.approx(10, abs=1.0)
    assert r.as_treated.value == r.itt.value  # the two analyses coincide without crossover
    assert r.itt.low < 10 < r.itt.high


def test_itt_is_diluted_by_crossover():
    r = run(true_effect=10, uptake_surgery_arm=0.67, uptake_control_arm=0.43, selection=0.0, n_per_arm=5000)
    assert crossover.expected_itt(10, 0.67, 0.43) == pytest.approx(2.4)
    assert r.itt.value == pytest.approx(2.4, abs=1.0)
    assert r.iv.value == pytest.approx(10, abs=4.0)


def test_itt_does_not_depend_on_selection_but_as_treated_does():
    worse_to_surgery = run(true_effect=8, selection=0.8, n_per_arm=3000)
    better_to_surgery = run(true_effect=8, selection=-0.8, n_per_arm=3000)
    assert worse_to_surgery.itt.value == pytest.approx(better_to_surgery.itt.value)
    assert worse_to_surgery.as_treated.value < 8 - 5  # biased against surgery
    assert better_to_surgery.as_treated.value > 8 + 5  # biased towards surgery
    assert worse_to_surgery.prognosis_gap > 0 > better_to_surgery.prognosis_gap


def test_as_treated_bias_grows_with_selection():
    values = [run(true_effect=8, selection=s, n_per_arm=3000).as_treated.value for s in (-0.9, -0.3, 0.3, 0.9)]
    assert all(np.diff(values) < 0)


def test_iv_missing_when_uptake_equal():
    r = run(uptake_surgery_arm=0.5, uptake_control_arm=0.5)
    assert r.iv is None
    assert "not shown" in crossover.describe(r)


def test_as_treated_undefined_when_nobody_operated():
    r = run(uptake_surgery_arm=0.0, uptake_control_arm=0.0)
    assert math.isnan(r.as_treated.value) and r.iv is None


@pytest.mark.parametrize(
    "kw, match",
    [
        ({"uptake_surgery_arm": 67}, "proportion between 0 and 1"),
        ({"uptake_control_arm": -0.1}, "proportion between 0 and 1"),
        ({"selection": 1.5}, "outside the simulation's range"),
        ({"true_effect": math.nan}, "must be a number"),
        ({"n_per_arm": 5}, "whole number from 20"),
        ({"n_per_arm": 100.5}, "whole number from 20"),
        ({"seed": -1}, "non-negative"),
    ],
)
def test_bad_settings(kw, match):
    with pytest.raises(ValueError, match=match):
        crossover.TrialSettings(**kw)


def test_expected_itt_rejects_percentages():
    with pytest.raises(ValueError, match="proportion"):
        crossover.expected_itt(10, 67, 43)


def test_widget_callbacks_move_artists():
    w = CrossoverSimulator()
    fig, renders = w.live.fig, w.live.renders
    assert w.preset.value.startswith("SPORT")
    w.effect.value = 15.0
    assert w.result.true_effect == 15.0
    assert w.true_line.get_xdata()[0] == 15.0
    assert w.dots[0].get_xdata()[0] == 15.0
    assert w.dots[1].get_xdata()[0] == pytest.approx(w.result.itt.value)
    itt_before = w.result.itt.value
    w.selection.value = -0.8
    assert w.result.itt.value == pytest.approx(itt_before)
    assert w.dots[2].get_xdata()[0] == pytest.approx(w.result.as_treated.value)
    assert w.result.as_treated.value > 15
    assert w.live.renders > renders and w.live.fig is fig
    assert "Figure description" in w.description.value and "true effect 15.0" in w.live.alt_text.lower()


def test_widget_presets_and_custom():
    w = CrossoverSimulator()
    w.preset.value = "No crossover"
    assert (w.uptake_surgery.value, w.uptake_control.value) == (100, 0)
    assert w.result.observed_uptake == (1.0, 0.0)
    w.uptake_control.value = 10
    assert w.preset.value == "custom"
    w.preset.value = next(p for p in crossover.PRESETS if p.startswith("Delitto"))
    assert w.uptake_control.value == 57 and w.result.observed_uptake[1] == pytest.approx(0.57)
    w.uptake_surgery.value = 50
    w.uptake_control.value = 50
    assert w.result.iv is None and not w.dots[3].get_visible()
    assert "n/a" in w.numbers.value


@pytest.mark.parametrize("uptakes", [(0.0, 0.0), (1.0, 1.0)])  # both reachable with the sliders
def test_describe_says_n_a_not_nan_when_nobody_or_everybody_is_operated(uptakes):
    r = run(uptake_surgery_arm=uptakes[0], uptake_control_arm=uptakes[1])
    assert math.isnan(r.as_treated.value) and math.isnan(r.prognosis_gap)
    text = crossover.describe(r)
    assert "nan" not in text.lower()
    assert "as-treated n/a (everyone or nobody had surgery)" in text


def test_format_helpers():
    assert crossover.format_estimate(crossover.Estimate(2.0, -1.25, 5.0)) == "+2.0 (95% CI -1.2 to +5.0)"
    assert crossover.format_estimate(None) == "n/a"
    assert crossover.format_estimate(crossover.Estimate(math.nan, math.nan, math.nan), "none") == "none"
    assert crossover.format_number(0.123, "+.2f", "SD") == "+0.12 SD"
    assert crossover.format_number(math.nan, "+.2f", "SD") == "n/a"


def test_widget_numbers_without_nan_at_extreme_uptakes():
    w = CrossoverSimulator()
    for value in (0, 100):
        w.uptake_surgery.value = value
        w.uptake_control.value = value
        assert math.isnan(w.result.prognosis_gap)
        for text in (w.numbers.value, w.description.value, w.live.alt_text):
            assert "nan" not in text.lower(), text
        assert "Prognosis gap (operated − not operated): n/a" in w.numbers.value


@pytest.mark.parametrize(
    "kw, match",
    [
        ({"n_per_arm": 4000}, "n_per_arm .* outside the slider's range 50 to 3000"),
        ({"n_per_arm": 20}, "n_per_arm .* outside the slider's range 50 to 3000"),
        ({"seed": 150}, "seed .* outside the slider's range 0 to 99"),
    ],
)
def test_widget_rejects_start_values_its_sliders_would_clamp(kw, match):
    settings = crossover.TrialSettings(**kw)  # valid for the model
    with pytest.raises(ValueError, match=match):
        CrossoverSimulator(settings)
