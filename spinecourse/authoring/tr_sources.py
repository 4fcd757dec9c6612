"""Translated editions, the sources: which English files have catalogues (notebooks, question banks, the
code-side ``_()`` strings, content data files ``data:<name>``, the site pages), what each catalogue is called,
and each language's manifest (``locales/<lang>/manifest.yml``). Part of ``translation`` (issue 21).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ..content import i18n

ROOT = Path(__file__).resolve().parents[2]
COURSE = "course"
BANKS = "spinecourse/content/data/questions"
#: The content data files whose prose widgets show (i18n.DATA_PROSE names the prose keys of each).
DATA = "spinecourse/content/data"
#: The models whose string tables widgets show (i18n.MODEL_DATA; ``model_strings`` enumerates them).
MODELS = "spinecourse/models"
CODE = "spinecourse"
#: Where the code-side catalogue's ``_()`` strings are extracted from: the package and the site builder.
CODE_DIRS = (CODE, "site")
BUILD = "build"
#: The nbgrader course's English quizzes (instructor versions); a translated edition is a sibling folder.
QUIZZES = "assignments/source"
PROJECT = "Stem Cells for Spinal Stenosis"
# the site's appendix pages (spinecourse/authoring/pages.py): one catalogue, pages.po, for all five
PAGES = "site/pages"
PAGES_DOMAIN = "pages"
GLOSSARY = {"ko": "spinecourse/content/data/glossary_ko.yml"}
HEADER = (
    "# {lang} translation of {source} (Stem Cells for Spinal Stenosis; English is the source).\n"
    "# Made and checked with `python -m spinecourse.authoring.translation` (locales/{lang}/README.md).\n"
    "# Licence: as the English course (content CC BY 4.0, code MIT)."
)


class TranslationError(ValueError):
    """A source, catalogue or manifest is not usable; the message says which and why."""


# ---- sources ----


@dataclass(frozen=True)
class Source:
    kind: str  # "notebook" | "bank" | "code" | "pages" | "data"
    path: str  # relative to the repository root

    @property
    def catalogue(self) -> str:
        if self.kind == "code":
            return i18n.CODE_DOMAIN
        if self.kind == "pages":
            return PAGES_DOMAIN
        stem = Path(self.path).stem
        if self.kind == "data":
            return i18n.data_catalogue(stem)
        return f"course/{stem}" if self.kind == "notebook" else f"questions/{stem}"

    def __str__(self) -> str:
        return self.path


def resolve(arg: str, root: Path = ROOT) -> list[Source]:
    """A command-line source: a notebook or bank path, ``code``, or a lesson name (its notebook and bank)."""
    text = arg.strip().rstrip("/")
    if text in ("code", CODE, i18n.CODE_DOMAIN):
        return [Source("code", CODE)]
    if text.startswith("data:") or (text.startswith(DATA + "/") and Path(text).stem in i18n.DATA_PROSE):
        name = Path(text.removeprefix("data:")).stem
        if name in i18n.MODEL_DATA:
            return [Source("data", f"{MODELS}/{name}.py")]
        if name not in i18n.DATA_PROSE or not (root / DATA / f"{name}.yml").is_file():
            names = [*i18n.DATA_PROSE, *i18n.MODEL_DATA]
            raise TranslationError(f"{arg}: not a content data source; use data:{', data:'.join(names)}")
        return [Source("data", f"{DATA}/{name}.yml")]
    if text in (PAGES_DOMAIN, PAGES):
        return [Source("pages", PAGES)]
    path = Path(text)
    if path.is_absolute():
        try:
            path = path.relative_to(root)
        except ValueError as exc:
            raise TranslationError(f"{arg}: not inside the repository {root}") from exc
    rel = path.as_posix()
    if rel.endswith(".ipynb"):
        if not (root / rel).is_file():
            raise TranslationError(f"{arg}: no such notebook")
        return [Source("notebook", rel)]
    if rel.endswith(".yml"):
        if not rel.startswith(BANKS + "/") or not (root / rel).is_file():
            raise TranslationError(f"{arg}: not a question bank in {BANKS}/")
        return [Source("bank", rel)]
    found = []
    if (root / COURSE / f"{text}.ipynb").is_file():
        found.append(Source("notebook", f"{COURSE}/{text}.ipynb"))
    if (root / BANKS / f"{text}.yml").is_file():
        found.append(Source("bank", f"{BANKS}/{text}.yml"))
    if not found and (root / QUIZZES / text / f"{text}.ipynb").is_file():  # a quiz name: its notebook
        found.append(Source("notebook", f"{QUIZZES}/{text}/{text}.ipynb"))
    if not found:
        raise TranslationError(
            f"{arg}: not a notebook, a question bank, 'code', a lesson name (e.g. 01_stenosis_anatomy) "
            "or a quiz name (e.g. 01_anatomy_quiz)"
        )
    return found


def all_sources(root: Path = ROOT) -> list[Source]:
    out = [Source("notebook", p.relative_to(root).as_posix()) for p in sorted((root / COURSE).glob("*.ipynb"))]
    out += [Source("bank", p.relative_to(root).as_posix()) for p in sorted((root / BANKS).glob("*.yml"))]
    out += [Source("data", f"{DATA}/{name}.yml") for name in i18n.DATA_PROSE]
    out += [Source("data", f"{MODELS}/{name}.py") for name in i18n.MODEL_DATA]
    return [*out, Source("code", CODE), Source("pages", PAGES)]


def manifest_path(lang: str, root: Path = ROOT) -> Path:
    return root / "locales" / lang / "manifest.yml"


def manifest(lang: str, root: Path = ROOT) -> list[Source]:
    """The sources the edition covers today (``locales/<lang>/manifest.yml``, key ``sources``): each must be
    fully translated and checked; the others are built with English where no translation exists."""
    path = manifest_path(lang, root)
    if not path.is_file():
        raise TranslationError(f"{path}: no manifest for language {lang!r}")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data.get("sources"), list) or not data["sources"]:
        raise TranslationError(f"{path}: needs a non-empty list 'sources'")
    out: list[Source] = []
    for item in data["sources"]:
        for s in resolve(str(item), root):
            if s not in out:
                out.append(s)
    return out
