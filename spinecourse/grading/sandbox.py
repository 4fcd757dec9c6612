"""Every learner kernel runs inside a bubblewrap sandbox while it is graded.

``SandboxKernelManager`` is a jupyter_client ``AsyncKernelManager`` that nbgrader (and the
fatal-cell finder) use instead of the plain one (``c.ExecutePreprocessor.kernel_manager_class``
in assignments/nbgrader_config.py). For each kernel it:

* makes a **private folder** (mode 700, outside the course) holding a copy of the regular files of
  the one submission being graded (not its notebooks: the notebook is sent cell by cell), the
  connection file and the ZeroMQ **ipc** sockets: the only channel between nbgrader and the kernel
  is Unix sockets in that folder, so the kernel needs no network at all. As root the folder is a
  size-capped tmpfs (``disk_limit``), so writing many files cannot fill the grader's disk;
* starts ``bwrap`` with new pid, network, ipc, uts and cgroup namespaces (the network namespace
  has only its own loopback: 127.0.0.1 inside is not the grader's), ``--die-with-parent``,
  ``--clearenv`` and a filesystem made of: a fresh /tmp (size-capped tmpfs, mounted *first*, so a
  Python environment that lives under /tmp is bound on top of it, not hidden by it), /dev with a
  16 MiB /dev/shm, /proc, then read-only binds of /usr, the Python installation, the virtual
  environment and the course package, and the private folder (read-write). The course folder
  (source/, gradebook.db, submitted/, prepared/, autograded/), the grader's home and every other
  learner are simply not there;
* caps memory and processes **per sandbox** with a cgroup (v2, else v1, where writable: see
  cgroups.py), and per process with ``prlimit``: address space, file size, CPU time, number of
  processes, no core files; a wall-time watchdog kills the sandbox. Where no cgroup is writable
  the per-process limits are the documented fallback; ``limits_mode()`` (printed by autograde)
  says which applied;
* installs a **seccomp** filter (seccomp.py: libseccomp through ctypes, no Python dependency)
  refusing tracing, mounts, new namespaces, keyrings, BPF, perf, io_uring and module loading;
  without libseccomp it runs without one and says so;
* starts the interpreter with ``-I``: the working directory (the learner's files) is not on the
  path while Python and ipykernel start, so a data file named ``ipykernel_launcher.py``,
  ``sitecustomize.py`` or ``json.py`` cannot replace the kernel or the standard library;
* sends the kernel's own stdout/stderr through a pipe to a relay that writes them to the grader's
  log escaped (no control characters) and prefixed ``[sandbox kernel output]``, at most 16 KiB,
  so a learner's fake ``ERROR ...`` line cannot pass for nbgrader's;
* reads iopub with a short queue and a per-message size cap (``SandboxKernelClient``), so a flood
  of output cannot grow the grader's memory (execute.py caps what is kept);
* when the grader is root, the kernel runs as an unused unprivileged uid (one per running
  sandbox, 61000-61999), claimed by a lock in a root-owned 0700 folder (/run/spinecourse-sandbox;
  a folder another user could have planted is refused, locks are opened without following links
  and never truncated). As an ordinary user the sandbox is a user namespace.

What it does not hide: the interpreter's and the course package's paths (``sys.prefix``,
``spinecourse.__file__``, bwrap's command line in /proc/1/cmdline) are the host's, because the
interpreter runs from where it is installed (rebinding a virtual environment elsewhere needs a
rewritten pyvenv.cfg and interpreter link). They reveal where the software is installed, not the
course folder, which is never bound.

Parts: uid_locks.py (which uid), cgroups.py (per-sandbox caps), seccomp.py (the filter),
kernel_io.py (the kernel's raw output, the iopub client), execute.py (the output cap in nbgrader).

Why bubblewrap rather than ``unshare``: bwrap builds the whole mount namespace (read-only binds,
tmpfs root, /proc of the new pid namespace), drops capabilities, sets no_new_privs and mounts
everything nosuid in one audited setuid-free tool that works for root and for ordinary users;
``unshare`` would need a hand-written mount script run as root in the new namespace.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, DottedObjectName, Integer, Type, Unicode

from . import cgroups, seccomp
from .kernel_io import KERNEL_LOG_PREFIX, SandboxKernelClient, escape_kernel_text, relay_kernel_output  # noqa: F401
from .uid_locks import UID_RANGE, SandboxError, lock_dir  # noqa: F401
from .uid_locks import claim_uid as _claim_uid

BWRAP = shutil.which("bwrap") or "/usr/bin/bwrap"
UNSAFE_ENV = "SPINECOURSE_UNSAFE_NO_SANDBOX"
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


def check() -> tuple[bool, str]:
    """Can this machine sandbox a kernel? (True, "") or (False, why)."""
    if not os.path.exists(BWRAP):
        return False, (
            "bubblewrap (bwrap) is not installed: run tools/install_sandbox.sh (sudo apt-get install bubblewrap)"
        )
    private = Path(tempfile.mkdtemp(prefix="spinecourse-check-"))
    try:
        claimed = _claim_uid() if os.geteuid() == 0 else (None, None)
    except SandboxError as exc:
        shutil.rmtree(private, ignore_errors=True)
        return False, str(exc)
    results = []
    try:
        if claimed[0] is not None:
            os.chown(private, claimed[0], claimed[0])
        # First without Python (are namespaces available at all?), then with this interpreter, so a
        # failure names its real cause instead of always blaming user namespaces.
        for python, command in (
            (False, ["/bin/sh", "-c", "echo sandbox-ok"]),
            (True, [sys.executable, "-c", "print('sandbox-ok')"]),
        ):
            cmd = wrapper(
                private, memory=1 << 30, processes=16, file_size=1 << 20, cpu_seconds=10, uid=claimed[0], python=python
            )
            results.append(subprocess.run(cmd + command, capture_output=True, text=True, timeout=30))
            if results[-1].returncode != 0 or "sandbox-ok" not in results[-1].stdout:
                break
    except (OSError, subprocess.SubprocessError) as exc:
        return False, f"bubblewrap could not start: {exc}"
    finally:
        if claimed[1] is not None:
            claimed[1].close()
        shutil.rmtree(private, ignore_errors=True)
    last = results[-1]
    if last.returncode == 0 and "sandbox-ok" in last.stdout:
        return True, ""
    if len(results) == 1:
        return False, (
            "bubblewrap cannot create the namespaces it needs here (user namespaces disabled? "
            f"inside a container without them?): {last.stderr.strip()[:300]}"
        )
    return False, (
        f"the sandbox starts, but this Python ({sys.executable}, environment {sys.prefix}) does not "
        f"run inside it: {last.stderr.strip()[:300]}"
    )


REFUSAL = (
    "refusing to autograde: learners' code would run with your rights, in your folder, with your "
    "network ({why}). Install bubblewrap with tools/install_sandbox.sh, or, only on a throw-away "
    "machine that holds nothing but this course, pass --unsafe-no-sandbox."
)


class SandboxKernelManager(AsyncKernelManager):
    """An AsyncKernelManager (what nbclient uses) whose kernel runs in a bubblewrap sandbox (see the module docstring)."""

    memory_limit = Unicode(
        "1G", help="memory of the whole sandbox (cgroup) and of each process (RLIMIT_AS), e.g. 1G"
    ).tag(config=True)
    process_limit = Integer(64, help="processes and threads the sandbox may run at once").tag(config=True)
    file_size_limit = Unicode("100M", help="largest file the kernel may write (RLIMIT_FSIZE)").tag(config=True)
    disk_limit = Unicode("200M", help="size of each writable area: the private folder (as root) and /tmp").tag(
        config=True
    )
    cpu_time_limit = Integer(300, help="CPU seconds per kernel (RLIMIT_CPU); the kernel is killed past it").tag(
        config=True
    )
    wall_time_limit = Integer(900, help="seconds a kernel may live; the sandbox is killed past it").tag(config=True)
    scratch_root = Unicode("", help="where private folders are made (default: the system temp folder)").tag(config=True)
    enabled = Bool(True, help="False: a plain kernel (only with --unsafe-no-sandbox)").tag(config=True)
    client_class = DottedObjectName("spinecourse.grading.kernel_io.SandboxKernelClient")
    client_factory = Type(klass=AsyncKernelClient, default_value=SandboxKernelClient)

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
        atexit.register(self._release)  # also when a dead kernel skips the clean-up
        self._uid, self._uid_lock = _claim_uid() if os.geteuid() == 0 else (None, None)
        memory, disk = parse_size(self.memory_limit), parse_size(self.disk_limit)
        self._mounted = mount_private(self._private, disk, self._uid)
        self._cgroup = cgroups.create(self._private.name, memory, self.process_limit)
        for item in work.iterdir() if work.is_dir() else []:  # data files travel, notebooks do not
            if item.is_file() and not item.is_symlink() and item.suffix != ".ipynb" and not item.name.startswith("."):
                shutil.copy2(item, self._private / item.name, follow_symlinks=False)
        self.ip = str(self._private / "k")
        self.connection_file = str(self._private / "kernel.json")
        kw["cwd"] = str(self._private)
        kw["env"] = {"PATH": os.environ.get("PATH", "")}  # bwrap --clearenv sets the kernel's own
        # The kernel's own stdout/stderr go through a pipe to an escaping relay, never raw into the log.
        read_fd, self._out_fd = os.pipe()
        kw["stdout"] = kw["stderr"] = self._out_fd
        self._relay = relay_kernel_output(read_fd)
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        if self._uid is not None:
            for path in [self._private, *self._private.iterdir()]:
                os.chown(path, self._uid, self._uid)
        # -I: the interpreter ignores the working directory (the learner's files) while it starts, so a
        # data file named ipykernel_launcher.py, sitecustomize.py or json.py cannot replace the kernel.
        if len(cmd) > 1 and os.path.basename(cmd[0]).startswith("python") and cmd[1] == "-m":
            cmd = [cmd[0], "-I", *cmd[1:]]
        limits = dict(
            memory=memory,
            processes=self.process_limit,
            disk=disk,
            file_size=parse_size(self.file_size_limit),
            cpu_seconds=self.cpu_time_limit,
        )
        bpf = seccomp_filter()
        cmd = launcher(
            wrapper(
                self._private,
                uid=self._uid,
                per_sandbox_processes=self._cgroup is not None,
                seccomp_fd=SECCOMP_FD if bpf else None,
                **limits,
            )
            + cmd,
            self._cgroup,
            bpf,
        )
        self._watchdog = threading.Timer(self.wall_time_limit, self._wall_time_kill)
        self._watchdog.daemon = True
        self._watchdog.start()
        return cmd, kw

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        try:
            await super()._async_launch_kernel(kernel_cmd, **kw)
        finally:
            fd = getattr(self, "_out_fd", None)
            if fd is not None:  # the kernel holds its copy; ours would keep the relay from ever ending
                os.close(fd)
                self._out_fd = None

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
        fd = getattr(self, "_out_fd", None)
        if fd is not None:
            os.close(fd)
            self._out_fd = None
        group = getattr(self, "_cgroup", None)
        if group is not None:
            events = group.events()
            if events["oom_kill"]:
                self.log.warning(
                    "sandbox: memory limit %s of the whole sandbox reached (%d process(es) killed)",
                    self.memory_limit,
                    events["oom_kill"],
                )
            group.remove()
            self._cgroup = None
        private = getattr(self, "_private", None)
        if private is not None:
            if getattr(self, "_mounted", False):
                unmount_private(private)
                self._mounted = False
            shutil.rmtree(private, ignore_errors=True)
            self._private = None
        lock = getattr(self, "_uid_lock", None)
        if lock is not None:
            lock.close()
            self._uid_lock = None
        relay = getattr(self, "_relay", None)
        if relay is not None:
            relay.join(timeout=2)
            self._relay = None

    def limits_text(self) -> str:
        return (
            f"memory {human_size(parse_size(self.memory_limit))}, {self.process_limit} processes, "
            f"files {human_size(parse_size(self.file_size_limit))}, disk {human_size(parse_size(self.disk_limit))}, "
            f"CPU {self.cpu_time_limit} s, wall {self.wall_time_limit} s"
        )
