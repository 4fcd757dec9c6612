"""Build the course site: ``python site/build.py [--out DIR]`` (``make site``).

1. Copy every course/*.ipynb to site/_build/src and execute it there, each in a fresh kernel
   (nbclient; the course is deterministic: seeded models, synthetic patients). Any error or
   traceback output stops the build.
2. Per page, in the copies only (course/ stays as committed): a "launch interactive" block (Binder
   and the department hub's nbgitpuller link, from site/config.toml), matplotlib figures turned into
   <img> with their figure description as alt text, the start page as index (home).
3. A references page from the bibliography (spinecourse/content/data/references.yml).
4. Sphinx + MyST-NB with warnings as errors (-W --keep-going) into site/_build/html.

Open site/_build/html/index.html, or serve the folder with any static web server.
"""

from __future__ import annotations

import argparse
import base64
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

SITE = Path(__file__).resolve().parent
ROOT = SITE.parent
COURSE = ROOT / "course"
START = "00_start_here.ipynb"
DISCLAIMER = ("Educational material, not medical advice. MSC therapy for spinal stenosis is investigational. "
              "All patient cases are synthetic.")
DESCRIPTION_RE = re.compile(r"\*\*Figure description\.\*\*\s*(.+)", re.DOTALL)


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


def binder_link(config: dict, notebook: str) -> str:
    repo = config["spinecourse_repo_url"].rstrip("/").removeprefix("https://github.com/")
    return (f"{config['spinecourse_binder_url'].rstrip('/')}/v2/gh/{repo}/{config['spinecourse_branch']}?"
            + urlencode({"urlpath": f"lab/tree/course/{notebook}"}))


def hub_link(config: dict, notebook: str) -> str:
    """nbgitpuller: the hub pulls the course repository into the learner's folder, then opens the page."""
    folder = config["spinecourse_hub_folder"]
    query = urlencode({"repo": config["spinecourse_hub_course_repo"], "branch": config["spinecourse_hub_branch"],
                       "targetpath": folder, "urlpath": f"lab/tree/{folder}/{notebook}"})
    return f"{config['spinecourse_hub_url'].rstrip('/')}/hub/user-redirect/git-pull?{query}"


def launch_cell(config: dict, notebook: str):
    text = (
        '<div class="spinecourse-launch" role="note">\n\n'
        "**Launch interactive:** run this lesson with its widgets "
        f"[on the department hub]({hub_link(config, notebook)}) (preferred where your programme has one) "
        f"or [on Binder]({binder_link(config, notebook)}) (free, may be slow or full); "
        "locally: `make lab` (see the README). This page shows each figure at its starting settings.\n\n"
        "</div>")
    cell = nbformat.v4.new_markdown_cell(text)
    cell.id = "site-launch"
    return cell


def toc_cell(names: list[str]):
    cell = nbformat.v4.new_markdown_cell("```{toctree}\n:hidden:\n:maxdepth: 1\n\n" + "\n".join(names) + "\n```")
    cell.id = "site-toc"
    return cell


def relink(source: str) -> str:
    """Links between lessons keep working: the start page is index.ipynb in the site's sources."""
    return re.sub(r"\(\s*(?:\./)?00_start_here\.ipynb", "(index.ipynb", source)


def execute(path: Path, timeout: int) -> float:
    start = time.perf_counter()
    nb = nbformat.read(path, as_version=4)
    # IPC (Unix sockets), not TCP: no port races between parallel kernels, and the build needs no
    # network interface at all (tests/site builds it inside a network namespace to prove it is offline).
    km = KernelManager(kernel_name="python3", transport="ipc", ip=str(path.parent / f".{path.stem}.ipc"))
    NotebookClient(nb, km=km, timeout=timeout, resources={"metadata": {"path": str(path.parent)}},
                   allow_errors=False).execute()
    for socket_file in path.parent.glob(f".{path.stem}.ipc-*"):
        socket_file.unlink(missing_ok=True)
    problems = [f"{path.name}: cell {i}: {o.get('ename', 'stderr')}: {o.get('evalue', o.get('text', ''))[:300]}"
                for i, cell in enumerate(nb.cells) if cell.cell_type == "code" for o in cell.get("outputs", [])
                if o.output_type == "error" or (o.output_type == "stream" and o.name == "stderr"
                                                 and re.search(r"Traceback|Error\b", o.text))]
    if problems:
        raise BuildError("\n".join(problems))
    nb.metadata.pop("widgets", None)  # live widget state would need the ipywidgets JS; the static copies are in the outputs
    nbformat.write(nb, path)
    return time.perf_counter() - start


