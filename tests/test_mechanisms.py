"""Mechanism map: every entry cites checked keys; the widget shows the chosen entry."""

import dataclasses

import pytest

from spinecourse.content import mechanisms, references
from spinecourse.content.mechanisms import MECHANISMS
from spinecourse.widgets import MechanismMap


def test_five_mechanisms_in_the_source_articles_order():
    assert [m.key for m in MECHANISMS] == ["immunomodulation", "trophic", "matrix", "neural", "delay"]


def test_table_is_valid_and_every_entry_cites():
    assert mechanisms.validate() == []
    bib = references.load()
    for m in MECHANISMS:
        assert m.refs and all(k in bib for k in m.refs)
        assert references.keys_in(m.evidence)


def test_no_mechanism_claims_human_stenosis_evidence():
    # references.md section 15: nothing above mechanism/preclinical in stenosis
    assert not any(m.stenosis_human_data for m in MECHANISMS)


def test_validate_catches_problems():
    bad = dataclasses.replace(MECHANISMS[0], evidence="no citation here", level="x", to_prove="y")
    assert any("cites no reference" in p for p in mechanisms.validate([bad]))
    unknown = dataclasses.replace(MECHANISMS[0], refs=("nosuchkey2099",))
    problems = mechanisms.validate([unknown])
    assert any("unknown reference key 'nosuchkey2099'" in p for p in problems)
    assert any("does not list it in refs" in p for p in problems)


def test_get_rejects_unknown():
    with pytest.raises(ValueError, match="unknown mechanism"):
        mechanisms.get("telepathy")


def test_card_renders_citations():
    html = mechanisms.card_html(mechanisms.get("neural"))
    assert "Bydon et al. 2024" in html and "[@" not in html
    assert "No human data in stenosis" in html


def test_widget_callback():
    w = MechanismMap()
    assert w.result.key == "immunomodulation"
    for m in MECHANISMS:
        w.choice.value = m.key
        assert w.result is m
        assert m.name in w.card.value
    w.choice.value = "matrix"
    assert "NASSJ 2025" in w.card.value and "DREAM" in w.card.value


def test_widget_is_wired_through_course_widget_connect(monkeypatch):
    from spinecourse.widgets import CourseWidget

    calls = []
    original = CourseWidget.connect

    def spy(self, controls=None):
        calls.append(self)
        original(self, controls)

    monkeypatch.setattr(CourseWidget, "connect", spy)
    w = MechanismMap()
    assert calls == [w]
    w.choice.value = "neural"  # and the connection works
    assert w.result.key == "neural"
