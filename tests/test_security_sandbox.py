"""The grading sandbox against a hostile learner or local user (issue 19: 8, 10, 11, 15, 19; issue 20: 5).

Each test performs the attack with harmless markers, bounded in size and time:

* uid-claim locks: a symlink or folder planted by another local user (old place in /tmp, or the
  new one) is never followed, truncated or trusted;
* a Python environment under /tmp runs inside the sandbox (its fresh /tmp is mounted first);
* memory and processes are capped per sandbox (cgroup), disk per writable area (tmpfs sizes);
* a kernel's own stdout/stderr reaches the grader's log escaped and prefixed;
* data files named ipykernel_launcher.py / sitecustomize.py / json.py do not replace the kernel;
* printing 50 MB does not grow the grader's memory or the notebook.

Tests that need root (cgroups, mounting a tmpfs, chown) say so when run as an ordinary user.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest

from spinecourse.grading import cgroups, sandbox, uid_locks

ROOT = Path(__file__).resolve().parents[1]
OLD_LOCKS = Path("/tmp/spinecourse-sandbox-uids")
ROOT_ONLY = "needs root (the grading machine's CI runs make test as root)"


# ---- 8: the uid-claim lock state ----


def _plant_old_location(victim: Path) -> list[Path]:
    """What a local user could leave in the old, shared place: symlinks from the first locks to a victim."""
    planted = []
    OLD_LOCKS.mkdir(mode=0o777, exist_ok=True)
    for uid in range(61000, 61032):
        link = OLD_LOCKS / f"{uid}.lock"
        if not link.exists() and not link.is_symlink():
            link.symlink_to(victim)
            planted.append(link)
    return planted


def test_planted_links_in_the_old_place_change_nothing(tmp_path, monkeypatch):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    monkeypatch.setattr(uid_locks, "LOCK_DIR", tmp_path / "locks")
    planted = _plant_old_location(victim)
    try:
        uid, handle = sandbox._claim_uid()
        handle.close()
    finally:
        for link in planted:
            link.unlink()
    assert victim.read_text() == "keep me"
    assert uid in sandbox.UID_RANGE
    assert (tmp_path / "locks" / f"{uid}.lock").is_file()


def test_the_lock_folder_is_private_to_the_grader(tmp_path, monkeypatch):
    monkeypatch.setattr(uid_locks, "LOCK_DIR", None)
    if os.geteuid() == 0:
        assert sandbox.lock_dir() == Path("/run/spinecourse-sandbox")
    monkeypatch.setattr(uid_locks, "LOCK_DIR", tmp_path / "locks")
    uid, handle = sandbox._claim_uid()
    handle.close()
    st = (tmp_path / "locks").stat()
    assert st.st_uid == os.geteuid() and st.st_mode & 0o777 == 0o700


@pytest.mark.parametrize("plant", ["symlink", "world-writable", "foreign-owner", "lock-symlink"])
def test_a_planted_lock_folder_is_refused_with_a_clear_message(tmp_path, monkeypatch, plant):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    locks = tmp_path / "locks"
    if plant == "symlink":
        (tmp_path / "elsewhere").mkdir(mode=0o700)
        locks.symlink_to(tmp_path / "elsewhere")
        expected = "not a plain folder"
    elif plant == "world-writable":
        locks.mkdir()
        locks.chmod(0o777)
        expected = "writable by other users"
    elif plant == "foreign-owner":
        if os.geteuid() == 0:
            locks.mkdir(mode=0o700)
            os.chown(locks, 65534, 65534)
        else:  # an ordinary grader: any folder of root's
            locks = Path("/usr/share")
        expected = "is owned by uid"
    else:  # a link inside the grader's own folder (e.g. left by an earlier, compromised run)
        locks.mkdir(mode=0o700)
        (locks / "61000.lock").symlink_to(victim)
        expected = "not a plain file"
    monkeypatch.setattr(uid_locks, "LOCK_DIR", locks)
    with pytest.raises(sandbox.SandboxError, match=expected):
        sandbox._claim_uid()
    assert victim.read_text() == "keep me"
    if os.geteuid() == 0:  # autograde refuses with the same message (check() claims a uid as root)
        ok, why = sandbox.check()
        assert not ok and expected in why


# ---- issue 20, item 5: a Python environment under /tmp ----


def test_a_python_environment_under_tmp_runs_in_the_sandbox(tmp_path):
    """A venv made under /tmp (pytest's tmp_path is there) whose site-packages points at the course's venv.

    Before, the sandbox mounted its fresh /tmp after the read-only binds: the interpreter vanished
    and check() blamed user namespaces.
    """
    assert str(tmp_path).startswith("/tmp/")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    site = next((venv / "lib").glob("python3*/site-packages"))
    course_site = next(Path(sys.prefix, "lib").glob("python3*/site-packages"))
    (site / "course.pth").write_text(f"{course_site}\n{ROOT}\n")
    if os.geteuid() == 0:  # the sandbox's uid must reach it, as on a CI runner's /tmp
        for path in [tmp_path, *tmp_path.rglob("*")]:
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
    code = "from spinecourse.grading import sandbox; ok, why = sandbox.check(); print('CHECK', ok, why)"
    out = subprocess.run(
        [str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert "CHECK True" in out.stdout, out.stdout + out.stderr


def test_check_names_the_real_cause_when_python_cannot_run(monkeypatch, tmp_path):
    fake = tmp_path / "not-python"
    fake.write_text("#!/bin/sh\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(fake))
    ok, why = sandbox.check()
    assert not ok
    assert "does not run inside it" in why and "user namespaces" not in why


# ---- 11: caps per sandbox: memory and processes (cgroup), disk (tmpfs sizes) ----


def _run_in_sandbox(
    private: Path, script: str, *, memory: int, processes: int = 64, disk: int = 64 << 20, timeout: int = 120
) -> tuple[subprocess.CompletedProcess, cgroups.Cgroup | None, bool]:
    uid, handle = sandbox._claim_uid() if os.geteuid() == 0 else (None, None)
    mounted = sandbox.mount_private(private, disk, uid)
    group = cgroups.create(f"test-{os.getpid()}-{time.monotonic_ns()}", memory, processes)
    try:
        if uid is not None:
            os.chown(private, uid, uid)
        bpf = sandbox.seccomp_filter()
        cmd = sandbox.wrapper(
            private,
            seccomp_fd=sandbox.SECCOMP_FD if bpf else None,
            memory=memory,
            processes=processes,
            file_size=1 << 30,
            cpu_seconds=60,
            uid=uid,
            disk=disk,
            per_sandbox_processes=group is not None,
        )
        cmd = sandbox.launcher(cmd + [sys.executable, "-c", script], group, bpf)
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        return out, group, mounted
    finally:
        if group is not None:
            group.remove()
        if mounted:
            sandbox.unmount_private(private)
        if handle is not None:
            handle.close()


FOUR_PROCESSES = textwrap.dedent("""
    import subprocess, sys
    hog = "b = b'x' * (200 << 20); import time; time.sleep(4)"
    procs = [subprocess.Popen([sys.executable, "-c", hog]) for _ in range(4)]
    print("CODES", [p.wait() for p in procs])
""")


def test_four_processes_hit_the_per_sandbox_memory_cap(tmp_path):
    if cgroups.create("probe-test", 1 << 30, 64) is None and os.geteuid() != 0:
        pytest.skip(
            "no writable cgroup for this user: the documented fallback (RLIMIT_AS per process) "
            "applies, and limits_mode() says so: " + sandbox.limits_mode()
        )
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    # each process stays under its own 512 MiB address space; together they would need 800 MiB
    out, group, _ = _run_in_sandbox(private, FOUR_PROCESSES, memory=512 << 20)
    assert group is not None, "root here, but no writable cgroup: " + sandbox.limits_mode()
    codes = eval(out.stdout.split("CODES", 1)[1])
    assert len(codes) == 4 and any(c == -9 for c in codes), (codes, out.stderr[-500:])
    assert "per sandbox" in sandbox.limits_mode()


MANY_FILES = textwrap.dedent("""
    import os
    for where, n in (("work", 30), ("/tmp", 30), ("/dev/shm", 10)):
        written = 0
        for i in range(n):
            try:
                with open(os.path.join(where if where != "work" else ".", f"f{i}.bin"), "wb") as fh:
                    fh.write(b"x" * (4 << 20))
                written += 4 << 20
            except OSError as exc:
                break
        print("WROTE", where, written)
""")


def test_many_files_hit_the_disk_cap(tmp_path):
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    out, _, mounted = _run_in_sandbox(private, MANY_FILES, memory=1 << 30, disk=32 << 20)
    wrote = {line.split()[1]: int(line.split()[2]) for line in out.stdout.splitlines() if line.startswith("WROTE")}
    assert set(wrote) == {"work", "/tmp", "/dev/shm"}, out.stdout + out.stderr
    assert wrote["/tmp"] <= 32 << 20 and wrote["/dev/shm"] <= sandbox.SHM_SIZE
    if os.geteuid() == 0:
        assert mounted and wrote["work"] <= 32 << 20  # the private folder is a capped tmpfs
    else:  # fallback: the private folder is on disk, per-file limit only (documented)
        assert "RLIMIT_FSIZE per file" in sandbox.limits_mode()
    assert not list(private.iterdir()), "the capped private folder was unmounted with its files"


# ---- 19: the kernel's own stdout/stderr never reach the log raw ----


def test_kernel_output_is_escaped_and_prefixed():
    read_fd, write_fd = os.pipe()
    out = io.StringIO()
    relay = sandbox.relay_kernel_output(read_fd, out, limit=400)
    os.write(
        write_fd,
        b"[AutogradeApp | ERROR] There was an error processing assignment: /c/honest/q\n"
        b"\x1b[2J\x1b[Hwiped\rover\x00\n" + b"y" * 1000,
    )
    os.close(write_fd)
    relay.join(timeout=10)
    text = out.getvalue()
    lines = text.splitlines()
    assert lines and all(line.startswith(sandbox.KERNEL_LOG_PREFIX) for line in lines), text
    assert "\x1b" not in text and "\r" not in text and "\x00" not in text
    assert "\\x1b[2J" in text
    assert "more bytes not shown" in lines[-1] and len(text) < 1000


def _run_notebook(folder: Path, sources: list[str], client_cls=None, timeout: int = 60):
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    cls = client_cls or NotebookClient
    client = cls(
        nb,
        timeout=timeout,
        kernel_name="python3",
        kernel_manager_class=sandbox.SandboxKernelManager,
        allow_errors=True,
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute()
    return nb


def _text(nb) -> str:
    return "".join(
        o.get("text", "") + str(o.get("data", "")) + str(o.get("evalue", "")) for c in nb.cells for o in c.outputs
    )


def test_a_kernels_fake_error_line_reaches_the_log_only_prefixed(tmp_path, capfd):
    _run_notebook(
        tmp_path,
        [
            "import os\nos.write(2, b'[AutogradeApp | ERROR] fake /c/honest/q \\x1b[31mred\\n')\n"
            "import sys\nsys.__stderr__.write('ERROR second fake /c/honest/\\n'); sys.__stderr__.flush()"
        ],
    )
    err = capfd.readouterr().err
    fakes = [line for line in err.splitlines() if "fake" in line]
    assert fakes, err[-2000:]
    assert all(line.startswith(sandbox.KERNEL_LOG_PREFIX) for line in fakes), fakes
    assert "\x1b" not in "".join(fakes)


# ---- 15: data files that would replace the kernel or the standard library ----

HIJACK = 'import builtins\nbuiltins.HIJACKED = "{name}"\nprint("HIJACKED-BY-{name}")\n'


def test_data_files_named_like_the_kernel_or_stdlib_change_nothing(tmp_path):
    for name in ("ipykernel_launcher", "sitecustomize", "json", "codecs_extra"):
        (tmp_path / f"{name}.py").write_text(HIJACK.format(name=name))
    (tmp_path / "ipykernel_launcher.py").write_text(
        HIJACK.format(name="ipykernel_launcher") + "from ipykernel import kernelapp\nkernelapp.launch_new_instance()\n"
    )
    nb = _run_notebook(
        tmp_path,
        [
            "import builtins, json, sys\nprint('SEEN', getattr(builtins, 'HIJACKED', None), "
            "json.__file__.startswith(sys.prefix) or json.__file__.startswith(sys.base_prefix))"
        ],
    )
    text = _text(nb)
    assert "SEEN None True" in text, text
    assert "HIJACKED" not in text


# ---- 10: output flooding ----

FLOOD = textwrap.dedent("""
    import json, resource, sys
    import nbformat
    from spinecourse.grading import sandbox
    from spinecourse.grading.execute import CappedNotebookClient
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("for i in range(50):\\n    print('x' * (1 << 20))"),
        nbformat.v4.new_code_cell("print('next cell graded')")])
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    client = CappedNotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True,
                                  kernel_manager_class=sandbox.SandboxKernelManager,
                                  resources={"metadata": {"path": sys.argv[1]}})
    client.execute()
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    print("RESULT", json.dumps({"grown_kib": grown, "size": len(nbformat.writes(nb)),
                               "text": "".join(o.get("text", "")[-300:] for c in nb.cells for o in c.outputs)}))
