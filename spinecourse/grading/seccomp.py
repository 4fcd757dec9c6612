"""A seccomp filter for the grading sandbox, built with the system's libseccomp through ctypes.

No Python dependency: Debian's ``python3-seccomp`` is not installed here and the course adds no
package for it. ``libseccomp.so.2`` (a dependency of systemd, util-linux and bubblewrap's usual
neighbours) is loaded with ctypes to compile a small deny list to BPF, which bwrap installs with
``--seccomp FD`` before it runs the kernel. The list refuses (EPERM) system calls a quiz never
needs and that widen the kernel's attack surface: tracing other processes, mounting, new
namespaces, keyrings, BPF, perf, userfaultfd, io_uring, module and kexec loading, handles by inode.

Fallback: where libseccomp cannot be loaded, ``filter_file`` returns None, the sandbox runs
without a filter (namespaces, no capabilities, no_new_privs and the unprivileged uid still hold)
and ``available()`` says why; the grading report prints it (sandbox.limits_mode).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
from pathlib import Path

DENIED = (
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "unshare",
    "setns",
    "keyctl",
    "add_key",
    "request_key",
    "bpf",
    "perf_event_open",
    "userfaultfd",
    "kexec_load",
    "kexec_file_load",
    "init_module",
    "finit_module",
    "delete_module",
    "swapon",
    "swapoff",
    "reboot",
    "acct",
    "quotactl",
    "open_by_handle_at",
    "name_to_handle_at",
    "lookup_dcookie",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "fanotify_init",
    "syslog",
    "iopl",
    "ioperm",
    "settimeofday",
    "clock_settime",
    "clock_adjtime",
    "adjtimex",
    "fsopen",
    "fsmount",
    "move_mount",
    "open_tree",
    "mount_setattr",
)
SCMP_ACT_ALLOW = 0x7FFF0000


def _errno_action(code: int) -> int:
    return 0x00050000 | (code & 0xFFFF)


def _library():
    name = ctypes.util.find_library("seccomp") or "libseccomp.so.2"
    lib = ctypes.CDLL(name, use_errno=True)
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_syscall_resolve_name.restype = ctypes.c_int
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    lib.seccomp_rule_add.restype = ctypes.c_int
    lib.seccomp_rule_add.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint]
    lib.seccomp_export_bpf.restype = ctypes.c_int
    lib.seccomp_export_bpf.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.seccomp_release.argtypes = [ctypes.c_void_p]
    return lib


def available() -> tuple[bool, str]:
    try:
        _library()
    except OSError as exc:
        return False, f"libseccomp not found ({exc})"
    return True, ""


def filter_file(path: Path) -> Path | None:
    """Write the compiled BPF filter to ``path`` (mode 600); None where libseccomp is missing."""
    try:
        lib = _library()
    except OSError:
        return None
    ctx = lib.seccomp_init(SCMP_ACT_ALLOW)
    if not ctx:
        return None
    try:
        for name in DENIED:
            nr = lib.seccomp_syscall_resolve_name(name.encode())
            if nr < 0:  # not a system call on this architecture
                continue
            if lib.seccomp_rule_add(ctx, _errno_action(errno.EPERM), nr, 0) != 0:
                return None
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            if lib.seccomp_export_bpf(ctx, fd) != 0:
                return None
        finally:
            os.close(fd)
    finally:
        lib.seccomp_release(ctx)
    return path
