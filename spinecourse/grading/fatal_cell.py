"""The fatal-cell finder's child process: ``python -m spinecourse.grading.fatal_cell PROBE FOLDER TIMEOUT``.

Runs the probe notebook cell by cell in a fresh (sandboxed) kernel and prints ``running N`` before each
code cell and ``result N`` (the cell during which the kernel died) or ``result none`` at the end.

Why a child: when a learner's kernel dies in the middle of a message, libzmq can abort the process that
is reading from it ("Assertion failed: !_more", src/fq.cpp). In the grader's own process that abort
would end the whole class's grading run; here it ends only this child, and the parent still knows
which cell was running (``prepare.find_fatal_cell``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat


def run(nb, folder: Path, cell_timeout: int, say=print) -> int | None:
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    from . import sandbox
    from .execute import CappedNotebookClient as NotebookClient  # output counted as it arrives

    extra = {} if sandbox.unsafe() else {"kernel_manager_class": sandbox.SandboxKernelManager}
    client = NotebookClient(
        nb,
        timeout=cell_timeout,
        allow_errors=True,
        interrupt_on_timeout=True,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
        **extra,
    )
    try:
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                say(f"running {index}")
                try:
                    client.execute_cell(cell, index)
                except DeadKernelError:
                    return index
                except CellTimeoutError:
                    continue
    except DeadKernelError:  # raised again while shutting the dead kernel down
        pass
    return None


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 3:
        print("usage: python -m spinecourse.grading.fatal_cell PROBE.ipynb FOLDER CELL_TIMEOUT", file=sys.stderr)
        return 2
    probe, folder, timeout = Path(args[0]), Path(args[1]), int(args[2])
    fatal = run(nbformat.read(probe, as_version=4), folder, timeout, say=lambda line: print(line, flush=True))
    print(f"result {'none' if fatal is None else fatal}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
