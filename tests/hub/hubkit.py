"""Helpers and fixtures for tests/hub (conftest.py imports the fixtures): a real department hub: JupyterHub + configurable-http-proxy, servers as Linux users.

One hub per session, on free ports of 127.0.0.1, with its own roster, state folder and exchange
(so it runs beside a `make hub` hub). Accounts are prefixed ``hubt`` and removed at the end with
every process they run. Needs root (it creates Linux accounts, as the real set-up does) and
tools/install_hub.sh (proxy from npm, users' Python): missing tools FAIL, never skip.

Cohort size: SPINECOURSE_HUB_COHORT (default 3, inside the make test budget; 30 for the figures in deploy/README.md).
The cohort visits the hub a few residents at once (COHORT_AT_ONCE) and hands in to the one class-wide
grading round (graded_round): one collect, one autograde, one feedback release for the whole class.
"""

from __future__ import annotations

import asyncio
import datetime
import json
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HUB_DIR = ROOT / "deploy" / "hub"
sys.path.insert(0, str(HUB_DIR))
import hubsetup  # noqa: E402
import user_env  # noqa: E402

CHP = ROOT / "deploy" / "node_modules" / ".bin" / "configurable-http-proxy"
COURSE_ID = "stem-cells-spinal-stenosis"
QUIZ = "01_anatomy_quiz"
INSTRUCTOR = "hubtinst"
RESIDENTS = ["hubtr1", "hubtr2", "hubtr3"]  # browser (hubtr1), course pull and permissions (hubtr2, hubtr3)
OWNER, OTHER = "hubtr2", "hubtr3"  # the shared grading round (graded_round): a full-marks and a blank submission
# test_security_hub.py: a victim and an attacker (accounts of their own: no other test's data moves)
SECURITY = ["hubts1", "hubts2"]
COHORT_SIZE = int(os.environ.get("SPINECOURSE_HUB_COHORT", "3"))
COHORT = [f"hubtc{i:02d}" for i in range(1, COHORT_SIZE + 1)]
#: Residents visiting at once: a class arrives together, and their servers' start-up, kernels and
#: shutdown overlap; more than a few only queue on a small machine (and stretch the spawn timeouts).
COHORT_AT_ONCE = int(os.environ.get("SPINECOURSE_HUB_AT_ONCE", "3"))  # 1: one after another
SETUP_HINT = "Run tools/install_hub.sh (make test does) as root."
HTTP_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Hub:
    url: str
    token: str  # the course-admin service token (admin:users, admin:servers, access:servers)
    state: Path
    exchange: Path
    log: Path
    proc: subprocess.Popen
    passwords: dict[str, str]
    env: dict[str, str] = field(default_factory=dict)
    release_job: Future | None = None  # release_quiz, run while the hub starts (the released_quiz fixture waits)

    # --- hub REST API ------------------------------------------------------------------
    def request(
        self,
        method: str,
        path: str,
        data=None,
        form: dict | None = None,
        timeout: float = HTTP_TIMEOUT,
        raw: bool = False,
    ):
        body, headers = None, {"Authorization": f"token {self.token}"}
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif data is not None:
            body = json.dumps(data).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.url + path, data=body, method=method, headers=headers)
        with urllib.request.urlopen(req, timeout=timeout) as response:
            text = response.read().decode()
            if raw:
                return text
            return json.loads(text) if text.strip() else None

    def user(self, name: str) -> dict:
        return self.request("GET", f"/hub/api/users/{name}")

    def start(self, name: str, timeout: float = 120) -> float:
        """Start NAME's server through the hub API; wait until it answers through the proxy. Returns seconds."""
        t0 = time.monotonic()
        try:
            self.request("POST", f"/hub/api/users/{name}/server")
        except urllib.error.HTTPError as exc:
            if exc.code != 400:  # 400: already running
                raise AssertionError(f"starting {name}'s server: HTTP {exc.code}:\n{self.log_tail()}") from exc
        while True:
            server = self.user(name)["servers"].get("", {})
            if server.get("ready"):
                break
            if time.monotonic() - t0 > timeout:
                raise AssertionError(f"{name}'s server did not become ready in {timeout} s:\n{self.log_tail()}")
            time.sleep(0.3)
        self.server_api(name, "GET", "api/status")
        return time.monotonic() - t0

    def stop(self, name: str, timeout: float = 60) -> None:
        try:
            self.request("DELETE", f"/hub/api/users/{name}/server")
        except urllib.error.HTTPError as exc:
            if exc.code != 400:
                raise
        t0 = time.monotonic()
        while self.user(name)["servers"]:
            if time.monotonic() - t0 > timeout:
                raise AssertionError(f"{name}'s server did not stop in {timeout} s")
            time.sleep(0.3)

    def stop_all(self, names) -> None:
        """Stop these servers at once (each stop waits for the server's shutdown, seconds of idle waiting)."""
        with ThreadPoolExecutor(max_workers=len(names) or 1) as pool:
            list(pool.map(self.stop, names))

    def running(self) -> list[str]:
        return [u["name"] for u in self.request("GET", "/hub/api/users") if u["servers"]]

    # --- a user's server, through the proxy -------------------------------------------------
    def server_api(self, name: str, method: str, path: str, **kw):
        return self.request(method, f"/user/{name}/{path}", **kw)

    def pull_course(self, name: str, repo: str) -> str:
        """nbgitpuller's API (what its page calls): clone or merge the course; returns its event stream."""
        query = urllib.parse.urlencode({"repo": repo, "branch": "main", "targetpath": hubsetup.COURSE_FOLDER})
        stream = self.server_api(name, "GET", f"git-pull/api?{query}", raw=True, timeout=120)
        assert '"phase": "finished"' in stream, f"nbgitpuller did not finish for {name}:\n{stream[-2000:]}"
        return stream

    def nbgrader(self, name: str, action: str) -> dict:
        """The Assignments tab's own calls: fetch, submit, fetch_feedback (run by the user's server)."""
        result = self.server_api(
            name, "POST", f"assignments/{action}", form={"course_id": COURSE_ID, "assignment_id": QUIZ}
        )
        assert result["success"], f"{action} as {name} failed: {result.get('value')}"
        return result

    def put_notebook(self, name: str, path: str, nb) -> None:
        import nbformat

        self.server_api(
            name,
            "PUT",
            f"api/contents/{urllib.parse.quote(path)}",
            data={"type": "notebook", "format": "json", "content": json.loads(nbformat.writes(nb))},
        )

    def get_notebook(self, name: str, path: str):
        import nbformat

        model = self.server_api(name, "GET", f"api/contents/{urllib.parse.quote(path)}?content=1")
        return nbformat.from_dict(model["content"])

    def run_code(self, name: str, code: str, timeout: float = 120) -> list[dict]:
        """Run code in a new kernel of NAME's server (websocket through the proxy); return its outputs."""
        # In its own thread: the session's Playwright (sync API) keeps an event loop running in this one,
        # and asyncio.run() refuses to start inside a running loop.
        box: dict = {}

        def work() -> None:
            try:
                box["result"] = asyncio.run(_run_code(self, name, code, timeout))
            except BaseException as exc:  # re-raised below, in the test's thread
                box["error"] = exc

        thread = threading.Thread(target=work, name=f"run-code-{name}")
        thread.start()
        thread.join(timeout + 30)
        if thread.is_alive():
            raise TimeoutError(f"running code in {name}'s kernel did not finish within {timeout + 30:.0f} s")
        if "error" in box:
            raise box["error"]
        return box["result"]

    def log_tail(self, n: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:]) if self.log.exists() else ""


