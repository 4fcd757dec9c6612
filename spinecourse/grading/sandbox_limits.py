"""The sandbox's limits: sizes as instructors write them, the private folder as a size-capped tmpfs
(root), and which caps apply on this machine (``limits_mode``, printed by autograde).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from . import cgroups, seccomp

_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def parse_size(text: str | int) -> int:
    """'1G', '100M', '512K' or a number of bytes -> bytes."""
    if isinstance(text, int):
        return text
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*", str(text), re.I)
    if not match:
        raise ValueError(f"not a size: {text!r} (use e.g. 1G, 100M, 512K)")
    return int(float(match.group(1)) * _UNITS[match.group(2).upper()])


def human_size(n: int) -> str:
    for unit in ("T", "G", "M", "K"):
        if n >= _UNITS[unit] and n % _UNITS[unit] == 0:
            return f"{n // _UNITS[unit]} {unit}iB"
    return f"{n} bytes"


# ---- the private folder: as root a size-capped tmpfs, so the learner's writes cannot fill the disk ----


_LIBC: list = []
MS_NOSUID, MS_NODEV, MNT_DETACH = 2, 4, 2


def _libc():
    if not _LIBC:
        import ctypes

        _LIBC.append(ctypes.CDLL(None, use_errno=True))
    return _LIBC[0]


def mount_private(private: Path, size: int, uid: int | None) -> bool:
    """Mount a tmpfs of ``size`` bytes on ``private`` (root only); False where that is not possible.

    Fallback (an ordinary user cannot mount on the host): the private folder stays on the host's
    disk and only RLIMIT_FSIZE bounds each file (the sandbox's /tmp and /dev/shm are capped anyway).
    mount(2) directly (not the mount program): two fewer processes per kernel.
    """
    if os.geteuid() != 0:
        return False
    owner = f",uid={uid},gid={uid}" if uid is not None else ""
    options = f"size={size},mode=0700{owner}".encode()
    done = _libc().mount(b"spinecourse-sandbox", os.fsencode(private), b"tmpfs", MS_NOSUID | MS_NODEV, options)
    return done == 0


def unmount_private(private: Path) -> None:
    _libc().umount2(os.fsencode(private), MNT_DETACH)


def limits_mode() -> str:
    """How memory, processes and disk are capped on this machine (printed in the grading report)."""
    where = cgroups.describe()
    disk = (
        "the private folder a size-capped tmpfs"
        if os.geteuid() == 0
        else "the private folder on disk (only RLIMIT_FSIZE per file: an ordinary user cannot mount)"
    )
    ok, why = seccomp.available()
    filtering = (
        "a seccomp filter refuses tracing, mounts, namespaces, keyrings, BPF and the like"
        if ok
        else f"no seccomp filter ({why}: namespaces, no capabilities and no_new_privs still hold)"
    )
    return f"memory and processes capped {where}; disk: /tmp and /dev/shm size-capped tmpfs, {disk}; {filtering}"
