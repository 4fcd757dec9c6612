"""The bubblewrap command line that runs a kernel in the sandbox: namespaces, the filesystem (what is
bound, in which order), the environment, the per-process limits (``prlimit``), the uid drop
(``setpriv``), and the shell that joins the cgroup and opens the seccomp filter first.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

from . import cgroups, seccomp

BWRAP = shutil.which("bwrap") or "/usr/bin/bwrap"
PACKAGE_DIR = Path(__file__).resolve().parents[1]  # spinecourse/
#: /etc files a Python kernel needs (loader cache, names, time zone, fonts); nothing else of /etc.
ETC_FILES = (
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "localtime",
    "nsswitch.conf",
    "passwd",
    "group",
    "fonts",
    "mime.types",
    "matplotlibrc",
    "alternatives",
)
#: Mount points the sandbox makes itself (a bind's parent there must not be re-created or re-moded).
OWN_MOUNTS = ("/tmp", "/dev", "/dev/shm", "/proc")
SHM_SIZE = 16 << 20  # /dev/shm: enough for multiprocessing's semaphores, nothing more


def _read_only_binds(python: bool = True) -> list[str]:
    args: list[str] = []
    seen: set[str] = set()

    def ro(path: str) -> None:
        real = os.path.realpath(path)
        if real in seen or not os.path.exists(real):
            return
        seen.add(real)
        args.extend(["--ro-bind", real, real])
        if real != os.path.abspath(path):  # e.g. the venv's python -> the base interpreter
            args.extend(["--ro-bind", real, os.path.abspath(path)])

    ro("/usr")
    for top in ("bin", "lib", "lib64", "sbin", "lib32"):
        path = "/" + top
        if os.path.islink(path):
            args.extend(["--symlink", os.readlink(path), path])
        elif os.path.isdir(path):
            ro(path)
    for name in ETC_FILES:
        path = "/etc/" + name
        if os.path.exists(path):
            args.extend(["--ro-bind", path, path])
    if python:
        for path in {sys.base_prefix, sys.prefix, os.path.dirname(os.path.realpath(sys.executable))}:
            ro(path)
        ro(str(PACKAGE_DIR))
    # bwrap makes missing parents of a bind mode 0700 (owned by root): an unprivileged sandbox uid
    # could not reach /root/.pyenv/... or /work/main/.venv. Make every parent 0755 first, except the
    # sandbox's own /tmp, /dev... (already mounted, 1777, before these binds: see wrapper()).
    parents: set[str] = set()
    for i, arg in enumerate(args):
        if arg == "--ro-bind":
            parent = os.path.dirname(args[i + 2])
            while parent not in ("/", ""):
                parents.add(parent)
                parent = os.path.dirname(parent)
    dirs: list[str] = []
    for parent in sorted(parents - set(OWN_MOUNTS), key=lambda p: (p.count("/"), p)):
        if not any(parent == d or parent.startswith(d + "/") for d in seen):
            dirs += ["--perms", "0755", "--dir", parent]
    return dirs + args


def _user_process_count(uid: int) -> int:
    count = 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    count += 1
            except OSError:
                pass
    return count


_FILTER: list = []


def seccomp_filter() -> Path | None:
    """This process's compiled seccomp filter (made once, in a 0700 folder of the grader), or None."""
    if not _FILTER:
        folder = Path(tempfile.mkdtemp(prefix="spinecourse-seccomp-"))
        atexit.register(shutil.rmtree, folder, True)
        _FILTER.append(seccomp.filter_file(folder / "filter.bpf"))
    return _FILTER[0]


def wrapper(
    private: Path,
    *,
    memory: int,
    processes: int,
    file_size: int,
    cpu_seconds: int,
    uid: int | None,
    python: bool = True,
    disk: int = 200 << 20,
    per_sandbox_processes: bool = False,
    seccomp_fd: int | None = None,
) -> list[str]:
    """The bwrap + prlimit (+ setpriv) prefix that runs a command inside the sandbox.

    Mount order matters: the sandbox's own /tmp, /dev, /dev/shm and /proc first, then the
    read-only binds, so a Python environment or a course under /tmp (common on CI runners) is
    bound on top of the fresh /tmp instead of being hidden by it. /tmp and /dev/shm are
    size-capped tmpfs (``disk`` and 16 MiB), writable by the sandbox's uid (1777).
    """
    private = str(private)
    venv_bin = os.path.dirname(os.path.abspath(sys.executable))
    cmd = [
        BWRAP,
        "--die-with-parent",
        "--clearenv",
        "--unshare-ipc",
        "--unshare-pid",
        "--unshare-net",
        "--unshare-uts",
        "--unshare-cgroup-try",
    ]
    if seccomp_fd is not None:  # the filter is read from this fd (see launcher())
        cmd += ["--seccomp", str(seccomp_fd)]
    if uid is None:
        cmd.insert(1, "--unshare-user")
    else:  # root: keep only what setpriv needs to drop to the sandbox uid (it loses them on exec)
        cmd += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    env = {
        "PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin",
        "HOME": private,
        "LANG": "C.UTF-8",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": f"{private}/.config/matplotlib",
        "MALLOC_ARENA_MAX": "2",
        "PYTHONNOUSERSITE": "1",
        "TMPDIR": "/tmp",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }
    for key, value in env.items():
        cmd += ["--setenv", key, value]
    cmd += [
        "--tmpfs",
        "/",
        "--perms",
        "1777",
        "--size",
        str(disk),
        "--tmpfs",
        "/tmp",
        "--dev",
        "/dev",
        "--perms",
        "1777",
        "--size",
        str(SHM_SIZE),
        "--tmpfs",
        "/dev/shm",
        "--proc",
        "/proc",
        *_read_only_binds(python),
        "--bind",
        private,
        private,
        "--chdir",
        private,
        "--hostname",
        "grading-sandbox",
        "--",
    ]
    if per_sandbox_processes:  # a cgroup's pids.max caps the sandbox; NPROC stays as a second line
        nproc = processes
    else:
        nproc = processes if uid is not None else _user_process_count(os.getuid()) + processes
    cmd += [
        "prlimit",
        f"--as={memory}",
        f"--fsize={file_size}",
        f"--cpu={cpu_seconds}",
        f"--nproc={nproc}",
        "--core=0",
        "--",
    ]
    if uid is not None:
        cmd += ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--"]
    return cmd


SECCOMP_FD = 3


def launcher(cmd: list[str], group: cgroups.Cgroup | None, filter_path: Path | None = None) -> list[str]:
    """Prefix ``cmd`` (bwrap ...) with a shell that joins ``group`` and opens the seccomp filter on fd 3.

    Joining before bwrap starts puts every process of the sandbox in the cgroup (no window in which
    a fork escapes it); if joining fails the shell exits 97 instead of running the kernel uncapped.
    The filter is opened by the shell because jupyter_client's Popen closes inherited descriptors.
    """
    if group is None and filter_path is None:
        return cmd
    steps = [f'echo $$ > "${i + 1}"' for i in range(len(group.leaves) if group else 0)]
    files = group.procs_files() if group else []
    if filter_path is not None:
        files.append(str(filter_path))
        steps.append(f'exec {SECCOMP_FD}< "${len(files)}"')
    script = " && ".join(steps) + f' || exit 97; shift {len(files)}; exec "$@"'
    return ["/bin/sh", "-c", script, "sh", *files, *cmd]


def join_cgroup(cmd: list[str], group: cgroups.Cgroup | None) -> list[str]:
    return launcher(cmd, group)