async def _run_code(hub: Hub, name: str, code: str, timeout: float) -> list[dict]:
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    kernel = hub.server_api(name, "POST", "api/kernels", data={"name": "python3"})
    ws_url = hub.url.replace("http://", "ws://") + f"/user/{name}/api/kernels/{kernel['id']}/channels"
    outputs: list[dict] = []
    try:
        ws = await asyncio.wait_for(
            websocket_connect(
                HTTPRequest(ws_url, headers={"Authorization": f"token {hub.token}"}), max_message_size=64 * 2**20
            ),
            30,
        )
        msg_id, session = uuid.uuid4().hex, uuid.uuid4().hex
        ws.write_message(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "username": name,
                        "session": session,
                        "msg_type": "execute_request",
                        "version": "5.3",
                        "date": "",
                    },
                    "parent_header": {},
                    "metadata": {},
                    "channel": "shell",
                    "buffers": [],
                    "content": {
                        "code": code,
                        "silent": False,
                        "store_history": False,
                        "user_expressions": {},
                        "allow_stdin": False,
                        "stop_on_error": True,
                    },
                }
            )
        )
        deadline = time.monotonic() + timeout
        idle = replied = False
        while not (idle and replied):
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"code in {name}'s kernel did not finish in {timeout} s")
            raw = await asyncio.wait_for(ws.read_message(), left)
            if raw is None:
                raise AssertionError(f"{name}'s kernel websocket closed")
            if isinstance(raw, bytes):
                continue  # binary widget buffers
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind in ("stream", "error", "display_data", "execute_result"):
                outputs.append({"type": kind, **msg["content"]})
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
            elif kind == "execute_reply":
                replied = True
        ws.close()
    finally:
        hub.server_api(name, "DELETE", f"api/kernels/{kernel['id']}")
    return outputs


