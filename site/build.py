"""Build the course site: ``python site/build.py [--out DIR]`` (``make site``).

1. Copy every course/*.ipynb to site/_build/src and execute it there, each in a fresh kernel
   (nbclient; the course is deterministic: seeded models, synthetic patients). Any error or
   traceback output stops the build.
2. Per page, in the copies only (course/ stays as committed), for a reader without a kernel:
   a "launch interactive" block (Binder and the department hub's nbgitpuller link, from
   site/config.toml; a link whose target is still the placeholder is left out, and the build says
   so), code cells hidden (tag remove-input), kernel-only instructions reworded and every
   interactive output framed as a static copy, "$" that is money escaped so MyST's dollarmath
   leaves it alone, matplotlib figures turned into <img> with their figure description as alt
   text, the start page as index (home).
3. A references page from the bibliography (spinecourse/content/data/references.yml), then the
   extra pages site/pages/*.md and *.ipynb (evidence status, glossary, ...), sorted by file name,
   after the lessons in the navigation.
4. Sphinx + MyST-NB with warnings as errors (-W --keep-going) into site/_build/html. Math is
   rendered by MathJax served from the site itself (sphinx-mathjax-offline), never a CDN.
5. The Korean edition (issue 21) the same way into site/_build/html/ko/: its lessons come from the PO
   catalogues (``spinecourse.authoring.translation.build("ko")``: the notebooks `make lab-ko` opens, English
   where a passage is untranslated), executed with SPINECOURSE_LANG=ko, the site's own words from the
   code-side catalogue (``_site()`` below), Sphinx with ``language = "ko"`` and the course's Korean search.
   Both editions' notebooks run in one pool of kernels; the two Sphinx builds run side by side. Every page
   links to its counterpart in the other language (site/_templates/language-switch.html). The Korean pages
   load MathJax from the English site's _static (one copy).

Open site/_build/html/index.html, or serve the folder with any static web server.
"""

from __future__ import annotations

import argparse
import base64
import functools
import html
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import nbformat
from jupyter_client import KernelManager
from nbclient import NotebookClient

from spinecourse.content import i18n, texts
from spinecourse.content.i18n import N_

SITE = Path(__file__).resolve().parent
ROOT = SITE.parent
COURSE = ROOT / "course"
START = "00_start_here.ipynb"
LANGUAGES = ("en", "ko")  # the editions: English at the site's root, the others in a folder of their own
DISCLAIMER = texts.DISCLAIMER  # the one wording (spinecourse/content/texts.py), translated by _site
FIGURE_DESCRIPTION = N_("Figure description")


def _site(text: str, lang: str = "en") -> str:
    """A site string in ``lang`` from the code-side catalogue (locales/<lang>/LC_MESSAGES/spinecourse.po);
    English where it has no checked entry."""
    return text if lang == "en" else i18n.translate(i18n.CODE_DOMAIN, text, lang)


def description_re(lang: str = "en") -> re.Pattern:
    """'**Figure description.**' as a widget prints it: English, or its translation in a translated session."""
    words = {FIGURE_DESCRIPTION, _site(FIGURE_DESCRIPTION, lang)}
    return re.compile(r"\*\*(?:" + "|".join(map(re.escape, sorted(words))) + r")\.\*\*\s*(.+)", re.DOTALL)


DESCRIPTION_RE = description_re()


class BuildError(RuntimeError):
    pass


def lessons() -> list[Path]:
    return sorted(COURSE.glob("*.ipynb"))


def page_name(notebook: str) -> str:
    """The page's document name: the start page is the home page (index)."""
    return "index" if notebook == START else Path(notebook).stem


def launch_config() -> dict[str, str]:
    config = tomllib.loads((SITE / "config.toml").read_text())["launch"]
    return {k: os.environ.get(k.upper(), v) for k, v in config.items()}


# The placeholders site/config.toml ships with: a link built from one of them would 404 (or worse,
# point at someone else's host), so it is left out of the pages until the value is set.
PLACEHOLDERS = ("OWNER/REPO", "HUB.EXAMPLE.ORG")


def _unset(value: str) -> bool:
    return not value.strip() or any(p.lower() in value.lower() for p in PLACEHOLDERS)


