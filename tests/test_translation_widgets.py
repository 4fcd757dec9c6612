"""The widgets in Korean (issue 21): every widget builds in a Korean session with Korean labels, figure
descriptions and alt text; every string the widgets wrap in ``_()`` has a Korean entry; the Korean description
carries the English one's numbers; English output is unchanged; Korean figures draw without missing glyphs."""

from __future__ import annotations

import functools
import html
import importlib
import inspect
import pkgutil
import re
import warnings
from collections import Counter
from pathlib import Path

import ipywidgets
import pytest

import spinecourse.widgets as widget_pkg
from spinecourse.authoring import translation as tr
from spinecourse.content import i18n
from spinecourse.widgets import a11y, base, descriptions

ROOT = Path(__file__).resolve().parents[1]
HANGUL = re.compile(r"[\uac00-\ud7a3]")
NUMBER = re.compile(r"[-+−]?\d+(?:\.\d+)?")
WIDGET_DIR = "spinecourse/widgets/"


@pytest.fixture(autouse=True)
def english_afterwards(monkeypatch):
    """Each test starts and ends in English, with matplotlib's settings restored (the Korean font set-up
    changes rcParams)."""
    import matplotlib

    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    i18n._language = None
    i18n.clear_caches()
    with matplotlib.rc_context():
        yield
    i18n._language = None
    i18n.clear_caches()


def widget_classes() -> list[type]:
    """Every course widget class defined in ``spinecourse.widgets`` (the bases excluded)."""
    found = []
    for info in pkgutil.iter_modules(widget_pkg.__path__):
        module = importlib.import_module(f"spinecourse.widgets.{info.name}")
        found += [
            cls
            for _, cls in inspect.getmembers(module, inspect.isclass)
            if cls.__module__ == module.__name__
            and issubclass(cls, base.CourseWidget)
            and cls not in (base.CourseWidget, base.FigureWidget)
        ]
    return sorted(found, key=lambda c: c.__name__)


CLASSES = widget_classes()


@functools.cache
def widget_units() -> tuple[tr.Unit, ...]:
    """The ``_()``/``N_()`` strings extracted from the widget modules (a fresh extraction, as ``check`` does;
    once per session: the sources do not change while the tests run, and each extraction parses them all)."""
    units = tr.extract(tr.Source("code", tr.CODE))
    return tuple(u for u in units if any(str(loc[0]).startswith(WIDGET_DIR) for loc in u.locations))


def build(cls, lang: str):
    i18n.set_language(lang)
    return cls()


def close(obj) -> None:
    for root in [getattr(obj, "widget", None), *getattr(obj, "controls", [])]:
        if root is not None:
            base.close_tree(root)


def labels(obj) -> list[str]:
    """What a learner reads on the controls: descriptions, option labels, tooltips, placeholders."""
    out = []
    for node in a11y.walk(obj.widget):
        for attr in ("description", "tooltip", "placeholder"):
            value = getattr(node, attr, None)
            if isinstance(value, str) and value.strip():
                out.append(value)
        for label in getattr(node, "_options_labels", ()) or ():
            out.append(str(label))
        for tip in getattr(node, "tooltips", ()) or ():
            out.append(str(tip))
    return out


def description_text(obj) -> str:
    """The figure's text alternative (alt text) or the widget's text description/summary panel."""
    live = getattr(obj, "live", None)
    if isinstance(live, base.LiveFigure):
        return live.alt_text
    for name in ("description", "score", "progress", "output"):
        panel = getattr(obj, name, None)
        if isinstance(panel, ipywidgets.HTML) and panel.value.strip():
            return html.unescape(re.sub(r"<[^>]+>", " ", panel.value))
    # no text panel of its own (MechanismMap: a label, a note and a card of content data): the note
    return html.unescape(re.sub(r"<[^>]+>", " ", obj.widget.children[0].value))


