"""Statistical behaviour of the trial simulator (fixed seeds)."""

from statistics import NormalDist

import numpy as np
import pytest

from spinecourse.models import trial_sim
from spinecourse.models.trial_sim import TrialSettings, simulate


def test_rct_false_positive_rate_is_near_alpha_with_zero_effect():
    result = simulate(n_total=40, true_effect=0.0, placebo=5.0, threshold=55.0, n_studies=4000, seed=7)
    assert 0.035 <= result.rct_share_significant <= 0.065
    assert abs(result.rct_mean) < 0.3


@pytest.mark.parametrize("alpha", [0.01, 0.10])
def test_rct_false_positive_rate_follows_alpha(alpha):
    result = simulate(
        TrialSettings(n_total=30, true_effect=0.0, threshold=0.0, placebo=0.0, n_studies=4000, alpha=alpha, seed=11)
    )
    assert abs(result.rct_share_significant - alpha) < 0.02


def test_single_arm_is_unbiased_without_threshold_or_placebo():
    result = simulate(n_total=40, true_effect=0.0, placebo=0.0, threshold=0.0, n_studies=4000, seed=3)
    assert abs(result.single_mean) < 0.3
    assert 0.02 <= result.single_share_significant <= 0.09


def test_regression_to_the_mean_biases_single_arm_upward():
    result = simulate(n_total=40, true_effect=0.0, placebo=0.0, threshold=60.0, n_studies=2000, seed=5)
    assert trial_sim.POP_MEAN < 60  # the threshold sits above the population mean
    assert result.single_mean > 5.0
    assert result.single_mean == pytest.approx(result.expected_rtm, abs=0.5)
    assert result.single_share_significant > 0.9
    assert abs(result.rct_mean) < 0.5


def test_placebo_response_biases_single_arm_by_its_size():
    base = simulate(n_total=40, true_effect=0.0, placebo=0.0, threshold=0.0, n_studies=2000, seed=9)
    with_placebo = simulate(n_total=40, true_effect=0.0, placebo=8.0, threshold=0.0, n_studies=2000, seed=9)
    assert with_placebo.single_mean - base.single_mean == pytest.approx(8.0, abs=0.2)
    assert abs(with_placebo.rct_mean) < 0.5  # a sham arm cancels the placebo response


def test_rct_recovers_the_true_effect_and_power_grows_with_size():
    small = simulate(n_total=20, true_effect=10.0, n_studies=1000, seed=2)
    large = simulate(n_total=120, true_effect=10.0, n_studies=1000, seed=2)
    assert small.rct_mean == pytest.approx(10.0, abs=1.0)
    assert large.rct_mean == pytest.approx(10.0, abs=0.5)
    assert large.rct_share_significant > small.rct_share_significant
    assert large.rct_share_significant > 0.95


def test_expected_regression_to_mean_grows_with_threshold():
    values = [trial_sim.expected_regression_to_mean(t) for t in (0, 30, 45, 60, 80)]
    assert values[0] == pytest.approx(0.0, abs=0.05)
    assert all(a < b for a, b in zip(values, values[1:]))


def test_fixed_seed_is_reproducible_and_shapes():
    a, b = simulate(), simulate()
    np.testing.assert_array_equal(a.single_effects, b.single_effects)
    assert a.single_effects.shape == a.rct_effects.shape == (trial_sim.N_STUDIES,)
    assert simulate(seed=1).single_effects[0] != a.single_effects[0]


def test_t_critical_known_values():
    assert trial_sim.t_critical(10) == pytest.approx(2.228139, abs=1e-4)
    assert trial_sim.t_critical(30) == pytest.approx(2.042272, abs=1e-4)
    assert trial_sim.t_critical(10_000) == pytest.approx(NormalDist().inv_cdf(0.975), abs=1e-3)
    with pytest.raises(ValueError, match="degrees of freedom"):
        trial_sim.t_critical(0)


def test_norm_ppf_matches_statistics():
    p = np.array([1e-12, 0.001, 0.02, 0.3, 0.5, 0.97, 0.999])
    expected = [NormalDist().inv_cdf(x) for x in p]
    np.testing.assert_allclose(trial_sim._norm_ppf(p), expected, atol=1e-8)


def test_histogram_percent_sums_to_100_and_clips_to_edges():
    pct = trial_sim.histogram_percent(np.array([-100.0, 0.5, 0.7, 1000.0]))
    assert pct.sum() == pytest.approx(100.0)
    assert pct[0] == 25.0 and pct[-1] == 25.0
    assert pct[int((0.5 - trial_sim.BIN_LOW) / trial_sim.BIN_WIDTH)] == 50.0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(n_total=41), "even number"),
        (dict(n_total=4), "even number"),
        (dict(n_total=40.0), "whole number"),
        (dict(true_effect=-1.0), "true_effect"),
        (dict(placebo=float("nan")), "placebo"),
        (dict(threshold=95.0), "threshold"),
        (dict(alpha=0.7), "alpha"),
        (dict(n_studies=5), "n_studies"),
        (dict(alpha="0.05"), "alpha must be a number"),
        (dict(alpha=None), "alpha must be a number"),
        (dict(true_effect=True), "true_effect"),
        (dict(placebo=False), "placebo"),
        (dict(threshold=True), "threshold"),
        (dict(seed=1.5), "seed"),
        (dict(seed="2024"), "seed"),
        (dict(seed=-1), "seed"),
        (dict(n_studies=True), "n_studies"),
    ],
)
def test_bad_settings_raise(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TrialSettings(**kwargs)


def test_describe_mentions_bias_and_rate():
    text = trial_sim.describe(simulate())
    assert "False-positive rate" in text and "single-arm" in text and "bias" in text
    text = trial_sim.describe(simulate(true_effect=5.0))
    assert "Share of studies significant" in text


def test_example_series_is_seeded_whole_points_and_enrols_above_threshold():
    before, after = trial_sim.example_series(seed=406)
    again, _ = trial_sim.example_series(seed=406)
    np.testing.assert_array_equal(before, again)
    assert before.shape == after.shape == (12,)
    assert np.all(before >= 55) and np.all(before == np.round(before))
    assert float(np.mean(before - after)) == pytest.approx(11.583, abs=0.01)  # the quiz 04 answer (11.6)
    with pytest.raises(ValueError, match="n_patients"):
        trial_sim.example_series(n_patients=1)


@pytest.mark.parametrize("threshold", [95.0, -5.0, float("nan"), "55", True])
def test_expected_regression_to_mean_rejects_bad_thresholds(threshold):
    with pytest.raises(ValueError, match="threshold"):
        trial_sim.expected_regression_to_mean(threshold)


def test_bins_hold_every_reachable_estimate():
    top = {name: trial_sim.RANGES[name][1] for name in ("threshold", "placebo", "true_effect")}
    extreme = simulate(**top)  # threshold 80, placebo 15, effect 20
    assert extreme.single_mean == pytest.approx(51.5, abs=1.0)
    pct = trial_sim.histogram_percent(extreme.single_effects)
    assert pct[-1] == 0 and extreme.single_effects.max() < trial_sim.BIN_HIGH


def test_points_never_prints_negative_zero():
    assert trial_sim.points(-0.04) == "0.0" and trial_sim.points(-0.04, signed=True) == "+0.0"
    assert trial_sim.points(-0.06) == "-0.1" and trial_sim.points(12.94, signed=True) == "+12.9"
