"""Every learner kernel runs inside a bubblewrap sandbox while it is graded.

``SandboxKernelManager`` is a jupyter_client ``AsyncKernelManager`` that nbgrader (and the
fatal-cell finder) use instead of the plain one (``c.ExecutePreprocessor.kernel_manager_class``
in assignments/nbgrader_config.py). For each kernel it:

* makes a **private folder** (mode 700, outside the course) holding a copy of the files of the one
  submission being graded (not its notebooks: the notebook is sent cell by cell), the connection
  file and the ZeroMQ **ipc** sockets: the only channel between nbgrader and the kernel is Unix
  sockets in that folder, so the kernel needs no network at all;
* starts ``bwrap`` with new pid, network, ipc, uts and cgroup namespaces (the network namespace
  has only its own loopback: 127.0.0.1 inside is not the grader's), ``--die-with-parent``,
  ``--clearenv`` and a filesystem made of read-only binds of /usr, the Python installation, the
  virtual environment and the course package, a fresh /tmp, /proc and /dev, and the private
  folder (read-write). The course folder (source/, gradebook.db, submitted/, prepared/,
  autograded/), the grader's home and every other learner are simply not there;
* sets limits with ``prlimit``: address space (memory), file size, CPU time, number of
  processes, no core files; and a wall-time watchdog kills the sandbox;
* when the grader is root, the kernel runs as an unused unprivileged uid (one per running
  sandbox, 61000-61999): it owns no file of the grader, and RLIMIT_NPROC (which the kernel never
  applies to root) counts exactly that sandbox's processes. As an ordinary user the sandbox is
  a user namespace and the process limit counts on top of the user's current processes.

Why bubblewrap rather than ``unshare``: bwrap builds the whole mount namespace (read-only binds,
tmpfs root, /proc of the new pid namespace), drops capabilities, sets no_new_privs and mounts
everything nosuid in one audited setuid-free tool that works for root and for ordinary users;
``unshare`` would need a hand-written mount script run as root in the new namespace.
"""

from __future__ import annotations

import atexit
import fcntl
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Integer, Unicode, Bool

BWRAP = shutil.which("bwrap") or "/usr/bin/bwrap"
UNSAFE_ENV = "SPINECOURSE_UNSAFE_NO_SANDBOX"
PACKAGE_DIR = Path(__file__).resolve().parents[1]  # spinecourse/
UID_RANGE = range(61000, 62000)
UID_LOCKS = Path(tempfile.gettempdir()) / "spinecourse-sandbox-uids"
#: /etc files a Python kernel needs (loader cache, names, time zone, fonts); nothing else of /etc.
ETC_FILES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "nsswitch.conf", "passwd", "group",
             "fonts", "mime.types", "matplotlibrc", "alternatives")

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


def unsafe() -> bool:
    return os.environ.get(UNSAFE_ENV) == "1"


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
    # could not reach /root/.pyenv/... or /work/main/.venv. Make every parent 0755 first.
    parents: set[str] = set()
    for i, arg in enumerate(args):
        if arg == "--ro-bind":
            parent = os.path.dirname(args[i + 2])
            while parent not in ("/", ""):
                parents.add(parent)
                parent = os.path.dirname(parent)
    dirs: list[str] = []
    for parent in sorted(parents, key=lambda p: (p.count("/"), p)):
        if not any(parent == d or parent.startswith(d + "/") for d in seen):
            dirs += ["--perms", "0755", "--dir", parent]
    return dirs + args


def _claim_uid():
    """An unused uid for one sandbox, held by a lock file for the kernel's lifetime."""
    UID_LOCKS.mkdir(mode=0o700, exist_ok=True)
    for uid in UID_RANGE:
        fh = open(UID_LOCKS / f"{uid}.lock", "w")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            continue
        return uid, fh
    raise RuntimeError("no free sandbox uid (61000-61999): too many kernels at once")


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


