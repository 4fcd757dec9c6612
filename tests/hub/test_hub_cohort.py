"""A cohort of simulated residents through the hub's REST API and each one's own server.

Each resident (hubkit.resident_visit, a few at once as a class arrives): the hub starts their server
(as their Linux account), nbgitpuller gives them the course, they open a lesson and run its code
(widgets included) in a kernel, fetch the quiz, answer, submit, and the hub stops their server. Their
submissions join the class-wide grading round (hubkit.graded_round): the instructor collects everyone
and grades with the course's route (`python -m spinecourse.grading autograde`) in one run. Size:
SPINECOURSE_HUB_COHORT. The figures (time per resident, hub memory) are printed; they are never asserted.
"""

from __future__ import annotations

from hubkit import COHORT, QUIZ, hub_memory, instructor_course, instructor_run


def test_cohort_round_trip(cohort_submitted, graded_round):
    # cohort_submitted asserted each visit: the lesson ran without error and showed widgets, the quiz was
    # submitted through the server's Assignments API, and every server stopped.
    answered_right = cohort_submitted.answered_right
    submitted = sorted(p.name for p in (instructor_course() / "submitted").iterdir() if (p / QUIZ).is_dir())
    assert set(COHORT) <= set(submitted), f"not collected: {sorted(set(COHORT) - set(submitted))}"
    out = graded_round.autograde.stdout
    scores = instructor_run("python", "-m", "spinecourse.grading", "scores", QUIZ).stdout
    totals = {}
    for line in scores.splitlines():
        parts = line.split("\t")
        if parts and parts[0] in COHORT:
            totals[parts[0]] = float(parts[1])
    assert set(totals) == set(COHORT), f"not graded: {sorted(set(COHORT) - set(totals))}\n{out}\n{scores}"
    for name in COHORT:
        if name in answered_right:
            assert totals[name] > 0, f"{name} answered correctly but scored {totals[name]}:\n{out}"
        else:
            assert totals[name] == 0, f"{name} handed in the blank quiz but scored {totals[name]}:\n{out}"
    figures = {
        **cohort_submitted.figures,
        "hub_memory_mib": hub_memory(graded_round.hub),
        "class_autograde_s": graded_round.autograde_s,  # the cohort and three classmates, one run
    }
    print(
        "cohort figures: "
        + ", ".join(f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in figures.items())
    )