def visible(obj) -> str:
    """Everything the widget shows as text: its static copy (panels and control values) and its labels."""
    markup = re.sub(r'src="data:[^"]+"', "", obj.static_html())
    markup = re.sub(r'alt="([^"]*)"', r"> \1 <", markup)
    return html.unescape(re.sub(r"<[^>]+>", " ", markup)) + "\n" + "\n".join(labels(obj))


def test_the_widget_list_is_complete():
    names = {c.__name__ for c in CLASSES}
    assert {
        "CanalExplorer",
        "BedsideProbability",
        "ODIExplorer",
        "CrossoverSimulator",
        "TrialSimulator",
        "ISCTChecker",
        "MechanismMap",
        "ClaimLedger",
        "ClaimSorter",
        "DraftAndCompare",
        "ChallengesExplorer",
        "RegulatoryPathway",
        "EligibilityExercise",
        "SampleSizeCalculator",
    } <= names


def test_every_widget_string_has_a_korean_entry():
    """Compared against the catalogue as the runtime reads it (fuzzy and empty entries do not count)."""
    units = widget_units()
    assert len(units) > 300  # the widgets' strings are extracted (an f-string inside _() would not be)
    korean = i18n.messages(i18n.CODE_DOMAIN, "ko")
    missing = [u.msgid for u in units if not korean.get(u.msgid)]
    assert not missing, f"{len(missing)} widget string(s) without a usable Korean entry: {missing[:10]}"
    # an entry with English words (outside placeholders and tags) must have Korean ones
    wordy = [u.msgid for u in units if re.search(r"[a-z]{3}", re.sub(r"\{[^}]*\}|<[^>]+>", "", u.msgid))]
    still_english = [m for m in wordy if not HANGUL.search(korean[m])]
    assert not still_english, f"entries left in English: {still_english}"


def test_the_code_catalogue_passes_the_translation_check():
    assert tr.check([tr.Source("code", tr.CODE)], "ko") == []


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_widget_builds_in_korean(cls):
    obj = build(cls, "ko")
    try:
        text = description_text(obj)
        assert HANGUL.search(text), f"{cls.__name__}: description/alt text has no Hangul: {text[:120]!r}"
        shown = labels(obj)
        assert any(HANGUL.search(t) for t in shown), f"{cls.__name__}: no Korean label: {shown[:5]}"
        live = getattr(obj, "live", None)
        if isinstance(live, base.LiveFigure):
            assert HANGUL.search(html.unescape(live.image.value)), "the <img> alt text is not the Korean one"
            assert HANGUL.search(obj.description.value) and "그림 설명." in obj.description.value
        # no sentence the widgets translate is left in English on screen (long strings: a short one such as
        # "ITT" or "5 mm" is the same in both languages, and content data such as trial names stay English)
        english = {u.msgid for u in widget_units() if len(u.msgid.split()) >= 4 and "{" not in u.msgid}
        seen = visible(obj)
        left = sorted(e for e in english if e in seen)
        assert not left, f"{cls.__name__}: untranslated widget text on screen: {left}"
    finally:
        close(obj)


@pytest.mark.parametrize("cls", [c for c in CLASSES if c.__name__ not in ("MechanismMap",)], ids=lambda c: c.__name__)
def test_korean_description_has_the_english_numbers(cls):
    """Same settings, same numbers: the Korean text alternative says what the English one says."""
    english_obj = build(cls, "en")
    english = description_text(english_obj)
    close(english_obj)
    korean_obj = build(cls, "ko")
    korean = description_text(korean_obj)
    close(korean_obj)
    assert english != korean
    assert Counter(NUMBER.findall(korean.replace("−", "-"))) == Counter(NUMBER.findall(english.replace("−", "-"))), (
        f"{cls.__name__}:\nEN {english}\nKO {korean}"
    )


# ---- English unchanged: the widgets' describers are the models' text, word for word ----


