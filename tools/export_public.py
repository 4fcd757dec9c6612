"""Write the PUBLIC learner repository (what Binder and learners get) from this private one.

This repository is the instructors' (private): it holds the quizzes' sources with solutions, hidden
tests and mark schemes (``assignments/source/``), and the tests that use them. Binder builds from a
public repository and every learner there can read all of it (files and git history), so the public
course is a separate repository made by this command:

    .venv/bin/python tools/export_public.py ../spinecourse-public          # a new folder (or --force)
    cd ../spinecourse-public && git init && git add -A && git commit -m "Course release"  # then push

It copies only what learners need (an allow-list, so a new private folder stays private by default):
the lessons, the package, the learner settings, the Binder files, the docs, and the STUDENT copies of
the quizzes (``assignments/release/``; postBuild then has nothing to generate). Never copied:
``assignments/source/``, gradebooks, nbgrader's working folders, tests, the hub's state, .git. The
practice copies (``assignments/practice/``) show the model answers, so they are left out unless
``--with-practice`` is given: only for a public course whose quizzes no programme grades for credit.
tests/test_security_hub_export.py checks that no solution or hidden-test line of any quiz is in it.
"""

from __future__ import annotations

import argparse
import fnmatch
import shutil
import stat
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: What the public repository holds (paths relative to the root); everything else stays private.
PUBLIC = [
    "README.md",
    "LICENSE",
    "environment.yml",
    "postBuild",
    "pyproject.toml",
    "requirements.lock",
    "course",
    "spinecourse",
    "jupyter-settings",
    "docs",
    "assignments/release",
]
#: Never copied from inside those (working files, gradebooks, caches).
EXCLUDE = ["*.db", "*.db-journal", "gradebook*", "__pycache__", "*.pyc", ".ipynb_checkpoints", "nbgrader.log"]
#: Folder names that hold learners' work or solutions wherever they appear.
PRIVATE_DIRS = {"source", "submitted", "autograded", "feedback", "prepared", "exports", "grading-notes"}


def _ignore(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if n in PRIVATE_DIRS or any(fnmatch.fnmatch(n, pat) for pat in EXCLUDE)]


def export(dest: Path, root: Path = ROOT, force: bool = False, with_practice: bool = False) -> list[Path]:
    """Copy the public part of ``root`` into ``dest``; return the files written."""
    dest = Path(dest).resolve()
    if dest == root or root in dest.parents:
        raise ValueError(f"{dest} is inside the private repository: write the public one elsewhere")
    if dest.exists() and any(dest.iterdir()):
        if not force:
            raise FileExistsError(f"{dest} is not empty (use --force to replace it)")
        shutil.rmtree(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for rel in PUBLIC + (["assignments/practice"] if with_practice else []):
        src = root / rel
        if not src.exists():
            raise FileNotFoundError(f"{src} is missing: the public repository needs it")
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, target, symlinks=True, ignore=_ignore)
        else:
            shutil.copy2(src, target)
    written = sorted(p for p in dest.rglob("*") if p.is_file() or p.is_symlink())
    links = [p for p in written if p.is_symlink()]
    if links:  # a link could point back into the private checkout
        raise ValueError(f"symbolic links in the public part: {[str(p.relative_to(dest)) for p in links]}")
    postbuild = dest / "postBuild"
    postbuild.chmod(postbuild.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dest", type=Path, help="the folder to write the public repository into")
    parser.add_argument("--force", action="store_true", help="replace the folder if it is not empty")
    parser.add_argument(
        "--with-practice",
        action="store_true",
        help="also the practice copies, which SHOW THE ANSWERS (only if no programme grades them)",
    )
    args = parser.parse_args(argv)
    try:
        written = export(args.dest, force=args.force, with_practice=args.with_practice)
    except (OSError, ValueError) as exc:
        print(f"export_public: {exc}", file=sys.stderr)
        return 2
    print(f"export_public: {len(written)} files in {args.dest} (no quiz sources, gradebooks or tests)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
