"""The course's language at run time: one setting, English or Korean (issue 21).

English is the source everywhere; Korean comes from the gettext catalogues in ``locales/ko/`` (PO files made
and checked with ``python -m spinecourse.authoring.translation``; see ``locales/ko/README.md``).

* ``set_language("ko")`` (or the environment variable ``SPINECOURSE_LANG=ko`` before the kernel starts) switches
  the learner's session; ``language()`` says which is in force. ``set_language("en")`` switches back.
* ``_("English text")`` (alias ``gettext``) translates a code-side string (widget labels, feedback) from the
  ``spinecourse`` catalogue; ``translate(catalogue, text)`` translates a data string (a question bank's prompt,
  option or explanation) from that source's catalogue, e.g. ``"questions/00_start_here"``.
* A string with no Korean entry, or whose entry is fuzzy (out of date after the English changed), stays English:
  a learner never sees a translation of a sentence the course no longer says. The tests keep the edition's
  sources at 0 untranslated and 0 fuzzy, so in a checked source this fallback never shows.
* Korean figures need a Hangul font: ``configure_fonts()`` (called by ``set_language``) puts one first in
  matplotlib's font fallback; ``tools/install_fonts.sh`` installs Debian's fonts-nanum.

Catalogues are read straight from the PO files (Babel's reader; no compiled ``.mo`` to go stale). Importing this
module loads neither matplotlib nor ipywidgets (content stays free of them).
"""

from __future__ import annotations

import contextlib
import os
import re
import warnings
from pathlib import Path
from typing import Any

#: The languages the course speaks; the first is the source.
LANGUAGES = ("en", "ko")
SOURCE_LANGUAGE = "en"
ENV_VAR = "SPINECOURSE_LANG"
#: The code-side catalogue (strings wrapped in ``_()`` in spinecourse/).
CODE_DOMAIN = "spinecourse"
#: Hangul fonts in order of preference (Debian: fonts-nanum, fonts-noto-cjk).
HANGUL_FONTS = (
    "NanumGothic",
    "NanumBarunGothic",
    "Noto Sans CJK KR",
    "Noto Sans KR",
    "Noto Serif CJK KR",
    "UnDotum",
    "Baekmuk Gulim",
)
FONT_HELP = (
    "no Hangul font found for matplotlib, so Korean figure labels would show as empty boxes: run "
    "tools/install_fonts.sh (installs Debian's fonts-nanum), then restart the kernel"
)

_language: str | None = None
_catalogues: dict[tuple[Path, float], dict[str, str]] = {}


def locales_dir() -> Path:
    """Where the catalogues live: ``$SPINECOURSE_LOCALES``, else ``locales/`` at the repository root."""
    env = os.environ.get("SPINECOURSE_LOCALES", "").strip()
    return Path(env) if env else Path(__file__).resolve().parents[2] / "locales"


def normalise(lang: str) -> str:
    """``"ko"``, ``"ko_KR"``, ``"ko-KR.UTF-8"`` -> ``"ko"``; an unsupported language is an error."""
    if not isinstance(lang, str) or not lang.strip():
        raise ValueError(f"a language code is needed, one of {LANGUAGES}; got {lang!r}")
    code = lang.strip().replace("-", "_").split(".")[0].split("_")[0].lower()
    if code not in LANGUAGES:
        raise ValueError(f"the course speaks {', '.join(LANGUAGES)}; {lang!r} is not one of them")
    return code


def language() -> str:
    """The language in force: ``set_language``'s, else ``$SPINECOURSE_LANG``, else English."""
    if _language is not None:
        return _language
    env = os.environ.get(ENV_VAR, "").strip()
    return normalise(env) if env else SOURCE_LANGUAGE


def set_language(lang: str) -> str:
    """Switch the session to ``lang`` ("en" or "ko"); self-checks and widgets made afterwards use it.
    Returns the normalised code. For Korean, matplotlib is given a Hangul font (a warning says how to
    install one if none is found)."""
    global _language
    _language = normalise(lang)
    clear_caches()
    if _language != SOURCE_LANGUAGE:
        configure_fonts()
    return _language


def clear_caches() -> None:
    """Drop the cached question banks (cached per name, whatever the language) so the next self-check
    loads the language now in force."""
    from . import questions

    for name in dir(questions):
        clear = getattr(getattr(questions, name), "cache_clear", None)
        if callable(clear):
            clear()


