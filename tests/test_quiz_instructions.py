"""Every quiz tells learners exactly what placeholder they will see.

The placeholder is configured once, in ``assignments/nbgrader_config.py``
(``ClearSolutions.code_stub`` / ``text_stub``). Each quiz's header must quote the code stub
verbatim (both lines, as a code block) and name the text stub, and the committed learner
copies must show exactly that stub in every code answer cell. An earlier quiz told learners
to delete ``# YOUR CODE HERE`` (nbgrader's default), which they never saw.

Also what a learner sees: the committed graded copy and practice copy of every quiz are executed
with wrong, malformed and missing answers (and, in the practice copy, some right ones typed as
bare letters); every failing check shows one friendly line and no traceback, the graded copy never
tells a well-formed wrong answer from a right one, the header's points match the graded cells and
no answer asks for a function.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from traitlets.config import Config

from spinecourse.authoring.translation import edition_of

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = ROOT / "assignments"
# the English wording only; translated editions (<quiz>_ko): tests/test_translation_quizzes.py
QUIZZES = sorted(
    p.name
    for p in (ASSIGNMENTS / "source").iterdir()
    if p.is_dir() and not p.name.startswith(".") and not edition_of(p.name)
)


def configured_stubs() -> tuple[list[str], str]:
    config = Config()
    code = (ASSIGNMENTS / "nbgrader_config.py").read_text(encoding="utf-8")
    exec(
        compile(code, "nbgrader_config.py", "exec"),
        {"get_config": lambda: config, "__file__": str(ASSIGNMENTS / "nbgrader_config.py")},
    )
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
        assert "YOUR CODE HERE" not in text and "NotImplementedError()" not in text, (
            f"{path.name}: mentions nbgrader's default stub"
        )
        has_text_answers = any(
            c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("solution") for c in nb.cells
        )
        if has_text_answers:
            assert f"`{text_stub}`" in text, (
                f"{path.name}: has written answers but does not name the text stub {text_stub!r}"
            )


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
                assert at >= 0 and lines[at + 1] == code_lines[1], (
                    f"{path.name} {cell.get('id')}: stub differs:\n{cell.source}"
                )
            else:
                assert text_stub in cell.source, f"{path.name} {cell.get('id')}: text stub missing"


# ---- what a learner sees on a wrong answer: one friendly line, never the checker's traceback ----

ANSI = __import__("re").compile(r"\x1b\[[0-9;]*m")


def _wrong_value(value):
    """Well formed but wrong."""
    if isinstance(value, str):
        return "A" if value.strip().upper() != "A" else "B"
    if isinstance(value, list):
        return (
            value[1:] + value[:1] if len(set(value)) > 1 and len(value) > 3 else [value[0]] if len(value) > 1 else ["B"]
        )
    if isinstance(value, dict):
        return {k: "RCT" for k in value}
    return value * 0.5


def _wrong_form(value):
    if isinstance(value, dict):
        return {"C1": "maybe"}
    if isinstance(value, (str, list)):
        return "Z"
    return str(value)  # a number typed in quotes


# Before each notebook: what a fresh kernel would have. The learner's names, the quiz's exception handler
# (friendly_errors) and the course's modules go, and the notebook's folder is the working directory.
# A leftover answer could not pass unseen: the blank answer must still read "is not defined yet".
FRESH = """
import os, sys
for name in [m for m in sys.modules if m == "spinecourse" or m.startswith("spinecourse.")]:
    del sys.modules[name]
