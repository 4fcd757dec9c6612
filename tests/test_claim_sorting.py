"""Claim sorting and the patient-reply exercise (lesson 06): data integrity, grading, bad input, headless widgets."""

import dataclasses
import re
from pathlib import Path

import pytest

from spinecourse.content import claim_sorting as cs
from spinecourse.content import references
from spinecourse.widgets import ClaimSorter, DraftAndCompare

ROOT = Path(__file__).resolve().parents[1]
# The source article lives in the project's shared folder beside the repository (authors' machines, CI).
SOURCE_ARTICLE = ROOT.parent / "shared" / "source-article.md"


def test_claim_data_is_valid_and_every_key_exists():
    assert cs.validate_claims() == []
    bib = references.load()
    for c in cs.CLAIMS:
        assert set(c.refs) <= set(bib)
    assert len(cs.CLAIMS) >= 10
    assert {c.tag for c in cs.CLAIMS} == set(cs.TAGS)  # every tag is used at least once


def test_validate_catches_bad_data():
    bad = dataclasses.replace(cs.CLAIMS[0], tag="fact")
    assert any("tag" in p for p in cs.validate_claims((bad,)))
    bad = dataclasses.replace(cs.CLAIMS[0], reason="see [@nobody2099]", refs=("nobody2099",))
    assert any("unknown reference key" in p for p in cs.validate_claims((bad,)))
    bad = dataclasses.replace(cs.CLAIMS[2], refs=())
    assert any("differ" in p for p in cs.validate_claims((bad,)))
    dup = (cs.CLAIMS[0], cs.CLAIMS[0])
    assert any("duplicate" in p for p in cs.validate_claims(dup))


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'’-]+", text.lower())


def copied_runs(paraphrase: str, source: str, n: int = 8) -> list[str]:
    """Runs of ``n`` consecutive words of ``paraphrase`` that also occur in ``source``.

    Case, punctuation and line breaks are ignored, so a copied sentence is found even when it
    wraps across lines or ends at a different punctuation mark.
    """
    words = _words(paraphrase)
    text = f" {' '.join(_words(source))} "
    runs = (" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    return [run for run in runs if f" {run} " in text]


def test_copied_runs_finds_eight_words_and_ignores_seven():
    source = "Stem cells may well\nregenerate the   whole spinal canal, in weeks, the clinic said."
    assert copied_runs("We read that stem cells may well regenerate the whole spinal canal.", source) == [
        "stem cells may well regenerate the whole spinal",
        "cells may well regenerate the whole spinal canal",
    ]
    assert copied_runs("Stem cells may well regenerate the whole bone.", source) == []  # 7 words only
    assert copied_runs("too short", source) == []


if SOURCE_ARTICLE.exists():  # collected only where the shared folder exists (see tests/README.md)

    def test_paraphrases_do_not_copy_the_source_article():
        text = SOURCE_ARTICLE.read_text(encoding="utf-8")
        assert len(text.split()) > 100, "the source article looks empty"
        for c in cs.CLAIMS:
            assert copied_runs(c.paraphrase, text) == [], f"{c.id} copies 8+ words of the source article"


def test_known_tags_from_the_evidence_comparison():
    assert cs.CLAIMS_BY_ID["case_report"].tag == "marketing"  # the case report could not be found
    assert cs.CLAIMS_BY_ID["celltop"].tag == "evidence"
    assert cs.CLAIMS_BY_ID["human_disc"].tag == "hope/hypothesis"
    assert cs.CLAIMS_BY_ID["reach_out"].tag == "marketing"


def test_grade_and_score():
    right = cs.grade_claim("animal_disc", "evidence")
    assert right.correct and right.verdict.startswith("Right")
    assert "(NASS Spine Journal" in right.reason or "2025" in right.reason  # citation rendered
    assert "[@" not in right.reason
    wrong = cs.grade_claim("animal_disc", "marketing")
    assert not wrong.correct and "'evidence'" in wrong.verdict
    assert cs.score({}) == (0, 0)
    assert cs.score({"animal_disc": "evidence", "reach_out": "evidence"}) == (1, 2)
    assert cs.score({c.id: c.tag for c in cs.CLAIMS}) == (len(cs.CLAIMS), len(cs.CLAIMS))


def test_bad_input_errors():
    with pytest.raises(ValueError, match="unknown claim"):
        cs.grade_claim("nope", "evidence")
    with pytest.raises(ValueError, match="tag must be one of"):
        cs.grade_claim("animal_disc", "fact")
    with pytest.raises(ValueError, match="tag must be one of"):
        cs.score({"animal_disc": "true"})
    with pytest.raises(ValueError, match="draft must be text"):
        cs.review_draft(None)


def test_review_draft_checklist():
    assert not any(found for _, found in cs.review_draft(""))
    assert all(found for _, found in cs.review_draft(cs.MODEL_ANSWER))
    partial = dict((i.id, f) for i, f in cs.review_draft("It is not proven."))
    assert partial["unproven"] and not partial["proven-care"]
    keys = references.keys_in(cs.MODEL_ANSWER)
    assert keys and set(keys) <= set(references.load())


def test_sorter_widget_feedback_and_memory():
    w = ClaimSorter()
    first = cs.CLAIMS[0]
    assert w.result is None and "Choose a tag" in w.feedback.value
    assert first.paraphrase in w.text.value
    wrong = next(t for t in cs.TAGS if t != first.tag)
    w.tag.value = wrong
    assert w.result.correct is False and "Not quite" in w.feedback.value
    w.tag.value = first.tag
    assert w.result.correct is True and "Right" in w.feedback.value
    assert "Sorted 1 of" in w.progress.value and "1 tagged" in w.progress.value
    w.next_claim()
    assert w.claim.value == cs.CLAIMS[1].id and w.tag.value is None and w.result is None
    assert cs.CLAIMS[1].paraphrase in w.text.value
    w.claim.value = first.id  # going back shows the earlier answer and its feedback
    assert w.tag.value == first.tag and w.result.correct is True


def test_sorter_next_wraps_round():
    w = ClaimSorter()
    w.claim.value = cs.CLAIMS[-1].id
    w.next_claim()
    assert w.claim.value == cs.CLAIMS[0].id


def test_draft_widget_shows_model_only_on_request():
    w = DraftAndCompare()
    assert w.result is None and "model answer" not in w.output.value.lower().replace("draft your reply first", "")
    w.show.value = True
    assert "Your draft is empty" in w.output.value and "A model answer" in w.output.value
    assert "[@" not in w.output.value
    w.draft.value = (
        "I understand your hope, but it is not proven; please keep your surgery appointment. What matters to you?"
    )
    found = dict((i.id, f) for i, f in w.result)
    assert found["acknowledge"] and found["unproven"] and found["proven-care"] and found["invite"]
    assert "Your draft is empty" not in w.output.value
    w.show.value = False
    assert w.result is None and "A model answer" not in w.output.value
