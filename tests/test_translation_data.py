"""The content data inside widgets, in Korean (issue 21): the claims (claim ledger, claim sorter, mechanism map),
the challenges table and the Mrs K rubric come from ``locales/ko/LC_MESSAGES/data/<name>.po``. Only prose is
translated (ids, tags, OCEBM levels, GRADE certainties, reference keys and hint patterns are the English file's);
English output is unchanged; a fuzzy or empty entry shows the English; a Korean widget shows no English sentence."""

from __future__ import annotations

import dataclasses
import html
import re
import shutil
from pathlib import Path

import ipywidgets
import pytest
from babel.messages.pofile import read_po, write_po

from spinecourse.authoring import translation as tr
from spinecourse.content import challenges, claim_sorting, claims, i18n, mechanisms, references, source_claims, status
from spinecourse.models import eligibility, regulatory
from spinecourse.widgets import a11y, base, claim_ledger, claim_sorter, mechanism_map
from spinecourse.widgets import challenges as challenges_widget
from spinecourse.widgets import eligibility as eligibility_widget
from spinecourse.widgets import regulatory as regulatory_widget

ROOT = Path(__file__).resolve().parents[1]
HANGUL = re.compile(r"[\uac00-\ud7a3]")
#: Four or more English words in a row (an English sentence or phrase left on screen).
ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:[ ,]+[A-Za-z][A-Za-z'’-]*){3,}")
DATA = ("claims", "challenges", "patient_reply")


@pytest.fixture(autouse=True)
def english_afterwards(monkeypatch):
    import matplotlib

    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    i18n._language = None
    with matplotlib.rc_context():
        yield
    i18n._language = None


def records() -> list[tuple[str, object]]:
    """Every content record a widget shows, with its data file's name."""
    out: list[tuple[str, object]] = [("claims", c) for c in (*claims.CLAIMS, *claim_sorting.CLAIMS)]
    out += [("claims", m) for m in mechanisms.MECHANISMS]
    out += [("challenges", c) for c in challenges.CHALLENGES]
    out += [("patient_reply", item) for item in claim_sorting.CHECKLIST]
    return out


def prose_fields(name: str, record) -> set[str]:
    return {f.name for f in dataclasses.fields(record)} & {*i18n.DATA_PROSE[name], "claim", "text"}


def test_the_data_sources_are_in_the_manifest():
    listed = {s.path for s in tr.manifest("ko") if s.kind == "data"}
    assert listed == {f"{tr.DATA}/{name}.yml" for name in DATA} | {f"{tr.MODELS}/{m}.py" for m in i18n.MODEL_DATA}
    assert tr.resolve("data:eligibility") == [tr.Source("data", f"{tr.MODELS}/eligibility.py")]
    assert tr.resolve("data:claims") == [tr.Source("data", f"{tr.DATA}/claims.yml")]
    assert tr.Source("data", f"{tr.DATA}/claims.yml").catalogue == "data/claims"


def test_an_unknown_data_source_is_a_clear_error():
    with pytest.raises(tr.TranslationError, match="data:claims"):
        tr.resolve("data:nonsense")


@pytest.mark.parametrize("name", DATA)
def test_extraction_takes_prose_only(name):
    units = {u.msgid for u in tr.extract(tr.Source("data", f"{tr.DATA}/{name}.yml"))}
    assert len(units) > 15
    keys = {"evidence", "hope/hypothesis", "marketing", "very low", "low", "moderate", "biology", "safety"}
    assert not units & keys  # tags, certainties and theme keys are never units
    assert not [u for u in units if re.fullmatch(r"[a-z0-9_]+", u)]  # ids and reference keys neither
    if name == "patient_reply":
        assert not [u for u in units if "\\b" in u or "|" in u]  # the hint patterns stay the English file's


@pytest.mark.parametrize(("name", "record"), records(), ids=lambda v: getattr(v, "id", getattr(v, "key", str(v))))
def test_korean_record_translates_prose_and_keeps_everything_else(name, record):
    ko = i18n.localize_record(name, record, "ko")
    prose = prose_fields(name, record)
    for f in dataclasses.fields(record):
        en_value, ko_value = getattr(record, f.name), getattr(ko, f.name)
        if f.name in prose and isinstance(en_value, str) and en_value.strip():
            assert HANGUL.search(ko_value), f"{f.name} not translated: {en_value[:60]!r}"
            assert references.keys_in(ko_value) == references.keys_in(en_value)  # same citations, same order
        else:
            assert ko_value == en_value, f"{f.name} must stay the English file's"


def test_english_is_the_same_object_and_the_same_html():
    assert all(i18n.localize_record(name, r) is r for name, r in records())
    claim = claims.CLAIMS[0]
    fb = claims.check(claim, ocebm=claim.ocebm, grade=claim.grade)
    html_en = claims.feedback_html(claim, fb)
    assert f"<b>✔ level, ✔ certainty.</b> Key: Level {claim.ocebm}; GRADE {claim.grade}." in html_en
    assert references.render_html(claim.explanation) in html_en
    assert claim_sorting.grade_claim(claim.id, claim.tag).verdict in (
        f"Right: {claim.tag}.",
        f"Defensible: {' or '.join(repr(t) for t in (claim.tag, *claim.also_accept))} can both be argued here; "
        "the reason says why.".replace('"', "'"),
    )
    m = mechanisms.MECHANISMS[0]
    assert f"<p><b>What the source article claims (paraphrased):</b> {m.claim}</p>" in mechanisms.card_html(m)
    assert claim_sorting.model_answer() == claim_sorting.MODEL_ANSWER


def test_korean_grading_keeps_the_keys():
    i18n.set_language("ko")
    for c in claim_sorting.CLAIMS:
        fb = claim_sorting.grade_claim(c.id, c.tag)
        assert fb.tag_ok and HANGUL.search(fb.verdict) and HANGUL.search(fb.reason)
    claim = claims.CLAIMS[0]
    ko = claims.feedback_html(claim, claims.check(claim, ocebm=claim.ocebm, grade=claim.grade))
    assert source_claims.localized(claim).explanation.split("[")[0].strip() in html.unescape(ko)
    assert f"GRADE {claim.grade}" in ko  # the certainty is a key: the same word in both editions


def test_model_excerpts_are_words_of_the_korean_model_answer():
    data = i18n.localize_data("patient_reply", claim_sorting._REPLY, "ko")
    assert HANGUL.search(data["model_answer"]) and data["checklist"][0]["pattern"] == claim_sorting.CHECKLIST[0].pattern
    assert claim_sorting.excerpt_problems(data) == []


def _visible(obj) -> str:
    """All text the widget shows (every HTML panel, its static copy and its control labels), with the
    bibliography's own labels of rendered citations taken out (reference titles are not course prose)."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from test_translation_widgets import visible

    text = visible(obj)
    for node in a11y.walk(obj.widget):
        if isinstance(node, ipywidgets.HTML):
            text += "\n" + html.unescape(re.sub(r"<[^>]+>", " ", node.value))
    for key in references.load():
        text = text.replace(references.short(key), " ")
    return text


WIDGETS = (
    claim_ledger.ClaimLedger,
    claim_sorter.ClaimSorter,
    claim_sorter.DraftAndCompare,
    mechanism_map.MechanismMap,
    challenges_widget.ChallengesExplorer,
)


def _build(cls, lang: str):
    i18n.set_language(lang)
    obj = cls()
    if cls is claim_sorter.DraftAndCompare:
        obj.show.value = True  # the rubric and the model answer
    if cls is claim_sorter.ClaimSorter:
        obj.tag.value = claim_sorting.CLAIMS[0].tag  # the feedback
    return obj


@pytest.mark.parametrize("cls", WIDGETS, ids=lambda c: c.__name__)
def test_korean_widget_shows_korean_content_and_no_english_sentence(cls):
    obj = _build(cls, "ko")
    try:
        text = _visible(obj)
        assert ENGLISH_RUN.findall(text) == []
        en_prose = [
            t for name in DATA for _w, t in i18n.data_prose(name, _raw(name)) if references.render_html(t) in text
        ]
        assert en_prose == []  # no English content string on screen
        assert len(HANGUL.findall(text)) > 200
    finally:
        base.close_tree(obj.widget)


@pytest.mark.parametrize("cls", WIDGETS, ids=lambda c: c.__name__)
def test_english_widget_shows_the_english_content(cls):
    obj = _build(cls, "en")
    try:
        text = _visible(obj)
        assert not HANGUL.search(text)
        first = {
            claim_ledger.ClaimLedger: claims.CLAIMS[0].paraphrase,
            claim_sorter.ClaimSorter: claim_sorting.CLAIMS[0].paraphrase,
            claim_sorter.DraftAndCompare: claim_sorting.CHECKLIST[0].label,
            mechanism_map.MechanismMap: mechanisms.MECHANISMS[0].name,
            challenges_widget.ChallengesExplorer: challenges.CHALLENGES[0].name,
        }[cls]
        assert " ".join(first.split()) in " ".join(text.split())
    finally:
        base.close_tree(obj.widget)


def _raw(name: str):
    import yaml

    return yaml.safe_load((ROOT / tr.DATA / f"{name}.yml").read_text(encoding="utf-8"))


def test_fuzzy_or_empty_entry_falls_back_to_english(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "locales" / "ko", tmp_path / "ko")
    path = tmp_path / "ko" / "LC_MESSAGES" / "data" / "claims.po"
    with path.open("rb") as handle:
        cat = read_po(handle, locale="ko")
    first, second, third = claims.CLAIMS[0], claims.CLAIMS[1], claims.CLAIMS[2]
    cat[first.paraphrase].flags.add("fuzzy")
    cat[second.paraphrase].string = ""
    with path.open("wb") as handle:
        write_po(handle, cat, width=0)
    monkeypatch.setenv("SPINECOURSE_LOCALES", str(tmp_path))
    assert source_claims.localized(first) is first  # English (set_language not called)
    i18n.set_language("ko")
    assert source_claims.localized(first).paraphrase == first.paraphrase
    assert source_claims.localized(second).paraphrase == second.paraphrase
    assert HANGUL.search(source_claims.localized(first).explanation)  # the rest is still Korean
    assert HANGUL.search(source_claims.localized(third).paraphrase)


def test_drift_changed_claim_fails_the_check_until_translated(tmp_path):
    for rel in (f"{tr.DATA}/claims.yml", "locales/ko/LC_MESSAGES/data/claims.po", tr.GLOSSARY["ko"]):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, tmp_path / rel)
    source = tr.Source("data", f"{tr.DATA}/claims.yml")
    assert tr.check([source], "ko", tmp_path) == []
    yml = tmp_path / source.path
    old = claims.CLAIMS[0].paraphrase
    new = old.replace("could calm", "might calm")
    text = yml.read_text(encoding="utf-8")
    assert "could calm swelling" in text
    yml.write_text(text.replace("could calm swelling", "might calm swelling"), encoding="utf-8")
    problems = tr.check([source], "ko", tmp_path)
    assert len(problems) == 1 and "untranslated" in problems[0] and "might calm" in problems[0]
    tr.update(source, "ko", tmp_path)
    st = tr.status(source, "ko", tmp_path)
    assert [m for m, _o, _s in st.fuzzy] == [new]  # the old Korean kept as a starting point, marked fuzzy
    tr.apply(
        source,
        "ko",
        {new: "MSC는 항염증 신호와 성장인자를 내보내, 눌린 신경 주변의 부기와 자극을 가라앉힐지도 모른다."},
        tmp_path,
    )
    assert tr.check([source], "ko", tmp_path) == []


def test_model_tables_cover_every_reason_the_model_can_give():
    """The regulatory table is every reason ``classify`` returns for every answer set; the eligibility table
    every vignette, trial text and reason ``assess`` returns for every vignette and trial."""
    reg = {t for _w, t in tr.model_strings("regulatory")}
    ko = i18n.messages("data/regulatory", "ko")
    for p in regulatory.PRESETS.values():
        assert {p.label, p.note} <= reg
        for c in regulatory.classify(p.product).criteria:
            assert c.reason in reg and HANGUL.search(ko[c.reason])
    elig = {t for _w, t in tr.model_strings("eligibility")}
    ko = i18n.messages("data/eligibility", "ko")
    for vid in eligibility.VIGNETTES:
        for tid in eligibility.TRIALS:
            a = eligibility.assess(vid, tid)
            for s in a.steps:
                for text in (s.check.reason, s.criterion.text, s.criterion.interpretation):
                    assert text in elig and HANGUL.search(ko[text])
    with pytest.raises(tr.TranslationError):
        tr.model_strings("anatomy")


def _status_text() -> list[str]:
    """The registry status lines come from evidence_status.yml (the site's catalogue, not this one)."""
    return [status.dated(sid) for sid in status.ids()]


def _no_english(obj) -> None:
    text = _visible(obj)
    for line in _status_text():
        text = text.replace(html.unescape(re.sub(r"<[^>]+>", " ", references.render_html(line))), " ")
    assert ENGLISH_RUN.findall(text) == []


@pytest.mark.parametrize("preset", [*regulatory.PRESETS, "custom"])
def test_korean_regulatory_pathway_shows_no_english_sentence(preset):
    i18n.set_language("ko")
    obj = regulatory_widget.RegulatoryPathway(preset)
    try:
        _no_english(obj)
        en = [*[p.note for p in regulatory.PRESETS.values()], *(c.reason for c in obj.result.criteria)]
        assert not [t for t in en if t in obj.criteria.value or t in obj.verdict.value]
        obj.donor.value = "allogeneic_relative"  # a reason made from the donor table
        _no_english(obj)
    finally:
        base.close_tree(obj.widget)


@pytest.mark.parametrize("trial", list(eligibility.TRIALS))
def test_korean_eligibility_shows_korean_vignettes_criteria_and_reasons(trial):
    i18n.set_language("ko")
    obj = eligibility_widget.EligibilityExercise(trial=trial)
    try:
        for vid in eligibility.VIGNETTES:
            obj.patient.value = vid
            obj.prediction.value = eligibility.assess(vid, trial).decision  # shows the reasoning
            _no_english(obj)
            a = eligibility.assess(vid, trial)
            shown = obj.feedback.value + obj.card.value + obj.criteria.value
            assert a.vignette.story not in shown and all(s.check.reason not in shown for s in a.steps)
    finally:
        base.close_tree(obj.widget)


def test_english_model_tables_unchanged():
    i18n.set_language("en")
    obj = eligibility_widget.EligibilityExercise()
    reg = regulatory_widget.RegulatoryPathway()
    try:
        obj.prediction.value = obj.result.decision if getattr(obj, "result", None) else "eligible"
        a = eligibility.assess(obj.patient.value, obj.trial.value)
        assert eligibility_widget.describe(a) == eligibility.describe(a)
        assert references.render_html(a.vignette.story).replace("**", "") in obj.card.value
        assert all(html.escape(c.reason) in reg.criteria.value for c in reg.result.criteria)
        assert html.escape(regulatory.PRESETS["bm_msc_epidural"].note) in reg.verdict.value
    finally:
        base.close_tree(obj.widget)
        base.close_tree(reg.widget)


def test_isct_reasons_in_korean_keep_the_markers_and_english_is_the_models():
    from spinecourse.models import isct
    from spinecourse.widgets import descriptions

    markers = {"CD105": 80, "CD73": 99, "CD90": 99, "CD45": 5, "CD34": 1, "CD14": 1, "CD79a": 1, "HLA-DR": 1}
    result = isct.check_isct(markers, False, ["osteoblasts"])
    assert descriptions.isct_text(result) == isct.describe(result)
    i18n.set_language("ko")
    reasons = [descriptions.phrase(c.reason) for c in result.criteria]
    assert all(HANGUL.search(r) for r in reasons)
    assert "CD105 80%" in reasons[1] and "CD45 5%" in reasons[2]  # values and marker names untouched
    assert not re.search(r"\b(below|above|not shown|adipocytes|chondroblasts)\b", " ".join(reasons))