def test_english_descriptions_are_the_models():
    from spinecourse.models import anatomy, crossover, diagnosis, isct, outcomes, sample_size, trial_sim

    i18n.set_language("en")
    for disc, flavum, facet, narrow in [(2, 3, 2, False), (6, 5.5, 4, True), (0, 2, 0, False)]:
        inputs = anatomy.CanalInputs(disc, flavum, facet, narrow)
        result = anatomy.evaluate(inputs)
        assert descriptions.canal(inputs, result) == anatomy.describe(inputs, result)
    for pre, findings in [(0.3, ()), (0.5, ("claudication_present", "age_over_70")), (0.1, ("no_pain_seated",))]:
        r = diagnosis.bedside(pre, list(findings))
        assert descriptions.bedside(r) == diagnosis.describe(r)
    for before, after in [(40, 20), (40, 35), (40, 45), (20, 14), (60, 51), (0, 0), (10, 0)]:
        change = outcomes.classify_change(before, after, "ODI")
        assert descriptions.odi(change) == outcomes.describe_change(change)
        assert descriptions.verdict(change) == change.verdict
    for kw in [
        {},
        {"uptake_surgery_arm": 1.0, "uptake_control_arm": 0.0},
        {"selection": -0.5},
        {"uptake_surgery_arm": 0.5, "uptake_control_arm": 0.5},
        {"selection": 0.7, "true_effect": 0.0},
    ]:
        result = crossover.simulate(crossover.TrialSettings(**kw))
        assert descriptions.crossover_text(result) == crossover.describe(result)
    for kw in [{}, {"true_effect": 0.0}, {"true_effect": 10.0, "placebo": 0.0, "n_total": 40}]:
        result = trial_sim.simulate(trial_sim.TrialSettings(**kw))
        assert descriptions.trial_sim_text(result) == trial_sim.describe(result)
    markers = {
        "CD105": 98.0,
        "CD73": 99.0,
        "CD90": 97.0,
        "CD45": 0.5,
        "CD34": 1.0,
        "CD14/CD11b": 0.5,
        "CD79α/CD19": 0.3,
        "HLA-DR": 0.8,
    }
    for m, adherent, lineages in [
        (markers, True, isct.LINEAGES),
        ({**markers, "CD90": 80.0, "CD45": 5.0}, False, ["osteoblasts"]),
    ]:
        result = isct.check_isct(m, adherent, lineages)
        assert descriptions.isct_text(result) == isct.describe(result)
    for sd, power, alpha in [(20, 0.8, 0.05), (12, 0.9, 0.01)]:
        result = sample_size.patients_per_arm(sd, power, alpha)
        assert descriptions.sample_size_text(sd, power, alpha, result) == sample_size.describe(sd, power, alpha, result)
    assert descriptions.formula_html() == sample_size.FORMULA_HTML


def test_english_widget_texts_match_the_models():
    from spinecourse.models import eligibility, regulatory
    from spinecourse.widgets import eligibility as eligibility_widget
    from spinecourse.widgets import regulatory as regulatory_widget

    i18n.set_language("en")
    for v in eligibility.VIGNETTES:
        for t in eligibility.TRIALS:
            a = eligibility.assess(v, t)
            assert eligibility_widget.describe(a) == eligibility.describe(a)
    for key, preset in regulatory.PRESETS.items():
        result = regulatory.classify(preset.product)
        assert regulatory_widget.summary(result) == result.summary(), key


