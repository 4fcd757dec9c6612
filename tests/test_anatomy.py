import math

import numpy as np
import pytest

from spinecourse.models import anatomy
from spinecourse.models.anatomy import CanalInputs, classify_ap, evaluate


def test_default_canal_is_not_stenotic():
    result = evaluate(CanalInputs())
    assert result.ap_grade == "none"
    assert not result.below_critical_area
    # default: 17 mm canal - 1 mm disc - 3 mm flavum = 13 mm space available
    assert result.ap_mm == pytest.approx(13.0)
    assert result.dsca_mm2 == pytest.approx(math.pi / 4 * 12.0 * 17.0)


@pytest.mark.parametrize(
    "ap, grade",
    [(0, "absolute"), (9.99, "absolute"), (10.0, "relative"), (11.99, "relative"), (12.0, "none"), (20, "none")],
)
def test_ap_cut_points_follow_kalichman(ap, grade):
    assert classify_ap(ap) == grade


@pytest.mark.parametrize("bad", [-0.1, float("nan"), "12", None, True])
def test_classify_ap_rejects_bad_input(bad):
    with pytest.raises(ValueError, match="AP diameter"):
        classify_ap(bad)


@pytest.mark.parametrize("field", ["disc_bulge_mm", "flavum_mm", "facet_mm"])
def test_more_encroachment_never_enlarges_the_sac(field):
    low, high = anatomy.RANGES[field]
    areas, aps = [], []
    for value in np.linspace(low, high, 17):
        r = evaluate(CanalInputs(**{field: float(value)}))
        areas.append(r.dsca_mm2)
        aps.append(r.ap_mm)
    assert all(b <= a for a, b in zip(areas, areas[1:]))
    assert all(b <= a for a, b in zip(aps, aps[1:]))
    assert areas[-1] < areas[0]


def test_narrow_canal_has_less_room_for_same_soft_tissue():
    normal = evaluate(CanalInputs(disc_bulge_mm=1, flavum_mm=3))
    narrow = evaluate(CanalInputs(disc_bulge_mm=1, flavum_mm=3, narrow_canal=True))
    assert narrow.dsca_mm2 < normal.dsca_mm2
    assert narrow.ap_grade == "absolute"  # 13 - 1 - 3 = 9 mm


def test_ap_and_area_can_disagree():
    # relative by AP, still above the 75 mm² cadaver critical size: the lesson's point
    r = evaluate(CanalInputs(disc_bulge_mm=3, flavum_mm=3, facet_mm=1))
    assert r.ap_grade == "relative" and not r.below_critical_area


def test_severe_encroachment_is_below_critical_area_and_never_negative():
    r = evaluate(CanalInputs(disc_bulge_mm=8, flavum_mm=8, facet_mm=6))
    assert r.below_critical_area and r.ap_grade == "absolute"
    assert r.dsca_mm2 >= 0 and r.ap_mm >= 0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"disc_bulge_mm": -1}, "cannot be negative"),
        ({"flavum_mm": 9}, "outside the model's range"),
        ({"facet_mm": float("nan")}, "outside the model's range"),
        ({"disc_bulge_mm": "2"}, "must be a number"),
        ({"narrow_canal": "yes"}, "True or False"),
    ],
)
def test_inputs_out_of_range_raise_clear_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        CanalInputs(**kwargs)


def test_drawn_sac_has_the_reported_area():
    inputs = CanalInputs(disc_bulge_mm=2, flavum_mm=4, facet_mm=2)
    shapes = anatomy.geometry(inputs)
    assert anatomy.polygon_area(shapes["sac"]) == pytest.approx(evaluate(inputs).dsca_mm2, rel=0.01)


def test_description_mentions_the_numbers():
    inputs = CanalInputs(disc_bulge_mm=2.5)
    text = anatomy.describe(inputs, evaluate(inputs))
    assert "2.5 mm disc bulge" in text and "mm²" in text
