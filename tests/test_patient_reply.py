"""The Mrs K reply rubric (lesson 06): the hint never ticks a point the draft contradicts, negation included."""

import copy
from pathlib import Path

import pytest
import yaml

from spinecourse.content import claim_sorting as cs
from spinecourse.content import schema_check
from spinecourse.widgets import DraftAndCompare


def _found(draft):
    return {item.id: found for item, found in cs.review_draft(draft)}


def _warned(draft):
    return {item.id for item, _ in cs.draft_warnings(draft)}


@pytest.mark.parametrize(
    "draft",
    [
        "I understand your hope. It is not proven, so cancel the surgery and have the injection. What matters to you?",
        "Thank you for asking. You can skip your appointment; the injection is worth a try.",
        "Good question. Have the injection instead of the operation.",
        "I see the appeal. With this you won't need the operation. Any questions?",
        "I understand, but it's experimental, so postpone the surgery and see.",
        "Honestly, I'd cancel your surgery appointment.",
    ],
)
def test_a_reply_that_abandons_proven_care_never_ticks_that_point(draft):
    found = _found(draft)
    assert found["proven-care"] is False
    assert "proven-care" in _warned(draft)


@pytest.mark.parametrize(
    "draft",
    [
        "Please do not cancel the surgery; the injection is not proven.",
        "I wouldn't skip your appointment: let's talk through surgery and physiotherapy as options.",
        "There is no reason to cancel your operation, and no trial shows the injection works in stenosis.",
        "Please keep your surgery appointment and bring your questions.",
        "It would be a mistake to cancel the surgery because of an advert.",
    ],
)
def test_an_honest_reply_with_negated_wording_ticks_proven_care_and_raises_no_warning(draft):
    assert _found(draft)["proven-care"] is True
    assert "proven-care" not in _warned(draft)


@pytest.mark.parametrize(
    "draft, point",
    [
        ("It has been proven to work. Keep your appointment.", "unproven"),
        ("The research is experimental, but it will regrow the disc.", "unproven"),
        ("Stem cells really work for backs.", "unproven"),
        ("There are no risks at all with these injections.", "harms-regulation"),
    ],
)
def test_promises_and_reassurance_undo_their_point(draft, point):
    assert _found(draft)[point] is False and point in _warned(draft)


@pytest.mark.parametrize(
    "draft, point",
    [
        ("No study has shown that it will regrow your spine.", "unproven"),
        ("It is not proven, and nobody can promise it will cure you.", "unproven"),
        ("Injections are not without risks: harms have been reported.", "harms-regulation"),
    ],
)
def test_negated_promises_are_honest(draft, point):
    assert _found(draft)[point] is True and point not in _warned(draft)


def test_model_answer_meets_every_point_and_is_never_warned():
    assert all(found for _, found in cs.review_draft(cs.MODEL_ANSWER))
    assert cs.draft_warnings(cs.MODEL_ANSWER) == []
    assert all(item.look_for and item.model_excerpt for item in cs.CHECKLIST)


def test_bad_input_is_a_clear_error():
    with pytest.raises(ValueError, match="the draft must be text"):
        cs.review_draft(None)
    with pytest.raises(ValueError, match="the draft must be text"):
        cs.draft_warnings(3)


def test_rubric_schema_checks_excerpts_and_against_patterns():
    path = Path(cs.__file__).parent / "data" / "patient_reply.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert schema_check.problems(data, "patient_reply", "patient_reply.yml") == [] and cs.excerpt_problems(data) == []
    bad = copy.deepcopy(data)
    bad["checklist"][0]["model_excerpt"] = "words the model answer never says"
    bad["checklist"][1]["against"] = ["(unclosed"]
    bad["checklist"][2]["colour"] = "red"
    problems = schema_check.problems(bad, "patient_reply", "patient_reply.yml") + cs.excerpt_problems(bad)
    first, second, third = (
        schema_check.entry_name("patient_reply.yml", "checklist", n, bad["checklist"][n]) for n in range(3)
    )
    assert any(p.startswith(f"{first}, field 'model_excerpt': is not words of the model answer") for p in problems), (
        problems
    )
    assert any(p.startswith(f"{second}, field 'against[0]': bad pattern '(unclosed'") for p in problems), problems
    assert any(p.startswith(f"{third}, field 'colour': unknown field") for p in problems), problems


def test_widget_shows_the_contradiction_and_the_rubric():
    w = DraftAndCompare()
    w.draft.value = "I understand. It is not proven, so cancel the surgery."
    w.show.value = True
    out = w.output.value
    assert "seems to say the opposite" in out and "cancel the surgery" in out
    assert "Rubric" in out and "Look for:" in out and "A model answer" in out
    found = dict((i.id, f) for i, f in w.result)
    assert found["proven-care"] is False
