"""Item analysis on a synthetic, seeded cohort with known properties (no nbgrader needed)."""

from __future__ import annotations

import numpy as np
import pytest

from spinecourse.grading import item_analysis
from spinecourse.widgets import PALETTE


def cohort(n=200, seed=7):
    """'good' tracks ability, 'noise' is a coin flip, 'broken' nobody passes, 'easy' everybody passes."""
    rng = np.random.default_rng(seed)
    ability = rng.normal(size=n)
    rows = []
    for k in range(n):
        s = f"s{k:03d}"
        scores = {
            "good": 2.0 * (ability[k] + 0.3 * rng.normal() > 0),
            "good2": 1.0 * (ability[k] + 0.3 * rng.normal() > 0.5),
            "noise": 1.0 * (rng.random() < 0.5),
            "broken": 0.0,
            "easy": 1.0,
        }
        maxima = {"good": 2, "good2": 1, "noise": 1, "broken": 3, "easy": 1}
        rows += [{"student": s, "item": i, "score": v, "max": maxima[i]} for i, v in scores.items()]
    return rows


def test_known_properties():
    a = item_analysis.analyse(cohort())
    assert [s.item for s in a.items] == ["good", "good2", "noise", "broken", "easy"]
    assert a.all_failed == ["broken"]
    assert a.item("broken").difficulty == 0 and a.item("easy").difficulty == 1
    assert 0.35 < a.item("good").difficulty < 0.65  # ability > 0 for about half
    assert 0.2 < a.item("good2").difficulty < 0.4
    assert a.item("good").discrimination > 0.3 > abs(a.item("noise").discrimination)
    assert abs(a.item("noise").discrimination) < 0.2 and "noise" in a.low_discrimination
    assert a.item("broken").discrimination is None and a.item("easy").discrimination is None
    assert a.max_total == 8 and len(a.students) == 200
    assert a.totals["s000"] == sum(r["score"] for r in cohort() if r["student"] == "s000")


def test_item_rest_not_item_total():
    # Two students, three; an item-total correlation would be inflated by the item itself.
    rows = [
        {"student": s, "item": i, "score": v, "max": 1}
        for s, vals in {"a": (1, 0), "b": (0, 1), "c": (1, 1), "d": (0, 0)}.items()
        for i, v in zip(("x", "y"), vals)
    ]
    a = item_analysis.analyse(rows)
    assert a.item("x").discrimination == pytest.approx(0.0)


def test_ungraded_scores_are_left_out():
    rows = [{"student": s, "item": "manual", "score": None, "max": 3} for s in "abc"]
    rows += [{"student": s, "item": "auto", "score": v, "max": 1} for s, v in zip("abc", (1, 0, 1))]
    a = item_analysis.analyse(rows)
    assert a.item("manual").n == 0 and a.all_failed == []
    half = rows + [{"student": "d", "item": "manual", "score": 0, "max": 3}]
    assert item_analysis.analyse(half).all_failed == []  # 1 of 4 marked: not "everybody failed"
    assert a.item("auto").difficulty == pytest.approx(2 / 3)
    assert "manual" in item_analysis.format_report(a)


@pytest.mark.parametrize(
    "rows, match",
    [
        ([], "no scores"),
        ([{"student": "a", "item": "x", "score": 2, "max": 1}], "scored 2.0 on x"),
        ([{"student": "a", "item": "x", "score": 0, "max": 0}], "must be positive"),
        ([{"student": "a", "score": 0, "max": 1}], "lacks \\['item'\\]"),
    ],
)
def test_bad_tables(rows, match):
    with pytest.raises(ValueError, match=match):
        item_analysis.analyse(rows)


def test_report_and_figure():
    a = item_analysis.analyse(cohort())
    text = item_analysis.format_report(a)
    assert "EVERY student failed: broken" in text and "200 students" in text
    fig, description = item_analysis.figure(a)
    hist_ax, bar_ax = fig.axes
    assert sum(p.get_height() for p in hist_ax.patches) == 200
    bars = {label.get_text(): bar for label, bar in zip(bar_ax.get_yticklabels(), bar_ax.patches)}
    assert bars["easy"].get_width() == 1 and bars["broken"].get_width() == 0
    assert bars["broken"].get_facecolor()[:3] == pytest.approx(
        tuple(int(PALETTE["vermillion"][i : i + 2], 16) / 255 for i in (1, 3, 5))
    )
    assert hist_ax.get_xlabel() and bar_ax.get_xlabel()
    assert "broken" in description and "200 students" in description