def figure_alt_text(nb, path: Path) -> None:
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
            for later in outputs[j + 1:]:
                text = later.get("data", {}).get("text/markdown", "")
                found = DESCRIPTION_RE.search(text)
                if found:
                    description = re.sub(r"[*_`]", "", found.group(1)).strip()
                    break
            if not description:
                raise BuildError(f"{path.name}: cell {i} shows a figure with no 'Figure description' after it")
            png = data["image/png"]
            png = png if isinstance(png, str) else base64.b64encode(png).decode()
            data["text/html"] = (f'<img src="data:image/png;base64,{png.strip()}" alt="{html.escape(description)}" '
                                 'style="max-width:100%;height:auto">')
            del data["image/png"]


def references_page() -> str:
    from spinecourse.content import references

    bib = references.load()
    lines = ["# References", "",
             "Every number, trial and guideline in the course cites one of these entries (checked bibliography, "
             "`spinecourse/content/data/references.yml`). Evidence levels and what is unproven are stated in the "
             "lessons where each source is used.", ""]
    for key in sorted(bib, key=lambda k: references.short(k).lower()):
        lines.append(f"(ref-{key})=")
        lines.append(f"**{references.short(key)}**: {html.escape(references.full(key))}")
        lines.append("")
    lines += ["", f"*{DISCLAIMER}*", ""]
    return "\n".join(lines)


def prepare(src: Path, jobs: int, timeout: int) -> dict[str, float]:
    if src.exists():
        shutil.rmtree(src)
    shutil.copytree(SITE, src, ignore=shutil.ignore_patterns("_build", "build.py", "__pycache__", "config.toml"))
    config = launch_config()
    copies = []
    for path in lessons():
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = relink(cell.source)
        nb.cells.insert(1, launch_cell(config, path.name))  # after the title cell
        target = src / f"{page_name(path.name)}.ipynb"
        nbformat.write(nb, target)
        copies.append(target)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        times = dict(zip((p.name for p in copies), pool.map(lambda p: execute(p, timeout), copies)))
    for target in copies:
        nb = nbformat.read(target, as_version=4)
        figure_alt_text(nb, target)
        if target.stem == "index":
            nb.cells.append(toc_cell([page_name(p.name) for p in lessons() if p.name != START] + ["references"]))
        nbformat.write(nb, target)
    (src / "references.md").write_text(references_page())
    return times


def sphinx(src: Path, out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q", "-j", "1",
           "-d", str(src.parent / "doctrees"), str(src), str(out)]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise BuildError(f"sphinx-build failed (warnings are errors):\n{result.stdout}\n{result.stderr}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SITE / "_build" / "html", help="where the site goes")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks executed in parallel (one kernel each)")
    parser.add_argument("--timeout", type=int, default=120, help="seconds per cell")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    src = args.out.parent / "src"
    try:
        times = prepare(src, args.jobs, args.timeout)
        executed = time.perf_counter() - start
        sphinx(src, args.out)
    except BuildError as exc:
        print(f"site: build failed: {exc}", file=sys.stderr)
        return 1
    pages = sorted(p.relative_to(args.out).as_posix() for p in args.out.glob("*.html")
                   if p.name not in ("genindex.html", "search.html"))
    print(f"site: {len(pages)} pages in {args.out} ({time.perf_counter() - start:.1f} s; "
          f"notebooks executed in {executed:.1f} s: " + ", ".join(f"{k} {v:.1f} s" for k, v in times.items()) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
