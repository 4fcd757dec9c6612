"""Authored content lives in data files (spinecourse/content/data/*.yml) with one schema check per file kind."""

import copy
from importlib import resources

import pytest
import yaml

from spinecourse.content import challenges, claim_sorting, claims, mechanisms, schema_check, source_claims


def _yaml(name):
    return yaml.safe_load(resources.files("spinecourse.content").joinpath(f"data/{name}").read_text(encoding="utf-8"))


def test_claims_file_is_clean_and_feeds_three_views():
    data = _yaml("claims.yml")
    assert schema_check.problems(data, "claims", "claims.yml") == []
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


# every message names the file, the entry (id and position) and the field
@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda d: d.pop("claims"), "claims.yml, field 'claims': missing"),
        (
            lambda d: d["claims"][0].pop("paraphrase"),
            "entry 'immunomodulation' (claims[0]), field 'paraphrase': missing",
        ),
        (lambda d: d["claims"].append(copy.deepcopy(d["claims"][0])), "field 'id': duplicate id 'immunomodulation'"),
        (
            lambda d: d["claims"][0].update(ledgr={}),
            "entry 'immunomodulation' (claims[0]), field 'ledgr': unknown field",
        ),
        (
            lambda d: d["claims"][0]["ledger"].pop("grade"),
            "entry 'immunomodulation' (claims[0]), field 'ledger.grade': missing",
        ),
        (
            lambda d: d["claims"][0]["ledger"].update(ocebm="five"),
            "entry 'immunomodulation' (claims[0]), field 'ledger.ocebm': 'five' is not of type",
        ),
        (
            lambda d: d["claims"][0]["mechanism"].update(stenosis_human_data="no"),
            "entry 'immunomodulation' (claims[0]), field 'mechanism.stenosis_human_data': 'no' is not of type 'boolean'",
        ),
        (lambda d: d["claims"][1]["ledger"].update(extra=1), "(claims[1]), field 'ledger.extra': unknown field"),
        (
            lambda d: [d["claims"][0].pop(v) for v in ("ledger", "sorter", "mechanism")],
            "entry 'immunomodulation' (claims[0]), field '(entry)': used by no view",
        ),
    ],
)
def test_claims_schema_names_the_problem(mutate, message):
    data = _yaml("claims.yml")
    mutate(data)
    problems = schema_check.problems(data, "claims", "claims.yml")
    assert any(p.startswith("claims.yml") and message in p for p in problems), problems


def test_unknown_view_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown view 'ledgers'"):
        source_claims.entries("ledgers")


def test_challenges_file_schema():
    data = _yaml("challenges.yml")
    assert schema_check.problems(data, "challenges", "challenges.yml") == [] and challenges.theme_problems(data) == []
    bad = copy.deepcopy(data)
    bad["challenges"][0]["theme"] = "money"
    bad["challenges"][1].pop("refs")
    assert challenges.theme_problems(bad) == [
        "challenges.yml: entry 'cell_source' (challenges[0]), field 'theme': unknown theme 'money'; "
        "themes: ['biology', 'delivery', 'safety', 'system']"
    ]
    problems = schema_check.problems(bad, "challenges", "challenges.yml")
    assert "challenges.yml: entry 'engraftment' (challenges[1]), field 'refs': missing" in problems, problems
    assert schema_check.problems([], "challenges", "challenges.yml") == [
        "challenges.yml, field '(top level)': [] is not of type 'object'"
    ]


def test_patient_reply_file_schema():
    data = _yaml("patient_reply.yml")
    assert schema_check.problems(data, "patient_reply", "patient_reply.yml") == []
    bad = copy.deepcopy(data)
    bad["checklist"][0]["pattern"] = "("
    bad["model_answer"] = ""
    problems = schema_check.problems(bad, "patient_reply", "patient_reply.yml")
    assert any(
        p.startswith("patient_reply.yml: entry 'acknowledge' (checklist[0]), field 'pattern': bad pattern '('")
        for p in problems
    ), problems
    assert "patient_reply.yml, field 'model_answer': must be non-empty text" in problems, problems


def test_pages_schema_checks_the_citations_of_its_prose():
    data = _yaml("pages.yml")
    assert schema_check.problems(data, "pages", "pages.yml") == []
    data["edition"]["findings"][0]["change"] += " [@nobody1999]"
    first = data["edition"]["findings"][0]["id"]
    assert schema_check.problems(data, "pages", "pages.yml") == [
        f"pages.yml: entry {first!r} (edition.findings[0]), field 'change': cites unknown reference key 'nobody1999'"
    ]


def test_loaders_refuse_a_broken_file_naming_it():
    with pytest.raises(schema_check.ContentSchemaError, match=r"patient_reply.yml is invalid:\npatient_reply.yml, "):
        schema_check.check({"checklist": []}, "patient_reply", "patient_reply.yml")
    with pytest.raises(ValueError, match="no content schema 'recipes'"):
        schema_check.schema("recipes")


def test_sorter_accepts_each_defensible_tag_and_says_why():
    # finding 17: where two tags are defensible both score, and the feedback names both
    for claim_id, keyed, second in [
        ("celltop", "evidence", "hope/hypothesis"),
        ("case_report", "marketing", "hope/hypothesis"),
        ("human_disc", "hope/hypothesis", "evidence"),
    ]:
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
