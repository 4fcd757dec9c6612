"""Fixtures for the end-to-end tests: a JupyterLab server on a temporary copy of course/,
and Debian's Chromium driven by Playwright.

Missing tools are a FAILURE, never a skip: a browser check that silently does not run
is worse than none. Set-up: ``tools/install_browser.sh`` (Chromium from Debian) and
``pip install -e .[browser]`` (Playwright for Python). Never run ``playwright install``:
the tests drive the system browser at /usr/bin/chromium.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import labpage
import pytest

ROOT = Path(__file__).resolve().parents[2]
COURSE = ROOT / "course"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
SETUP_HINT = (
    "Run `sudo tools/install_browser.sh` (installs Debian's chromium) and "
    "`.venv/bin/pip install -e '.[browser]'` (Playwright for Python); never `playwright install`."
)
# Settings the tests need on top of the learner overrides shipped in jupyter-settings/:
# render every cell (JupyterLab 4 windowing skips off-screen cells) so widgets can be counted.
TEST_USER_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": '{"windowingMode": "none"}',
}


def require_browser_tools() -> None:
    """Fail (not skip) with the set-up hint when Playwright or Chromium is missing."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        pytest.fail(f"Playwright for Python is not installed ({exc}). {SETUP_HINT}", pytrace=False)
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(f"{CHROMIUM} is missing. {SETUP_HINT}", pytrace=False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LabServer:
    port: int
    token: str
    root: Path  # the temporary copy of course/ that the server shows
    log: Path

    def url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}{sep}token={self.token}"

    def notebook_url(self, name: str) -> str:
        # ?reset: start from an empty workspace, so only this notebook is open
        return self.url(f"lab/tree/{name}?reset")

    def log_tail(self, n: int = 40) -> str:
        lines = self.log.read_text(errors="replace").splitlines() if self.log.exists() else []
        return "\n".join(lines[-n:])


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory, request) -> LabServer:
    require_browser_tools()
    base = tmp_path_factory.mktemp("lab")
    root = base / "course"
    shutil.copytree(COURSE, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    app_settings = base / "app_settings"  # the overrides learners get on Binder
    app_settings.mkdir()
    shutil.copy(ROOT / "jupyter-settings" / "overrides.json", app_settings / "overrides.json")
    user_settings = base / "user_settings"
    for rel, text in TEST_USER_SETTINGS.items():
        (user_settings / rel).parent.mkdir(parents=True, exist_ok=True)
        (user_settings / rel).write_text(text)
    port, token, log = free_port(), secrets.token_hex(24), base / "jupyterlab.log"
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["JUPYTER_RUNTIME_DIR"] = str(base / "runtime")
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--port",
        str(port),
        "--ServerApp.ip=127.0.0.1",
        "--ServerApp.port_retries=0",
        f"--ServerApp.token={token}",
        "--allow-root",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.app_settings_dir={app_settings}",
        f"--LabApp.user_settings_dir={user_settings}",
        f"--LabApp.workspaces_dir={base / 'workspaces'}",
        # window.jupyterapp: the one tab opens lesson after lesson without reloading JupyterLab (labpage.py)
        "--LabApp.expose_app_in_browser=True",
    ]
    with open(log, "w") as log_file:
        proc = subprocess.Popen(cmd, stdout=log_file, stderr=subprocess.STDOUT, env=env, cwd=root)
    server = LabServer(port, token, root, log)
    try:
        request.getfixturevalue("browser")  # Chromium starts while JupyterLab boots (2 cores: overlap the waits)
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited with code {proc.returncode}:\n{server.log_tail()}", pytrace=False)
            try:
                with urllib.request.urlopen(server.url("api/status"), timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not answer within 90 s:\n{server.log_tail()}", pytrace=False)
            time.sleep(0.25)
        yield server
    finally:
        join_shutdowns()
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def browser(chromium_browser):
    require_browser_tools()
    return chromium_browser  # one Playwright driver per run (tests/conftest.py)


_SHUTDOWNS: list[threading.Thread] = []


def shutdown_sessions(server) -> None:
    """Stop every kernel the test started (JupyterLab keeps them after their notebook closes).

    The sessions are listed now (so a later test's own session is never among them) and deleted in a
    background thread: a graceful kernel shutdown takes the server about 2 s, which the next lesson
    need not wait for. ``join_shutdowns`` waits for them at the end of the session."""
    with urllib.request.urlopen(server.url("api/sessions"), timeout=10) as response:
        ids = [session["id"] for session in json.load(response)]

    def delete() -> None:
        for sid in ids:
            request = urllib.request.Request(server.url(f"api/sessions/{sid}"), method="DELETE")
            urllib.request.urlopen(request, timeout=30).close()

    thread = threading.Thread(target=delete, name="e2e-kernel-shutdown", daemon=True)
    thread.start()
    _SHUTDOWNS.append(thread)


def join_shutdowns() -> None:
    while _SHUTDOWNS:
        _SHUTDOWNS.pop().join(timeout=60)


def pytest_terminal_summary(terminalreporter):
    """The per-notebook browser time, at the end of the run (filled by test_lab_e2e.TIMINGS)."""
    timings = getattr(sys.modules.get("test_lab_e2e"), "TIMINGS", {})
    for name, (seconds, exercised) in timings.items():
        terminalreporter.write_line(f"e2e {name}: {seconds:.1f} s; sliders moved (keyboard + mouse): {exercised}")
    eye = getattr(sys.modules.get("test_lab_e2e"), "EYE_COUNTS", {})
    if eye:
        terminalreporter.write_line(f"learner's eye in JupyterLab after Run All: {eye}")
        terminalreporter.write_line("gallery (screenshots): tests/_output/gallery/index.html")
    axe_counts = getattr(sys.modules.get("test_lab_e2e"), "AXE_COUNTS", {})
    if axe_counts:
        terminalreporter.write_line(f"axe-core WCAG 2.1 A/AA violations in lesson content: {axe_counts}")


class LabTab:
    """One JupyterLab tab for the whole run: JupyterLab loads once, and each test opens its notebook in it
    (labpage.open_notebook), as a learner goes from lesson to lesson. A test that fails leaves the tab
    in an unknown state, so the next test gets a new one."""

    def __init__(self, browser):
        self.browser = browser
        self.context = None
        self.page = None

    def get(self):
        if self.page is None:
            self.context = self.browser.new_context(viewport={"width": 1400, "height": 1000})
            self.context.set_default_timeout(30_000)
            pg = self.context.new_page()
            console: list[str] = []
            pg.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}") if msg.type == "error" else None)
            pg.on("pageerror", lambda err: console.append(f"pageerror: {err}"))
            pg.console_errors = console
            self.page = pg
        self.page.console_errors.clear()  # each test reads only its own errors
        return self.page

    def close(self) -> None:
        if self.context is not None:
            self.context.close()
        self.context = self.page = None


@pytest.fixture(scope="session")
def lab_tab(browser, lab_server):
    tab = LabTab(browser)
    yield tab
    tab.close()


@pytest.fixture
def page(lab_tab, lab_server, request):
    pg = lab_tab.get()
    try:
        yield pg
    finally:
        failed = any(getattr(getattr(request.node, f"rep_{when}", None), "failed", False) for when in ("setup", "call"))
        if failed:
            ARTIFACTS.mkdir(exist_ok=True)
            stem = "".join(c if c.isalnum() or c in "-_." else "_" for c in request.node.name)
            try:
                pg.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
            except Exception as exc:  # the page may be gone; keep the other artifacts
                (ARTIFACTS / f"{stem}.screenshot-error.txt").write_text(repr(exc))
            (ARTIFACTS / f"{stem}.console.txt").write_text("\n".join(pg.console_errors))
            (ARTIFACTS / f"{stem}.jupyterlab.log").write_text(lab_server.log_tail(400))
            lab_tab.close()
        else:
            labpage.close_notebooks(pg)  # before its kernel goes, so JupyterLab does not report it dead
        shutdown_sessions(lab_server)  # closing a notebook leaves its kernel running: 2 cores, keep it lean
