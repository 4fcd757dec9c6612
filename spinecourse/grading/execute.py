"""A cap on what a learner's kernel can make the grader hold: output is counted as it arrives.

nbclient turns every iopub message into a notebook output and keeps it: a learner who prints
300 MB made the grader hold about 0.9 GB while autograding and wrote a 178 MB notebook
(nbgrader's ``LimitOutput`` trims only afterwards). Here each output message is counted when it
arrives; past ``output_limit`` bytes (for the whole notebook) further output is dropped, once
marked by a visible line, and grading goes on with the next cells. The grader's probe line (its
per-run nonce, see trusted.py) still passes, so an answer is read even after a flood.

``CappedExecute`` replaces ``nbgrader.preprocessors.Execute`` in ``Autograde.autograde_preprocessors``
(assignments/nbgrader_config.py); ``CappedNotebookClient`` is what the fatal-cell finder uses.
"""

from __future__ import annotations

import json

import nbformat
from nbclient import NotebookClient
from nbclient.util import run_sync
from nbgrader.preprocessors import Execute
from traitlets import Bool, Unicode
from traitlets.config import Configurable

from .sandbox import parse_size
from .trusted import MARKER, MAX_PROBE_CHARS

COUNTED = {"stream", "display_data", "execute_result", "error", "update_display_data", "comm_open", "comm_msg"}
#: a single message larger than this is never kept whole (ZeroMQ still receives it: see max_message)
ERROR_TEXT_LIMIT = 20_000


def message_size(msg: dict) -> int:
    """Roughly how many bytes keeping this message would cost (text, data, traceback, buffers)."""
    content = msg.get("content") or {}
    size = len(content.get("text") or "")
    for value in (content.get("data") or {}).values():
        size += len(value) if isinstance(value, str) else len(json.dumps(value, default=str))
    size += sum(len(line) for line in content.get("traceback") or [] if isinstance(line, str))
    size += len(str(content.get("evalue") or ""))
    size += sum(len(b) for b in msg.get("buffers") or [])
    return size


def truncation_notice(limit: int) -> nbformat.NotebookNode:
    return nbformat.v4.new_output(
        "stream",
        name="stdout",
        text=(
            f"\n[output truncated by the grader: this notebook printed more than {limit} bytes; "
            "the rest of its output is not kept (grading continues)]\n"
        ),
    )


class OutputCap(Configurable):
    """Mixin for a NotebookClient: at most ``output_limit`` bytes of kernel output per notebook."""

    output_limit = Unicode("2M", help="total output kept from one notebook's kernel, e.g. 2M").tag(config=True)

    def _cap_reset(self, nonce: str = "") -> None:
        self._cap_used = 0
        self._cap_dropped = 0
        self._cap_noticed = False
        self._cap_nonce = nonce

    def _cap_probe_only(self, msg: dict) -> dict | None:
        """The grader's own probe line out of an over-limit stream message (or None)."""
        nonce = getattr(self, "_cap_nonce", "")
        content = msg.get("content") or {}
        text = content.get("text")
        if msg.get("msg_type") != "stream" or not nonce or not isinstance(text, str):
            return None
        lines = [
            ln
            for ln in text.splitlines(keepends=True)
            if ln.startswith(f"{MARKER} {nonce} ") and len(ln) <= MAX_PROBE_CHARS + 100
        ]
        if not lines:
            return None
        return dict(msg, content=dict(content, text="".join(lines[:1])))

    async def async_execute_cell(self, cell, cell_index, *args, **kwargs):
        result = await super().async_execute_cell(cell, cell_index, *args, **kwargs)
        channel = getattr(getattr(self, "kc", None), "_iopub_channel", None)
        dropped = getattr(channel, "dropped", 0)
        if dropped > getattr(self, "_cap_dropped", 0):  # a message over the size cap: ZeroMQ dropped it
            self._cap_dropped = dropped
            if not getattr(self, "_cap_noticed", False):
                cell.outputs.append(truncation_notice(parse_size(self.output_limit)))
                self._cap_noticed = True
        return result

    # nbclient binds execute_cell to its own async_execute_cell at class creation: rebind to ours
    execute_cell = run_sync(async_execute_cell)

    def process_message(self, msg, cell, cell_index):
        if msg.get("msg_type") in COUNTED:
            if not hasattr(self, "_cap_used"):
                self._cap_reset()
            limit = parse_size(self.output_limit)
            size = message_size(msg)
            if self._cap_used + size > limit:
                if not self._cap_noticed:
                    cell.outputs.append(truncation_notice(limit))
                    self._cap_noticed = True
                probe = self._cap_probe_only(msg)
                if probe is None:
                    return None
                msg = probe
            self._cap_used += size
        return super().process_message(msg, cell, cell_index)


class CappedExecute(OutputCap, Execute):
    """nbgrader's Execute with the output cap (and the probe nonce of this notebook)."""

    # A flood can cost the idle message of its cell (dropped with an oversized message): wait
    # iopub_timeout, warn and go on to the next cell instead of failing the whole notebook.
    raise_on_iopub_timeout = Bool(False).tag(config=True)

    def preprocess(self, nb, resources, *args, **kwargs):
        self._cap_reset((resources or {}).get("spinecourse", {}).get("nonce", ""))
        return super().preprocess(nb, resources, *args, **kwargs)

    def on_cell_executed(self, **kwargs):
        result = super().on_cell_executed(**kwargs)
        for output in kwargs["cell"].get("outputs", []):  # the reply's traceback is not an iopub message
            if output.get("output_type") == "error":
                output["evalue"] = str(output.get("evalue", ""))[:ERROR_TEXT_LIMIT]
                lines = output.get("traceback") or []
                output["traceback"] = [str(line)[:ERROR_TEXT_LIMIT] for line in lines[:100]]
        return result


class CappedNotebookClient(OutputCap, NotebookClient):
    """nbclient's client with the output cap (used to find the cell that killed a kernel)."""
