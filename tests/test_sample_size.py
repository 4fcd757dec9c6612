"""Sample size for a two-arm trial (normal approximation) and its widget."""

import pytest

from spinecourse.models.sample_size import ODI_MIC, patients_per_arm
from spinecourse.widgets import SampleSizeCalculator


def test_known_value_checked_by_hand():
    # 2 * (1.959964 + 0.841621)^2 * 20^2 / 10^2 = 2 * 7.848879 * 4 = 62.79 -> 63 per arm
    result = patients_per_arm(sd=20, power=0.8, alpha=0.05)
    assert result.exact == pytest.approx(62.79, abs=0.01)
    assert result.per_arm == 63 and result.total == 126
    assert ODI_MIC == 10


def test_doubling_sd_quadruples_n():
    assert patients_per_arm(40).exact == pytest.approx(4 * patients_per_arm(20).exact)


@pytest.mark.parametrize("low, high", [(10, 15), (15, 25), (25, 40)])
def test_monotone_in_sd(low, high):
    assert patients_per_arm(low).per_arm < patients_per_arm(high).per_arm


def test_monotone_in_power_and_alpha():
    assert patients_per_arm(20, power=0.8).per_arm < patients_per_arm(20, power=0.9).per_arm
    assert patients_per_arm(20, alpha=0.05).per_arm < patients_per_arm(20, alpha=0.01).per_arm
    assert patients_per_arm(20, alpha=0.10).per_arm < patients_per_arm(20, alpha=0.05).per_arm
    assert patients_per_arm(20, delta=5).per_arm > patients_per_arm(20, delta=10).per_arm


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(sd=0), "sd must be between"),
        (dict(sd=-5), "sd must be between"),
        (dict(sd=20, power=0.3), "power"),
        (dict(sd=20, alpha=0), "alpha"),
        (dict(sd=20, delta=0), "delta"),
        (dict(sd="20"), "sd must be a number"),
    ],
)
def test_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        patients_per_arm(**kwargs)


def test_widget_updates_result_and_text():
    calc = SampleSizeCalculator()
    assert calc.result.per_arm == 63
    assert "63 patients per arm" in calc.output.value and "Ostelo" in calc.output.value
    calc.sd.value = 40
    assert calc.result.per_arm == 252
    assert "252 patients per arm" in calc.output.value
    calc.power.value = 0.9
    calc.alpha.value = 0.01
    assert calc.result.per_arm == patients_per_arm(40, 0.9, 0.01).per_arm
    assert len(calc.controls) == 3


@pytest.mark.parametrize(
    "sd, message",
    [
        (50, r"outside the slider's range 5 to 40"),
        (4, r"outside the slider's range 5 to 40"),
        ("20", "must be a number"),
        (True, "must be a number"),
        (float("nan"), "must be a number"),
    ],
)
def test_widget_rejects_a_start_sd_its_slider_would_clamp(sd, message):
    with pytest.raises(ValueError, match=message):
        SampleSizeCalculator(sd=sd)


def test_widget_start_sd_at_the_slider_ends():
    assert SampleSizeCalculator(sd=5).sd.value == 5 and SampleSizeCalculator(sd=40).result.per_arm == 252
