"""ODI scoring, minimal important change, and the ODI explorer widget driven headless."""

import math

import pytest

from spinecourse.models import outcomes
from spinecourse.widgets import ODIExplorer


def test_odi_all_answered_known_values():
    assert outcomes.odi_index([0] * 10) == 0
    assert outcomes.odi_index([5] * 10) == 100
    assert outcomes.odi_index([2] * 10) == pytest.approx(40.0)
    score = outcomes.odi_score([3, 2, 3, 4, 2, 4, 2, 1, 3, 3])
    assert (score.total, score.answered, score.skipped) == (27, 10, 0)
    assert score.index == pytest.approx(54.0)


def test_odi_skipped_sections_change_the_denominator():
    # 18 points over 8 answered sections: 18 / 40 * 100, not 18 / 50 * 100
    score = outcomes.odi_score([3, 2, None, 3, 2, 2, None, 2, 2, 2])
    assert score.answered == 8 and score.skipped == 2
    assert score.index == pytest.approx(45.0)
    assert outcomes.odi_index([5] + [None] * 9) == 100


def test_odi_index_is_monotonic_in_each_section():
    base = [2] * 10
    previous = -1.0
    for v in range(6):
        base[4] = v
        index = outcomes.odi_index(base)
        assert index > previous
        previous = index


@pytest.mark.parametrize(
    "sections, match",
    [
        ([2] * 9, "10 sections"),
        ([None] * 10, "no section answered"),
        ([6] + [0] * 9, "outside 0–5"),
        ([-1] + [0] * 9, "outside 0–5"),
        ([2.5] + [0] * 9, "whole number"),
        ([True] + [0] * 9, "whole number"),
        ("0123456789", "list of 10"),
    ],
)
def test_odi_bad_input(sections, match):
    with pytest.raises(ValueError, match=match):
        outcomes.odi_score(sections)


def test_mic_table_matches_ostelo():
    assert {k: v[0] for k, v in outcomes.MIC.items()} == {"ODI": 10, "RDQ": 5, "NRS": 2, "VAS": 15, "QBDQ": 20}
    assert outcomes.RELATIVE_THRESHOLD_PERCENT == 30


def test_classify_change_boundaries():
    exact = outcomes.classify_change(40, 30)  # 10 points, 25%
    assert exact.meets_mic and not exact.meets_relative
    assert exact.improvement == 10 and exact.percent_improvement == pytest.approx(25)
    just_below = outcomes.classify_change(40, 30.5)
    assert not just_below.meets_mic
    thirty = outcomes.classify_change(40, 28)  # 12 points = 30.000000000000004% in floats
    assert thirty.meets_relative and thirty.meets_mic
    small_baseline = outcomes.classify_change(20, 13)  # 7 points but 35%
    assert small_baseline.meets_relative and not small_baseline.meets_mic
    assert "30% threshold but not" in small_baseline.verdict
    worse = outcomes.classify_change(30, 36)
    assert worse.improvement == -6 and not worse.meets_mic and worse.verdict == "worse than before"
    zero = outcomes.classify_change(0, 0)
    assert zero.percent_improvement is None and not zero.meets_relative


def test_classify_change_other_scales_and_errors():
    assert outcomes.classify_change(14, 9, "RDQ").meets_mic
    assert not outcomes.classify_change(6, 5, "NRS").meets_mic
    with pytest.raises(ValueError, match="outside the scale 0–24"):
        outcomes.classify_change(30, 10, "RDQ")
    with pytest.raises(ValueError, match="unknown measure"):
        outcomes.classify_change(30, 10, "SF36")
    with pytest.raises(ValueError, match="must be a number"):
        outcomes.classify_change(math.nan, 10)


def test_widget_default_and_callbacks():
    w = ODIExplorer()
    fig, renders = w.live.fig, w.live.renders
    assert w.result.before == pytest.approx(26 / 45 * 100)
    # set every 'after' section equal to 'before': no improvement
    for b, a in zip(w.before, w.after):
        a.value = b.value
    assert w.result.improvement == 0
    assert w.bars[1].get_height() == pytest.approx(w.bars[0].get_height())
    assert "no improvement" in w.description.value
    # skip a section in 'after' only: the denominator changes
    w.after[0].value = None
    assert w.scores[1].answered == 8
    assert w.live.renders > renders and w.live.fig is fig
    assert w.mic_line.get_ydata()[0] == pytest.approx(w.result.before - 10)
    assert w.rel_line.get_ydata()[0] == pytest.approx(w.result.before * 0.7)
    assert "Figure description" in w.description.value and w.live.alt_text


def test_widget_all_skipped_is_reported_not_crashing():
    w = ODIExplorer()
    assert w.value_labels[0].get_text() and w.mic_text.get_visible() and w.scores is not None
    for a in w.after:
        a.value = None
    assert w.result is None
    assert "every section is skipped" in w.numbers.value
    assert w.bars[0].get_height() == 0
    # nothing stale from the last scored state: no value labels, no threshold texts, no scores
    assert [label.get_text() for label in w.value_labels] == ["", ""]
    assert not w.mic_text.get_visible() and not w.rel_text.get_visible()
    assert w.scores is None
    w.after[3].value = 4
    assert w.result is not None and w.bars[1].get_height() == pytest.approx(80.0)
    assert w.mic_text.get_visible() and w.rel_text.get_visible()  # shown again once scorable
    assert w.value_labels[1].get_text() == "80.0" and w.scores[1].answered == 1


def test_reference_scores_are_the_after_scores_that_just_meet_each_threshold():
    change = outcomes.classify_change(40, 25)
    assert outcomes.reference_scores(change) == pytest.approx((30.0, 28.0))
    mic_y, rel_y = outcomes.reference_scores(change)
    assert outcomes.classify_change(40, mic_y).meets_mic and outcomes.classify_change(40, rel_y).meets_relative
    assert outcomes.reference_scores(outcomes.classify_change(6, 6)) == pytest.approx((0.0, 4.2))  # floored at 0
    text = outcomes.describe_change(change)
    assert "(30.0)" in text and "(28.0)" in text


def test_widget_lines_use_reference_scores():
    w = ODIExplorer()
    mic_y, rel_y = outcomes.reference_scores(w.result)
    assert w.mic_line.get_ydata()[0] == mic_y and w.rel_line.get_ydata()[0] == rel_y
    assert w.mic_text.get_position()[1] == mic_y and w.rel_text.get_position()[1] == rel_y