os.chdir({folder!r})
get_ipython().set_custom_exc((), None)
get_ipython().run_line_magic("reset", "-f")
"""


@pytest.fixture(scope="module")
def kernel():
    """One kernel for every notebook of this file (14 executions): a kernel start costs 1-3 s."""
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name="python3")
    km.start_kernel()
    try:
        yield km
    finally:
        km.shutdown_kernel(now=True)


def _run(nb, folder: Path, km):
    from nbclient import NotebookClient

    reset = nbformat.v4.new_code_cell(FRESH.format(folder=str(folder)))
    nb.cells.insert(0, reset)
    client = NotebookClient(nb, km=km, timeout=60, allow_errors=True)
    try:
        client.execute()
    finally:
        if client.kc is not None:
            client.kc.stop_channels()
    del nb.cells[0]
    assert not _error_lines(reset), _error_lines(reset)
    return nb


def _error_lines(cell) -> list[list[str]]:
    return [[ANSI.sub("", line) for line in o.get("traceback", [])] for o in cell.outputs if o.output_type == "error"]


def _answer_cells(nb, names: set[str]) -> dict:
    from spinecourse.grading import trusted

    out = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution"):
            bound = trusted.bound_names(cell.source) & names
            if bound:
                out[cell.metadata["nbgrader"]["grade_id"]] = bound.pop()
    return out


@pytest.mark.parametrize("name", QUIZZES)
def test_wrong_answers_get_one_friendly_line(name, tmp_path, kernel):
    """Execute the committed graded copy and practice copy with wrong answers and read what the learner sees."""
    from spinecourse import grading
    from spinecourse.grading import trusted

    (nb_name,) = [p.name for p in (ASSIGNMENTS / "source" / name).glob("*.ipynb")]
    source = nbformat.read(ASSIGNMENTS / "source" / name / nb_name, as_version=4)
    plan = trusted.build_plan(source)
    ref = trusted.solution_values(source)  # the solution's answer values
    values = {n for item in plan.items.values() for n in item.values}
    test_of = {n: gid for gid, item in plan.items.items() for n in item.values}
    for copy_kind in ("release", "practice"):
        nb = nbformat.read(ASSIGNMENTS / copy_kind / name / nb_name, as_version=4)
        answers = _answer_cells(grading.solved_copy(nb, source), values)
        kinds = {}
        for k, (gid, var) in enumerate(sorted(answers.items())):
            cell = grading.cell_by_id(nb, gid)
            if k == 0 and copy_kind == "release":
                kinds[var] = "blank"  # the placeholder left in: the stub and the check each say one line
                continue
            if copy_kind == "practice" and k % 3 == 2:  # a right answer, typed as a bare letter
                cell.source = grading.strip_markers(grading.cell_by_id(source, gid).source)
                kinds[var] = "right"
                continue
            wrong_form = (k % 2 == 0) == (copy_kind == "release")
            value = (_wrong_form if wrong_form else _wrong_value)(ref[var])
            cell.source = f"{var} = {value!r}"
            kinds[var] = "form" if wrong_form else "value"
        _run(nb, tmp_path, kernel)
        for var, kind in kinds.items():
            check = grading.cell_by_id(nb, test_of[var])
            errors = _error_lines(check)
            shown = "".join(o.get("text", "") for o in check.outputs if o.output_type == "stream")
            where = f"{copy_kind} {name} {test_of[var]} ({kind})"
            if kind == "right":
                assert not errors and f"✔ {var}: right." in shown, (where, errors, shown)
                continue
            if kind == "value" and copy_kind == "release":  # graded copy: a wrong answer is not revealed
                assert not errors and "✔" in shown and "form" in shown, (where, errors, shown)
                continue
            assert len(errors) == 1 and len(errors[0]) == 1, (where, errors)  # one error, one line
            line = errors[0][0]
            assert line.startswith("✘ ") and "Traceback" not in line and "File " not in line, (where, line)
            assert "check_" not in line and "_read" not in line, (where, line)  # nothing of the checker's code
            if kind == "value":
                assert "not right yet" in line and "Hint:" in line, (where, line)
            elif kind == "blank":
                assert "is not defined yet" in line, (where, line)
                answer = grading.cell_by_id(nb, next(g for g, v in answers.items() if v == var))
                stub = _error_lines(answer)
                assert len(stub) == 1 and stub[0] == [
                    "✘ this answer is not written yet: replace the two placeholder "
                    "lines with your answer and run the cell."
                ], stub


@pytest.mark.parametrize("name", QUIZZES)
def test_header_states_the_points_and_answers_need_no_code(name):
    """The header's points match the graded cells, and no answer asks a resident to write a function."""
    for path in sorted((ASSIGNMENTS / "source" / name).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
        auto = sum(c.metadata["nbgrader"]["points"] for c in graded if c.cell_type == "code")
        manual = sum(c.metadata["nbgrader"]["points"] for c in graded if c.cell_type == "markdown")
        stated = f"**Points:** {auto + manual:g} ({auto:g} marked automatically, {manual:g} by your instructor)"
        assert stated in header(nb), f"{path.name}: the header should say {stated}"
        for cell in nb.cells:
            if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution"):
                assert "def " not in cell.source, f"{path.name} {cell.get('id')}: an answer that needs a function"
        assert "Python you need for the quizzes" in header(nb)  # the prerequisite is named