def as_user(name: str, *cmd: str, **kw) -> subprocess.CompletedProcess:
    return hubsetup.as_user(name, *cmd, **kw)


def instructor_course() -> Path:
    return Path(pwd.getpwnam(INSTRUCTOR).pw_dir) / "course"


def instructor_run(*cmd: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """A command as the instructor in their course folder (as an instructor types it in a hub terminal)."""
    result = as_user(INSTRUCTOR, *cmd, timeout=timeout, cwd=str(instructor_course()))
    assert result.returncode == 0, (
        f"{' '.join(cmd)} as {INSTRUCTOR} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result


def require_tools() -> None:
    if os.geteuid() != 0:
        pytest.fail("tests/hub need root: the hub creates Linux accounts and spawns servers as them.", pytrace=False)
    # The learners' environment runs what is installed, not the checkout: install this checkout's course
    # into it (a few seconds), as tools/install_hub.sh does, so the hub tests the code under test.
    user_env.build()
    if not os.access(CHP, os.X_OK):
        pytest.fail(f"{CHP} is missing. {SETUP_HINT}", pytrace=False)
    py = user_env.user_python()
    if not py.exists() or not user_env.reachable_by_others(py):
        pytest.fail(f"{py} cannot be run by the hub's users. {SETUP_HINT}", pytrace=False)
    for tool in ("git", "runuser", "useradd"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing. {SETUP_HINT}", pytrace=False)


def release_quiz() -> None:
    """The instructor generates the quiz with the course's route and releases it to the exchange (as in a hub
    terminal: needs the accounts and the exchange, not the hub's processes)."""
    instructor_run(str(hubsetup.VENV_BIN / "python"), "-m", "spinecourse.grading", "release", QUIZ)
    instructor_run("nbgrader", "release_assignment", QUIZ)


@pytest.fixture(scope="session")
def hub():
    require_tools()
    state = Path(tempfile.mkdtemp(prefix="spinecourse-hub-"))  # not pytest's tmp: users must traverse it
    os.chmod(state, 0o755)
    exchange = state / "exchange"
    roster = state / "roster.yml"
    roster.write_text(
        json.dumps({"course_id": COURSE_ID, "instructors": [INSTRUCTOR], "residents": RESIDENTS + SECURITY + COHORT})
    )
    port, token = free_port(), secrets.token_hex(32)
    env = {
        **os.environ,
        "SPINECOURSE_HUB_STATE": str(state),
        "SPINECOURSE_ROSTER": str(roster),
        "SPINECOURSE_HUB_PORT": str(port),
        "SPINECOURSE_HUB_API_PORT": str(free_port()),
        "SPINECOURSE_PROXY_API_PORT": str(free_port()),
        "SPINECOURSE_GIT_PORT": str(free_port()),
        "SPINECOURSE_EXCHANGE": str(exchange),
        "SPINECOURSE_COURSE_ID": COURSE_ID,
        "SPINECOURSE_HUB_ADMIN_TOKEN": token,
    }
    names = [INSTRUCTOR, *RESIDENTS, *SECURITY, *COHORT]
    proc = None
    background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="release")
    old_env = {k: os.environ.get(k) for k in ("SPINECOURSE_EXCHANGE", "SPINECOURSE_COURSE_ID")}
    os.environ.update(SPINECOURSE_EXCHANGE=str(exchange), SPINECOURSE_COURSE_ID=COURSE_ID)  # hubsetup.as_user
    # Accounts left by a run that was killed (their homes hold an old course clone whose remote is gone):
    # the test accounts are the test's own, so start from none.
    for name in names:
        hubsetup.remove_account(name)
        stale_home = Path("/home") / name  # a home whose account is gone keeps its old uid: useradd would
        if stale_home.is_dir():  # reuse it and the new account could not write there
            shutil.rmtree(stale_home)
    try:
        passwords = hubsetup.setup(hubsetup.load_roster(roster), state)
        release_job = background.submit(release_quiz)  # the instructor's two processes overlap the hub's start-up
        log = state / "jupyterhub.log"
        with open(log, "w") as log_file:
            proc = subprocess.Popen(
                [str(Path(sys.executable).parent / "jupyterhub"), "-f", str(HUB_DIR / "jupyterhub_config.py")],
                cwd=state,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        hub = Hub(f"http://127.0.0.1:{port}", token, state, exchange, log, proc, passwords, env, release_job)
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"jupyterhub exited with {proc.returncode}:\n{hub.log_tail()}", pytrace=False)
            try:
                hub.request("GET", "/hub/api/", timeout=3)
                break
            except (OSError, urllib.error.URLError):
                if time.monotonic() > deadline:
                    pytest.fail(f"jupyterhub did not answer within 60 s:\n{hub.log_tail()}", pytrace=False)
                time.sleep(0.3)
        yield hub
        left = hub.running()
        assert not left, f"servers left running at the end: {left}"
    finally:
        background.shutdown(wait=True)  # no instructor process outlives the accounts
        if proc is not None:
            proc.terminate()  # cleanup_servers: the hub stops every server it spawned
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        for name in names:
            hubsetup.remove_account(name)
        shutil.rmtree(state, ignore_errors=True)
        for k, v in old_env.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)


@pytest.fixture(scope="session")
def released_quiz(hub):
    """The quiz in the exchange: release_quiz, started by the hub fixture while JupyterHub starts up."""
    hub.release_job.result()  # re-raises the release's failure here
    return QUIZ


def solved_notebook(release_nb):
    """The released notebook with every automatically graded answer filled in from the source (root reads it)."""
    import nbformat

    from spinecourse.grading import solved_copy

    source = nbformat.read(ROOT / "assignments" / "source" / QUIZ / f"{QUIZ}.ipynb", as_version=4)
    return solved_copy(release_nb, source)


def stamp(when: datetime.datetime) -> str:
    """nbgrader's timestamp format."""
    return when.strftime("%Y-%m-%d %H:%M:%S.%f UTC")


def hand_made(owner: str, notebook, when: datetime.datetime, extra: str = "", claimed: str | None = None) -> str:
    """A submission folder written by OWNER straight into inbound/ (not through nbgrader submit).

    Named as CLAIMED's (default: the owner's) with the time ``when``; its timestamp.txt says 2000-01-01; no
    submission_secret.txt; ``extra`` is more shell run in the folder. The folder goes to OWNER's private
    group (the instructors are members), as nbgrader submit does on this hub. Returns the folder name."""
    import nbformat

    name = f"{claimed or owner}+{QUIZ}+{stamp(when)}+{secrets.token_hex(3)}"
    script = (
        'set -e; d="$1/$2"; mkdir "$d"; cd "$d"; cat > "$3.ipynb"; '
        'echo "2000-01-01 00:00:00.000000 UTC" > timestamp.txt; '
        + (extra or ":")
        + '; chgrp -R "$(id -gn)" "$d"; chmod -R g+rX,o-rwx "$d"'
    )
    inbound = Path(os.environ["SPINECOURSE_EXCHANGE"]) / COURSE_ID / "inbound"
    text = nbformat.writes(notebook)
    result = as_user(owner, "sh", "-c", script, "sh", str(inbound), name, QUIZ, input_text=text, timeout=60)
    assert result.returncode == 0, f"could not hand-make a submission as {owner}: {result.stderr}"
    return name


@dataclass
class GradedRound:
    hub: Hub
    collect: subprocess.CompletedProcess
    autograde: subprocess.CompletedProcess
    release: subprocess.CompletedProcess
    autograde_s: float  # the class-wide autograde's wall time (a figure, never asserted)
    victim_submitted_after: datetime.datetime  # victim_hand_in: just before the victim's nbgrader submit
    collected_before: datetime.datetime  # just after the class-wide collect


#: test_security_hub.py, findings 5 and 9: markers of the victim's genuine submission and of the attacker's
#: blank quiz written under the victim's name.
GENUINE = f"GENUINE-{secrets.token_hex(4)}"
SPOOF = f"SPOOF-{secrets.token_hex(4)}"


def marked(nb, marker: str):
    import nbformat

    nb = nbformat.from_dict(json.loads(nbformat.writes(nb)))
    nb.cells.append(nbformat.v4.new_markdown_cell(marker))
    return nb


def victim_hand_in(released) -> datetime.datetime:
    """Findings 5 and 9 (checked in test_security_hub.py): the victim (hubts1) submits full marks with nbgrader,
    then back-dates timestamp.txt in their own inbound folder; the attacker (hubts2) writes a blank quiz named
    as the victim's, dated ten years later. Returns the (naive UTC) time just before the submit."""
    import re

    import nbformat

    victim, attacker = SECURITY
    fetched = as_user(victim, "nbgrader", "fetch_assignment", QUIZ, timeout=120)
    assert fetched.returncode == 0, fetched.stderr[-2000:]
    path = Path(pwd.getpwnam(victim).pw_dir) / QUIZ / f"{QUIZ}.ipynb"
    nb = marked(solved_notebook(nbformat.read(path, as_version=4)), GENUINE)
    as_user(victim, "sh", "-c", 'cat > "$1"', "sh", str(path), input_text=nbformat.writes(nb))
    before = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    submitted = as_user(victim, "nbgrader", "submit", QUIZ, timeout=120)
    assert submitted.returncode == 0, submitted.stderr[-2000:]
    dest = re.search(r"Destination: (.+)", submitted.stdout + submitted.stderr).group(1).strip()
    forged = as_user(victim, "sh", "-c", 'echo "2000-01-01 00:00:00.000000 UTC" > "$1/timestamp.txt"', "sh", dest)
    assert forged.returncode == 0, forged.stderr
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=3650)
    assert hand_made(attacker, marked(released, SPOOF), later, claimed=victim).startswith(victim + "+")
    return before


