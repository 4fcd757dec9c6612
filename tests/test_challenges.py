"""The challenges table (data, markdown version) and its widget, driven headless."""

from __future__ import annotations

import re

import pytest

from spinecourse.content import challenges, references
from spinecourse.widgets import ChallengesExplorer


def test_seven_challenges_of_the_source_article_in_order():
    assert [c.id for c in challenges.CHALLENGES] == [
        "cell_source",
        "engraftment",
        "delivery",
        "dose_timing",
        "safety",
        "standardisation",
        "regulation_cost",
    ]
    assert len({c.name for c in challenges.CHALLENGES}) == 7


def test_every_row_is_complete_and_cites_existing_keys():
    bib = references.load()
    for c in challenges.CHALLENGES:
        for field in ("name", "risk", "research", "evidence", "evidence_label", "source_check"):
            assert getattr(c, field).strip(), f"{c.id}: empty {field}"
        assert c.theme in challenges.THEMES
        assert c.evidence_label.startswith("Evidence:")
        keys = c.cited_keys()
        assert keys, f"{c.id} cites nothing"
        assert all(k in bib for k in keys), f"{c.id}: unknown key in {keys}"
        # the evidence text itself cites, and every listed ref is actually cited in the row's text
        cited_in_text = set(references.keys_in(" ".join([c.risk, c.research, c.evidence, c.source_check])))
        assert references.keys_in(c.evidence), f"{c.id}: evidence without a citation"
        assert set(c.refs) <= cited_in_text, f"{c.id}: refs not cited in the text: {set(c.refs) - cited_in_text}"


def test_key_evidence_is_where_the_brief_puts_it():
    assert "mastrolia2019" in challenges.get("engraftment").cited_keys()
    safety = challenges.get("safety")
    assert {"lalu2012", "wang2021", "ankrum2014"} <= set(safety.cited_keys())
    assert "immune evasive, not immune privileged" in safety.evidence
    assert "immunoprivileged" in safety.source_check and "Contradicted" in safety.source_check
    assert "OR 3.65 (2.05–6.49)" in safety.evidence and "3,546" in safety.evidence
    assert "dominici2006" in challenges.get("standardisation").cited_keys()
    assert {"cfr1271", "ec1394_2007", "korea_arba"} <= set(challenges.get("regulation_cost").cited_keys())
    dose = challenges.get("dose_timing")
    assert {"kumar2017", "amirdelfan2021"} <= set(dose.cited_keys())
    assert "6M and 18M" in dose.evidence


def test_filter_by_theme():
    assert len(challenges.filter_challenges()) == 7
    assert [c.id for c in challenges.filter_challenges("biology")] == ["cell_source", "engraftment"]
    assert [c.id for c in challenges.filter_challenges("safety")] == ["safety"]
    assert sum(len(challenges.filter_challenges(t)) for t in challenges.THEMES) == 7


def test_bad_input():
    with pytest.raises(ValueError, match="unknown theme 'cost'"):
        challenges.filter_challenges("cost")
    with pytest.raises(ValueError, match="unknown challenge 'stem'"):
        challenges.get("stem")
    with pytest.raises(ValueError, match="unknown theme"):
        ChallengesExplorer(theme="nope")
    with pytest.raises(ValueError, match="not in theme"):
        ChallengesExplorer(theme="biology", selected="safety")


def test_table_markdown_has_every_row_and_renders_citations():
    md = challenges.table_markdown()
    lines = md.splitlines()
    assert len(lines) == 2 + 7
    assert all(line.count(" | ") == 5 for line in lines[2:]), "a row has the wrong number of columns"
    for c in challenges.CHALLENGES:
        assert f"**{c.name}**" in md
    assert "[@" not in md and "(Ankrum et al. 2014)" in md
    raw = challenges.table_markdown(render=False)
    assert "[@ankrum2014]" in raw
    assert set(references.keys_in(raw)) == set(challenges.all_cited_keys())
    assert len(challenges.table_markdown("system").splitlines()) == 4


def test_detail_markdown():
    text = challenges.detail_markdown("safety")
    assert text.startswith("**Safety: tumours and immune reactions**")
    assert "Lalu et al. 2012" in text and "[@" not in text


def test_widget_filter_and_selection():
    w = ChallengesExplorer()
    assert w.result.shown == tuple(c.id for c in challenges.CHALLENGES)
    assert w.result.selected == "cell_source"
    assert len(re.findall("<tr>", w.table.value)) == 1 + 7  # header + rows

    w.row.value = "engraftment"
    assert w.result.selected == "engraftment"
    assert "relatively low engraftment rate" in w.detail.value and "Mastrolia et al. 2019" in w.detail.value
    assert "Detail shown for: Cell survival and engraftment." in w.description.value

    w.theme.value = "safety"
    assert w.result.shown == ("safety",)
    assert w.result.selected == "safety"  # previous selection is not in this theme
    assert "Cell source" not in w.table.value and "Safety: tumours" in w.table.value
    assert "immune evasive, not immune privileged" in w.detail.value
    assert "The table shows 1 of 7 challenges" in w.description.value

    w.theme.value = "biology"
    w.row.value = "engraftment"
    w.theme.value = "all"
    assert w.result.selected == "engraftment", "a selection that is still shown is kept"
    assert len(w.row.options) == 7


def test_widget_detail_matches_the_data_for_every_row():
    w = ChallengesExplorer(theme="system", selected="regulation_cost")
    assert w.result.shown == ("standardisation", "regulation_cost")
    assert "1,480 US businesses" in w.detail.value
    assert w.result.detail == challenges.detail_markdown("regulation_cost")
    for c in challenges.CHALLENGES:
        w.theme.value = c.theme
        w.row.value = c.id
        assert w.result.selected == c.id
        assert references.render_citations(c.evidence_label).split(";")[0] in w.detail.value
