"""The Korean quizzes: nbgrader assignments generated from the English quiz and its catalogue (issue 21).

For every quiz in ``locales/ko/manifest.yml``:

* the committed ``assignments/source/<quiz>_ko/`` equals a fresh generation (drift), and has the English
  cells, cell ids, nbgrader metadata (grade ids, points, locks), code, solutions and hidden tests; only the
  Markdown is Korean; nbgrader's markers in the written questions' model answers survive;
* changing one English sentence of a quiz stops its generation (the catalogue entry goes fuzzy) until the
  catalogue is updated and the entry translated;
* the committed release and practice copies equal what ``make release`` makes; the practice copy is in Korean;
* through the project's grading route (``grading.grade_cohort``: release, checks, sandbox, trusted marks), the
  solution scores every point of the English quiz and the blank release none: one nbgrader release for all
  Korean quizzes, then one grading process per quiz for its two learners, in one module fixture;
* item analysis reports the English and Korean editions together (same items), on real Korean grades plus a
  synthetic English cohort, and refuses editions that are not the same quiz.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest

from spinecourse import grading
from spinecourse.authoring import translation as tr
from spinecourse.grading import item_analysis, practice, trusted

ROOT = Path(__file__).resolve().parents[1]
KO_QUIZZES = tr.quiz_sources("ko")
IDS = [Path(s.path).parent.name for s in KO_QUIZZES]
HANGUL = tr._HANGUL


def _english(source) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / source.path, as_version=4)


def _committed(source) -> nbformat.NotebookNode:
    return nbformat.read(tr.quiz_path(source, "ko"), as_version=4)


def _graded(nb) -> dict[str, float]:
    return {
        c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"]
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade")
    }


def test_the_manifest_has_korean_quizzes_and_each_has_a_committed_edition():
    assert KO_QUIZZES, "locales/ko/manifest.yml lists no quiz"
    for s in KO_QUIZZES:
        assert tr.quiz_path(s, "ko").is_file(), "run: python -m spinecourse.authoring.translation quizzes --lang ko"
    editions = {p.name for p in (ROOT / tr.QUIZZES).iterdir() if p.is_dir() and tr.edition_of(p.name)}
    assert editions == {tr.edition_name(i, "ko") for i in IDS}, "an edition folder without its quiz in the manifest"


def test_committed_editions_equal_a_fresh_generation():
    _paths, stale = tr.generate_quizzes("ko", write=False)
    assert stale == [], f"out of date (run: python -m spinecourse.authoring.translation quizzes --lang ko): {stale}"


@pytest.mark.parametrize("source", KO_QUIZZES, ids=IDS)
def test_edition_has_the_english_grading_and_korean_markdown(source):
    en, ko = _english(source), _committed(source)
    assert tr.quiz_problems(en, ko) == []
    assert _graded(ko) == _graded(en) and sum(_graded(en).values()) > 0
    assert grading.auto_points(ko) == grading.auto_points(en)
    for a, b in zip(en.cells, ko.cells):
        if a.cell_type == "code":  # answers, checks, solutions and hidden tests byte for byte
            assert a.source == b.source
        elif tr.units_of(tr.segment_markdown(a.source)):
            assert HANGUL.search(b.source), f"{b.get('id')}: no Korean"
            units = [u.text for u in tr.units_of(tr.segment_markdown(a.source)) if u.text not in tr.NBGRADER_MARKERS]
            prose = [u for u in units if re.search(r"[A-Za-z]{2,}", re.sub(r"`[^`]*`", "", u))]  # not code alone
            assert not [t for t in prose if t in b.source], f"{b.get('id')}: English left untranslated"
    for a, b in zip(en.cells, ko.cells):  # a written question's model answer keeps nbgrader's markers
        if a.cell_type == "markdown" and "### BEGIN SOLUTION" in a.source:
            assert "### BEGIN SOLUTION" in b.source and "### END SOLUTION" in b.source
    assert ko.metadata["language"] == "ko" and ko.metadata["spinecourse"]["english"] == source.path


def test_quiz_problems_catches_a_changed_hidden_test_or_points():
    source = KO_QUIZZES[0]
    en = _english(source)
    ko = _committed(source)
    check = next(c for c in ko.cells if trusted.is_check(c))
    check.source = check.source.replace("check_answer(", "check_answer( ", 1)
    graded = next(c for c in ko.cells if c.metadata.get("nbgrader", {}).get("grade") and c is not check)
    graded.metadata["nbgrader"]["points"] += 1
    problems = tr.quiz_problems(en, ko)
    assert any("code differs" in p for p in problems) and any("nbgrader metadata" in p for p in problems)


def test_a_changed_english_sentence_stops_the_korean_quiz_until_translated(tmp_path):
    source = KO_QUIZZES[0]
    for rel in (source.path, tr.po_path(source, "ko").relative_to(ROOT)):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, tmp_path / rel)
    nb = nbformat.read(tmp_path / source.path, as_version=4)
    cell = next(c for c in nb.cells if c.get("id") == "q1-text")
    old = tr.units_of(tr.segment_markdown(cell.source))[1].text  # the question's stem
    new = old.replace("?", " (one answer)?") if "?" in old else old + " (one answer)"
    cell.source = cell.source.replace(old, new)
    nbformat.write(nb, tmp_path / source.path)
    assert tr.translated_quiz(source, "ko", ROOT)  # the real quiz still builds
    with pytest.raises(tr.TranslationError, match="not complete"):
        tr.translated_quiz(source, "ko", tmp_path)
    tr.update(source, "ko", tmp_path)
    with pytest.raises(tr.TranslationError, match="1 fuzzy"):
        tr.translated_quiz(source, "ko", tmp_path)
    tr.apply(source, "ko", {new: "한 가지만 고르세요: 좁아진 구역은 어디입니까?"}, tmp_path)
    rebuilt = tr.translated_quiz(source, "ko", tmp_path)
    assert "한 가지만 고르세요" in next(c for c in rebuilt.cells if c.get("id") == "q1-text").source


def _student_copy(path: Path) -> list[tuple]:
    return grading.release_signature(nbformat.read(path, as_version=4))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A course with only the Korean quizzes: release them, submit the solution and the blank release, grade."""
    course = tmp_path_factory.mktemp("korean-quizzes")
    for name in ("nbgrader_config.py", "jupyter_server_config.py"):
        shutil.copy(ROOT / "assignments" / name, course / name)
    out = {"course": course}
    names = [tr.quiz_path(s, "ko").parent.name for s in KO_QUIZZES]
    for name in names:
        shutil.copytree(ROOT / tr.QUIZZES / name, course / "source" / name)
    grading.release(course, "*_ko")  # nbgrader takes a pattern: one process releases every Korean quiz
    for source, name in zip(KO_QUIZZES, names):
        en = _english(source)
        practice.write_practice(course, name)
        nb_name = f"{name}.ipynb"
        ko_source = nbformat.read(course / "source" / name / nb_name, as_version=4)
        released = nbformat.read(course / "release" / name / nb_name, as_version=4)
        for student, nb in (("solution", grading.solved_copy(released, ko_source)), ("blank", released)):
            folder = course / "submitted" / student / name
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / nb_name)
        # one nbgrader process grades both learners (start-up paid once per quiz)
        reports = {r.student: r for r in grading.grade_cohort(course, name, cell_timeout=10, jobs=1, progress=None)}
        out[name] = dict(english=en, reports=reports, scores=grading.scores(course, name))
    return out


