"""Clear outputs and execution counts of notebooks in place: ``python tools/strip_outputs.py NB.ipynb …``.

Lessons and quiz sources are committed without outputs (small diffs, no stray execution noise;
tests/test_content.py enforces it). The pre-commit hook runs this on staged notebooks; exit 1 when a
file was changed, so the commit stops and the cleaned file can be staged.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat


def strip(path: Path) -> bool:
    """Clear one notebook; True when it changed. Cell metadata (nbgrader's, tags) is kept."""
    nb = nbformat.read(path, as_version=4)
    changed = False
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if cell.get("outputs") or cell.get("execution_count") is not None:
            cell.outputs, cell.execution_count, changed = [], None, True
    for key in ("widgets",):  # saved widget state is output too
        if key in nb.metadata:
            del nb.metadata[key]
            changed = True
    if changed:
        nbformat.write(nb, path)
    return changed


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python tools/strip_outputs.py NOTEBOOK.ipynb [...]", file=sys.stderr)
        return 2
    changed = [p for p in argv if strip(Path(p))]
    for p in changed:
        print(f"stripped outputs: {p}")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
