"""A class of damaged submissions graded through the package, in the class shared by the hostile-cohort files
(tests/hostile_cohort.py: ids "r-...", one ``grade_cohort`` for the whole class on a temporary copy of assignments/).

``grading.grade_cohort`` checks each submission alone, grades the class in one nbgrader process and regrades alone
anyone that process could not grade; every learner below must
end with the asserted outcome, and no submission may stop the others:

correct       full automatic marks
blank         the untouched release: zero
partial       first answer left as released: exactly that item's points lost
loop          an infinite loop in one answer: that item times out and scores zero, the rest is graded
deleted       a grade cell deleted: restored from the release before grading and graded (reported)
duplicated    a grade cell duplicated (plain nbgrader aborts the run): de-duplicated, graded (reported)
edited        a locked test cell edited: the original test runs
dead          ``os._exit(1)`` in an answer: that cell is neutralised, its item zero, the rest graded (reported)
noisy         megabytes of output: graded, output truncated
notjson       not valid JSON: rejected with a clear reason; nobody else is affected

Then: a manual grade survives a re-run of autograde; the feedback HTML of a wrong
submission shows no hidden-test line; the CSV export holds every item.
The per-cell timeout is hostile_cohort.CELL_TIMEOUT here (production: 20 s, assignments/nbgrader_config.py).
"""

from __future__ import annotations

import copy
import csv

import hostile_cohort
import nbformat
import pytest

from spinecourse import grading
from spinecourse.grading import submissions

NAME = "01_anatomy_quiz"
PREFIX = "r-"


