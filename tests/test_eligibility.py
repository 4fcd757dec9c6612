"""Trial eligibility (lesson 06): data integrity, every criterion, decisions, bad input, headless widget."""

import dataclasses

import pytest

from spinecourse.content import references
from spinecourse.models import eligibility as el
from spinecourse.widgets import EligibilityExercise
from spinecourse.widgets import eligibility as render

V = el.VIGNETTES


def vign(**changes):
    """A variant of Ms B (disc back pain, claudication, Schizas B) with some fields changed."""
    return dataclasses.replace(V["B"], id="test", **changes)


def state(criterion_id, vignette):
    for trial in el.TRIALS.values():
        for c in trial.criteria:
            if c.id == criterion_id:
                return c.apply(vignette).state
    raise KeyError(criterion_id)


# ---- data integrity ----


def test_every_cited_key_exists_and_trial_keys_are_cited():
    bib = references.load()
    for trial in el.TRIALS.values():
        texts = [trial.population] + [c.text + c.interpretation for c in trial.criteria]
        cited = {k for t in texts for k in references.keys_in(t)}
        assert cited <= set(bib), cited - set(bib)
        assert set(trial.keys) <= cited, f"{trial.id}: its own registry keys must be cited"
        assert set(trial.keys) <= set(bib)


def test_registry_wording_is_quoted_exactly():
    assert '"symptomatic central vertebral canal stenosis"' in el.TRIALS["nct06325566"].criteria[1].text
    assert "'severe' on any cross sectional imaging" in el.TRIALS["nct03692221"].criteria[2].text
    assert '"Leg pain, if present, is of nonradicular origin"' in el.TRIALS["nct03692221"].criteria[1].text
    assert "laminoplasty following lumbar discectomy" in el.TRIALS["jrct2013210076"].criteria[1].text


def test_every_recorded_fact_is_in_the_bibliography_entry():
    # The model's registry quotes must be the bibliography's own words (references.yml), not a paraphrase.
    facts = " ".join(references.entry("nct03692221")["facts"])
    assert "Leg pain, if present, is of nonradicular origin" in facts and "does not extend below the knee" in facts
    assert "Withdrawn" in facts and "0 participants" in facts
    assert "Candidate for laminoplasty following lumbar discectomy for combined LSCS" in " ".join(
        references.entry("jrct2013210076")["facts"]
    )


def test_models_hold_data_not_html():
    # Layer rule (README): the model imports nothing of the course above it and builds no HTML.
    import inspect

    source = inspect.getsource(el)
    assert "render_citations" not in source and "content.references" not in source and "<table" not in source


def test_vignettes_are_six_to_eight_synthetic_patients_with_distinct_ids():
    assert 6 <= len(V) <= 8
    assert len({v.name for v in V.values()}) == len(V)
    assert "synthetic" in render.card_html(V["A"])
    assert all(v.schizas in el.GRADES or v.schizas is None for v in V.values())


def test_criterion_ids_are_unique_and_kinds_valid():
    ids = [c.id for t in el.TRIALS.values() for c in t.criteria]
    assert len(ids) == len(set(ids))
    assert all(c.kind in el.KINDS for t in el.TRIALS.values() for c in t.criteria)


# ---- every criterion ----


@pytest.mark.parametrize("cid", ["nct06325566-in", "nct03692221-in", "nct02338271-in"])
def test_disc_population_inclusion(cid):
    assert state(cid, vign(disc_back_pain=True)) == "yes"
    assert state(cid, vign(disc_back_pain=False)) == "no"


def test_symptomatic_central_stenosis_exclusion():
    c = "nct06325566-ex"
    assert state(c, vign(claudication=False, schizas="D")) == "no"  # asymptomatic, however narrow
    for g in ("B", "C", "D"):
        assert state(c, vign(claudication=True, schizas=g)) == "yes"
    assert state(c, vign(claudication=True, schizas="A3")) == "unknown"
    assert state(c, vign(claudication=True, schizas=None)) == "unknown"


def test_severe_on_imaging_exclusion_uses_imaging_only():
    c = "nct03692221-ex"
    for g in el.GRADES:
        expected = "yes" if g in ("C", "D") else "no"
        assert state(c, vign(schizas=g, claudication=False)) == expected, g
    assert state(c, vign(schizas=None)) == "unknown"


def test_severe_needing_surgery_exclusion_needs_both():
    c = "nct02338271-ex"
    assert state(c, vign(schizas="C", surgery_recommended=True)) == "yes"
    assert state(c, vign(schizas="C", surgery_recommended=False)) == "no"
    assert state(c, vign(schizas="B", surgery_recommended=True)) == "no"
    assert state(c, vign(schizas=None, surgery_recommended=True)) == "unknown"