""")


def test_printing_50_mb_does_not_grow_the_grader_or_the_notebook(tmp_path):
    import json

    out = subprocess.run(
        [sys.executable, "-c", FLOOD, str(tmp_path)], capture_output=True, text=True, timeout=180, cwd=ROOT
    )
    assert "RESULT" in out.stdout, out.stderr[-2000:]
    result = json.loads(out.stdout.split("RESULT", 1)[1])
    assert result["size"] < 3 << 20, result["size"]  # the notebook stays under the 2 MiB cap (+ its frame)
    assert result["grown_kib"] < 60 << 10, result["grown_kib"]  # was ~150 MiB for 50 MB printed
    assert "next cell graded" in result["text"]
    assert "output truncated by the grader" in result["text"]


# ---- 20: a seccomp filter (libseccomp through ctypes; no new dependency) ----

SYSCALLS = textwrap.dedent("""
    import ctypes, os
    libc = ctypes.CDLL(None, use_errno=True)
    for name, call in (("unshare", lambda: libc.unshare(0x10000000)),
                       ("mount", lambda: libc.mount(b"none", b"/tmp", b"tmpfs", 0, None)),
                       ("ptrace", lambda: libc.ptrace(0, 0, None, None))):
        rc = call()
        print("CALL", name, rc, os.strerror(ctypes.get_errno()).replace(" ", "_"))
