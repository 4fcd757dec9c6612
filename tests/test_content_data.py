"""Authored content lives in data files (spinecourse/content/data/*.yml) with one schema check per file kind."""

import copy
from importlib import resources

import pytest
import yaml

from spinecourse.content import challenges, claim_sorting, claims, mechanisms, source_claims


def _yaml(name):
    return yaml.safe_load(resources.files("spinecourse.content").joinpath(f"data/{name}").read_text(encoding="utf-8"))


def test_claims_file_is_clean_and_feeds_three_views():
    data = _yaml("claims.yml")
    assert source_claims.schema_problems(data) == []
    by_id = {e["id"]: e for e in data["claims"]}
    # one source of truth: each view shows the entry's single paraphrase
    for c in claims.CLAIMS:
        assert c.text == by_id[c.id]["paraphrase"]
    for c in claim_sorting.CLAIMS:
        assert c.paraphrase == by_id[c.id]["paraphrase"]
    for m in mechanisms.MECHANISMS:
        assert m.claim == by_id[m.key]["paraphrase"]
    shared = [e["id"] for e in data["claims"] if sum(v in e for v in source_claims.VIEWS) > 1]
    assert {"immunomodulation", "matrix", "celltop", "case_report"} <= set(shared)
    paraphrases = [e["paraphrase"] for e in data["claims"]]
    assert len(set(paraphrases)) == len(paraphrases)


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d.pop("claims"), "expected a mapping with a 'claims' list"),
    (lambda d: d["claims"][0].pop("paraphrase"), "'paraphrase' must be non-empty text"),
    (lambda d: d["claims"].append(copy.deepcopy(d["claims"][0])), "duplicate id"),
    (lambda d: d["claims"][0].update(ledgr={}), "unknown field(s) ['ledgr']"),
    (lambda d: d["claims"][0]["ledger"].pop("grade"), "ledger lacks 'grade'"),
    (lambda d: d["claims"][0]["ledger"].update(ocebm="five"), "ledger.ocebm has the wrong type (str)"),
    (lambda d: d["claims"][0]["mechanism"].update(stenosis_human_data="no"), "mechanism.stenosis_human_data has the wrong type"),
    (lambda d: d["claims"][1]["ledger"].update(extra=1), "ledger has unknown field(s) ['extra']"),
    (lambda d: [d["claims"][0].pop(v) for v in ("ledger", "sorter", "mechanism")], "used by no view"),
])
def test_claims_schema_names_the_problem(mutate, message):
    data = _yaml("claims.yml")
    mutate(data)
    problems = source_claims.schema_problems(data)
    assert any(message in p for p in problems), problems


def test_unknown_view_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown view 'ledgers'"):
        source_claims.entries("ledgers")


def test_challenges_file_schema():
    data = _yaml("challenges.yml")
    assert challenges.schema_problems(data) == []
    bad = copy.deepcopy(data)
    bad["challenges"][0]["theme"] = "money"
    bad["challenges"][1].pop("refs")
    problems = challenges.schema_problems(bad)
    assert any("unknown theme 'money'" in p for p in problems)
    assert any("missing ['refs']" in p for p in problems)
    assert challenges.schema_problems([]) == ["data/challenges.yml: expected 'themes' (mapping) and 'challenges' (list)"]


def test_patient_reply_file_schema():
    data = _yaml("patient_reply.yml")
    assert claim_sorting.patient_reply_problems(data) == []
    bad = copy.deepcopy(data)
    bad["checklist"][0]["pattern"] = "("
    bad["model_answer"] = ""
    problems = claim_sorting.patient_reply_problems(bad)
    assert any("bad pattern" in p for p in problems) and any("'model_answer'" in p for p in problems)


def test_sorter_accepts_each_defensible_tag_and_says_why():
    # finding 17: where two tags are defensible both score, and the feedback names both
    for claim_id, keyed, second in [("celltop", "evidence", "hope/hypothesis"), ("case_report", "marketing", "hope/hypothesis"),
                                     ("human_disc", "hope/hypothesis", "evidence")]:
        for tag in (keyed, second):
            fb = claim_sorting.grade_claim(claim_id, tag)
            assert fb.correct and "Defensible" in fb.verdict and f"'{second}'" in fb.verdict, (claim_id, tag)
        wrong = ({*claim_sorting.TAGS} - {keyed, second}).pop()
        assert not claim_sorting.grade_claim(claim_id, wrong).correct
    assert claim_sorting.grade_claim("reach_out", "marketing").verdict == "Right: marketing."
    assert claim_sorting.score({"celltop": "hope/hypothesis", "reach_out": "evidence"}) == (1, 2)


def test_article_words_are_quoted_not_copied():
    # finding 19: a phrase kept from the source article is in quotation marks
    text = {e["id"]: e["paraphrase"] for e in _yaml("claims.yml")["claims"]}
    assert '"uniquely positioned to pilot such programs"' in text["uniquely_positioned"]
    assert "MRI improvement and relief at 5 months" not in text["case_report"]
    assert "By reducing oxidative stress" not in text["delay"]
    rows = {r["id"]: r for r in _yaml("challenges.yml")["challenges"]}
    assert "Injected cells may die" not in rows["engraftment"]["risk"]