def code_answers(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code" and submissions.meta(c).get("solution")]


def auto_items(nb) -> dict[str, float]:
    return {
        submissions.grade_id(c): submissions.meta(c)["points"]
        for c in nb.cells
        if c.cell_type == "code" and submissions.is_grade(c)
    }


def items_after(nb, answer) -> list[str]:
    """grade ids of the graded code cells between ``answer`` and the next answer cell."""
    out, seen = [], False
    for c in nb.cells:
        if c is answer:
            seen = True
            continue
        if seen and submissions.meta(c).get("solution"):
            break
        if seen and c.cell_type == "code" and submissions.is_grade(c):
            out.append(submissions.grade_id(c))
    return out


def _plant(p: hostile_cohort.Planting):
    """This file's class in the shared one (ids "r-...")."""
    source = p.source(NAME)
    release = p.release(NAME)
    solved = grading.solved_copy(release, source)
    nb_name = f"{NAME}.ipynb"
    answers = code_answers(solved)
    first_answer = answers[0]
    first_items = items_after(solved, first_answer)
    first_test = next(c for c in solved.cells if submissions.is_grade(c) and c.cell_type == "code")

    def variant(edit):
        nb = copy.deepcopy(solved)
        edit(nb)
        return nb

    def index_of(nb, gid):
        return next(i for i, c in enumerate(nb.cells) if submissions.grade_id(c) == gid)

    gid_first = submissions.grade_id(first_answer)
    gid_test = submissions.grade_id(first_test)
    second_answer = submissions.grade_id(answers[1])
    second_items = items_after(solved, answers[1])
    files = {
        "correct": solved,
        "blank": release,
        "partial": variant(
            lambda nb: setattr(
                nb.cells[index_of(nb, gid_first)], "source", release.cells[index_of(release, gid_first)].source
            )
        ),
        "loop": variant(lambda nb: setattr(nb.cells[index_of(nb, second_answer)], "source", "while True:\n    pass")),
        "deleted": variant(lambda nb: nb.cells.pop(index_of(nb, gid_test))),
        "duplicated": variant(
            lambda nb: nb.cells.insert(
                index_of(nb, gid_test) + 1,
                nbformat.from_dict(dict(copy.deepcopy(nb.cells[index_of(nb, gid_test)]), id="dup1")),
            )
        ),
        "edited": variant(
            lambda nb: setattr(nb.cells[index_of(nb, gid_test)], "source", "pass  # the student edited this")
        ),
        "dead": variant(lambda nb: setattr(nb.cells[index_of(nb, second_answer)], "source", "import os; os._exit(1)")),
        "noisy": variant(
            lambda nb: setattr(
                nb.cells[index_of(nb, gid_first)],
                "source",
                nb.cells[index_of(nb, gid_first)].source + "\nfor i in range(100_000):\n    print(i, 'x' * 40)",
            )
        ),
    }
    # The edited learner must also have left the first answer blank, so a passing score can only
    # come from the edited cell: the original test must run and fail.
    files["edited"].cells[index_of(files["edited"], gid_first)].source = release.cells[
        index_of(release, gid_first)
    ].source
    for student, nb in files.items():
        p.submit(student, NAME, nb)
    bad = p.course / "submitted" / p.sid("notjson") / NAME
    bad.mkdir(parents=True)
    (bad / nb_name).write_text(nbformat.writes(solved)[:5000])  # truncated upload
    yield dict(
        source=source,
        release=release,
        nb_name=nb_name,
        items=auto_items(source),
        first_items=first_items,
        second_items=second_items,
        gid_test=gid_test,
        second_answer=second_answer,
    )


hostile_cohort.register(PREFIX, [NAME], _plant)


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    shared = hostile_cohort.shared(tmp_path_factory)
    return dict(
        shared.planted[PREFIX],
        shared=shared,
        course=shared.course,
        reports=shared.reports_of(PREFIX, NAME),
        lines=shared.lines[NAME],
    )


def test_every_student_is_reported_once_and_in_order(cohort):
    students = ["blank", "correct", "dead", "deleted", "duplicated", "edited", "loop", "noisy", "notjson", "partial"]
    assert sorted(cohort["reports"]) == students
    report_lines = [ln for ln in cohort["lines"] if not ln.startswith("…")]  # "… grading x" = live progress
    n = len(cohort["shared"].reports[NAME])  # the whole shared class, numbered once
    assert [ln.split("]")[0] for ln in report_lines] == [f"[{i}/{n}" for i in range(1, n + 1)]
    named = [ln.split("] ", 1)[1].split(":", 1)[0] for ln in report_lines]
    assert [s for s in named if s.startswith(PREFIX)] == [PREFIX + s for s in students]  # each once, in order
    assert any(ln.startswith("… grading") for ln in cohort["lines"]), "no live progress while the batch ran"
    assert grading.summary(list(cohort["reports"].values())).endswith(f"needs you: {PREFIX}notjson")


def totals(cohort):
    return {
        s: {g: v["auto"] for g, v in cells.items()} for s, cells in cohort["shared"].scores_of(PREFIX, NAME).items()
    }


def test_correct_blank_and_partial(cohort):
    t, items = totals(cohort), cohort["items"]
    full = sum(items.values())
    assert {g: t["correct"][g] for g in items} == items
    assert cohort["reports"]["correct"].status == "graded"
    assert cohort["reports"]["correct"].score == full
    assert all(t["blank"][g] == 0 for g in items) and cohort["reports"]["blank"].score == 0
    lost = sum(items[g] for g in cohort["first_items"])
    assert 0 < lost < full
    assert cohort["reports"]["partial"].score == full - lost
    assert all(t["partial"][g] == 0 for g in cohort["first_items"])


def test_infinite_loop_costs_only_that_item(cohort):
    t, items = totals(cohort), cohort["items"]
    for g in items:
        assert t["loop"][g] == (0 if g in cohort["second_items"] else items[g]), g
    assert cohort["reports"]["loop"].status == "graded"


def test_deleted_grade_cell_is_restored_and_graded(cohort):
    r = cohort["reports"]["deleted"]
    assert r.status == "repaired"
    assert any(f"restored deleted graded cell {cohort['gid_test']}" in x for x in r.repairs), r.repairs
    assert r.score == sum(cohort["items"].values())  # the answer was right, the restored test ran
    graded = nbformat.read(
        cohort["course"] / "autograded" / f"{PREFIX}deleted" / NAME / cohort["nb_name"], as_version=4
    )
    assert [submissions.grade_id(c) for c in graded.cells if submissions.is_grade(c)] == [
        submissions.grade_id(c) for c in cohort["source"].cells if submissions.is_grade(c)
    ]
    # submitted/ is evidence: never modified
    original = nbformat.read(
        cohort["course"] / "submitted" / f"{PREFIX}deleted" / NAME / cohort["nb_name"], as_version=4
    )
    assert cohort["gid_test"] not in [submissions.grade_id(c) for c in original.cells]


def test_duplicated_grade_cell_is_deduplicated_and_graded(cohort):
    r = cohort["reports"]["duplicated"]
    assert r.status == "repaired"
    assert any(f"duplicated locked cell {cohort['gid_test']} (2 copies)" in x for x in r.repairs), r.repairs
    assert r.score == sum(cohort["items"].values())


def test_edited_test_cell_runs_the_original(cohort):
    t, items = totals(cohort), cohort["items"]
    r = cohort["reports"]["edited"]
    assert any(cohort["gid_test"] in n and "original" in n for n in r.notes), r.notes
    assert t["edited"][cohort["gid_test"]] == 0
    assert r.score == sum(items.values()) - sum(items[g] for g in cohort["first_items"])


def test_dead_kernel_neutralises_that_answer_and_grades_the_rest(cohort):
    t, items = totals(cohort), cohort["items"]
    r = cohort["reports"]["dead"]
    assert r.status == "repaired", r.reason
    assert any("kernel died" in x and cohort["second_answer"] in x for x in r.repairs), r.repairs
    for g in items:
        assert t["dead"][g] == (0 if g in cohort["second_items"] else items[g]), g


def test_megabytes_of_output_are_graded_and_truncated(cohort):
    r = cohort["reports"]["noisy"]
    assert r.status == "graded" and r.score == sum(cohort["items"].values())
    path = cohort["course"] / "autograded" / f"{PREFIX}noisy" / NAME / cohort["nb_name"]
    assert path.stat().st_size < 500_000  # ~5 MB printed; nbgrader's LimitOutput keeps 1000 lines
    assert "Output truncated" in path.read_text()


def test_invalid_json_is_rejected_clearly(cohort):
    r = cohort["reports"]["notjson"]
    assert r.status == "rejected"
    assert "not valid JSON" in r.reason and cohort["nb_name"] in r.reason
    assert PREFIX + "notjson" not in grading.scores(cohort["course"], NAME)


def test_manual_grade_survives_regrading(cohort):
    from nbgrader.api import Gradebook

    course = cohort["course"]
    manual = [
        submissions.grade_id(c) for c in cohort["source"].cells if submissions.is_grade(c) and c.cell_type == "markdown"
    ]
    assert manual, "the quiz should have a manually graded answer"
    nb_id = cohort["nb_name"].removesuffix(".ipynb")
    with Gradebook("sqlite:///" + str(course / "gradebook.db")) as gb:
        gb.find_grade(manual[0], nb_id, NAME, PREFIX + "correct").manual_score = 2.5
        gb.db.commit()
    # a second run on the shared course: only this learner is regraded (it is full marks again below)
    again = grading.grade_cohort(
        course,
        NAME,
        students=[PREFIX + "correct"],
        cell_timeout=hostile_cohort.CELL_TIMEOUT,
        limits=hostile_cohort.LIMITS,
        progress=None,
    )
    assert again[0].status == "graded"
    after = grading.scores(course, NAME)[PREFIX + "correct"]
    assert after[manual[0]]["manual"] == 2.5
    assert {g: after[g]["auto"] for g in cohort["items"]} == cohort["items"]


def test_feedback_does_not_leak_hidden_tests(cohort):
    course = cohort["course"]
    assert cohort["shared"].feedback_error[NAME] is None, cohort["shared"].feedback_error[NAME]  # made once, shared
    html_path = course / "feedback" / f"{PREFIX}blank" / NAME / cohort["nb_name"].replace(".ipynb", ".html")
    html = html_path.read_text()
    hidden = [line for c in cohort["source"].cells for line in grading.region_lines(c.source, "HIDDEN TESTS")]
    assert hidden
    import html as html_lib

    text = html_lib.unescape(html)
    for line in hidden:
        assert line not in text, f"feedback leaks {line!r}"
    assert "AssertionError" in text or "NotImplementedError" in text  # the learner still sees that checks failed


def test_export_csv_has_every_item(cohort):
    path = grading.export_csv(cohort["course"], NAME)
    rows = list(csv.DictReader(path.open()))
    assert set(grading.ITEM_COLUMNS) == set(rows[0])
    rows = [r for r in rows if r["student"].startswith(PREFIX)]  # this file's learners of the shared class
    graded_students = {r.student for r in cohort["reports"].values() if r.status != "rejected"}
    assert {r["student"] for r in rows} == graded_students
    n_items = sum(1 for c in cohort["source"].cells if submissions.is_grade(c))
    assert len(rows) == n_items * len(graded_students)
