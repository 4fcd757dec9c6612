"""The package is laid out by role (spinecourse/__init__.py lists the rooms); these rules keep it so."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "spinecourse"
ROOMS = {"models", "content", "widgets", "grading", "authoring"}
#: Loose modules allowed at the top: the package itself and the learners' stable quiz import.
LOOSE = {"__init__.py", "answers.py"}
FORBIDDEN_IN_MODELS = ("ipywidgets", "matplotlib", "IPython", "PIL", "spinecourse.widgets", "..widgets", ".widgets")


def test_top_level_shows_the_rooms():
    dirs = {p.name for p in PKG.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))}
    files = {p.name for p in PKG.glob("*.py")}
    assert dirs == ROOMS, dirs ^ ROOMS
    assert files <= LOOSE, files - LOOSE


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names.append("." * node.level + (node.module or ""))
    return names


@pytest.mark.parametrize("path", sorted((PKG / "models").glob("*.py")), ids=lambda p: p.name)
def test_models_import_no_widget_or_plotting_code(path):
    bad = [n for n in _imports(path) if n.startswith(FORBIDDEN_IN_MODELS)]
    assert not bad, f"{path.name} imports {bad}: models are pure Python + NumPy"


@pytest.fixture(scope="module")
def fresh_imports() -> dict[str, str]:
    """One new interpreter (a Python start, not two): what importing every model loads, then what importing
    content and grading on top of them loads."""
    mods = sorted(p.stem for p in (PKG / "models").glob("*.py") if p.stem != "__init__")
    code = (
        "import sys\n"
        + "".join(f"import spinecourse.models.{m}\n" for m in mods)
        + "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('ipywidgets', 'matplotlib', 'IPython')"
        " or m.startswith('spinecourse.widgets'))))\n"
        "import spinecourse.content.questions, spinecourse.content.claims, spinecourse.content.challenges\n"
        "import spinecourse.content.mechanisms, spinecourse.content.claim_sorting, spinecourse.answers\n"
        "import spinecourse.grading.cli, spinecourse.grading.item_analysis\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('ipywidgets', 'matplotlib'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    models, content_and_grading = out.split("\n")[:2]
    return {"models": models.strip(), "content and grading": content_and_grading.strip()}


def test_models_load_without_widget_libraries(fresh_imports):
    # The real check, beyond the source text: importing every model pulls in no widget or plotting library.
    out = fresh_imports["models"]
    assert out == "", f"importing spinecourse.models loads {out}"


def test_content_and_grading_need_no_widgets(fresh_imports):
    out = fresh_imports["content and grading"]
    assert out == "", f"content/grading load {out}"


def test_lessons_never_import_authoring_tools():
    import nbformat

    for nb_path in sorted((PKG.parent / "course").glob("*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert "spinecourse.authoring" not in cell.source, f"{nb_path.name} imports authoring tools"


def test_public_names_are_reexported():
    import spinecourse.widgets as w

    for name in w.__all__:
        assert getattr(w, name) is not None, name
    assert callable(w.self_check) and w.CanalExplorer.__module__ == "spinecourse.widgets.canal_explorer"
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = w.Nope  # the lazy re-export raises a clear AttributeError


def test_module_entry_points_still_work():
    import spinecourse.answers

    # the quizzes' import is stable; the hash authoring aid is gone on purpose (a hash of a
    # one-letter key inverts offline, so graded copies carry no key and no hash)
    assert callable(spinecourse.answers.check_format) and not hasattr(spinecourse.answers, "digest")
    practice = subprocess.run(
        [sys.executable, "-m", "spinecourse.grading.practice", "--help"], capture_output=True, text=True
    )
    assert practice.returncode == 0 and "practice copies" in practice.stdout, practice
    helptext = subprocess.run([sys.executable, "-m", "spinecourse.grading", "--help"], capture_output=True, text=True)
    assert helptext.returncode == 0 and "autograde" in helptext.stdout