def launch_targets(config: dict) -> tuple[dict[str, bool], list[str]]:
    """Which launch links can be built ({"hub": bool, "binder": bool}) and, for each one left out,
    a sentence saying which setting to fill in."""
    missing = {
        "hub": [k for k in ("spinecourse_hub_url", "spinecourse_hub_course_repo") if _unset(config.get(k, ""))],
        "binder": [k for k in ("spinecourse_repo_url", "spinecourse_binder_url") if _unset(config.get(k, ""))],
    }
    notes = [
        f"{'department hub' if kind == 'hub' else 'Binder'} link left out: set "
        + " and ".join(f"{k} (site/config.toml or {k.upper()})" for k in keys)
        for kind, keys in missing.items()
        if keys
    ]
    return {kind: not keys for kind, keys in missing.items()}, notes


def binder_link(config: dict, notebook: str) -> str:
    repo = config["spinecourse_repo_url"].rstrip("/").removeprefix("https://github.com/")
    return f"{config['spinecourse_binder_url'].rstrip('/')}/v2/gh/{repo}/{config['spinecourse_branch']}?" + urlencode(
        {"urlpath": f"lab/tree/course/{notebook}"}
    )


def hub_link(config: dict, notebook: str) -> str:
    """nbgitpuller: the hub pulls the course repository into the learner's folder, then opens the page."""
    folder = config["spinecourse_hub_folder"]
    query = urlencode(
        {
            "repo": config["spinecourse_hub_course_repo"],
            "branch": config["spinecourse_hub_branch"],
            "targetpath": folder,
            "urlpath": f"lab/tree/{folder}/{notebook}",
        }
    )
    return f"{config['spinecourse_hub_url'].rstrip('/')}/hub/user-redirect/git-pull?{query}"


def _a(url: str, text: str) -> str:
    # Raw HTML, escaped exactly once: a Markdown link here came out as "&amp;amp;" (MyST escaped the
    # "&" and the HTML writer escaped it again), and nbgitpuller then lost branch, targetpath, urlpath.
    return f'<a href="{html.escape(url, quote=True)}">{text}</a>'


LAUNCH_TEXT = N_(
    "<strong>Launch interactive:</strong> run this lesson with its widgets {where}. This page is a static "
    "copy: each figure is shown at its starting settings, and each self-check answer is behind a "
    "\u201cShow\u201d control."
)
# TRANSLATORS: only in a translated edition's launch block: the hub and Binder open the English notebooks.
LAUNCH_TRANSLATED = N_(
    "The hub and Binder links open the English notebook; the Korean notebooks open locally with "
    "<code>make lab-ko</code>."
)


def launch_cell(config: dict, notebook: str, lang: str = "en"):
    available, _ = launch_targets(config)
    t = functools.partial(_site, lang=lang)
    links = []
    if available["hub"]:
        links.append(
            _a(hub_link(config, notebook), t(N_("on the department hub")))
            + " "
            + t(N_("(preferred where your programme has one)"))
        )
    if available["binder"]:
        links.append(_a(binder_link(config, notebook), t(N_("on Binder"))) + " " + t(N_("(free, may be slow or full)")))
    local = t(N_("locally with <code>make lab</code> (see the course README)"))
    where = (t(N_(" or ")).join(links) + t(N_("; or ")) + local) if links else local
    text = t(LAUNCH_TEXT).format(where=where)
    if lang != "en" and links:
        text += " " + t(LAUNCH_TRANSLATED)
    text = f'<div class="spinecourse-launch" role="note"><p>{text}</p></div>'
    cell = nbformat.v4.new_markdown_cell(text)
    cell.id = "site-launch"
    return cell


def toc_cell(names: list[str]):
    cell = nbformat.v4.new_markdown_cell("```{toctree}\n:hidden:\n:maxdepth: 1\n\n" + "\n".join(names) + "\n```")
    cell.id = "site-toc"
    return cell


def relink(source: str) -> str:
    """Links between lessons keep working: the start page is index.ipynb in the site's sources, and
    every page (lessons and site/pages) sits in one folder, so a link into course/ becomes a file name."""
    source = re.sub(
        r"\(\s*(?:\.\./)*(?:course/|site/pages/)", "(", source
    )  # lessons link the glossary as ../site/pages/glossary.md
    return re.sub(r"\(\s*(?:\./)?00_start_here\.ipynb", "(index.ipynb", source)


# ---- for a reader without a kernel ----

