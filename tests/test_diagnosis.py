import pytest

from spinecourse.models import diagnosis
from spinecourse.models.diagnosis import bedside, post_test_probability


def test_lr_of_one_changes_nothing():
    assert post_test_probability(0.3, [1.0]) == pytest.approx(0.3)


def test_worked_example_from_the_lesson():
    # 30% pre-test, no pain seated (LR 7.4): odds 0.4286 * 7.4 = 3.171 -> 0.760
    assert post_test_probability(0.30, [7.4]) == pytest.approx(0.7603, abs=1e-4)


def test_quiz_example_two_findings():
    # 25%, age > 70 (2.0) and neurogenic claudication (3.7)
    assert bedside(0.25, ["age_over_70", "claudication_present"]).post == pytest.approx(0.7115, abs=1e-4)


def test_negative_finding_lowers_probability():
    r = bedside(0.5, ["claudication_absent"])
    assert r.post == pytest.approx(0.23 / 1.23)


def test_ci_range_brackets_the_point_estimate():
    r = bedside(0.3, ["wide_based_gait", "no_pain_seated"])
    assert r.post_low < r.post < r.post_high


def test_values_are_suri_2010():
    f = diagnosis.FINDINGS
    assert (f["wide_based_gait"].lr, f["wide_based_gait"].ci) == (13.0, (1.9, 95.0))
    assert (f["claudication_absent"].lr, f["claudication_absent"].ci) == (0.23, (0.17, 0.31))
    assert f["age_under_60"].lr == 0.40 and f["better_bending_forward"].lr == 6.4


@pytest.mark.parametrize("p", [0, 1, -0.2, 1.5, float("nan"), "0.3"])
def test_bad_pretest_probability(p):
    with pytest.raises(ValueError, match="between 0 and 1"):
        post_test_probability(p, [2.0])


@pytest.mark.parametrize("lr", [0, -1, float("inf")])
def test_bad_likelihood_ratio(lr):
    with pytest.raises(ValueError, match="likelihood ratio"):
        post_test_probability(0.3, [lr])


def test_unknown_and_contradictory_findings():
    with pytest.raises(ValueError, match="unknown finding 'limp'"):
        bedside(0.3, ["limp"])
    with pytest.raises(ValueError, match="cannot both be present"):
        bedside(0.3, ["age_over_70", "age_under_60"])
    with pytest.raises(ValueError, match="cannot both be present"):
        bedside(0.3, ["claudication_present", "claudication_absent"])


def test_description_text():
    text = diagnosis.describe(bedside(0.3, []))
    assert "unchanged" in text and "30%" in text
