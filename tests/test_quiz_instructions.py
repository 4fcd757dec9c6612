"""Every quiz tells learners exactly what placeholder they will see.

The placeholder is configured once, in ``assignments/nbgrader_config.py``
(``ClearSolutions.code_stub`` / ``text_stub``). Each quiz's header must quote the code stub
verbatim (both lines, as a code block) and name the text stub, and the committed learner
copies must show exactly that stub in every code answer cell. An earlier quiz told learners
to delete ``# YOUR CODE HERE`` (nbgrader's default), which they never saw.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from traitlets.config import Config

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = ROOT / "assignments"
QUIZZES = sorted(p.name for p in (ASSIGNMENTS / "source").iterdir() if p.is_dir() and not p.name.startswith("."))


def configured_stubs() -> tuple[list[str], str]:
    config = Config()
    code = (ASSIGNMENTS / "nbgrader_config.py").read_text(encoding="utf-8")
    exec(compile(code, "nbgrader_config.py", "exec"), {"get_config": lambda: config, "__file__": str(ASSIGNMENTS / "nbgrader_config.py")})
    return config.ClearSolutions.code_stub["python"].splitlines(), config.ClearSolutions.text_stub


def header(nb) -> str:
    cells = [c for c in nb.cells if c.get("id") == "header"]
    assert cells, "the quiz has no cell with id 'header'"
    return cells[0].source


def test_stub_is_configured():
    code_lines, text_stub = configured_stubs()
    assert len(code_lines) == 2 and "YOUR ANSWER HERE" in code_lines[0] and code_lines[1].startswith("raise ")
    assert text_stub == "YOUR ANSWER HERE"


@pytest.mark.parametrize("name", QUIZZES)
def test_instructions_quote_the_stub_exactly(name):
    code_lines, text_stub = configured_stubs()
    for path in sorted((ASSIGNMENTS / "source" / name).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        text = header(nb)
        block = "```python\n" + "\n".join(code_lines) + "\n```"
        assert block in text, f"{path.name}: the header does not quote the code stub exactly:\n{block}"
        assert "YOUR CODE HERE" not in text and "NotImplementedError()" not in text, f"{path.name}: mentions nbgrader's default stub"
        has_text_answers = any(c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("solution") for c in nb.cells)
        if has_text_answers:
            assert f"`{text_stub}`" in text, f"{path.name}: has written answers but does not name the text stub {text_stub!r}"


@pytest.mark.parametrize("name", QUIZZES)
def test_learner_copies_show_that_stub(name):
    code_lines, text_stub = configured_stubs()
    for path in sorted((ASSIGNMENTS / "release" / name).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        answers = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
        assert answers, f"{path.name}: no answer cells"
        for cell in answers:
            lines = [line.strip() for line in cell.source.splitlines()]
            if cell.cell_type == "code":
                at = lines.index(code_lines[0]) if code_lines[0] in lines else -1
                assert at >= 0 and lines[at + 1] == code_lines[1], f"{path.name} {cell.get('id')}: stub differs:\n{cell.source}"
            else:
                assert text_stub in cell.source, f"{path.name} {cell.get('id')}: text stub missing"