# Money, not math: MyST's dollarmath reads "$...$" as inline math. A pair counts as math only when
# its content looks like TeX (a command, ^, _, =, or a single symbol); every other "$" (US$10,000,
# "$5 and $10", "$10-$20") is escaped. Code spans, fenced code and display math "$$" are left alone.
_CODE_OR_DISPLAY = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]*`|\$\$.*?\$\$)", re.DOTALL)
_INLINE_PAIR = re.compile(r"(?<![\\$])\$(?![\s$])([^$\n]*?[^\s\\$])\$(?!\$)")
_TEX = re.compile(r"\\[A-Za-z]+|[\^_=<>]|^[A-Za-z]$|^\\?[A-Za-z]+\s*[+\-*/]\s*\S")


def _protect_text(text: str) -> str:
    keep: list[str] = []

    def math(m: re.Match) -> str:
        after_letter = m.start() > 0 and m.string[m.start() - 1].isalpha()  # US$10: a currency
        if after_letter or not _TEX.search(m.group(1)):
            return m.group(0)  # money: escaped below with the other lone "$"
        keep.append(m.group(0))
        return f"\x00{len(keep) - 1}\x00"

    text = _INLINE_PAIR.sub(math, text)
    text = re.sub(r"(?<!\\)\$", r"\\$", text)
    return re.sub(r"\x00(\d+)\x00", lambda m: keep[int(m.group(1))], text)


def protect_dollars(source: str) -> str:
    """Escape every "$" that is not TeX math, outside code and display math (see above)."""
    parts = _CODE_OR_DISPLAY.split(source)
    return "".join(p if i % 2 else _protect_text(p) for i, p in enumerate(parts))


# Instructions a reader of the static page cannot follow, reworded for the site (course/ keeps them).
# Per edition: the Korean lessons say it in Korean ("**확인**을 누르세요"), from their catalogues.
REWORD_ALL = N_("Answer each question for yourself, then open **Show the answer and explanation** under it")
REWORD_ONE = N_("open **Show the answer and explanation**")
KERNEL_ONLY_PATTERNS = {
    "en": [r"Answer each question and press \*\*Check\*\*", r"press \*\*Check\*\*"],
    "ko": [r"각 (?:질문|문항)에 답하고 \*\*확인\*\*[을를] 누르세요", r"\*\*확인\*\*[을를] 누르세요"],
}
KERNEL_ONLY = [(re.compile(p), r) for p, r in zip(KERNEL_ONLY_PATTERNS["en"], (REWORD_ALL, REWORD_ONE))]
RUN_ALL = re.compile(r"Run All|Shift</kbd>\s*\+\s*<kbd>Enter")
SITE_READER_NOTE = N_(
    "**Reading this on the course site?** Here the cells have already been run and every "
    "figure is a static copy at its starting settings; to move sliders and use the **Check** buttons, "
    "launch the lesson interactively (links at the top of each lesson)."
)


def reword(source: str, lang: str = "en") -> str:
    # a passage not yet translated is English in a translated edition too: reworded in English
    for patterns, words in {(lang, lang), ("en", "en")}:
        for pattern, replacement in zip(KERNEL_ONLY_PATTERNS[patterns], (REWORD_ALL, REWORD_ONE)):
            source = re.sub(pattern, _site(replacement, words), source)
    return source


STATIC_SELF_CHECK = N_(
    "<strong>Static copy:</strong> answer each question for yourself, then open "
    "\u201cShow the answer and explanation\u201d. The <strong>Check</strong> buttons work when you {how}."
)
STATIC_FIGURE = N_(
    "<strong>Static copy:</strong> the figure and numbers below are shown at their starting "
    "settings. To move the sliders and controls yourself, {how}."
)


def static_note(kind: str, launchable: bool, lang: str = "en"):
    how = _site(
        N_("launch the lesson interactively (links at the top of the page)")
        if launchable
        else N_("open the lesson in JupyterLab (<code>make lab</code>, see the course README)"),
        lang,
    )
    text = _site(STATIC_SELF_CHECK if kind == "self-check" else STATIC_FIGURE, lang).format(how=how)
    cell = nbformat.v4.new_markdown_cell(f'<div class="spinecourse-static-note" role="note"><p>{text}</p></div>')
    return cell


def output_kind(cell) -> str | None:
    """ "self-check", "interactive" (a widget with a static copy) or None, from a code cell's outputs."""
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        if "application/vnd.jupyter.widget-view+json" in data:
            return "self-check" if "spinecourse-selfcheck" in data.get("text/html", "") else "interactive"
    return None


def for_readers_before(nb, lang: str = "en") -> None:
    """Before execution: Markdown reworded and protected, code cells hidden (outputs stay)."""
    noted = False
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = protect_dollars(reword(relink(cell.source), lang))
            if not noted and RUN_ALL.search(cell.source):
                cell.source += "\n\n> " + _site(SITE_READER_NOTE, lang)
                noted = True
        elif cell.cell_type == "code":
            tags = cell.metadata.setdefault("tags", [])
            if "remove-input" not in tags:
                tags.append("remove-input")


def for_readers_after(nb, launchable: bool, lang: str = "en") -> None:
    """After execution: Markdown outputs protected like Markdown cells; a static-copy note before
    every interactive output; code cells that show nothing removed entirely."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                if "text/markdown" in data:
                    data["text/markdown"] = protect_dollars(data["text/markdown"])
            kind = output_kind(cell)
            if kind:
                note = static_note(kind, launchable, lang)
                note.id = f"site-note-{len(cells)}"
                cells.append(note)
            if not cell.get("outputs"):
                tags = cell.metadata.setdefault("tags", [])
                if "remove-cell" not in tags:
                    tags.append("remove-cell")
        cells.append(cell)
    nb.cells = cells


def extra_pages() -> list[Path]:
    """site/pages/*.md and *.ipynb (the content team's pages), sorted by file name."""
    folder = SITE / "pages"
    return (
        sorted((p for p in folder.glob("*") if p.suffix in (".md", ".ipynb")), key=lambda p: p.name)
        if folder.is_dir()
        else []
    )


def execute(path: Path, timeout: int, lang: str = "en") -> float:
    start = time.perf_counter()
    nb = nbformat.read(path, as_version=4)
    # IPC (Unix sockets), not TCP: no port races between parallel kernels, and the build needs no
    # network interface at all (tests/site builds it inside a network namespace to prove it is offline).
    km = KernelManager(kernel_name="python3", transport="ipc", ip=str(path.parent / f".{path.stem}.ipc"))
    NotebookClient(
        nb, km=km, timeout=timeout, resources={"metadata": {"path": str(path.parent)}}, allow_errors=False
    ).execute(env={**os.environ, i18n.ENV_VAR: lang})  # the edition's language from the kernel's start
    for socket_file in path.parent.glob(f".{path.stem}.ipc-*"):
        socket_file.unlink(missing_ok=True)
    problems = [
        f"{path.name}: cell {i}: {o.get('ename', 'stderr')}: {o.get('evalue', o.get('text', ''))[:300]}"
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        for o in cell.get("outputs", [])
        if o.output_type == "error"
        or (o.output_type == "stream" and o.name == "stderr" and re.search(r"Traceback|Error\b", o.text))
    ]
    if problems:
        raise BuildError("\n".join(problems))
    nb.metadata.pop(
        "widgets", None
    )  # live widget state would need the ipywidgets JS; the static copies are in the outputs
    nbformat.write(nb, path)
    return time.perf_counter() - start


def figure_alt_text(nb, path: Path, lang: str = "en") -> None:
    """A matplotlib figure (image/png) becomes an <img> whose alt text is the figure description that
    the same cell prints after it (course rule: every figure has one)."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        outputs = cell.get("outputs", [])
        for j, out in enumerate(outputs):
            data = out.get("data", {})
            if "image/png" not in data or "text/html" in data:
                continue
            description = None
            for later in outputs[j + 1 :]:
                text = later.get("data", {}).get("text/markdown", "")
                found = description_re(lang).search(text)
                if found:
                    description = re.sub(r"[*_`]", "", found.group(1)).strip()
                    break
            if not description:
                raise BuildError(f"{path.name}: cell {i} shows a figure with no 'Figure description' after it")
            png = data["image/png"]
            png = png if isinstance(png, str) else base64.b64encode(png).decode()
            data["text/html"] = (
                f'<img src="data:image/png;base64,{png.strip()}" alt="{html.escape(description)}" '
                'style="max-width:100%;height:auto">'
            )
            del data["image/png"]