def test_leg_pain_inclusion_of_the_withdrawn_trial():
    c = "nct03692221-in-leg"
    assert state(c, vign(claudication=False)) == "yes"  # "if present": no leg pain meets it
    for g in ("B", "C", "D"):  # claudication from a narrowed canal is radicular leg pain
        assert state(c, vign(claudication=True, schizas=g)) == "no", g
    assert state(c, vign(claudication=True, schizas="A3")) == "unknown"
    assert state(c, vign(claudication=True, schizas=None)) == "unknown"


def test_discography_inclusion_of_the_korean_entry():
    c = "nct04530071-in-disc"
    assert state(c, vign(age=72)) == "no"  # registry: 19 to under 70
    assert state(c, vign(age=69, disc_back_pain=False)) == "no"
    assert state(c, vign(age=41, disc_back_pain=True)) == "unknown"  # discography not on the card


def test_jrct_inclusions():
    assert state("jrct-in-stenosis", vign(claudication=True, schizas="C", disc_herniation=True)) == "yes"
    assert (
        state("jrct-in-stenosis", vign(claudication=True, schizas="C", disc_herniation=False)) == "no"
    )  # not "combined"
    assert state("jrct-in-stenosis", vign(claudication=True, schizas="A2", disc_herniation=True)) == "no"
    assert state("jrct-in-stenosis", vign(claudication=False, schizas="C", disc_herniation=True)) == "no"
    assert state("jrct-in-stenosis", vign(schizas=None)) == "unknown"
    assert state("jrct-in-surgery", vign(laminoplasty_candidate=True)) == "yes"
    assert state("jrct-in-surgery", vign(laminoplasty_candidate=False)) == "no"
    assert state("jrct-in-leg", vign(claudication=True, disc_back_pain=False)) == "yes"
    assert state("jrct-in-leg", vign(claudication=True, disc_back_pain=True)) == "unknown"
    assert state("jrct-in-leg", vign(claudication=False)) == "no"
    assert state("jrct-ex-surgery", vign(prior_surgery="L4–5 decompression")) == "yes"
    assert state("jrct-ex-surgery", vign(prior_surgery="none")) == "no"


def test_source_article_profile_criteria():
    assert state("article-in-stenosis", vign(claudication=True)) == "yes"
    assert state("article-in-stenosis", vign(claudication=False)) == "no"
    assert state("article-in-nerve", vign(motor_deficit=True)) == "no"
    assert state("article-in-nerve", vign(motor_deficit=False)) == "yes"
    assert state("article-ex-advanced", vign(schizas="D")) == "yes"
    assert state("article-ex-advanced", vign(schizas="A1")) == "no"
    assert state("article-ex-advanced", vign(schizas=None)) == "unknown"


# ---- decisions ----


def test_known_decisions():
    m = el.matrix()
    assert m["B"]["nct06325566"] == "not eligible"  # the article's ideal candidate is excluded by the phase 3
    assert m["B"]["source_article"] == "eligible"
    assert m["C"]["nct06325566"] == "eligible"  # young disc patient: who disc trials study
    assert m["D"]["nct06325566"] == "uncertain"
    assert m["E"]["jrct2013210076"] == "eligible"
    assert m["G"]["source_article"] == "uncertain"  # no MRI
    assert m["H"]["nct03692221"] == "not eligible" and m["H"]["nct06325566"] == "eligible"  # imaging vs symptoms
    # review N-M2: the withdrawn trial's leg-pain inclusion keeps out claudication from a narrowed canal
    assert m["B"]["nct03692221"] == "not eligible" and m["D"]["nct03692221"] == "uncertain"
    assert m["C"]["nct03692221"] == "eligible"  # back pain only: who it was meant for
    assert all(m[v]["nct02338271"] != "eligible" for v in V)  # discography is never on the card


def test_withdrawn_trial_is_marked_as_such():
    trial = el.TRIALS["nct03692221"]
    assert trial.withdrawn and not any(t.withdrawn for k, t in el.TRIALS.items() if k != "nct03692221")
    assert "withdrawn without enrolling anyone" in el.describe(el.assess("C", "nct03692221"))
    assert "Withdrawn:" in render.criteria_html(trial) and "(withdrawn)" in render.matrix_html()


def test_lesson_point_disc_trials_exclude_the_article_targets():
    disc_trials = ("nct06325566", "nct03692221", "nct02338271")
    targets = [v for v in V if el.assess(v, "source_article").decision == "eligible"]
    assert targets
    for v in targets:  # no disc trial takes the article's "ideal candidate" on the recorded criteria
        assert all(el.assess(v, t).decision != "eligible" for t in disc_trials), v
    # patients with claudication and severe narrowing are excluded from every disc trial
    for v, p in V.items():
        if p.claudication and p.schizas in ("C", "D"):
            assert all(el.assess(v, t).decision == "not eligible" for t in disc_trials), v


