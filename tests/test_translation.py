"""The Korean edition is checked against the English source (issue 21; locales/ko/README.md).

Every source listed in locales/ko/manifest.yml: 0 untranslated and 0 fuzzy entries against a FRESH extraction
of the English, every number, citation key, trial id, abbreviation/evidence label, URL, link, image, inline code
and HTML tag of each English unit carried into its Korean unit, and the glossary used one way. Plus the
machinery: lossless segmentation, drift (an English change fails the check until the catalogue is updated and
translated), the glossary lint, the review list in step with the glossary.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
import yaml

from spinecourse.authoring import translation as tr

ROOT = Path(__file__).resolve().parents[1]
LANG = "ko"
MANIFEST = tr.manifest(LANG)
PILOT_NOTEBOOK = "course/00_start_here.ipynb"
PILOT_BANK = "spinecourse/content/data/questions/00_start_here.yml"
RUN = f"python -m spinecourse.authoring.translation update --lang {LANG} SOURCE, then translate the entries"


def test_manifest_covers_the_pilot():
    paths = {s.path for s in MANIFEST}
    assert {PILOT_NOTEBOOK, PILOT_BANK, tr.CODE} <= paths, paths


@pytest.fixture(scope="module")
def statuses() -> dict:
    """Each source's status against a fresh extraction, computed once for this module (about 1 s each time):
    the per-source tests, the glossary test and the check command read the same files."""
    return {source: tr.status(source, LANG) for source in MANIFEST}


@pytest.mark.parametrize("source", MANIFEST, ids=str)
def test_no_untranslated_or_fuzzy_entries(source, statuses):
    st = statuses[source]
    assert not st.catalogue_missing, f"{source}: no catalogue {tr.po_path(source, LANG)}: {RUN}"
    listed = [f"untranslated: {m[:100]!r} ({', '.join(st.locations[m])})" for m in st.untranslated]
    listed += [f"fuzzy (English changed): {m[:100]!r} ({', '.join(st.locations[m])})" for m, _o, _k in st.fuzzy]
    assert not listed, f"{source}: {len(listed)} entries to translate ({RUN}):\n" + "\n".join(listed)
    assert st.translated, f"{source}: nothing extracted"


@pytest.mark.parametrize("source", MANIFEST, ids=str)
def test_numbers_keys_ids_urls_and_images_carried_over(source, statuses):
    st = statuses[source]
    problems = [f"{en[:70]!r}: {p}" for en, ko in st.pairs for p in tr.invariant_problems(en, ko)]
    assert not problems, f"{source}:\n" + "\n".join(problems)


def test_glossary_used_one_way_in_the_edition(statuses):
    pairs = []
    for source in MANIFEST:
        pairs += [(str(source), en, ko) for en, ko in statuses[source].pairs]
    problems = tr.glossary_problems(pairs, tr.load_glossary(LANG))
    assert not problems, "\n".join(problems)


def test_check_command_passes_for_the_manifest(capsys, monkeypatch, statuses):
    from spinecourse.authoring import tr_checks

    real = tr_checks.status
    # the command's own logic over the statuses computed above (the same function on the same files)
    monkeypatch.setattr(
        tr_checks,
        "status",
        lambda source, lang, root=tr.ROOT: (
            statuses[source] if (lang, root) == (LANG, tr.ROOT) else real(source, lang, root)
        ),
    )
    assert tr.main(["check", "--lang", LANG]) == 0, capsys.readouterr().out
    assert "0 problem(s)" in capsys.readouterr().out


# ---- segmentation ----


@pytest.mark.parametrize("notebook", sorted((ROOT / "course").glob("*.ipynb")), ids=lambda p: p.name)
def test_segmentation_is_lossless(notebook):
    """Putting the units back unchanged gives every Markdown cell of every lesson byte for byte."""
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            assert tr.render_markdown(tr.segment_markdown(cell.source), lambda t: t) == cell.source


def test_units_are_headings_items_rows_and_paragraphs_also_inside_quotes():
    text = (
        "## Title\n\n> quoted line one\n> line two\n\n- item one\n  continued\n- item two\n\n"
        "| left | right |\n|---|---|\n| one | two |\n\nA paragraph\nover two lines.\n\n```python\nx = 1  # code\n```"
    )
    units = [(s.kind, s.text) for s in tr.units_of(tr.segment_markdown(text))]
    assert units == [
        ("heading", "Title"),
        ("para", "quoted line one\nline two"),
        ("item", "item one\ncontinued"),
        ("item", "item two"),
        ("row", "| left | right |"),
        ("row", "| one | two |"),
        ("para", "A paragraph\nover two lines."),
    ]
    upper = tr.render_markdown(tr.segment_markdown(text), str.upper)
    assert "> QUOTED LINE ONE\n> LINE TWO" in upper and "- ITEM ONE\n  CONTINUED" in upper
    assert "x = 1  # code" in upper and "|---|---|" in upper  # code and table rules untouched
    boxed = "> **Key points**\n>\n> - first point\n> - second point"
    assert [s.text for s in tr.units_of(tr.segment_markdown(boxed))] == [
        "**Key points**",
        "first point",
        "second point",
    ]
    assert tr.render_markdown(tr.segment_markdown(boxed), lambda t: t) == boxed


def test_changing_one_list_item_changes_one_unit():
    nb = nbformat.read(ROOT / PILOT_NOTEBOOK, as_version=4)
    cell = next(c for c in nb.cells if sum(s.kind == "item" for s in tr.units_of(tr.segment_markdown(c.source))) >= 2)
    before = [s.text for s in tr.units_of(tr.segment_markdown(cell.source))]
    item = next(t for t, s in zip(before, tr.units_of(tr.segment_markdown(cell.source))) if s.kind == "item")
    changed = cell.source.replace(item, item + " One more sentence.", 1)
    after = [s.text for s in tr.units_of(tr.segment_markdown(changed))]
    assert len(before) == len(after) and sum(a != b for a, b in zip(before, after)) == 1


# ---- what a translation must keep ----


@pytest.mark.parametrize(
    ("english", "korean", "lost"),
    [
        ("ODI fell by 12.5 points [@sudo2023].", "ODI가 12.6점 감소했습니다 [@sudo2023].", "number missing: 12.5"),
        ("Withdrawn: NCT03692221 [@nct03692221].", "철회됨 [@nct03692221].", "trial id missing: NCT03692221"),
        ("See [@katz2008; @sport2008].", "[@katz2008] 참조.", "citation key missing: @sport2008"),
        ("OCEBM level 4 [@ocebm2011].", "4단계 [@ocebm2011].", "abbreviation or evidence label missing: OCEBM"),
        ("See https://clinicaltrials.gov/study/NCT04530071.", "https://clinicaltrials.gov 참조.", "URL missing"),
        ("![MRI, axial](figures/mri.png)", "![MRI 축상](figures/mri2.png)", "link or image target missing"),
        ("Run `q1 = C`.", "`q1 = c`을 실행하세요.", "inline code missing"),
        ("Press <kbd>Shift</kbd>.", "Shift를 누르세요.", "HTML tag missing"),
        ("| 01 | Anatomy | 40 min |", "| 01 | 해부학 40분 |", "table row has"),
        ("Enter a number ({unit}).", "숫자를 입력하세요.", "placeholder missing"),
    ],
)
def test_invariant_problems_name_what_was_lost(english, korean, lost):
    problems = tr.invariant_problems(english, korean)
    assert any(p.startswith(lost) for p in problems), problems


def test_invariants_accept_a_faithful_translation():
    en = "MSCs: 8 of 12 patients (67%) at 6 months [@sudo2023]; NCT04530071; OCEBM level 2. See `q1 = C`."
    ko = "MSC: 12명 중 8명(67%)이 6개월에 [@sudo2023]; NCT04530071; OCEBM 2단계. `q1 = C` 참조."
    assert tr.invariant_problems(en, ko) == []


def test_an_english_word_hyphenated_onto_an_abbreviation_need_not_be_kept():
    en = "A GRADE-based guideline; SPORT-like crossover; AP-diameter cut-points; SF-36 scores."
    assert tr.invariant_problems(en, "GRADE 기반 진료지침; SPORT와 같은 교차; AP 직경 절단값; SF-36 점수.") == []
    # the abbreviation itself (and a numbered one such as SF-36) is still required
    lost = tr.invariant_problems(en, "GRADE 기반 진료지침; 같은 교차; AP 직경 절단값; SF 점수.")
    assert any(p.startswith("abbreviation or evidence label missing: SF-36, SPORT") for p in lost), lost


# ---- the pilot bank ----


def test_pilot_bank_same_questions_keys_and_options_in_both():
    from spinecourse.content import i18n, questions

    data = yaml.safe_load((ROOT / PILOT_BANK).read_text(encoding="utf-8"))
    english = questions.parse_bank(data, "en")
    korean = questions.parse_bank(i18n.localize_bank("00_start_here", data, LANG), "ko")
    assert list(english) == list(korean)
    for qid, q in english.items():
        k = korean[qid]
        assert (k.type, k.refs, k.answer, k.tolerance) == (q.type, q.refs, q.answer, q.tolerance)
        assert len(k.options) == len(q.options)
        assert [o.correct for o in k.options] == [o.correct for o in q.options]
        for en_text, ko_text in (
            [(q.prompt, k.prompt)]
            + [(a.text, b.text) for a, b in zip(q.options, k.options)]
            + [(a.explanation, b.explanation) for a, b in zip(q.options, k.options)]
        ):
            assert ko_text != en_text and any("\uac00" <= ch <= "\ud7a3" for ch in ko_text), (qid, ko_text)


# ---- drift: an English change fails the check until the catalogue is updated and translated ----


def _copy_pilot(tmp: Path) -> Path:
    for rel in (
        PILOT_NOTEBOOK,
        PILOT_BANK,
        tr.GLOSSARY[LANG],
        "locales/ko/LC_MESSAGES/course/00_start_here.po",
        "locales/ko/LC_MESSAGES/questions/00_start_here.po",
    ):
        (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, tmp / rel)
    return tmp


def test_drift_changed_english_sentence_fails_until_updated_and_translated(tmp_path):
    root = _copy_pilot(tmp_path)
    source = tr.Source("notebook", PILOT_NOTEBOOK)
    assert tr.check([source], LANG, root) == []
    # one English unit of the pilot (a list item), its Korean, and a changed version of its English
    units = tr.extract(source, root)
    old = next(u.msgid for u in units if u.comments == ["list item"] and u.msgid.endswith("."))
    korean = dict(tr.status(source, LANG, root).pairs)[old]
    new = old + " This sentence was added to the English."

    nb_path = root / PILOT_NOTEBOOK
    nb = nbformat.read(nb_path, as_version=4)
    cell = next(c for c in nb.cells if old in c.source)
    cell.source = cell.source.replace(old, new, 1)
    nbformat.write(nb, nb_path)

    problems = tr.check([source], LANG, root)
    assert len(problems) == 1 and "untranslated" in problems[0] and old[:40] in problems[0], problems

    tr.update(source, LANG, root)  # Babel marks the changed unit fuzzy, keeping the old English and Korean
    st = tr.status(source, LANG, root)
    assert st.fuzzy == [(new, old, korean)]
    problems = tr.check([source], LANG, root)
    assert len(problems) == 1 and "fuzzy" in problems[0], problems

    # the built notebook shows the changed English, not the stale Korean, until it is translated
    built = tr.translated_notebook(source, LANG, root)
    assert any(new in c.source for c in built.cells if c.cell_type == "markdown")
    assert not any(korean in c.source for c in built.cells if c.cell_type == "markdown")

    tr.apply(source, LANG, {new: korean + " 이 문장은 영어에 추가되었습니다."}, root)
    assert tr.check([source], LANG, root) == []


def test_drift_in_the_bank_is_caught_too(tmp_path):
    root = _copy_pilot(tmp_path)
    source = tr.Source("bank", PILOT_BANK)
    path = root / PILOT_BANK
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    option = data["questions"][0]["options"][-1]
    option["text"] += " (changed)"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    problems = tr.check([source], LANG, root)
    assert len(problems) == 1 and "(changed)" in problems[0], problems


# ---- glossary ----


def test_glossary_lint_fails_on_a_term_translated_two_ways(tmp_path):
    root = _copy_pilot(tmp_path)
    source = tr.Source("notebook", PILOT_NOTEBOOK)
    po = root / "locales/ko/LC_MESSAGES/course/00_start_here.po"
    text = po.read_text(encoding="utf-8")
    assert "요추 척추관 협착증" in text
    po.write_text(text.replace("요추 척추관 협착증", "요추관 협착증", 1), encoding="utf-8")
    problems = tr.check([source], LANG, root)
    assert any("'lumbar spinal stenosis' rendered '요추관 협착증'" in p for p in problems), problems


def test_glossary_lint_fails_on_a_missing_glossary_rendering():
    glossary = tr.load_glossary(LANG)
    problems = tr.glossary_problems(
        [("x", "Neurogenic claudication improves.", "신경성 간헐적 파행이 호전됩니다.")], glossary
    )
    assert any("'neurogenic claudication' must be rendered '신경인성 파행'" in p for p in problems), problems


def test_glossary_spares_a_reference_entry_copied_verbatim_but_not_prose():
    glossary = tr.load_glossary(LANG)
    ref = '<a id="ref-katz2008"></a>Katz JN, Harris MB. Lumbar spinal stenosis. N Engl J Med. 2008;358:818–825.'
    assert tr.glossary_problems([("x", ref, ref)], glossary) == []
    prose = "Lumbar spinal stenosis narrows the canal."
    assert any(
        "'lumbar spinal stenosis' must be rendered" in p for p in tr.glossary_problems([("x", prose, prose)], glossary)
    )
    # a file name in a link target is not prose; the link text and title still are
    link = "| [Lesson 01](01_stenosis_anatomy.ipynb) | Stenosis |"
    assert tr.glossary_problems([("x", link, "| [단원 01](01_stenosis_anatomy.ipynb) | 협착증 |")], glossary) == []
    assert tr.glossary_problems(
        [("x", link.replace("Lesson 01", "Anatomy"), "| [단원 01](01_stenosis_anatomy.ipynb) | 협착증 |")], glossary
    )
    # a reference entry rewritten in Korean must use the glossary like any other unit
    assert tr.glossary_problems([("x", ref, ref.replace("Lumbar spinal stenosis", "요추관 협착증"))], glossary)


def test_glossary_schema():
    data = yaml.safe_load((ROOT / tr.GLOSSARY[LANG]).read_text(encoding="utf-8"))
    assert tr.validate_glossary(data, "glossary_ko.yml") == []
    entries = tr.load_glossary(LANG)
    assert len(entries) >= 50
    assert all(e.checked is False for e in entries if "unverified" in e.source.lower())
    bad = {
        "terms": [
            {"en": "stenosis", "ko": "협착", "source": "x", "checked": False},
            {"en": "Stenosis", "ko": "좁아짐", "source": "x", "checked": False},
            {"en": "claudication", "ko": "파행", "source": "unverified", "checked": True},
        ]
    }
    problems = tr.validate_glossary(bad, "bad.yml")
    assert any("two translations" in p for p in problems) and any(
        "checked: true needs a source" in p for p in problems
    ), problems


def test_review_list_in_step_with_the_glossary():
    path = ROOT / "locales/ko/REVIEW.md"
    assert path.read_text(encoding="utf-8") == tr.review_markdown(LANG), (
        "locales/ko/REVIEW.md is out of step with the glossary: run "
        "python -m spinecourse.authoring.translation review --lang ko"
    )
    flagged = [e for e in tr.load_glossary(LANG) if not e.checked]
    assert f"{len(flagged)} of {len(tr.load_glossary(LANG))} terms flagged" in path.read_text(encoding="utf-8")


# ---- the command line ----


def test_todo_lists_what_a_translator_must_do(tmp_path, capsys):
    root = _copy_pilot(tmp_path)
    (root / "locales/ko/LC_MESSAGES/course/00_start_here.po").unlink()
    source = tr.Source("notebook", PILOT_NOTEBOOK)
    st = tr.status(source, LANG, root)
    assert st.catalogue_missing and len(st.untranslated) == len(tr.extract(source, root)) > 40
    assert "Who it is for" in st.untranslated
    assert tr.check([source], LANG, root)[0].startswith(f"{source}: no catalogue")
    assert tr.main(["todo", "--lang", LANG, "00_start_here"]) == 0
    assert "0 entries to translate" in capsys.readouterr().out


def test_unknown_source_is_a_clear_error(capsys):
    assert tr.main(["todo", "--lang", LANG, "99_nothing"]) == 2
    assert "not a notebook, a question bank" in capsys.readouterr().err
    assert tr.main(["todo", "--lang", "fr"]) == 2
    assert "the course speaks en, ko" in capsys.readouterr().err


@pytest.mark.parametrize("source", MANIFEST, ids=str)
def test_catalogues_pass_babels_checks(source):
    """Babel's own PO checks (format placeholders, plural forms), as `msgfmt --check` would; Markdown and bank
    text carry no python-format flag (a "% sign" in prose is not a placeholder)."""
    path = tr.po_path(source, LANG)
    cat = tr.read_catalogue(path, LANG)
    if source.kind != "code":
        assert "python-format" not in path.read_text(encoding="utf-8")
        for msg in cat:  # Babel's reader guesses the flag again from the English; the file is what msgfmt reads
            msg.flags.discard("python-format")
    errors = [(msg.id[:60], [str(e) for e in errs]) for msg, errs in cat.check()]
    assert errors == []


def test_update_is_stable_and_apply_refuses_unknown_english(tmp_path):
    root = _copy_pilot(tmp_path)
    source = tr.Source("notebook", PILOT_NOTEBOOK)
    po = root / "locales/ko/LC_MESSAGES/course/00_start_here.po"
    before = po.read_bytes()
    tr.update(source, LANG, root)
    assert po.read_bytes() == before  # nothing changed in English: not a byte rewritten (small diffs)
    with pytest.raises(tr.TranslationError, match="not in the catalogue"):
        tr.apply(source, LANG, {"A sentence the lesson never had.": "없는 문장."}, root)
    with pytest.raises(tr.TranslationError, match="non-empty text"):
        tr.apply(source, LANG, {"Who it is for": "  "}, root)
    assert po.read_bytes() == before
