"""Translated editions, the checks: what each translation must carry over from its English (numbers, citation
keys, trial ids, links, code, tags), the glossary lint, the clinician review list and ``check``. Part of
``translation``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from .tr_catalogues import po_path, status
from .tr_sources import GLOSSARY, ROOT, Source, TranslationError

# ---- what must survive translation ----

#: Things a translation must carry over unchanged (each as many times as the English has it).
INVARIANTS: dict[str, re.Pattern] = {
    "number": re.compile(r"(?<![A-Za-z0-9_.])\d+(?:[.,:/-]\d+)*(?![A-Za-z_])"),
    "citation key": re.compile(r"(?<=[\[;\s])@[A-Za-z][\w-]*|#ref-[\w-]+"),
    "trial id": re.compile(r"(?<![A-Za-z0-9])(?:NCT\d{8}|jRCT\w+|ChiCTR[\w-]+|ISRCTN\d+|KCT\d{7}|UMIN\d+)"),
    "abbreviation or evidence label": re.compile(
        r"(?<![A-Za-z0-9/@.#_-])[A-Za-z0-9]*[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*(?:[-/][A-Za-z0-9]+)*(?![A-Za-z0-9])"
    ),
    "URL": re.compile(r"https?://[^\s)\]>\"']+"),
    "link or image target": re.compile(r"(?<=\]\()[^)\s]+|(?<=src=\")[^\"]+"),
    "inline code": re.compile(r"`[^`\n]+`"),
    "HTML tag": re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*"),
    "placeholder": re.compile(r"\{[A-Za-z0-9_.!:]*\}|%\(?[A-Za-z_]*\)?[sdfr]"),
}


def tokens(text: str) -> dict[str, Counter]:
    found = {name: Counter(rx.findall(text)) for name, rx in INVARIANTS.items()}
    # "MSCs" is "MSC" + the English plural, which Korean does not write (MSC가, MSC들); likewise an English
    # word hyphenated onto an abbreviation ("GRADE-based", "SPORT-like" = GRADE 기반, SPORT와 같은)
    abbreviations = (re.sub(r"-[a-z]+$", "", t) for t in found["abbreviation or evidence label"].elements())
    found["abbreviation or evidence label"] = Counter(
        t[:-1] if len(t) > 2 and t.endswith("s") and t[-2].isupper() else t for t in abbreviations
    )
    return found


def invariant_problems(english: str, translation: str) -> list[str]:
    """What the translation lost: each number, key, id, abbreviation, URL, link, image, code span, tag and
    placeholder of the English must appear in it (at least as often); a table row keeps its cells."""
    problems = []
    theirs = tokens(translation)
    for name, ours in tokens(english).items():
        missing = ours - theirs[name]
        if missing:
            problems.append(f"{name} missing: {', '.join(sorted(missing.elements()))}")
    if english.lstrip().startswith("|") and english.count("|") != translation.count("|"):
        problems.append(f"table row has {translation.count('|')} '|', the English {english.count('|')}")
    return problems


# ---- glossary ----


@dataclass(frozen=True)
class GlossaryEntry:
    en: str
    ko: str
    source: str
    checked: bool
    match: str = ""
    variants: tuple[str, ...] = ()
    note: str = ""

    @property
    def pattern(self) -> re.Pattern:
        body = self.match or re.escape(self.en) + r"(?:s|es)?"
        return re.compile(rf"(?<![A-Za-z]){body}(?![A-Za-z])", re.IGNORECASE)


def load_glossary(lang: str = "ko", root: Path = ROOT) -> list[GlossaryEntry]:
    rel = GLOSSARY.get(lang)
    if rel is None:
        raise TranslationError(f"no glossary for language {lang!r}")
    data = yaml.safe_load((root / rel).read_text(encoding="utf-8"))
    problems = validate_glossary(data, rel)
    if problems:
        raise TranslationError("\n".join(problems))
    return [
        GlossaryEntry(
            e["en"],
            e["ko"],
            e["source"],
            e["checked"],
            e.get("match", ""),
            tuple(e.get("variants", ())),
            e.get("note", ""),
        )
        for e in data["terms"]
    ]


def validate_glossary(data, where: str) -> list[str]:
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
        return [f"{where}: top level needs a list 'terms'"]
    problems, seen = [], {}
    allowed = {"en", "ko", "source", "checked", "match", "variants", "note"}
    for n, e in enumerate(data["terms"]):
        at = f"{where}: terms[{n}]"
        if not isinstance(e, dict):
            problems.append(f"{at}: must be a mapping")
            continue
        for key in ("en", "ko", "source"):
            if not isinstance(e.get(key), str) or not e[key].strip():
                problems.append(f"{at}: missing '{key}'")
        if not isinstance(e.get("checked"), bool):
            problems.append(f"{at}: 'checked' must be true or false")
        if set(e) - allowed:
            problems.append(f"{at}: unknown field(s) {sorted(set(e) - allowed)}")
        if e.get("checked") is True and "unverified" in str(e.get("source", "")).lower():
            problems.append(f"{at}: checked: true needs a source, not 'unverified'")
        en = str(e.get("en", "")).lower()
        if en in seen and seen[en] != e.get("ko"):
            problems.append(f"{at}: {e.get('en')!r} has two translations: {seen[en]!r} and {e.get('ko')!r}")
        seen[en] = e.get("ko")
        if "match" in e:
            try:
                re.compile(e["match"])
            except re.error as err:
                problems.append(f"{at}: bad 'match' ({err})")
    return problems


def glossary_problems(pairs: Iterable[tuple[str, str, str]], glossary: list[GlossaryEntry]) -> list[str]:
    """``pairs``: (where, English, translation). A glossary term in the English must appear as the
    glossary's rendering in the translation, and no listed variant rendering may appear anywhere: one
    English term, one Korean term."""
    problems = []
    for where, en, ko in pairs:
        # a bibliography entry keeps its English title as published (copied verbatim): no Korean term to require
        cited_as_published = ko == en and en.lstrip().startswith('<a id="ref-')
        # file names and URLs are not prose: "01_stenosis_anatomy.ipynb" asks for no 해부학
        prose = INVARIANTS["URL"].sub("", INVARIANTS["link or image target"].sub("", en))
        for g in glossary:
            if g.pattern.search(prose) and g.ko not in ko and not cited_as_published:
                problems.append(f"{where}: glossary term {g.en!r} must be rendered {g.ko!r}: {ko[:80]!r}")
            rest = ko.replace(g.ko, "\0")
            for v in g.variants:
                if v in rest:
                    problems.append(f"{where}: {g.en!r} rendered {v!r} here but {g.ko!r} in the glossary")
    return problems


REVIEW_INTRO = """# Korean edition: what a Korean-speaking clinician must review