#: What the attacker of the shared round puts beside a regular notebook (issue 19, finding 12).
HOSTILE_FILES = {
    "data.csv": "ln -s /dev/zero data.csv",
    "notes.txt": "mkfifo notes.txt",
    "big.bin": "truncate -s 2G big.bin",  # sparse: no disk used
    "source": f"ln -s {ROOT / 'assignments' / 'source'} source",
}


LESSON = "01_stenosis_anatomy.ipynb"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS")) / 1024


def hub_memory(hub: Hub) -> float:
    """Resident memory of the hub process and its proxy (MiB)."""
    total = rss_mib(hub.proc.pid)
    children = Path(f"/proc/{hub.proc.pid}/task/{hub.proc.pid}/children").read_text().split()
    for line in children:
        try:
            cmd = Path(f"/proc/{line}/cmdline").read_text()
        except OSError:
            continue
        if "configurable-http-proxy" in cmd:
            total += rss_mib(int(line))
    return total


def user_rss_mib(name: str) -> float:
    """Resident memory of everything the account runs (its server and kernels), MiB."""
    uid, total = pwd.getpwnam(name).pw_uid, 0.0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    total += rss_mib(int(entry.name))
            except (OSError, StopIteration):
                pass
    return total


@dataclass
class Cohort:
    answered_right: list[str]  # the others hand in the untouched release
    figures: dict[str, float]  # printed by test_hub_cohort.py, never asserted