REFERENCES_TITLE = N_("References")
REFERENCES_INTRO = N_(
    "Every number, trial and guideline in the course cites one of these entries (checked bibliography, "
    "`spinecourse/content/data/references.yml`). Evidence levels and what is unproven are stated in the "
    "lessons where each source is used."
)
# TRANSLATORS: at the top of a site page (site/pages) that exists only in English.
UNTRANSLATED_PAGE = N_("This page is not translated yet: it is shown in English, the course's source language.")


def references_page(lang: str = "en") -> str:
    from spinecourse.content import references

    bib = references.load()
    lines = [f"# {_site(REFERENCES_TITLE, lang)}", "", _site(REFERENCES_INTRO, lang), ""]
    for key in sorted(bib, key=lambda k: references.short(k).lower()):
        lines.append(f"(ref-{key})=")
        lines.append(f"**{references.short(key)}**: {html.escape(references.full(key))}")
        lines.append("")
    lines += ["", f"*{_site(DISCLAIMER, lang)}*", ""]
    return "\n".join(lines)


def edition_lessons(lang: str, work: Path) -> list[Path]:
    """The lesson notebooks of an edition: course/ for English; for another language the notebooks that
    ``spinecourse.authoring.translation`` builds from the catalogues (here into ``work``, so the site never
    reads a stale build/<lang>/course)."""
    if lang == "en":
        return lessons()
    from spinecourse.authoring import translation

    built = {p.name: p for p in translation.build(lang, out=work)}
    missing = [p.name for p in lessons() if p.name not in built]
    if missing:
        raise BuildError(f"the {lang} build has no notebook for {missing}")
    return [built[p.name] for p in lessons()]