Generated by `python -m spinecourse.authoring.translation review --lang ko` from
`spinecourse/content/data/glossary_ko.yml`; `tests/test_translation.py` fails when this file is out of step.

The Korean text was drafted without access to Korean terminology sources (no web access; the course's checked
bibliography has no Korean terminology source), so **no glossary term is checked yet**. Before teaching with the
Korean edition, a Korean-speaking spine clinician should:

1. confirm or change each term below against the KMA medical terminology (대한의사협회 의학용어집), a Korean
   guideline or Korean spine literature; write the source into the entry's `source`, set `checked: true`, and
   run `... translation check --lang ko` (a changed rendering must then be used everywhere: the check lists
   every passage that still uses the old one);
2. read the disclaimer (first block quote of `course/00_start_here.ipynb` in
   `locales/ko/LC_MESSAGES/course/00_start_here.po`) and every self-check explanation for clinical sense;
3. where two renderings are in use in Korea (noted below), choose one for the edition.

| English | Korean (edition) | Renderings the lint rejects | Note |
|---|---|---|---|
"""


def review_markdown(lang: str = "ko", root: Path = ROOT) -> str:
    """The review list: every glossary term not yet checked against a Korean source."""
    rows = []
    for g in load_glossary(lang, root):
        if not g.checked:
            cells = [g.en, g.ko, ", ".join(g.variants) or "–", g.note or "–"]
            rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    total = len(load_glossary(lang, root))
    return REVIEW_INTRO + "\n".join(rows) + f"\n\n{len(rows)} of {total} terms flagged for review.\n"


# ---- check ----


def check(sources: Iterable[Source], lang: str, root: Path = ROOT) -> list[str]:
    """Everything wrong with the edition's sources: untranslated, fuzzy, lost invariants, glossary."""
    problems: list[str] = []
    pairs: list[tuple[str, str, str]] = []
    for source in sources:
        st = status(source, lang, root)
        if st.catalogue_missing:
            problems.append(
                f"{source}: no catalogue {po_path(source, lang, root).relative_to(root)} "
                f"(run: python -m spinecourse.authoring.translation update --lang {lang} {source})"
            )
        for msgid in st.untranslated:
            problems.append(f"{source}: untranslated ({', '.join(st.locations[msgid])}): {msgid[:90]!r}")
        for msgid, _old, _s in st.fuzzy:
            problems.append(f"{source}: fuzzy, the English changed ({', '.join(st.locations[msgid])}): {msgid[:90]!r}")
        for en, ko in st.pairs:
            where = f"{source} ({', '.join(st.locations[en])})"
            problems += [f"{where}: {p}: {en[:60]!r}" for p in invariant_problems(en, ko)]
            pairs.append((where, en, ko))
    if lang in GLOSSARY:
        problems += glossary_problems(pairs, load_glossary(lang, root))
    return problems