def resident_visit(hub: Hub, name: str, solve: bool) -> dict[str, float]:
    """One cohort resident through their own server: the hub starts it (as their Linux account), nbgitpuller
    gives them the course, they run a lesson's code (widgets included) in a kernel, fetch the quiz in the
    Assignments API, answer (if ``solve``), submit; the hub stops the server. Returns seconds per step and
    memory figures."""
    repo = f"git://127.0.0.1:{hub.env['SPINECOURSE_GIT_PORT']}/course.git"
    steps: dict[str, float] = {}
    t0 = t = time.monotonic()

    def lap(step: str) -> None:
        nonlocal t
        now = time.monotonic()
        steps[step] = now - t
        t = now

    hub.start(name)
    lap("start")
    hub.pull_course(name, repo)
    lap("pull")
    lesson = hub.get_notebook(name, f"{hubsetup.COURSE_FOLDER}/{LESSON}")
    code = "\n\n".join(c.source for c in lesson.cells if c.cell_type == "code")
    outputs = hub.run_code(name, code)
    errors = [o for o in outputs if o["type"] == "error"]
    assert not errors, f"{LESSON} failed in {name}'s kernel: {errors[0]['ename']}: {errors[0]['evalue']}"
    assert [o for o in outputs if WIDGET_MIME in o.get("data", {})], f"{LESSON} displayed no widget in {name}'s kernel"
    lap("lesson")
    hub.nbgrader(name, "fetch")
    path = f"{QUIZ}/{QUIZ}.ipynb"
    if solve:
        hub.put_notebook(name, path, solved_notebook(hub.get_notebook(name, path)))
    result = hub.nbgrader(name, "submit")
    assert any(a.get("status") == "submitted" for a in result["value"]), result
    steps["hub_memory_mib"] = hub_memory(hub)
    steps["server_with_kernel_mib"] = user_rss_mib(name)
    lap("quiz")
    hub.stop(name)
    lap("stop")
    steps["total"] = time.monotonic() - t0
    return steps