def test_decision_rule_ordering():
    # an unknown criterion does not rescue a patient who fails another one
    a = el.assess(vign(disc_back_pain=False, schizas=None), "nct03692221")
    assert a.decision == "not eligible"
    a = el.assess(vign(disc_back_pain=True, schizas=None), "nct03692221")
    assert a.decision == "uncertain"
    assert "on the criteria recorded here" in el.describe(el.assess("C", "nct06325566"))


def test_check_prediction():
    ok, result = el.check_prediction("A", "jrct2013210076", "not eligible")
    assert ok and result.decision == "not eligible"
    ok, _ = el.check_prediction("A", "jrct2013210076", "eligible")
    assert not ok


# ---- bad input ----


def test_bad_input_errors():
    with pytest.raises(ValueError, match="unknown patient"):
        el.assess("Z", "nct06325566")
    with pytest.raises(ValueError, match="unknown trial"):
        el.assess("A", "nct0000")
    with pytest.raises(ValueError, match="prediction must be one of"):
        el.check_prediction("A", "nct06325566", "maybe")
    with pytest.raises(ValueError, match="Schizas grade must be one of"):
        vign(schizas="E")
    with pytest.raises(ValueError, match="age must be"):
        vign(age=12)
    with pytest.raises(ValueError, match="age must be"):
        vign(age=True)
    with pytest.raises(ValueError, match="claudication must be True or False"):
        vign(claudication="yes")
    with pytest.raises(ValueError, match="disc_herniation must be True or False"):
        vign(disc_herniation=1)
    with pytest.raises(ValueError, match="prior_surgery must be"):
        vign(prior_surgery="")
    with pytest.raises(ValueError, match="must be one of"):
        el.Check("perhaps", "x")


# ---- widget, headless ----


def test_widget_hides_reasoning_until_prediction_then_gives_feedback():
    w = EligibilityExercise(vignette="B", trial="nct06325566")
    assert w.result.decision == "not eligible"
    assert w.correct is None and "Reasoning per criterion" not in w.feedback.value
    assert "Ms B" in w.card.value and "symptomatic central vertebral canal stenosis" in w.criteria.value
    w.prediction.value = "eligible"
    assert w.correct is False and "Not quite" in w.feedback.value
    assert "Reasoning per criterion" in w.feedback.value and "TRIGGERED" in w.feedback.value
    w.prediction.value = "not eligible"
    assert w.correct is True and "Right" in w.feedback.value
    assert "not eligible" in w.description.value


def test_widget_changing_case_resets_prediction_and_updates():
    w = EligibilityExercise()
    w.prediction.value = "not eligible"
    w.patient.value = "E"
    assert w.prediction.value is None and w.correct is None
    w.trial.value = "jrct2013210076"
    assert w.result.vignette.id == "E" and w.result.decision == "eligible"
    assert "laminoplasty" in w.criteria.value
    w.prediction.value = "eligible"
    assert w.correct is True and "on the criteria recorded here" in w.feedback.value
    assert w.controls == [w.patient, w.trial, w.prediction]


def test_widget_shows_registry_status_from_the_evidence_status_data():
    from spinecourse.content import status

    html = render.criteria_html(el.TRIALS["jrct2013210076"])
    assert status.text("jrct2013210076").split(".")[0] in html.replace("&quot;", '"')  # one source for the status
    assert "checked" in html and "[@" not in html  # dated, citations rendered
    assert "Status:" in render.criteria_html(el.TRIALS["nct02338271"])  # read under NCT04530071
    assert render.status_line(el.TRIALS["source_article"]) == ""  # a proposal has no registry status


def test_widget_rejects_unknown_start():
    with pytest.raises(ValueError, match="unknown patient"):
        EligibilityExercise(vignette="nobody")


def test_widget_grades_with_check_prediction(monkeypatch):
    calls = []
    original = el.check_prediction

    def spy(vignette, trial, prediction):
        calls.append((vignette, trial, prediction))
        return original(vignette, trial, prediction)

    monkeypatch.setattr(el, "check_prediction", spy)
    w = EligibilityExercise(vignette="A", trial="jrct2013210076")
    assert calls == []  # no call before the learner predicts
    w.prediction.value = "not eligible"
    assert calls == [("A", "jrct2013210076", "not eligible")]
    assert w.correct is True and w.result.decision == "not eligible"