@pytest.mark.parametrize("source", KO_QUIZZES, ids=IDS)
def test_solution_scores_full_marks_and_blank_zero_as_in_english(graded, source):
    name = tr.quiz_path(source, "ko").parent.name
    q = graded[name]
    en = q["english"]
    auto = {
        c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"]
        for c in en.cells
        if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")
    }
    for student in ("solution", "blank"):
        report = q["reports"][student]
        assert report.status == "graded" and not report.suspect, report.line()
    assert q["reports"]["solution"].score == grading.auto_points(en) == sum(auto.values())
    for gid, points in auto.items():
        assert q["scores"]["solution"][gid]["auto"] == points, gid
        assert q["scores"]["blank"][gid]["auto"] == 0, gid


@pytest.mark.parametrize("source", KO_QUIZZES, ids=IDS)
def test_committed_korean_release_and_practice_are_up_to_date(graded, source):
    name = tr.quiz_path(source, "ko").parent.name
    course = graded["course"]
    hint = "regenerate with: make release"
    for kind in ("release", "practice"):
        fresh, kept = course / kind / name / f"{name}.ipynb", ROOT / "assignments" / kind / name / f"{name}.ipynb"
        assert kept.is_file() and _student_copy(kept) == _student_copy(fresh), f"assignments/{kind}/{name}: {hint}"
    released = (course / "release" / name / f"{name}.ipynb").read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in released and "HIDDEN TESTS" not in released
    nb = nbformat.read(course / "practice" / name / f"{name}.ipynb", as_version=4)
    notes = nb.metadata["spinecourse"]["practice"]
    header = nb.cells[0].source
    assert notes["practice_note"] in header and notes["graded_note_start"] not in header and HANGUL.search(header)
    checks = [c for c in nb.cells if trusted.is_check(c)]
    assert checks and all(c.source.startswith("# " + notes["check_note"]) and "check_answer(" in c.source for c in checks)
    models = [c for c in nb.cells if c.get("id", "").endswith("-model")]
    assert models and all(notes["show_model"] in c.source and "모범 답안" in c.source for c in models)


def test_item_analysis_reports_both_editions_together(graded):
    source = KO_QUIZZES[0]
    name = tr.quiz_path(source, "ko").parent.name
    english = Path(source.path).parent.name
    ko_rows = grading.item_rows(graded["course"], name)
    items = {r["item"]: r["max"] for r in ko_rows}
    assert set(items) == set(_graded(_english(source)))
    # a synthetic English cohort of six on the same items: three right on everything, three wrong
    en_rows = [
        {"student": f"en{k}", "item": i, "score": (mx if k < 3 else 0), "max": mx}
        for k in range(6)
        for i, mx in items.items()
    ]
    rows = item_analysis.combine_editions({english: en_rows, name: ko_rows})
    a = item_analysis.analyse(rows)
    assert len(a.students) == 8 and {r["edition"] for r in rows} == {english, name}
    auto = [i for i in items if i.endswith("-test")]
    assert all(a.item(i).n == 8 and a.item(i).difficulty == pytest.approx(4 / 8) for i in auto)
    report = item_analysis.format_editions(rows)
    assert english in report and name in report
    line = next(ln for ln in report.splitlines() if ln.startswith(auto[0] + " "))
    assert line.split()[1:] == ["0.50", "0.50"]  # English 3 of 6 right; Korean solution right, blank wrong
    assert item_analysis.edition_names(ROOT / "assignments", english) == [english, name]
    with pytest.raises(ValueError, match="not the same quiz"):
        item_analysis.combine_editions({english: en_rows, name: [dict(ko_rows[0], max=ko_rows[0]["max"] + 1)]})
    with pytest.raises(ValueError, match="graded in both"):
        item_analysis.combine_editions({english: en_rows, name: [dict(r, student="en0") for r in ko_rows]})
    with pytest.raises(ValueError, match="lacks item"):
        item_analysis.combine_editions({english: en_rows, name: [r for r in ko_rows if r["item"] != auto[0]]})