@pytest.fixture(scope="session")
def cohort_submitted(hub, released_quiz) -> Cohort:
    """The cohort (SPINECOURSE_HUB_COHORT residents) visits the hub, COHORT_AT_ONCE at a time (resident_visit):
    half answer correctly, half hand in the untouched release. Their submissions join the class-wide
    graded_round; test_hub_cohort.py checks the collect and the scores."""
    # solved_notebook's import, once here rather than first in several threads at once
    import spinecourse.grading  # noqa: F401

    answered_right = COHORT[::2]
    t_all, peak = time.monotonic(), hub_memory(hub)
    with ThreadPoolExecutor(max_workers=COHORT_AT_ONCE, thread_name_prefix="resident") as pool:
        visits = list(pool.map(lambda name: resident_visit(hub, name, name in answered_right), COHORT))
    assert hub.running() == [], "a cohort server is still running"
    per = {k: [v[k] for v in visits] for k in visits[0]}
    figures = dict(
        residents=len(COHORT),
        at_once=min(COHORT_AT_ONCE, len(COHORT)),
        visits_minutes=(time.monotonic() - t_all) / 60,
        per_resident_s=sum(per["total"]) / len(COHORT),
        slowest_s=max(per["total"]),
        hub_memory_peak_mib=max(peak, *per["hub_memory_mib"]),
        server_with_kernel_mib=max(per["server_with_kernel_mib"]),
        **{f"{k}_s_per_resident": sum(per[k]) / len(COHORT) for k in ("start", "pull", "lesson", "quiz", "stop")},
    )
    return Cohort(answered_right, figures)