""")


def test_the_seccomp_filter_refuses_namespaces_mounts_and_tracing(tmp_path):
    from spinecourse.grading import seccomp

    ok, why = seccomp.available()
    if not ok:
        pytest.fail(f"libseccomp is missing here ({why}); the sandbox would run without a filter (documented fallback)")
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    out, _, _ = _run_in_sandbox(private, SYSCALLS, memory=1 << 30)
    calls = {line.split()[1]: line.split()[2:] for line in out.stdout.splitlines() if line.startswith("CALL")}
    assert set(calls) == {"unshare", "mount", "ptrace"}, out.stdout + out.stderr
    assert all(rc == "-1" and err == "Operation_not_permitted" for rc, err in calls.values()), calls
    assert "seccomp filter refuses" in sandbox.limits_mode()


# ---- 14: a check the grader cannot run itself still never sends its hidden tests ----


def test_a_check_the_grader_cannot_run_keeps_its_hidden_tests_out_of_the_kernel(tmp_path):
    from traitlets.config import Config

    from spinecourse.grading import trusted

    marker = "HIDDEN-MARKER-77d2"

    def cell(source, **meta):
        return nbformat.v4.new_code_cell(source, metadata={"nbgrader": {"schema_version": 3, **meta}})

    source = nbformat.v4.new_notebook(
        cells=[
            cell("x = 1", solution=True, grade=False, locked=False, grade_id="a1"),
            cell(
                "assert x == 1\n### BEGIN HIDDEN TESTS\nimport no_such_module_here  # "
                + marker
                + "\n### END HIDDEN TESTS",
                solution=False,
                grade=True,
                locked=True,
                grade_id="t1",
                points=1,
            ),
        ]
    )
    path = tmp_path / "source" / "quiz" / "quiz.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(source, path)
    assert not trusted.plan_for(path).items["t1"].ok  # the grader itself cannot run this check
    config = Config()
    config.CourseDirectory.root = str(tmp_path)
    resources = {"nbgrader": {"assignment": "quiz", "notebook": "quiz", "student": "s"}}
    nb, resources = trusted.InjectProbes(config=config).preprocess(
        nbformat.from_dict(nbformat.reads(nbformat.writes(source), as_version=4)), resources
    )
    assert marker not in nbformat.writes(nb) and "BEGIN HIDDEN TESTS" not in nbformat.writes(nb)
    nb, _ = trusted.TrustedGrades(config=config).preprocess(nb, resources)
    check = nb.cells[1]
    assert marker in check.source  # restored for the instructor's copy
    assert any(o.get("output_type") == "error" for o in check.outputs)  # scores zero: graded by hand
    notes = (tmp_path / trusted.NOTES / "quiz" / "s" / "quiz.json").read_text()
    assert "grade it by hand" in notes


@pytest.mark.parametrize(
    "source",
    [
        "import sys\nsys.stdout = open('/dev/null', 'w')",
        "import json as j\nj.dumps = lambda *a, **k: '{}'",
        "from ipykernel.iostream import OutStream\nOutStream.write = lambda self, s: 0",
        "import sys\nsetattr(sys.modules['json'], 'dumps', str)",
        "import sys\nsys.modules['json'] = None",
        "globals()['q1'] = 'C'",
    ],
)
def test_changing_what_the_probe_relies_on_is_tampering(source):
    from spinecourse.grading import trusted

    assert trusted.tampering(source), source


@pytest.mark.parametrize(
    "source",
    [
        "import numpy as np\nq1 = np.float64(0.71)",
        "import matplotlib.pyplot as plt\nplt.rcParams['figure.dpi'] = 80\nq2 = ['A', 'C']",
        "print = print\nq1 = 'C'",  # rebinding print alone no longer reaches the probe: not tampering
    ],
)
def test_honest_cells_are_not_tampering(source):
    from spinecourse.grading import trusted

    assert trusted.tampering(source) == "", source
