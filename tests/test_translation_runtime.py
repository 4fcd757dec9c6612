"""The Korean edition at run time (issue 21): one language setting, self-checks in Korean, Hangul in figures,
the built Korean notebooks and JupyterLab's language pack."""

from __future__ import annotations

import io
import json
import warnings
from pathlib import Path

import nbformat
import pytest

from spinecourse.authoring import translation as tr
from spinecourse.content import i18n

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def english_afterwards(monkeypatch):
    """Each test starts and ends in the default language, with matplotlib's settings restored."""
    import matplotlib

    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    i18n._language = None
    i18n.clear_caches()
    with matplotlib.rc_context():
        yield
    i18n._language = None
    i18n.clear_caches()


def test_one_setting_chooses_the_language(monkeypatch):
    assert i18n.language() == "en" and i18n._("Check") == "Check"
    monkeypatch.setenv(i18n.ENV_VAR, "ko_KR.UTF-8")
    assert i18n.language() == "ko" and i18n._("Check") == "확인"
    assert i18n.set_language("en") == "en" and i18n._("Check") == "Check"  # the call wins over the environment
    assert i18n.set_language("ko-KR") == "ko" and i18n._("Choose one.") == "하나를 고르세요."
    assert i18n._("A string nobody translated") == "A string nobody translated"
    with pytest.raises(ValueError, match="the course speaks en, ko"):
        i18n.set_language("fr")
    with pytest.raises(ValueError, match="a language code is needed"):
        i18n.set_language("")


def test_fuzzy_and_empty_entries_stay_english(tmp_path, monkeypatch):
    po = tmp_path / "ko" / "LC_MESSAGES" / "spinecourse.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Check"\nmsgstr "확인"\n\n#, fuzzy\nmsgid "Correct."\nmsgstr "틀림."\n\n'
        'msgid "Self-check"\nmsgstr ""\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("SPINECOURSE_LOCALES", str(tmp_path))
    assert [i18n.translate("spinecourse", t, "ko") for t in ("Check", "Correct.", "Self-check")] == [
        "확인",
        "Correct.",
        "Self-check",
    ]


def test_self_check_in_korean_and_back():
    from spinecourse.widgets import self_check

    english = self_check("00_start_here")
    en_q = english.questions[0]
    i18n.set_language("ko")
    korean = self_check("00_start_here")
    ko_q = korean.questions[0]
    assert ko_q.title == "자가 점검 1" and ko_q.button.description == "확인"
    assert "척추관 협착증" in ko_q.prompt.value and ko_q.input.description == "답:"
    # the same shuffle in both languages: the key sits at the same place
    assert [o.correct for o in ko_q.question.options] == [o.correct for o in en_q.question.options]
    wrong = next(i for i, o in enumerate(ko_q.question.options) if not o.correct)
    ko_q.input.value = ko_q.question.options[wrong].text
    result = ko_q.check()
    assert not result.correct and result.verdict.startswith("아쉽습니다") and "내가 고른 답" in result.details[0]
    html = korean._repr_mimebundle_()["text/html"]
    assert "정답과 설명 보기" in html and "하나를 고르세요." in html
    i18n.set_language("en")
    assert self_check("00_start_here").questions[0].button.description == "Check"


def _hangul_figure_warnings() -> list[str]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 3))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.plot([0, 6, 12], [48, 40, 36])
    ax.set_title("요추 척추관 협착증: ODI 변화 (가상 환자)")
    ax.set_xlabel("개월 (months) ± 95% CI")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    return [str(w.message) for w in caught if "Glyph" in str(w.message) or "missing from" in str(w.message)]


def test_hangul_renders_in_figures():
    if i18n.hangul_font() is None:
        pytest.fail(
            "No Hangul font for matplotlib: run tools/install_fonts.sh (Debian fonts-nanum), then rerun.", pytrace=False
        )
    font = i18n.set_language("ko") and i18n.configure_fonts()
    assert font in i18n.HANGUL_FONTS
    assert _hangul_figure_warnings() == []