def prepare(src: Path, lang: str = "en") -> tuple[list[Path], list[str], list[Path]]:
    """The Sphinx sources of one edition in ``src``, before execution: returns the notebooks to execute,
    the launch links left out, and the extra pages."""
    if src.exists():
        shutil.rmtree(src)
    shutil.copytree(
        SITE, src, ignore=shutil.ignore_patterns("_build", "build.py", "__pycache__", "config.toml", "pages")
    )
    config = launch_config()
    _available, left_out = launch_targets(config)
    reserved = {page_name(p.name) for p in lessons()} | {"references", "genindex", "search"}
    copies, pages = [], []
    for path in edition_lessons(lang, src.parent / f"{lang}-notebooks"):
        nb = nbformat.read(path, as_version=4)
        for_readers_before(nb, lang)
        nb.cells.insert(1, launch_cell(config, path.name, lang))  # after the title cell
        target = src / f"{page_name(path.name)}.ipynb"
        nbformat.write(nb, target)
        copies.append(target)
    for path in extra_pages():
        if path.stem in reserved:
            raise BuildError(f"site/pages/{path.name}: the name {path.stem!r} is taken by a lesson or a site page")
        target = src / path.name
        if path.suffix == ".md":
            translated = translated_page(path, lang)
            text = protect_dollars(reword(relink((translated or path).read_text(encoding="utf-8"))))
            if lang != "en" and translated is None:  # English: said at the top (and marked lang="en" after the build)
                text = _after_title(text, f"> {_site(UNTRANSLATED_PAGE, lang)}\n")
            target.write_text(text, encoding="utf-8")
        else:
            nb = nbformat.read(path, as_version=4)
            for_readers_before(nb)
            nbformat.write(nb, target)
            copies.append(target)
        pages.append(target)
    return copies, left_out, pages


def translated_page(path: Path, lang: str) -> Path | None:
    """An extra page's translation, site/pages/<lang>/<name> (generated by spinecourse.authoring.pages from
    locales/<lang>/LC_MESSAGES/pages.po), or None: the edition then shows the English page, marked as such."""
    if lang == "en":
        return None
    target = path.parent / lang / path.name
    return target if target.is_file() else None


def _after_title(markdown: str, insert: str) -> str:
    lines = markdown.splitlines(keepends=True)
    at = next((i + 1 for i, line in enumerate(lines) if line.startswith("# ")), 0)
    return "".join(lines[:at]) + "\n" + insert + "\n" + "".join(lines[at:])


def finish(src: Path, copies: list[Path], pages: list[Path], lang: str = "en") -> None:
    """After execution: figures as <img> with alt text, static-copy notes, the navigation, references."""
    launchable = any(launch_targets(launch_config())[0].values())
    for target in copies:
        nb = nbformat.read(target, as_version=4)
        figure_alt_text(nb, target, lang if target.stem in {page_name(p.name) for p in lessons()} else "en")
        for_readers_after(nb, launchable, lang)
        if target.stem == "index":
            nb.cells.append(
                toc_cell(
                    [page_name(p.name) for p in lessons() if p.name != START] + ["references"] + [p.stem for p in pages]
                )
            )
        nbformat.write(nb, target)
    (src / "references.md").write_text(references_page(lang), encoding="utf-8")


