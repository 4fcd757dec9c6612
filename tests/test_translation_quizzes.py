"""The Korean quizzes: nbgrader assignments generated from the English quiz and its catalogue (issue 21).

For every quiz in ``locales/ko/manifest.yml``:

* the committed ``assignments/source/<quiz>_ko/`` equals a fresh generation (drift), and has the English
  cells, cell ids, nbgrader metadata (grade ids, points, locks), code, solutions and hidden tests; only the
  Markdown is Korean; nbgrader's markers in the written questions' model answers survive;
* changing one English sentence of a quiz stops its generation (the catalogue entry goes fuzzy) until the
  catalogue is updated and the entry translated;

Grading them (solution full marks, blank zero), their committed release and practice copies and item analysis
across editions: ``test_grading_korean_quizzes.py`` (the grading tier).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest

from spinecourse import grading
from spinecourse.authoring import translation as tr
from spinecourse.grading import trusted

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
            # not code or an HTML tag alone (a bare `<div …>` wrapper has nothing to translate)
            prose = [u for u in units if re.search(r"[A-Za-z]{2,}", re.sub(r"`[^`]*`|<[^>]+>", "", u))]
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
