"""Self-checks that measure: options shuffled per question (and per learner), one retry before the key.

The position shares are computed over every bank in spinecourse/content/data/questions/, as the
course site (no learner) and as a sample of hub learners (JUPYTERHUB_USER) see them.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from spinecourse.content import questions as quiz
from spinecourse.widgets import self_check
from spinecourse.widgets.question import static_question_html

MAX_SHARE = 0.40
LEARNERS = ["", *(f"resident{i:02d}" for i in range(40)), "dr.kim", "오지현"]


def key_positions(learner: str) -> tuple[Counter, int, list[bool]]:
    """Displayed positions of the single-choice keys, their count, and per multiple-answer question
    whether its correct options all sit first."""
    singles: Counter = Counter()
    n_single = 0
    multi_first = []
    for name in quiz.bank_names():
        for q in quiz.displayed_bank(name, learner).values():
            flags = [o.correct for o in q.options]
            if q.type == "single":
                singles[flags.index(True)] += 1
                n_single += 1
            elif q.type == "multiple":
                multi_first.append(all(flags[: sum(flags)]))
    return singles, n_single, multi_first


def test_the_banks_are_written_key_first_so_the_shuffle_is_what_spreads_them():
    # the premise: without the shuffle every single-choice key sits at position 0 (what the issue found)
    raw = [
        [o.correct for o in q.options].index(True)
        for name in quiz.bank_names()
        for q in quiz.load_bank(name).values()
        if q.type == "single"
    ]
    assert len(raw) >= 20
    assert Counter(raw).most_common(1)[0][1] / len(raw) > MAX_SHARE


@pytest.mark.parametrize("learner", LEARNERS)
def test_no_position_holds_more_than_40_percent_of_the_keys(learner):
    singles, n_single, multi_first = key_positions(learner)
    assert n_single >= 20 and sum(singles.values()) == n_single
    position, count = singles.most_common(1)[0]
    assert count / n_single <= MAX_SHARE, f"learner {learner!r}: position {position} holds {count}/{n_single} keys"
    assert len(multi_first) >= 2 and not all(multi_first), f"learner {learner!r}: multiple-answer keys always first"


def test_the_shuffle_is_deterministic_per_learner_and_differs_between_learners():
    site = [
        (n, q.id, tuple(o.text for o in q.options))
        for n in quiz.bank_names()
        for q in quiz.displayed_bank(n, "").values()
    ]
    quiz._displayed_bank.cache_clear()
    assert site == [
        (n, q.id, tuple(o.text for o in q.options))
        for n in quiz.bank_names()
        for q in quiz.displayed_bank(n, "").values()
    ]
    other = [
        (n, q.id, tuple(o.text for o in q.options))
        for n in quiz.bank_names()
        for q in quiz.displayed_bank(n, "resident07").values()
    ]
    assert site != other
    # same options, same key, same explanations: only the order changes
    for name in quiz.bank_names():
        for qid, q in quiz.load_bank(name).items():
            shown = quiz.displayed_bank(name, "resident07")[qid]
            assert sorted(shown.options, key=lambda o: o.text) == sorted(q.options, key=lambda o: o.text)


def test_the_learner_identity_comes_from_the_hub(monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "resident03")
    assert quiz.learner_identity() == "resident03"
    box = self_check("01_stenosis_anatomy")
    shown = [tuple(o.text for o in item.question.options) for item in box.questions]
    expected = quiz.displayed_bank("01_stenosis_anatomy", "resident03")
    assert shown == [tuple(o.text for o in expected[item.question.id].options) for item in box.questions]
    monkeypatch.delenv("JUPYTERHUB_USER")
    assert quiz.learner_identity() == ""
    # no stale cache: the same session without a hub identity gets the site's order
    site = quiz.displayed_bank("01_stenosis_anatomy", "")
    assert [tuple(o.text for o in item.question.options) for item in self_check("01_stenosis_anatomy").questions] == [
        tuple(o.text for o in q.options) for q in site.values()
    ]
    assert site != expected


def test_the_widget_and_the_static_copy_show_the_same_order(monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    box = self_check("04_evidence_hierarchy")
    static = box._repr_mimebundle_()["text/html"]
    for item in box.questions:
        q = item.question
        if q.type == "single":
            assert list(item.input.options) == [o.text for o in q.options]
        expected = quiz.displayed_bank("04_evidence_hierarchy", "")[q.id]
        assert [o.text for o in q.options] == [o.text for o in expected.options]
        if q.options:
            listed = re.search(r'<ol type="A">(.*?)</ol>', static_question_html(q, item.title)).group(1)
            items = re.findall(r"<li>(.*?)</li>", listed)
            assert len(items) == len(q.options)
            assert static.count(listed) == 1


def test_no_explanation_refers_to_options_by_letter_or_position():
    found = {
        f"{name}/{qid}": quiz.position_words(q)
        for name in quiz.bank_names()
        for qid, q in quiz.load_bank(name).items()
        if quiz.position_words(q)
    }
    assert found == {}


@pytest.mark.parametrize("text", ["Option B is wrong", "see (C) above", "A) first", "the first option", "both above"])
def test_position_words_are_found(text):
    q = quiz.Question("x", "single", "Pick", (quiz.Option("yes", True, text), quiz.Option("no", False, "no")))
    assert quiz.position_words(q)


def test_legal_citations_and_acronyms_are_not_taken_for_letters():
    q = quiz.Question(
        "x",
        "single",
        "Under 21 CFR 1271.10(a), CFU-F) and HLA-DR (a marker)?",
        (quiz.Option("yes", True, "fine"), quiz.Option("no", False, "no")),
    )
    assert quiz.position_words(q) == []


def _wrong_single(item):
    return next(o.text for o in item.question.options if not o.correct)


def test_one_retry_before_the_key_single_choice():
    (item,) = self_check("01_stenosis_anatomy", "ap-cutpoints").questions
    key = next(o for o in item.question.options if o.correct)
    item.input.value = _wrong_single(item)
    first = item.check()
    assert not first.correct and "try once more" in first.verdict
    assert len(first.details) == 1 and "your choice" in first.details[0]
    assert key.text not in item.feedback.value  # the key is not given away
    second = item.check()
    assert not second.correct and "try once more" not in second.verdict
    assert any(key.text in d and "correct" in d for d in second.details)
    assert key.text in item.feedback.value


def test_a_right_answer_after_the_retry_and_empty_answers_cost_nothing():
    (item,) = self_check("01_stenosis_anatomy", "ap-cutpoints").questions
    assert item.check().verdict == "Choose an answer first."
    assert item.wrong_attempts == 0
    item.input.value = _wrong_single(item)
    assert "try once more" in item.check().verdict
    item.input.value = next(o.text for o in item.question.options if o.correct)
    assert item.check().correct and item.revealed


def test_one_retry_multiple_and_numeric():
    zones, post = self_check("01_stenosis_anatomy", "zones", "post-test").questions
    correct = [o.correct for o in zones.question.options]
    for box, ok in zip(zones.input.children, correct):
        box.value = ok
    next(b for b, ok in zip(zones.input.children, correct) if ok).value = False  # one key missing
    first = zones.check()
    assert "try once more" in first.verdict and "missing" in first.verdict
    assert all("your choice" in d for d in first.details)  # nothing about the option left out
    assert any("you did not choose this" in d for d in zones.check().details)  # second: the key
    post.input.value = "30"
    first = post.check()
    assert "try once more" in first.verdict and first.details == []
    assert post.question.explanation[:20] not in post.feedback.value
    second = post.check()
    assert not second.correct and second.details  # the worked explanation now