def test_every_fixed_model_phrase_is_listed_for_translation():
    """The model phrases the widgets translate with ``_(variable)`` are marked with ``N_()`` (else they would
    silently stay English): if a model changes one, this fails until the list follows."""
    from spinecourse.models import anatomy, crossover, diagnosis, eligibility, isct, outcomes, regulatory
    from spinecourse.widgets import claim_ledger
    from spinecourse.widgets import eligibility as eligibility_widget

    listed = {u.msgid for u in widget_units()}
    phrases = [
        *anatomy.AP_GRADE_TEXT.values(),
        *outcomes.SECTION_LABELS,
        crossover.NOT_COMPARABLE,
        *(crossover.selection_text(s) for s in (-1, 0, 1)),
        *isct.LINEAGES,
        *regulatory.CRITERIA,
        *regulatory.DONORS.values(),
        *eligibility.DECISIONS,
        *eligibility.KINDS,
        *eligibility.STATE_WORDS.values(),
        eligibility.NOT_APPLIED,
        *{v.sex for v in eligibility.VIGNETTES.values()},
        *claim_ledger.RATING_NAMES,
        *(f.label for f in diagnosis.FINDINGS.values()),
    ]
    from spinecourse.widgets.isct import DEFAULT_MARKERS

    full = isct.check_isct(DEFAULT_MARKERS, True, isct.LINEAGES)
    empty = isct.check_isct(DEFAULT_MARKERS, False, [])
    phrases += [c.name for c in full.criteria] + [
        full.criteria[0].reason,
        empty.criteria[0].reason,
        full.criteria[3].reason,
    ]
    assert eligibility_widget.MODEL_WORDS  # the list exists and is extracted
    missing = [p for p in phrases if p not in listed]
    assert not missing, f"model phrases not marked for translation: {missing}"


def test_english_output_is_unchanged_after_a_korean_session():
    """Switching back to English gives the English widget again (strings are looked up when a widget is made)."""
    from spinecourse.widgets import CanalExplorer, RegulatoryPathway

    first = build(CanalExplorer, "en")
    english = (first.description.value, first.numbers.value, first.disc.description)
    close(first)
    close(build(CanalExplorer, "ko"))
    again = build(CanalExplorer, "en")
    assert (again.description.value, again.numbers.value, again.disc.description) == english
    assert english[2] == "Disc bulge (mm)" and english[0].startswith("<p><b>Figure description.</b> Axial")
    close(again)
    reg = build(RegulatoryPathway, "en")
    assert reg.minimal._options_labels == ("Yes", "No") and "Teaching model." in reg.widget.children[0].value
    close(reg)
    assert base.with_static_html(ipywidgets.HTML("x"))["text/plain"] == base.RUN_CELL_NOTE


def _glyph_warnings(obj) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        obj.live.sharpen()  # a full draw of every artist, labels and legend included
    return [str(w.message) for w in caught if "Glyph" in str(w.message) or "missing from" in str(w.message)]


def test_korean_figures_draw_without_missing_glyphs():
    if i18n.hangul_font() is None:
        pytest.fail(
            "No Hangul font for matplotlib: run tools/install_fonts.sh (Debian fonts-nanum), then rerun.", pytrace=False
        )
    from spinecourse.widgets import claim_ledger, prevalence

    figures = [c for c in CLASSES if issubclass(c, base.FigureWidget)]
    assert len(figures) >= 6
    for cls in figures:
        obj = build(cls, "ko")
        try:
            texts = [t.get_text() for t in obj.live.fig.findobj(lambda a: hasattr(a, "get_text"))]
            assert any(HANGUL.search(t) for t in texts), f"{cls.__name__}: no Hangul in the figure"
            assert _glyph_warnings(obj) == [], cls.__name__
        finally:
            close(obj)
    for make in (prevalence.prevalence_figure, claim_ledger.claims_figure):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig, description = make()
            static = base.StaticFigure(fig, description)
        assert HANGUL.search(description) and "그림 설명." in static.html()
        assert not [w for w in caught if "Glyph" in str(w.message)], make.__name__


def test_the_run_this_cell_note_follows_the_language():
    """What a frontend without widget JavaScript shows (text/plain), for course widgets and self-checks alike."""
    from spinecourse.widgets import SampleSizeCalculator, self_check

    i18n.set_language("ko")
    korean = i18n._(base.RUN_CELL_NOTE)
    assert HANGUL.search(korean)
    obj = SampleSizeCalculator()
    assert obj._repr_mimebundle_()["text/plain"] == korean
    close(obj)
    box = self_check("00_start_here")
    assert box._repr_mimebundle_()["text/plain"] == korean
    base.close_tree(box)