@pytest.fixture(scope="session")
def graded_round(hub, released_quiz, cohort_submitted) -> GradedRound:
    """One class-wide grading round (one collect), shared by test_hub_cohort.py, test_hub_permissions.py and
    test_security_hub.py.

    OWNER (full marks) and OTHER (blank) fetch and submit with nbgrader's commands as themselves (the
    exchange code the Assignments tab calls; the browser test and the cohort, cohort_submitted, go through
    the servers). The victim and the attacker of findings 5 and 9 hand in (victim_hand_in). The attacker
    (hubts2) also hand-makes a hostile submission of their own: links to /dev/zero and to the quiz
    sources, a FIFO, a 2 GB file, no submission secret. The instructor collects the whole class (under a
    200 MB file-size limit: before issue 19 the collect copied /dev/zero until the disk was full), grades
    these three and the cohort in one run of the course's sandboxed route, generates the three's feedback
    and releases feedback class-wide."""
    import nbformat

    def submit(name: str) -> None:
        fetched = as_user(name, "nbgrader", "fetch_assignment", QUIZ, timeout=120)
        assert fetched.returncode == 0, fetched.stderr[-2000:]
        if name == OWNER:
            path = Path(pwd.getpwnam(name).pw_dir) / QUIZ / f"{QUIZ}.ipynb"
            solved = solved_notebook(nbformat.read(path, as_version=4))
            as_user(name, "sh", "-c", 'cat > "$1"', "sh", str(path), input_text=nbformat.writes(solved))
        submitted = as_user(name, "nbgrader", "submit", QUIZ, timeout=120)
        assert submitted.returncode == 0, submitted.stderr[-2000:]

    released = nbformat.read(hub.exchange / COURSE_ID / "outbound" / QUIZ / f"{QUIZ}.ipynb", as_version=4)
    # Three residents in their own accounts at once (as a class hands in): each one's steps stay in order.
    with ThreadPoolExecutor(max_workers=3) as pool:
        victim = pool.submit(victim_hand_in, released)
        list(pool.map(submit, (OWNER, OTHER)))
        victim_submitted_after = victim.result()
    hand_made(SECURITY[1], released, datetime.datetime.now(datetime.UTC), extra="; ".join(HOSTILE_FILES.values()))
    collect = instructor_run("prlimit", "--fsize=209715200", "--", "nbgrader", "collect", QUIZ, timeout=180)
    collected_before = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    students = [OWNER, OTHER, SECURITY[1], *COHORT]
    grade = ["python", "-m", "spinecourse.grading", "autograde", QUIZ, "--cell-timeout", "10"]
    t_grade = time.monotonic()
    autograde = instructor_run(*grade, *(a for s in students for a in ("--student", s)), timeout=900)
    autograde_s = time.monotonic() - t_grade
    # The course's feedback settings (nbgrader_config.py), for the three only: a glob, one process.
    instructor_run("nbgrader", "generate_feedback", QUIZ, "--student", "hubt[rs][23]", "--force", timeout=300)
    release = as_user(INSTRUCTOR, "nbgrader", "release_feedback", QUIZ, timeout=300, cwd=str(instructor_course()))
    assert release.returncode == 0, f"release_feedback stopped for the class:\n{release.stderr[-3000:]}"
    fetched = as_user(OWNER, "nbgrader", "fetch_feedback", QUIZ, timeout=120)
    assert fetched.returncode == 0, fetched.stderr[-2000:]
    return GradedRound(hub, collect, autograde, release, autograde_s, victim_submitted_after, collected_before)
