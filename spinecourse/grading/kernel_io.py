"""The grader's side of a sandboxed kernel's output: its raw stdout/stderr, and its iopub stream.

* ``relay_kernel_output``: the kernel's own stdout/stderr (not the notebook's output, which arrives
  over iopub) go through a pipe to this relay, which writes them to the grader's log escaped (no
  control characters) and prefixed ``[sandbox kernel output]``, at most 16 KiB. Before, the kernel
  inherited the grader's stdout/stderr: a learner's ``ERROR ... /classmate/`` line landed raw in
  nbgrader's log, which the cohort run scans to decide whom to regrade.
* ``SandboxKernelClient``: a short iopub queue and a cap on each message's size, so a flood of
  output cannot pile up in the grader's memory (execute.py caps what is kept).
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from queue import Empty

import zmq
import zmq.asyncio
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from traitlets import Type

KERNEL_LOG_LIMIT = 16 << 10  # bytes of a kernel's own stdout/stderr relayed (escaped) to the grader's log
KERNEL_LOG_PREFIX = "[sandbox kernel output] "
#: The grader's iopub socket queues at most this many messages of at most this size: a flooding
#: kernel's surplus is dropped by ZeroMQ instead of piling up in the grader's memory (at ZeroMQ's
#: default of 1000 queued messages, printing 300 MB cost the grader about 0.9 GB).
IOPUB_QUEUE = 32
IOPUB_MAX_MESSAGE = 8 << 20


def escape_kernel_text(text: str) -> str:
    """Control characters (ESC, CR, NUL, ...) as visible escapes, so a kernel cannot rewrite the terminal."""
    return "".join(
        ch if ch.isprintable() else (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}") for ch in text
    )


def relay_kernel_output(fd: int, out=None, limit: int = KERNEL_LOG_LIMIT) -> threading.Thread:
    """Read a kernel's own stdout/stderr from ``fd``; write it escaped, each line prefixed, at most ``limit`` bytes.

    Before, the kernel inherited the grader's stdout/stderr: a learner's ``ERROR ... /classmate/``
    line landed raw in nbgrader's log, which the cohort run scans to decide who to regrade.
    """

    def run():
        shown, dropped, pending = 0, 0, b""
        stream = out or sys.stderr
        try:
            while True:
                chunk = os.read(fd, 65536)
                if not chunk:
                    break
                if shown >= limit:
                    dropped += len(chunk)
                    continue
                pending += chunk[: limit - shown]
                dropped += max(0, len(chunk) - (limit - shown))
                shown += min(len(chunk), limit - shown)
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    stream.write(KERNEL_LOG_PREFIX + escape_kernel_text(line.decode("utf-8", "replace")) + "\n")
            if pending:
                stream.write(KERNEL_LOG_PREFIX + escape_kernel_text(pending.decode("utf-8", "replace")) + "\n")
            if dropped:
                stream.write(f"{KERNEL_LOG_PREFIX}... {dropped} more bytes not shown\n")
            stream.flush()
        except (OSError, ValueError):
            pass
        finally:
            os.close(fd)

    thread = threading.Thread(target=run, daemon=True, name="sandbox-kernel-output")
    thread.start()
    return thread


class CappedIOPubChannel(AsyncZMQSocketChannel):
    """The iopub channel of a sandboxed kernel: a message over IOPUB_MAX_MESSAGE makes ZeroMQ drop the
    connection (it never reconnects by itself); this channel reconnects at once and counts the loss
    (``dropped``), so the next cells' output, the grader's probe included, still arrives."""

    dropped = 0

    async def get_msg(self, timeout: float | None = None):
        assert self.socket is not None
        if getattr(self, "_monitor", None) is None:
            self._url = self.socket.getsockopt(zmq.LAST_ENDPOINT).decode()
            self._monitor = self.socket.get_monitor_socket(zmq.EVENT_DISCONNECTED)
            self._poller = zmq.asyncio.Poller()
            self._poller.register(self.socket, zmq.POLLIN)
            self._poller.register(self._monitor, zmq.POLLIN)
        end = None if timeout is None else time.monotonic() + timeout
        while True:
            left = None if end is None else max(0, int((end - time.monotonic()) * 1000))
            events = dict(await self._poller.poll(left))
            if self._monitor in events:
                while await self._monitor.poll(0):
                    await self._monitor.recv_multipart()
                self.dropped += 1
                self.socket.disconnect(self._url)
                self.socket.connect(self._url)
                continue
            if self.socket in events:
                return await self._recv()
            raise Empty

    def close(self) -> None:
        monitor = getattr(self, "_monitor", None)
        if monitor is not None:
            with contextlib.suppress(zmq.ZMQError):
                self.socket.disable_monitor()
            monitor.close(linger=0)
            self._monitor = None
        super().close()


class SandboxKernelClient(AsyncKernelClient):
    """The grader's end of a learner kernel: a short iopub queue and a cap on each message's size."""

    iopub_channel_class = Type(CappedIOPubChannel)

    def connect_iopub(self, identity: bytes | None = None):
        sock = self.context.socket(zmq.SUB)
        sock.linger = 1000
        sock.rcvhwm = IOPUB_QUEUE
        sock.setsockopt(zmq.MAXMSGSIZE, IOPUB_MAX_MESSAGE)
        if identity:
            sock.identity = identity
        sock.connect(self._make_url("iopub"))
        sock.setsockopt(zmq.SUBSCRIBE, b"")
        return sock
