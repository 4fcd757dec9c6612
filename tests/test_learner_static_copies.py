"""What a reader without a kernel sees (course site, nbviewer): every widget's static copy.

A static copy shows a meaningful worked starting state, never a bare `None` or an unanswered `choose…`;
exercises carry their key or model answer behind a native "Show" (<details>)."""

from __future__ import annotations

import html
import re

import pytest

import spinecourse.widgets as w
from spinecourse.content import claim_sorting
from spinecourse.content.claims import CLAIMS
from spinecourse.models import eligibility
from spinecourse.widgets.base import RUN_CELL_NOTE

ALL_WIDGETS = [
    "CanalExplorer",
    "BedsideProbability",
    "ODIExplorer",
    "CrossoverSimulator",
    "TrialSimulator",
    "ISCTChecker",
    "MechanismMap",
    "ClaimLedger",
    "ClaimSorter",
    "DraftAndCompare",
    "ChallengesExplorer",
    "RegulatoryPathway",
    "EligibilityExercise",
    "SampleSizeCalculator",
]
PLACEHOLDERS = re.compile(r"\bNone\b|choose…|choose\.\.\.")


def static_of(widget) -> str:
    return widget._repr_mimebundle_()["text/html"]


def visible_text(markup: str) -> str:
    markup = re.sub(r'src="data:[^"]+"', "", markup)
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def details(markup: str) -> list[str]:
    return re.findall(r"<details><summary>Show[^<]*</summary>(.*?)</details>", markup, re.DOTALL)


@pytest.mark.parametrize("name", ALL_WIDGETS)
def test_no_static_copy_shows_a_placeholder(name):
    widget = getattr(w, name)()
    bundle = widget._repr_mimebundle_()
    text = visible_text(bundle["text/html"])
    assert not PLACEHOLDERS.search(text), f"{name}: {PLACEHOLDERS.search(text).group(0)!r} in its static copy"
    assert bundle["text/plain"] == RUN_CELL_NOTE  # what a frontend without widgets shows instead of the repr


def test_claim_ledger_works_examples_and_keeps_every_key_behind_show():
    static = static_of(w.ClaimLedger())
    hidden = details(static)
    assert len(hidden) == len(CLAIMS) - 2  # the first two claims are worked in the open
    assert "Worked example" in static
    for claim in CLAIMS:
        assert html.escape(claim.verdict) in static and f"<b>{claim.grade}</b>" in static
    assert html.escape(CLAIMS[-1].verdict) in hidden[-1]


def test_claim_sorter_shows_a_tagged_example_and_the_key_behind_show():
    static = static_of(w.ClaimSorter())
    hidden = details(static)
    assert len(hidden) == len(claim_sorting.CLAIMS) - 1
    first = claim_sorting.CLAIMS[0]
    assert f"Course tag: {html.escape(first.tag)}" in static.split("<details>")[0]
    for c, body in zip(claim_sorting.CLAIMS[1:], hidden):
        assert f"Course tag: {html.escape(c.tag)}" in body
    assert "[@" not in static


def test_mrs_k_reply_shows_the_model_answer_behind_show():
    static = static_of(w.DraftAndCompare())
    (hidden,) = details(static)
    assert "Mrs K" in static.split("<details>")[0]
    model_start = claim_sorting.MODEL_ANSWER.split(".")[0]
    assert html.escape(model_start, quote=False) in hidden and "Checklist" in hidden
    assert "[@" not in hidden


def test_eligibility_copy_is_a_worked_vignette_with_the_decision_behind_show():
    exercise = w.EligibilityExercise()
    static = static_of(exercise)
    (hidden,) = details(static)
    decision = eligibility.assess(exercise.patient.value, exercise.trial.value).decision
    assert f"Decision: <b>{decision}</b>" in hidden and "Reasoning per criterion" in hidden
    assert "Your call" not in visible_text(static) and "Decision:" not in static.split("<details>")[0]
    vignette = eligibility.get_vignette(exercise.patient.value)
    assert vignette.name in visible_text(static) and str(vignette.age) in static


def test_bedside_copy_starts_at_a_case_where_findings_change_the_probability():
    bedside = w.BedsideProbability(pretest_percent=30)
    assert bedside.result.post == pytest.approx(0.30)  # the live widget starts with no findings
    text = visible_text(static_of(bedside))
    pre, post = re.search(r"pre-test probability (\d+)%; post-test probability (\d+)%", text).groups()
    assert pre == "30" and post != "30" and "Neurogenic claudication:  present" in text
    assert "no findings chosen" not in text
    # the throw-away copy left no widget models behind in the kernel
    bedside.age.value = "age_over_70"
    assert bedside.result.post > 0.30
    assert "Age:  over 70" in visible_text(static_of(bedside))  # a chosen case is shown as it is


def test_bedside_findings_argument_is_checked():
    assert w.BedsideProbability(findings=["claudication_present", "no_pain_seated"]).findings == [
        "claudication_present",
        "no_pain_seated",
    ]
    with pytest.raises(ValueError, match="unknown finding"):
        w.BedsideProbability(findings=["tall"])
    with pytest.raises(ValueError, match="list of finding keys"):
        w.BedsideProbability(findings="claudication_present")


def test_unset_selections_name_their_option_instead_of_none():
    text = visible_text(static_of(w.ODIExplorer()))
    assert "Section 8: sex life:  skipped   after:  skipped" in text  # the option that stands for "no answer"
    assert not PLACEHOLDERS.search(text)
