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

Parts: this module (the kernel manager, ``check``), bwrap.py (the command line), sandbox_limits.py
(sizes, the private tmpfs, ``limits_mode``), uid_locks.py (which uid), cgroups.py (per-sandbox caps),
seccomp.py (the filter), kernel_io.py (the kernel's raw output, the iopub client), execute.py (the
output cap in nbgrader).

Why bubblewrap rather than ``unshare``: bwrap builds the whole mount namespace (read-only binds,
tmpfs root, /proc of the new pid namespace), drops capabilities, sets no_new_privs and mounts
everything nosuid in one audited setuid-free tool that works for root and for ordinary users;
``unshare`` would need a hand-written mount script run as root in the new namespace.
"""

from __future__ import annotations

import atexit
import os
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

from . import cgroups, safe_files
from .bwrap import BWRAP, ETC_FILES, OWN_MOUNTS, SECCOMP_FD, SHM_SIZE, join_cgroup, launcher, seccomp_filter, wrapper  # noqa: F401
from .kernel_io import KERNEL_LOG_PREFIX, SandboxKernelClient, escape_kernel_text, relay_kernel_output  # noqa: F401
from .sandbox_limits import human_size, limits_mode, mount_private, parse_size, unmount_private  # noqa: F401
from .uid_locks import UID_RANGE, SandboxError, lock_dir  # noqa: F401
from .uid_locks import claim_uid as _claim_uid

UNSAFE_ENV = "SPINECOURSE_UNSAFE_NO_SANDBOX"


def unsafe() -> bool:
    return os.environ.get(UNSAFE_ENV) == "1"


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
        self._copy_data_files(work)
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

    def _copy_data_files(self, work: Path) -> None:
        """The submission's data files travel into the private folder, notebooks do not. Regular files only,
        never through a link, under the size caps (``safe_files``): prepare.py copied them the same way, but
        the folder nbgrader hands over is read again here, so the rule is applied again."""
        budget = safe_files.MAX_TOTAL_BYTES
        for entry in safe_files.entries(work) if safe_files.is_real_dir(work) else []:
            if entry.name.startswith(".") or entry.name.endswith(".ipynb") or safe_files.is_real_dir(entry.path):
                continue
            try:
                cap = min(safe_files.MAX_FILE_BYTES, budget)
                budget -= safe_files.copy_file(Path(entry.path), self._private / entry.name, cap).st_size
            except (safe_files.UnsafeFile, OSError) as exc:
                self.log.warning(
                    "sandbox: %s not copied: %s", escape_kernel_text(entry.name), escape_kernel_text(str(exc))
                )

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