def wrapper(private: Path, *, memory: int, processes: int, file_size: int, cpu_seconds: int,
            uid: int | None, python: bool = True) -> list[str]:
    """The bwrap + prlimit (+ setpriv) prefix that runs a command inside the sandbox."""
    private = str(private)
    venv_bin = os.path.dirname(os.path.abspath(sys.executable))
    cmd = [BWRAP, "--die-with-parent", "--clearenv",
           "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
    if uid is None:
        cmd.insert(1, "--unshare-user")
    else:  # root: keep only what setpriv needs to drop to the sandbox uid (it loses them on exec)
        cmd += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    env = {"PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin", "HOME": private, "LANG": "C.UTF-8",
           "MPLBACKEND": "Agg", "MPLCONFIGDIR": f"{private}/.config/matplotlib", "MALLOC_ARENA_MAX": "2",
           "PYTHONNOUSERSITE": "1", "TMPDIR": "/tmp", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    for key, value in env.items():
        cmd += ["--setenv", key, value]
    cmd += ["--tmpfs", "/", *_read_only_binds(python), "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
            "--bind", private, private, "--chdir", private, "--hostname", "grading-sandbox", "--"]
    nproc = processes if uid is not None else _user_process_count(os.getuid()) + processes
    cmd += ["prlimit", f"--as={memory}", f"--fsize={file_size}", f"--cpu={cpu_seconds}", f"--nproc={nproc}",
            "--core=0", "--"]
    if uid is not None:
        cmd += ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--"]
    return cmd


def check() -> tuple[bool, str]:
    """Can this machine sandbox a kernel? (True, "") or (False, why)."""
    if not os.path.exists(BWRAP):
        return False, ("bubblewrap (bwrap) is not installed: run tools/install_sandbox.sh "
                       "(sudo apt-get install bubblewrap)")
    private = Path(tempfile.mkdtemp(prefix="spinecourse-check-"))
    claimed = _claim_uid() if os.geteuid() == 0 else (None, None)
    try:
        if claimed[0] is not None:
            os.chown(private, claimed[0], claimed[0])
        cmd = wrapper(private, memory=1 << 30, processes=16, file_size=1 << 20, cpu_seconds=10, uid=claimed[0])
        result = subprocess.run(cmd + [sys.executable, "-c", "print('sandbox-ok')"], capture_output=True,
                                text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        return False, f"bubblewrap could not start: {exc}"
    finally:
        if claimed[1] is not None:
            claimed[1].close()
        shutil.rmtree(private, ignore_errors=True)
    if result.returncode != 0 or "sandbox-ok" not in result.stdout:
        return False, ("bubblewrap cannot create the namespaces it needs here (user namespaces disabled? "
                       f"inside a container without them?): {result.stderr.strip()[:300]}")
    return True, ""


REFUSAL = ("refusing to autograde: learners' code would run with your rights, in your folder, with your "
           "network ({why}). Install bubblewrap with tools/install_sandbox.sh, or, only on a throw-away "
           "machine that holds nothing but this course, pass --unsafe-no-sandbox.")


class SandboxKernelManager(AsyncKernelManager):
    """An AsyncKernelManager (what nbclient uses) whose kernel runs in a bubblewrap sandbox (see the module docstring)."""

    memory_limit = Unicode("1G", help="address-space limit per kernel process (RLIMIT_AS), e.g. 1G").tag(config=True)
    process_limit = Integer(64, help="processes and threads the kernel may run at once").tag(config=True)
    file_size_limit = Unicode("100M", help="largest file the kernel may write (RLIMIT_FSIZE)").tag(config=True)
    cpu_time_limit = Integer(300, help="CPU seconds per kernel (RLIMIT_CPU); the kernel is killed past it").tag(config=True)
    wall_time_limit = Integer(900, help="seconds a kernel may live; the sandbox is killed past it").tag(config=True)
    scratch_root = Unicode("", help="where private folders are made (default: the system temp folder)").tag(config=True)
    enabled = Bool(True, help="False: a plain kernel (only with --unsafe-no-sandbox)").tag(config=True)

    async def _async_pre_start_kernel(self, **kw):
        if not self.enabled or unsafe():
            return await super()._async_pre_start_kernel(**kw)
        if not os.path.exists(BWRAP):
            raise RuntimeError(REFUSAL.format(why="bubblewrap is not installed"))
        self.transport = "ipc"
        # SIGINT cannot reach the kernel through bwrap's pid-1 init: interrupt over the control channel.
        self.kernel_spec.interrupt_mode = "message"
        work = Path(kw.get("cwd") or os.getcwd())
        self._private = Path(tempfile.mkdtemp(prefix="sbx-", dir=self.scratch_root or None))
        atexit.register(shutil.rmtree, self._private, True)  # also when a dead kernel skips the clean-up
        self._uid, self._uid_lock = _claim_uid() if os.geteuid() == 0 else (None, None)
        for item in (work.iterdir() if work.is_dir() else []):  # data files travel, notebooks do not
            if item.is_file() and item.suffix != ".ipynb" and not item.name.startswith("."):
                shutil.copy2(item, self._private / item.name)
        self.ip = str(self._private / "k")
        self.connection_file = str(self._private / "kernel.json")
        kw["cwd"] = str(self._private)
        kw["env"] = {"PATH": os.environ.get("PATH", "")}  # bwrap --clearenv sets the kernel's own
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        if self._uid is not None:
            for path in [self._private, *self._private.iterdir()]:
                os.chown(path, self._uid, self._uid)
        limits = dict(memory=parse_size(self.memory_limit), processes=self.process_limit,
                      file_size=parse_size(self.file_size_limit), cpu_seconds=self.cpu_time_limit)
        cmd = wrapper(self._private, uid=self._uid, **limits) + cmd
        self._watchdog = threading.Timer(self.wall_time_limit, self._wall_time_kill)
        self._watchdog.daemon = True
        self._watchdog.start()
        return cmd, kw

    def _wall_time_kill(self):
        prov = getattr(self, "provisioner", None)
        process = getattr(prov, "process", None)
        if process is not None and process.poll() is None:
            self.log.warning("sandbox: wall time limit %s s reached, killing the kernel", self.wall_time_limit)
            process.send_signal(signal.SIGKILL)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:  # jupyter_client >= 8
        await super()._async_cleanup_resources(restart=restart)
        self._release()

    def _release(self):
        watchdog = getattr(self, "_watchdog", None)
        if watchdog is not None:
            watchdog.cancel()
        private = getattr(self, "_private", None)
        if private is not None:
            shutil.rmtree(private, ignore_errors=True)
            self._private = None
        lock = getattr(self, "_uid_lock", None)
        if lock is not None:
            lock.close()
            self._uid_lock = None

    def limits_text(self) -> str:
        return (f"memory {human_size(parse_size(self.memory_limit))}, {self.process_limit} processes, "
                f"files {human_size(parse_size(self.file_size_limit))}, CPU {self.cpu_time_limit} s, "
                f"wall {self.wall_time_limit} s")