def sphinx_command(src: Path, out: Path, lang: str = "en") -> list[str]:
    return [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-W",
        "--keep-going",
        "-q",
        "-j",
        "1",
        "-D",
        f"language={lang}",
        "-d",
        str(src.parent / f"doctrees-{lang}"),
        str(src),
        str(out),
    ]


def sphinx(editions: dict[str, Path], out: Path) -> None:
    """Both editions' Sphinx builds side by side; a translated edition lands in ``out/<lang>``."""
    targets = {lang: out if lang == "en" else out.parent / f"html-{lang}" for lang in editions}
    for target in [out, *targets.values()]:
        if target.exists():
            shutil.rmtree(target)
    procs = {
        lang: subprocess.Popen(
            sphinx_command(src, targets[lang], lang),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "SPINECOURSE_SITE_LANG": lang},  # read by site/conf.py
        )
        for lang, src in editions.items()
    }
    failures = []
    for lang, proc in procs.items():
        stdout, stderr = proc.communicate()
        if proc.returncode != 0:
            failures.append(f"sphinx-build ({lang}) failed (warnings are errors):\n{stdout}\n{stderr}")
    if failures:
        raise BuildError("\n".join(failures))
    for lang, target in targets.items():
        if lang != "en":
            shutil.move(str(target), str(out / lang))
            mark_english_pages(out / lang, [p.stem for p in extra_pages() if translated_page(p, lang) is None])


def mark_english_pages(folder: Path, stems: list[str]) -> None:
    """A page of a translated edition that is still English says so to screen readers and hyphenation:
    lang="en" on its article (WCAG 3.1.2, language of parts)."""
    for stem in stems:
        page = folder / f"{stem}.html"
        text = page.read_text(encoding="utf-8")
        marked, n = re.subn(r'<article class="bd-article"', '<article class="bd-article" lang="en"', text, count=1)
        if n != 1:
            raise BuildError(f'{page}: no <article class="bd-article"> to mark as English')
        page.write_text(marked, encoding="utf-8")


def build_site(out: Path, jobs: int, timeout: int, langs: tuple[str, ...] = LANGUAGES) -> dict:
    """Both editions into ``out`` (English) and ``out/<lang>``; returns timings and the notes to print."""
    start = time.perf_counter()
    editions, notebooks, extra, left_out = {}, [], {}, []
    for lang in langs:
        src = out.parent / ("src" if lang == "en" else f"src-{lang}")
        copies, left_out, pages = prepare(src, lang)
        editions[lang], extra[lang] = src, (copies, pages)
        # an extra page notebook (site/pages/*.ipynb) is English in every edition
        notebooks += [(p, lang if p.stem in {page_name(x.name) for x in lessons()} else "en") for p in copies]
    # one pool of kernels for both editions: the 2-core budget is shared, not doubled in wall time
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        seconds = list(pool.map(lambda item: execute(item[0], timeout, item[1]), notebooks))
    times = {f"{lang}/{p.name}": t for (p, lang), t in zip(notebooks, seconds)}
    for lang, src in editions.items():
        finish(src, *extra[lang], lang=lang)
    executed = time.perf_counter() - start
    sphinx(editions, out)
    return {"times": times, "executed": executed, "total": time.perf_counter() - start, "left_out": left_out}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SITE / "_build" / "html", help="where the site goes")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks executed in parallel (one kernel each)")
    parser.add_argument("--timeout", type=int, default=120, help="seconds per cell")
    parser.add_argument(
        "--lang",
        choices=("all", *LANGUAGES),
        default="all",
        help="one edition only (default: all, English at the root)",
    )
    args = parser.parse_args(argv)
    langs = LANGUAGES if args.lang == "all" else (args.lang,)
    if "en" not in langs:
        parser.error("the English edition is the site's root: build it too (--lang all or en)")
    try:
        result = build_site(args.out, args.jobs, args.timeout, langs)
    except BuildError as exc:
        print(f"site: build failed: {exc}", file=sys.stderr)
        return 1
    for lang in langs:
        folder = args.out if lang == "en" else args.out / lang
        pages = [p for p in folder.glob("*.html") if p.name not in ("genindex.html", "search.html")]
        print(f"site: {lang}: {len(pages)} pages in {folder}")
    print(
        f"site: built in {result['total']:.1f} s (notebooks of {len(langs)} edition(s) executed in "
        f"{result['executed']:.1f} s: " + ", ".join(f"{k} {v:.1f} s" for k, v in result["times"].items()) + ")"
    )
    for note in result["left_out"]:  # never a link to a placeholder: say what was left out and how to set it
        print(f"site: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
