"""21 CFR 1271.10(a) teaching model and the regulatory pathway widget."""

from __future__ import annotations

import itertools

import pytest

from spinecourse.models import regulatory
from spinecourse.models.regulatory import Product, classify, section_361_only
from spinecourse.widgets import RegulatoryPathway
from spinecourse.widgets.regulatory import CUSTOM

BOOLS = (True, False)


@pytest.mark.parametrize(
    "mm,hom,comb,sysm,donor", list(itertools.product(BOOLS, BOOLS, BOOLS, BOOLS, list(regulatory.DONORS)))
)
def test_every_combination_follows_the_four_criteria(mm, hom, comb, sysm, donor):
    result = classify(Product(mm, hom, comb, sysm, donor))
    crit4 = (not sysm) or donor in ("autologous", "allogeneic_relative", "reproductive")
    expected = [mm, hom, not comb, crit4]
    assert [c.met for c in result.criteria] == expected
    assert [c.number for c in result.criteria] == [1, 2, 3, 4]
    assert result.section_361_only is all(expected)
    assert result.pathway == ("361" if all(expected) else "351")
    assert result.failed == tuple(i + 1 for i, ok in enumerate(expected) if not ok)
    assert section_361_only(mm, hom, comb, sysm, donor) is all(expected)
    for c in result.criteria:
        assert (
            c.reason
            and (
                "not met" in c.reason
                or "more than minimal" in c.reason
                or "non-homologous" in c.reason
                or "combined with another" in c.reason
            )
            != c.met
        )


def test_reasons_name_the_failure():
    r = classify(Product(False, False, True, True, "allogeneic_other"))
    assert r.pathway == "351" and r.failed == (1, 2, 3, 4)
    assert "more than minimal manipulation" in r.criteria[0].reason
    assert "non-homologous" in r.criteria[1].reason
    assert "combined with another article" in r.criteria[2].reason
    assert "unrelated" in r.criteria[3].reason
    assert "criterion 1" in r.summary() and "criterion 4" in r.summary()


def test_criterion_4_depends_on_donor_only_when_cells_act_systemically_or_metabolically():
    base = dict(minimally_manipulated=True, homologous_use=True, combined_with_article=False)
    assert classify(Product(**base, systemic_or_metabolic=False, donor="allogeneic_other")).pathway == "361"
    assert classify(Product(**base, systemic_or_metabolic=True, donor="allogeneic_other")).pathway == "351"
    assert classify(Product(**base, systemic_or_metabolic=True, donor="allogeneic_relative")).pathway == "361"
    assert (
        "first- or second-degree"
        in classify(Product(**base, systemic_or_metabolic=True, donor="allogeneic_relative")).criteria[3].reason
    )


def test_worked_example_culture_expanded_bm_msc_epidural_is_351():
    preset = regulatory.PRESETS["bm_msc_epidural"]
    result = classify(preset.product)
    assert result.pathway == "351"
    assert result.failed == (1, 2)
    assert "more than minimal manipulation" in result.criteria[0].reason
    assert "non-homologous" in result.criteria[1].reason


@pytest.mark.parametrize(
    "key,pathway",
    [
        ("bm_msc_epidural", "351"),
        ("allo_msc_gel", "351"),
        ("unrelated_living_cells", "351"),
        ("sibling_living_cells", "361"),
        ("structural_tissue", "361"),
    ],
)
def test_presets(key, pathway):
    assert classify(regulatory.PRESETS[key].product).pathway == pathway


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (dict(minimally_manipulated="yes"), "minimally_manipulated must be True or False"),
        (dict(homologous_use=1), "homologous_use must be True or False"),
        (dict(combined_with_article=None), "combined_with_article must be True or False"),
        (dict(systemic_or_metabolic=0.0), "systemic_or_metabolic must be True or False"),
        (dict(donor="cousin"), "donor must be one of"),
    ],
)
def test_bad_input(kwargs, match):
    fields = dict(
        minimally_manipulated=True,
        homologous_use=True,
        combined_with_article=False,
        systemic_or_metabolic=False,
        donor="autologous",
    )
    fields.update(kwargs)
    with pytest.raises(ValueError, match=match):
        classify(Product(**fields))


def test_not_a_product():
    with pytest.raises(ValueError, match="expected a Product"):
        classify({"minimally_manipulated": True})


def test_not_legal_advice_is_on_screen():
    w = RegulatoryPathway()
    assert "not legal advice" in w.widget.children[0].value


def test_widget_starts_on_the_worked_example():
    w = RegulatoryPathway()
    assert w.preset.value == "bm_msc_epidural"
    assert w.result.pathway == "351" and w.result.failed == (1, 2)
    assert "Section 351" in w.verdict.value and "Worked example" in w.verdict.value
    assert "Criteria not met: 1, 2." in w.description.value


def test_widget_answers_drive_pathway_and_reasons():
    w = RegulatoryPathway(preset=CUSTOM)
    assert w.result.pathway == "361"  # defaults: every criterion met
    assert "Section 361 only" in w.verdict.value
    w.systemic.value = True
    w.donor.value = "allogeneic_other"
    assert w.result.pathway == "351" and w.result.failed == (4,)
    assert "Criterion 4: Its action depends on living cells (or is systemic) and the donor is unrelated" in w.text
    w.donor.value = "autologous"
    assert w.result.pathway == "361"
    w.combined.value = True
    assert w.result.failed == (3,)
    assert "not met" in w.criteria.value and "combined with another article" in w.criteria.value


def test_widget_preset_sets_the_answers_and_editing_returns_to_custom():
    w = RegulatoryPathway(preset=CUSTOM)
    w.preset.value = "allo_msc_gel"
    assert (w.minimal.value, w.homologous.value, w.combined.value, w.systemic.value, w.donor.value) == (
        False,
        False,
        True,
        True,
        "allogeneic_other",
    )
    assert w.result.failed == (1, 2, 3, 4)
    w.minimal.value = True
    assert w.preset.value == CUSTOM
    assert w.result.failed == (2, 3, 4)


def test_widget_bad_preset():
    with pytest.raises(ValueError, match="unknown preset"):
        RegulatoryPathway(preset="magic")


def test_widget_dates_what_is_approved_and_the_korean_route():
    """The context under the verdict gives each dated fact with its date (findings 4 and 5 of issue 11)."""
    from spinecourse.content import dating
    from spinecourse.widgets import regulatory as regulatory_widget

    text = RegulatoryPathway().context.value
    for wanted in (
        "July 2020",
        "18 December 2024",
        "Ryoncil",
        "28 August 2020",
        "21 February 2025",
        "Act No. 20331",
        "not an approval of any product for stenosis",
        "1 July 2025",
        "is not FDA-approved and is not evidence",
        "December 2018",
        "Stemirac",
    ):
        assert wanted in text, wanted
    assert "(FDA 2020 consumer alert)" in text and "[@" not in text  # citations rendered
    assert dating.dated_fact_problems("\n\n".join(regulatory_widget.CONTEXT_NOTES)) == []


def test_model_returns_data_not_prose_or_html():
    # Layer rule: the dated clinical context and the rendering live in the widget, not in the model.
    import inspect

    source = inspect.getsource(regulatory)
    assert not hasattr(regulatory, "CONTEXT_NOTES") and "[@" not in source and "<p>" not in source
    assert "content.references" not in source
