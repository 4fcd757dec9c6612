"""Issue 19, finding 2 (Binder): the public learner repository carries no quiz source, solution or hidden test.

tools/export_public.py writes the public repository from this private one; every line between nbgrader's
BEGIN/END SOLUTION and BEGIN/END HIDDEN TESTS markers of every quiz source (and every model answer of a
written question) is looked for in every file of the export.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "assignments" / "source").glob("*/*.ipynb"))
RELEASES = sorted((ROOT / "assignments" / "release").glob("*/*.ipynb"))


def _load_tool():
    spec = importlib.util.spec_from_file_location("export_public", ROOT / "tools" / "export_public.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def secret_lines() -> set[str]:
    """Lines only the instructor may see: solutions, hidden tests, model answers (not in any student copy)."""
    # Text the student copies show anyway (e.g. the answer format "q1 = C" in the instructions) is public.
    public = "\n".join(c.source for path in RELEASES for c in nbformat.read(path, as_version=4).cells)
    lines: set[str] = set()
    for path in SOURCES:
        for cell in nbformat.read(path, as_version=4).cells:
            inside = False
            for line in cell.source.splitlines():
                text = line.strip()
                if text.startswith(("### BEGIN SOLUTION", "### BEGIN HIDDEN TESTS")):
                    inside = True
                elif text.startswith(("### END SOLUTION", "### END HIDDEN TESTS")):
                    inside = False
                elif inside and len(text) >= 6 and not text.startswith("#") and text not in public:
                    lines.add(text)
    return lines


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("public") / "spinecourse-public"
    written = _load_tool().export(dest)
    assert written, "the export wrote nothing"
    return dest


def test_export_has_no_quiz_source_gradebook_or_private_folder(exported):
    assert SOURCES, "no quiz sources to protect (the test would prove nothing)"
    names = {p.relative_to(exported).as_posix() for p in exported.rglob("*")}
    assert not any(n.startswith(("assignments/source", "assignments/practice")) for n in names)  # practice: answers
    assert not [n for n in names if n.endswith(".db") or "gradebook" in n], names
    assert not {".git", "tests", ".hub", ".venv", ".venv-hub", "deploy"} & {n.split("/")[0] for n in names}
    # What Binder learners need is there: the lessons, the start page, every quiz's student copy.
    assert (exported / "course" / "00_start_here.ipynb").is_file()
    assert os.access(exported / "postBuild", os.X_OK)
    released = {p.parent.name for p in (exported / "assignments" / "release").glob("*/*.ipynb")}
    assert released == {p.parent.name for p in SOURCES}


def test_export_contains_no_solution_or_hidden_test_line(exported):
    lines = secret_lines()
    assert len(lines) >= len(SOURCES), f"too few solution lines found ({len(lines)}): the markers changed?"
    leaks = []
    for path in exported.rglob("*"):
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        text = text.replace('\\"', '"')  # notebook JSON escapes quotes
        leaks += [f"{path.relative_to(exported)}: {line}" for line in lines if line in text]
    assert not leaks, "solutions or hidden tests in the public repository:\n" + "\n".join(leaks[:20])


def test_export_refuses_to_write_inside_the_private_repository(tmp_path):
    tool = _load_tool()
    with pytest.raises(ValueError, match="inside the private repository"):
        tool.export(ROOT / "public-copy")
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError):
        tool.export(tmp_path / "x")
