"""Claim ledger: data integrity, grading, widget and summary figure."""

import dataclasses

import pytest

from spinecourse.content import claims, references
from spinecourse.content.claims import CLAIMS, GRADE_LEVELS, OCEBM_LEVELS, check
from spinecourse.widgets import ClaimLedger, claims_figure


def test_every_claim_has_a_level_a_certainty_and_existing_keys():
    assert claims.validate() == []
    bib = references.load()
    assert len(CLAIMS) >= 8
    assert len({c.id for c in CLAIMS}) == len(CLAIMS)
    for c in CLAIMS:
        assert c.ocebm in OCEBM_LEVELS, c.id
        assert c.grade in GRADE_LEVELS, c.id
        assert c.keys and all(k in bib for k in c.keys), c.id
        cited = references.keys_in(c.explanation)
        assert cited and set(cited) <= set(c.keys), f"{c.id}: explanation cites keys not listed in keys"
        assert all(a in OCEBM_LEVELS for a in c.also_accept_ocebm)
        assert all(g in GRADE_LEVELS for g in c.also_accept_grade)


def test_key_follows_the_checked_literature():
    by_id = claims.claims_by_id()
    assert by_id["celltop"].ocebm == 4 and by_id["celltop"].grade == "very low"
    assert by_id["case_report"].ocebm is None  # not found
    assert by_id["disc"].ocebm == 2 and by_id["disc"].grade == "very low"  # three GRADE rate-downs from high
    assert 1 not in by_id["disc"].also_accept_ocebm  # Soufi included 11 studies with 1 RCT: not a review of RCTs
    assert by_id["matrix"].ocebm == 2 and by_id["matrix"].ocebm_ok(
        5
    )  # randomised disc trials with structural endpoints
    assert by_id["neural"].ocebm_ok(4) and by_id["neural"].ocebm_ok(5)  # agrees with lesson 03's mechanism map
    assert all(by_id[i].ocebm == 5 for i in ("immunomodulation", "trophic"))
    # nct02412735: status only, never its primary-endpoint result
    assert not any("nct02412735" in c.explanation for c in CLAIMS)


def test_ocebm_indirectness_footnote_is_taught_not_contradicted():
    """Review N-E1: the OCEBM 2011 table lets a level be graded down for indirectness (footnote, ocebm2011)."""
    by_id = claims.claims_by_id()
    footnote = " ".join(references.entry("ocebm2011")["facts"])
    assert "graded down" in footnote and "indirectness" in footnote
    for cid in ("matrix", "disc"):
        c = by_id[cid]
        assert c.ocebm == 2 and c.ocebm_ok(3), cid  # randomised design, graded down one level for indirectness
        assert "graded down for indirectness" in c.explanation and "@ocebm2011" in c.explanation, cid
    assert not any("does not lower the OCEBM level" in c.explanation for c in CLAIMS)
    # review N-m4: the ledger keys the claim as worded; the nearest immunomodulatory approval (single-arm) is accepted
    assert by_id["immunomodulation"].ocebm_ok(4) and not by_id["immunomodulation"].ocebm_ok(2)


def test_check_grades_and_accepts_defensible_alternatives():
    disc = claims.claims_by_id()["disc"]
    assert check(disc, ocebm=2, grade="very low").correct
    assert not check(disc, ocebm=2, grade="low").correct
    assert not check(disc, ocebm=1, grade="very low").correct
    assert not check(disc, ocebm=4, grade="very low").correct
    assert check(claims.claims_by_id()["case_report"], ocebm=4, grade="very low").correct  # defensible alternative
    assert check(disc, ocebm=2).complete is False
    with pytest.raises(ValueError, match="unknown OCEBM level"):
        check(disc, ocebm=7)
    with pytest.raises(ValueError, match="unknown GRADE certainty"):
        check(disc, grade="medium")


def test_ledger_widget_feedback():
    ledger = ClaimLedger()
    assert ledger.result.answered == 0
    assert "Pick a level" in ledger.feedback[0].value
    ledger.ocebm_pickers[6].value = 4
    ledger.grade_pickers[6].value = "very low"
    assert ledger.result.answered == 1 and ledger.result.correct == 1
    assert "✔ level, ✔ certainty" in ledger.feedback[6].value
    assert "Bydon et al. 2024" in ledger.feedback[6].value  # citations rendered
    ledger.ocebm_pickers[7].value = "none"
    ledger.grade_pickers[7].value = "high"
    assert ledger.result.feedback[7].ocebm_ok is True and ledger.result.feedback[7].grade_ok is False
    assert "1 match the key" in ledger.score.value


def test_claims_figure_counts_and_description():
    fig, description = claims_figure()
    ax = fig.axes[0]
    widths = [p.get_width() for p in ax.patches]
    assert sum(widths) == len(CLAIMS)
    assert "Level 5: 4" in description and "Level 2: 2" in description and "no published study: 2" in description


def test_validate_catches_bad_claims():
    good = CLAIMS[0]
    cases = [
        (dataclasses.replace(good, ocebm=7), "unknown OCEBM level 7"),
        (dataclasses.replace(good, also_accept_ocebm=(0,)), "unknown OCEBM level 0"),
        (dataclasses.replace(good, grade="medium"), "unknown GRADE certainty 'medium'"),
        (dataclasses.replace(good, also_accept_grade=("certain",)), "unknown GRADE certainty 'certain'"),
        (dataclasses.replace(good, keys=("nobody2099",)), "unknown reference key 'nobody2099'"),
        (dataclasses.replace(good, keys=()), "lists no reference key"),
        (dataclasses.replace(good, explanation="No citation at all."), "cites no reference key"),
        (dataclasses.replace(good, explanation="See [@suri2010]."), "cites 'suri2010' but does not list it"),
        (dataclasses.replace(good, verdict=" "), "empty 'verdict'"),
    ]
    for bad, message in cases:
        problems = claims.validate((bad,))
        assert any(message in p for p in problems), (message, problems)
    assert any("duplicate claim id" in p for p in claims.validate((good, good)))


def test_claims_figure_description_follows_the_claims_given():
    by_id = claims.claims_by_id()
    _, full = claims_figure()
    assert (
        "Randomised evidence (Level 1 or 2) lies behind 2 of them: matrix / disc support, "
        "disc trials (animal + early human)."
    ) in full
    subset = tuple(c for c in CLAIMS if c.ocebm not in (1, 2))
    _, description = claims_figure(subset)
    assert f"of the {len(subset)} source-article claims" in description
    assert "No claim rests on randomised evidence (Level 1 or 2)." in description
    assert "disc-degeneration" not in description  # no fixed sentence about claims that are not there
    _, only_celltop = claims_figure((by_id["celltop"],))
    assert "Level 4: 1" in only_celltop and "very low for 1" in only_celltop
    assert "No claim rests on randomised evidence" in only_celltop