def test_without_a_hangul_font_the_warning_names_the_installer(monkeypatch):
    monkeypatch.setattr(i18n, "HANGUL_FONTS", ("No Such Hangul Font",))
    with pytest.warns(RuntimeWarning, match="tools/install_fonts.sh"):
        assert i18n.configure_fonts("ko") is None


def test_build_makes_korean_notebooks_with_the_same_code(tmp_path):
    written = tr.build("ko", out=tmp_path / "ko")
    names = sorted(p.name for p in written)
    assert names == sorted(p.name for p in (ROOT / "course").glob("*.ipynb"))
    english = nbformat.read(ROOT / "course/00_start_here.ipynb", as_version=4)
    korean = nbformat.read(tmp_path / "ko/course/00_start_here.ipynb", as_version=4)
    assert korean.cells[1].id == tr.LANG_CELL_ID and 'set_language("ko")' in korean.cells[1].source
    assert "remove-cell" in korean.cells[1].metadata["tags"]
    rest = [c for c in korean.cells if c.id != tr.LANG_CELL_ID]
    assert [c.source for c in rest if c.cell_type == "code"] == [
        c.source for c in english.cells if c.cell_type == "code"
    ]
    assert [c.id for c in rest] == [c.id for c in english.cells]  # complete: no "in progress" note
    assert korean.cells[0].source.startswith("# 척추관 협착증과 줄기세포")
    settings = tmp_path / "ko/lab-settings/@jupyterlab/translation-extension/plugin.jupyterlab-settings"
    assert json.loads(settings.read_text()) == {"locale": "ko_KR"}
    assert (tmp_path / ".gitignore").read_text() == "*\n"


def test_incomplete_lesson_is_built_with_a_note(tmp_path):
    source = tr.Source("notebook", "course/01_stenosis_anatomy.ipynb")
    st = tr.status(source, "ko")
    nb = tr.translated_notebook(source, "ko")
    if st.untranslated or st.fuzzy:
        assert nb.cells[1].id == tr.NOTE_CELL_ID and "번역 진행 중" in nb.cells[1].source
        assert nb.cells[2].id == tr.LANG_CELL_ID
    else:
        assert all(c.id != tr.NOTE_CELL_ID for c in nb.cells)


def test_korean_pilot_notebook_runs_and_shows_korean(tmp_path):
    from nbclient import NotebookClient

    tr.build("ko", out=tmp_path / "ko")
    path = tmp_path / "ko/course/00_start_here.ipynb"
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, errors
    html = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "자가 점검 1." in html and "정답과 설명 보기" in html


def test_jupyterlab_korean_language_pack_installed():
    import jupyterlab_language_pack_ko_KR as pack

    bundle = Path(pack.__file__).parent / "locale/ko_KR/LC_MESSAGES/jupyterlab.json"
    strings = json.loads(bundle.read_text(encoding="utf-8"))
    assert strings["Run All Cells"] == ["모든 셀 실행"]  # the menu path lesson 00 quotes in Korean
    assert strings["menu\x04File"] == ["파일"] and strings["Download"] == ["다운로드"]


def test_korean_site_search_finds_words_with_particles(tmp_path):
    """The search language the Korean site registers (Sphinx has none for Korean): a page saying 협착증은 is found
    by a search for 협착증, English abbreviations by lower-case queries, and the page is lang="ko"."""
    import subprocess
    import sys

    (tmp_path / "conf.py").write_text(
        'import sphinx.search\nsphinx.search.languages["ko"] = "spinecourse.authoring.translation.SearchKorean"\n'
        'language = "ko"\nproject = "t"\n',
        encoding="utf-8",
    )
    (tmp_path / "index.rst").write_text(
        "제목\n====\n\n요추 척추관 협착증은 MSC 치료에서 입증되지 않았습니다.\n", encoding="utf-8"
    )
    out = tmp_path / "_build"
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(tmp_path), str(out)],
        check=True,
        timeout=120,
        capture_output=True,
    )
    index = (out / "searchindex.js").read_text(encoding="utf-8")
    terms = json.loads(index[index.index("(") + 1 : index.rindex(")")])["terms"]
    assert {"협착증", "협착증은", "척추관", "msc", "입증"} <= set(terms)
    assert '<html lang="ko"' in (out / "index.html").read_text(encoding="utf-8")