def catalogue_path(catalogue: str, lang: str) -> Path:
    """``catalogue`` is a source's catalogue name: ``"spinecourse"``, ``"course/00_start_here"``,
    ``"questions/00_start_here"``."""
    return locales_dir() / lang / "LC_MESSAGES" / f"{catalogue}.po"


def messages(catalogue: str, lang: str | None = None) -> dict[str, str]:
    """The usable translations of a catalogue: msgid -> msgstr, leaving out fuzzy and empty entries.
    Re-read when the PO file changes (an author editing it in a running session sees the change)."""
    lang = normalise(lang) if lang else language()
    path = catalogue_path(catalogue, lang)
    if lang == SOURCE_LANGUAGE or not path.is_file():
        return {}
    key = (path, path.stat().st_mtime)
    if key not in _catalogues:
        from babel.messages.pofile import read_po

        with path.open("rb") as handle:
            cat = read_po(handle, locale=lang)
        _catalogues[key] = {m.id: m.string for m in cat if m.id and isinstance(m.id, str) and m.string and not m.fuzzy}
    return _catalogues[key]


def translate(catalogue: str, text: str, lang: str | None = None) -> str:
    """``text`` in the session's language (English when there is no usable entry)."""
    if not isinstance(text, str) or not text:
        return text
    return messages(catalogue, lang).get(text, text)


def gettext(message: str) -> str:
    """The code-side ``_()``: ``message`` from the ``spinecourse`` catalogue in the session's language."""
    return translate(CODE_DOMAIN, message)


_ = gettext


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (translate it later with ``_()``)."""
    return message


def bank_catalogue(name: str) -> str:
    return f"questions/{name}"


#: The fields of a question bank that a learner reads (everything else is a key, number or id).
BANK_TEXT_FIELDS = ("prompt", "unit", "explanation")
OPTION_TEXT_FIELDS = ("text", "explanation")


def localize_bank(name: str, data: Any, lang: str | None = None) -> Any:
    """A question bank's parsed YAML with its learner-facing strings in the session's language; ids,
    ``correct`` flags, numbers and reference keys are the English bank's, untouched."""
    lang = normalise(lang) if lang else language()
    if lang == SOURCE_LANGUAGE or not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        return data
    cat = bank_catalogue(name)
    out = dict(data)
    questions = []
    for raw in data["questions"]:
        if not isinstance(raw, dict):
            questions.append(raw)
            continue
        q = dict(raw)
        for f in BANK_TEXT_FIELDS:
            if isinstance(q.get(f), str):
                q[f] = translate(cat, q[f], lang)
        if isinstance(q.get("options"), list):
            q["options"] = [
                {**o, **{f: translate(cat, o[f], lang) for f in OPTION_TEXT_FIELDS if isinstance(o.get(f), str)}}
                if isinstance(o, dict)
                else o
                for o in q["options"]
            ]
        questions.append(q)
    out["questions"] = questions
    return out


# ---- content data (claims, challenges, the Mrs K rubric) ----

#: The content data files a learner reads inside widgets (``content/data/<name>.yml``), each with the keys
#: whose string values are prose; everything else (ids, tags, levels, OCEBM numbers, GRADE certainties,
#: reference keys, regex cues) is the English file's, untouched. Catalogue: ``data/<name>``.
DATA_PROSE: dict[str, tuple[str, ...]] = {
    "claims": (
        "section",
        "paraphrase",
        "short",
        "best_evidence",
        "verdict",
        "explanation",
        "reason",
        "name",
        "evidence",
        "level",
        "to_prove",
    ),
    "challenges": ("name", "risk", "research", "evidence", "evidence_label", "source_check"),
    "patient_reply": ("patient_question", "model_answer", "label", "look_for", "model_excerpt"),
}
#: Model string tables a widget shows (``models/<name>.py``; models may not import this module, so the widgets
#: translate what the model returns): preset labels and notes, and every reason the pure model can give.
#: Catalogue ``data/<name>``; the authoring tool enumerates the strings by running the model.
MODEL_DATA: tuple[str, ...] = ("regulatory", "eligibility")
#: Keys whose value is a mapping of id -> prose (the challenges' theme names).
DATA_PROSE_MAPS: dict[str, tuple[str, ...]] = {"challenges": ("themes",)}


def data_catalogue(name: str) -> str:
    if name not in DATA_PROSE and name not in MODEL_DATA:
        raise ValueError(f"unknown content data {name!r}: one of {', '.join([*DATA_PROSE, *MODEL_DATA])}")
    return f"data/{name}"


