"""The README's layer order, enforced on every module of every room (issue 20).

models     import nothing of the course above them (pure Python + NumPy)
content    may import models
widgets    may import models and content (the top of the stack for learners)
grading    may import models and content, never widgets (it runs without ipywidgets)
authoring  may import models, content and grading, never widgets (checks and tools for authors)

Imports inside functions count too: a lazy import is still a dependency. The test resolves relative
imports, so ``from ..widgets import palette`` in ``grading/`` is caught as well as the absolute form.
"""

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "spinecourse"
ALLOWED = {
    "models": {"models"},
    "content": {"models", "content"},
    "widgets": {"models", "content", "widgets"},
    "grading": {"models", "content", "grading"},
    "authoring": {"models", "content", "grading", "authoring"},
}


def course_imports(path: Path, root: Path = PKG) -> list[tuple[int, str]]:
    """(line, dotted module) for every import of the course's own package in ``path`` (a file under ``root``)."""
    package = path.relative_to(root.parent).with_suffix("").parts[:-1]  # ('spinecourse', 'grading')
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[: len(package) - node.level + 1])
                module = ".".join(base + ([node.module] if node.module else []))
                # `from . import widgets` names a submodule, not an attribute
                if not node.module:
                    found += [(node.lineno, f"{module}.{a.name}") for a in node.names]
                    continue
            else:
                module = node.module or ""
            found.append((node.lineno, module))
    return [(line, name) for line, name in found if name == "spinecourse" or name.startswith("spinecourse.")]


def room_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ALLOWED else None


MODULES = sorted(p for room in ALLOWED for p in (PKG / room).rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PKG)))
def test_imports_follow_the_layer_order(path):
    room = path.relative_to(PKG).parts[0]
    bad = [
        f"line {line}: {name}"
        for line, name in course_imports(path)
        if room_of(name) is not None and room_of(name) not in ALLOWED[room]
    ]
    assert not bad, (
        f"spinecourse/{path.relative_to(PKG)} ({room}) imports {bad}; "
        f"{room} may import only {sorted(ALLOWED[room])} (README, 'Layout')"
    )


def test_the_checker_sees_a_violation(tmp_path):
    """The resolver is not vacuous: a relative import from grading into widgets is reported."""
    tree = tmp_path / "spinecourse" / "grading"
    tree.mkdir(parents=True)
    probe = tree / "probe.py"
    probe.write_text("from ..widgets.palette import OKABE_ITO\nimport spinecourse.models.anatomy\n")
    names = [name for _, name in course_imports(probe, root=tmp_path / "spinecourse")]
    assert names == ["spinecourse.widgets.palette", "spinecourse.models.anatomy"]
    assert room_of(names[0]) == "widgets" and "widgets" not in ALLOWED["grading"]
