"""Memory and process caps for a whole sandbox (all its processes together), with cgroups.

RLIMIT_AS and RLIMIT_NPROC are per process (and, for NPROC, per uid): four processes of 1 GiB each
get 4 GiB. A cgroup counts every process of the sandbox together. Which one applies:

1. **cgroup v2** (``memory.max``, ``memory.swap.max``, ``pids.max``) when the unified hierarchy has
   the memory and pids controllers and this process may create cgroups there (root, or a
   delegated subtree);
2. **cgroup v1** (``memory.limit_in_bytes``, ``pids.max``) when those hierarchies are mounted and
   writable (hybrid hosts and many containers, e.g. this course's CI machine);
3. otherwise **the fallback**: per-process RLIMITs only (RLIMIT_AS for memory, RLIMIT_NPROC, which as
   root counts the sandbox's own unprivileged uid, i.e. exactly that sandbox's processes). The
   grading report says which applied (``describe``).

Each sandbox gets a leaf ``spinecourse-sandbox/<name>`` under the grader's own cgroup (so any
limit of the grader's cgroup still holds) and joins it before bwrap starts; the leaf is removed
when the kernel is gone.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

PARENT = "spinecourse-sandbox"


def _mounts() -> list[tuple[str, str, set[str]]]:
    out = []
    try:
        with open("/proc/self/mounts") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 4 and parts[2] in ("cgroup", "cgroup2"):
                    out.append((parts[1], parts[2], set(parts[3].split(","))))
    except OSError:
        pass
    return out


def _own_paths() -> dict[str, str]:
    """controller ('' for v2) -> this process's cgroup path."""
    out: dict[str, str] = {}
    try:
        with open("/proc/self/cgroup") as fh:
            for line in fh:
                _, controllers, path = line.rstrip("\n").split(":", 2)
                for c in controllers.split(",") if controllers else [""]:
                    out[c] = path
    except (OSError, ValueError):
        pass
    return out


def _write(path: Path, text: str) -> None:
    with open(path, "w") as fh:
        fh.write(text)


@dataclass
class Cgroup:
    kind: str  # "cgroup v2" or "cgroup v1"
    leaves: list[Path] = field(default_factory=list)  # the dirs whose cgroup.procs the sandbox joins

    def procs_files(self) -> list[str]:
        return [str(leaf / "cgroup.procs") for leaf in self.leaves]

    def events(self) -> dict[str, int]:
        """{'oom_kill': n, 'pids_max': n}: how often a cap was hit (for the report)."""
        out = {"oom_kill": 0, "pids_max": 0}
        for leaf in self.leaves:
            for name, key, target in (
                ("memory.events", "oom_kill", "oom_kill"),
                ("memory.oom_control", "oom_kill", "oom_kill"),
                ("pids.events", "max", "pids_max"),
            ):
                try:
                    for line in (leaf / name).read_text().splitlines():
                        k, _, v = line.partition(" ")
                        if k == key and v.strip().isdigit():
                            out[target] += int(v)
                except OSError:
                    continue
        return out

    def remove(self) -> None:
        """Kill anything left in the leaves and remove them (a few tries: the kernel reaps slowly)."""
        for leaf in self.leaves:
            for _ in range(50):
                try:
                    pids = [int(p) for p in (leaf / "cgroup.procs").read_text().split()]
                except OSError:
                    pids = []
                for pid in pids:
                    with contextlib.suppress(OSError):
                        os.kill(pid, signal.SIGKILL)
                try:
                    leaf.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.02)


def _v2(name: str, memory: int, pids: int) -> Cgroup | None:
    mount = next((m for m, kind, _ in _mounts() if kind == "cgroup2"), None)
    own = _own_paths().get("")
    if mount is None or own is None:
        return None
    base = Path(mount) / own.lstrip("/")
    try:
        if not {"memory", "pids"} <= set((base / "cgroup.controllers").read_text().split()):
            return None
        parent = base / PARENT
        parent.mkdir(mode=0o755, exist_ok=True)
        enabled = set((base / "cgroup.subtree_control").read_text().split())
        if not {"memory", "pids"} <= enabled:
            _write(base / "cgroup.subtree_control", "+memory +pids")  # EBUSY unless base is the root cgroup
        _write(parent / "cgroup.subtree_control", "+memory +pids")
        leaf = parent / name
        leaf.mkdir(mode=0o755)
        _write(leaf / "memory.max", str(memory))
        if (leaf / "memory.swap.max").exists():
            _write(leaf / "memory.swap.max", "0")
        _write(leaf / "pids.max", str(pids))
    except OSError:
        return None
    return Cgroup("cgroup v2", [leaf])


def _v1(name: str, memory: int, pids: int) -> Cgroup | None:
    own = _own_paths()
    leaves: list[Path] = []
    try:
        for controller, files in (("memory", {"memory.limit_in_bytes": memory}), ("pids", {"pids.max": pids})):
            mount = next((m for m, kind, opts in _mounts() if kind == "cgroup" and controller in opts), None)
            if mount is None or controller not in own:
                raise OSError(f"no writable cgroup v1 {controller} hierarchy")
            parent = Path(mount) / own[controller].lstrip("/") / PARENT
            parent.mkdir(mode=0o755, exist_ok=True)
            leaf = parent / name
            leaf.mkdir(mode=0o755)
            leaves.append(leaf)
            for file, value in files.items():
                _write(leaf / file, str(value))
            if controller == "memory":
                with contextlib.suppress(OSError):  # no swap either (only where swap accounting is on)
                    _write(leaf / "memory.memsw.limit_in_bytes", str(memory))
    except OSError:
        Cgroup("cgroup v1", leaves).remove()
        return None
    return Cgroup("cgroup v1", leaves)


def create(name: str, memory: int, pids: int) -> Cgroup | None:
    """A cgroup for one sandbox capped at ``memory`` bytes and ``pids`` tasks, or None (the fallback)."""
    if os.environ.get("SPINECOURSE_SANDBOX_NO_CGROUP") == "1":  # tests of the fallback
        return None
    return _v2(name, memory, pids) or _v1(name, memory, pids)


def describe() -> str:
    """Which kind of cap a sandbox started now would get (for the grading report)."""
    probe = create(f"probe-{os.getpid()}-{time.monotonic_ns()}", 1 << 30, 64)
    if probe is None:
        return "per process (no writable cgroup: RLIMIT_AS and RLIMIT_NPROC fallback)"
    probe.remove()
    return f"per sandbox ({probe.kind})"
