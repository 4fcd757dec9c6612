"""ISCT minimal criteria checker (pure function and widget)."""

import pytest

from spinecourse.models import isct
from spinecourse.widgets import ISCTChecker
from spinecourse.widgets.isct import DEFAULT_MARKERS

GOOD = dict(DEFAULT_MARKERS)


def check(markers=None, adherent=True, lineages=isct.LINEAGES):
    return isct.check_isct(dict(GOOD, **(markers or {})), adherent, lineages)


def test_good_preparation_passes_every_criterion():
    r = check()
    assert r.passed and r.failed == []
    assert [c.name.split(" (")[0] for c in r.criteria] == [
        "Plastic adherence",
        "Positive markers",
        "Negative markers",
        "Trilineage differentiation in vitro",
    ]


def test_thresholds_are_inclusive():
    assert check({"CD105": 95.0, "CD34": 2.0}).passed
    r = check({"CD105": 94.9})
    assert not r.passed and r.failed == ["Positive markers (CD105, CD73, CD90 ≥95%)"]
    assert "CD105 94.9%" in r.criteria[1].reason
    r = check({"HLA-DR": 2.1})
    assert not r.passed and "HLA-DR 2.1%" in r.criteria[2].reason


def test_each_criterion_fails_on_its_own():
    assert check(adherent=False).failed == ["Plastic adherence"]
    r = check(lineages=["osteoblasts", "adipocytes"])
    assert r.failed == ["Trilineage differentiation in vitro"]
    assert "chondroblasts" in r.criteria[3].reason
    r = check({"CD73": 80.0, "CD45": 10.0}, adherent=False, lineages=[])
    assert len(r.failed) == 4


def test_marker_aliases():
    markers = {"CD105": 99, "CD73": 99, "CD90": 99, "CD45": 1, "CD34": 1, "CD11b": 1, "CD19": 1, "HLA-DR": 1}
    assert isct.check_isct(markers, True, isct.LINEAGES).passed
    assert isct.canonical_marker("cd79a") == "CD79α/CD19"
    assert isct.canonical_marker("CD14") == "CD14/CD11b"


@pytest.mark.parametrize(
    "markers, adherent, lineages, match",
    [
        ({"CD105": 99}, True, isct.LINEAGES, "missing marker"),
        (dict(GOOD, CD73=101), True, isct.LINEAGES, "between 0 and 100"),
        (dict(GOOD, CD73="high"), True, isct.LINEAGES, "must be a number"),
        (dict(GOOD, CD117=5), True, isct.LINEAGES, "unknown marker"),
        (dict(GOOD, CD14=1), True, isct.LINEAGES, "given twice"),
        (GOOD, "yes", isct.LINEAGES, "True or False"),
        (GOOD, True, "osteoblasts", "list of lineages"),
        (GOOD, True, ["neurons"], "unknown lineage"),
    ],
)
def test_bad_input(markers, adherent, lineages, match):
    with pytest.raises(ValueError, match=match):
        isct.check_isct(markers, adherent, lineages)


def test_widget_callbacks():
    w = ISCTChecker()
    fig, renders = w.live.fig, w.live.renders
    assert w.result.passed
    w.sliders["CD90"].value = 90.0
    assert not w.result.passed and w.result.failed == ["Positive markers (CD105, CD73, CD90 ≥95%)"]
    bar = w.bars["CD90"]
    assert bar.get_width() == pytest.approx(90.0) and bar.get_hatch() == "//"
    assert "Does not meet" in w.numbers.value and "CD90 90%" in w.numbers.value
    w.sliders["CD90"].value = 95.0
    assert w.result.passed and w.bars["CD90"].get_hatch() in ("", None)
    w.lineages["adipocytes"].value = False
    assert w.result.failed == ["Trilineage differentiation in vitro"]
    w.adherent.value = False
    assert "Plastic adherence" in w.result.failed
    assert w.live.renders > renders and w.live.fig is fig
    assert "Figure description" in w.description.value and "does not meet" in w.live.alt_text


@pytest.mark.parametrize(
    "name, pct, passes",
    [
        ("CD105", 95.0, True),
        ("CD105", 94.9, False),
        ("cd73", 100, True),
        ("CD45", 2.0, True),
        ("CD45", 2.1, False),
        ("CD11b", 0, True),
        ("HLA-DR", 50, False),
    ],
)
def test_marker_passes_applies_the_threshold_of_its_half(name, pct, passes):
    assert isct.marker_passes(name, pct) is passes


def test_marker_passes_rejects_bad_input():
    with pytest.raises(ValueError, match="unknown marker"):
        isct.marker_passes("CD117", 99)
    with pytest.raises(ValueError, match="must be a number"):
        isct.marker_passes("CD73", True)


def test_widget_bars_follow_marker_passes():
    w = ISCTChecker()
    for value in (1.5, 2.0, 2.5, 94.0, 95.0):
        for m, slider in w.sliders.items():
            slider.value = value
            ok = isct.marker_passes(m, value)
            assert (w.bars[m].get_hatch() or "") == ("" if ok else "//"), (m, value)


def test_widget_normalises_start_spellings():
    w = ISCTChecker(markers={"cd105": 90.0, "CD19": 5.0}, lineages=["Osteoblasts", "adipocytes"])
    assert w.sliders["CD105"].value == 90.0 and w.sliders["CD79α/CD19"].value == 5.0
    assert [lin for lin, box in w.lineages.items() if box.value] == ["osteoblasts", "adipocytes"]
    assert len(w.result.failed) == 3


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(markers={"bogus": 3}), "unknown marker 'bogus'"),
        (dict(markers={"CD14": 1, "CD11b": 1}), "given twice"),
        (dict(markers={"CD73": 120}), "between 0 and 100"),
        (dict(markers={"CD73": -1}), "between 0 and 100"),
        (dict(lineages=["neurons"]), "unknown lineage"),
        (dict(lineages="osteoblasts"), "list of lineages"),
        (dict(adherent="yes"), "True or False"),
    ],
)
def test_widget_rejects_bad_start_values(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ISCTChecker(**kwargs)