def translate_data(name: str, text: str, lang: str | None = None) -> str:
    """One string of a content data file or model table (``name``) in the session's language."""
    return translate(data_catalogue(name), text, lang)


def data_prose(name: str, data: Any) -> list[tuple[str, str]]:
    """(key path, English prose) of every prose string in a parsed data file, in file order."""
    data_catalogue(name)
    fields, maps = DATA_PROSE[name], DATA_PROSE_MAPS.get(name, ())
    out: list[tuple[str, str]] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            label = f"{where}[{node['id']}]" if isinstance(node.get("id"), str) else where
            for k, v in node.items():
                if isinstance(v, str) and k in fields and v.strip():
                    out.append((f"{label}.{k}", v))
                elif k in maps and isinstance(v, dict):
                    out.extend((f"{label}.{k}.{mk}", mv) for mk, mv in v.items() if isinstance(mv, str) and mv.strip())
                else:
                    walk(v, f"{label}.{k}" if label else str(k))
        elif isinstance(node, list):
            for item in node:
                walk(item, where)

    walk(data, "")
    return out


def localize_data(name: str, data: Any, lang: str | None = None) -> Any:
    """A parsed data file (a copy) with its prose in the session's language; keys, ids and levels untouched."""
    lang = normalise(lang) if lang else language()
    cat = data_catalogue(name)
    if lang == SOURCE_LANGUAGE:
        return data
    fields, maps = DATA_PROSE[name], DATA_PROSE_MAPS.get(name, ())

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                k: translate(cat, v, lang)
                if isinstance(v, str) and k in fields
                else {mk: translate(cat, mv, lang) for mk, mv in v.items()}
                if k in maps and isinstance(v, dict)
                else walk(v)
                for k, v in node.items()
            }
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    return walk(data)


def localize_record(name: str, record: Any, lang: str | None = None) -> Any:
    """A content record (a frozen dataclass such as ``Claim``, ``Mechanism``, ``Challenge``) with its prose
    fields in the session's language; the same object in English."""
    import dataclasses

    lang = normalise(lang) if lang else language()
    cat = data_catalogue(name)
    if lang == SOURCE_LANGUAGE:
        return record
    # a record's field may carry a data key's name under another name (Mechanism.claim = the paraphrase)
    fields = (*DATA_PROSE[name], "claim", "text")
    changes = {
        f.name: translate(cat, getattr(record, f.name), lang)
        for f in dataclasses.fields(record)
        if f.name in fields and isinstance(getattr(record, f.name), str)
    }
    return dataclasses.replace(record, **changes)


# ---- figures: a Hangul font for matplotlib ----


def hangul_font() -> str | None:
    """The first installed font of ``HANGUL_FONTS`` that matplotlib knows, or None. Matplotlib caches its font
    list per user: a font installed after the cache was made (tools/install_fonts.sh) is looked for on disk
    and added, so a hub user's stale cache does not hide it."""
    from matplotlib import font_manager

    def first_known() -> str | None:
        known = {f.name for f in font_manager.fontManager.ttflist}
        return next((name for name in HANGUL_FONTS if name in known), None)

    found = first_known()
    if found is None:
        for path in font_manager.findSystemFonts():
            if re.search(r"nanum|noto(sans|serif)cjk|notosanskr|undotum|baekmuk", Path(path).name, re.IGNORECASE):
                with contextlib.suppress(Exception):  # an unreadable font file is skipped, not fatal
                    font_manager.fontManager.addfont(path)
        found = first_known()
    return found


def configure_fonts(lang: str | None = None) -> str | None:
    """For Korean, add a Hangul font to matplotlib's font fallback: Latin text, digits and symbols keep the
    course's usual font (DejaVu Sans) and Hangul falls back to the Korean font, so English figures look
    the same. Returns the font used, or None (with a warning naming tools/install_fonts.sh) when none is
    installed. English: nothing to do."""
    lang = normalise(lang) if lang else language()
    if lang == SOURCE_LANGUAGE:
        return None
    import matplotlib

    font = hangul_font()
    if font is None:
        warnings.warn(FONT_HELP, RuntimeWarning, stacklevel=2)
        return None
    family = [f for f in matplotlib.rcParams["font.family"] if f not in HANGUL_FONTS]
    matplotlib.rcParams["font.family"] = [*(family or ["sans-serif"]), font]
    return font
