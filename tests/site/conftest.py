"""The course site built once per test session, from scratch, into a temporary folder
(``site/build.py --out``: every lesson executed in a fresh kernel, Sphinx with warnings as errors),
served on 127.0.0.1 for the browser tests."""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "browser"))  # axecheck (shared with the JupyterLab tests)
sys.path.insert(0, str(Path(__file__).resolve().parent))
import sitebuild  # noqa: E402  (records shared with the tests: a module name no other folder uses)


def no_network_prefix() -> list[str] | None:
    """A command prefix that runs the build in a new network namespace (no interface, not even
    loopback): as root `unshare -n`, otherwise with a user namespace `unshare -U -r -n`."""
    for prefix in (["unshare", "-n"], ["unshare", "-U", "-r", "-n"]):
        try:
            if subprocess.run([*prefix, "true"], capture_output=True, timeout=10).returncode == 0:
                return prefix
        except (OSError, subprocess.TimeoutExpired):
            pass
    return None


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """Built without any network: proves `make site` works on a closed network."""
    out = tmp_path_factory.mktemp("site") / "html"
    prefix = no_network_prefix()
    if prefix:
        sitebuild.BUILT_OFFLINE.append(prefix)
    start = time.perf_counter()
    env = {**os.environ, **sitebuild.LAUNCH_ENV}
    result = subprocess.run(
        [*(prefix or []), sys.executable, str(ROOT / "site" / "build.py"), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        env=env,
    )
    sitebuild.BUILD_SECONDS.append(time.perf_counter() - start)
    sitebuild.BUILD_OUTPUT.append(result.stdout)
    assert result.returncode == 0, f"make site failed:\n{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
    return out


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output readable
        pass


@pytest.fixture(scope="session")
def site_url(site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def chromium(chromium_browser):
    return chromium_browser  # one Playwright driver per run (tests/conftest.py)


@pytest.fixture(scope="session")
def desktop_tab(chromium):
    """One 1366 px tab for the session's desktop visits (sitepage.Tab: a navigation per page, not a new context)."""
    import sitepage

    tab = sitepage.Tab(chromium, **sitepage.DESKTOP)
    yield tab
    tab.close()


@pytest.fixture(scope="session")
def desktop_visits(desktop_tab, site, site_url) -> dict[str, dict]:
    """Every content page loaded once at 1366 px (sitepage.desktop_visit): axe, text, figures, math, links;
    the English lessons whole in the gallery."""
    import sitepage

    sys.path.insert(0, str(ROOT / "site"))
    import build  # site/build.py: which pages are lessons

    sitepage.clear_gallery("site-1366")
    lessons = {build.page_name(p.name) + ".html" for p in build.lessons()}
    return {
        name: sitepage.desktop_visit(desktop_tab, site_url, name, whole_page=name in lessons)
        for name in sitepage.content_pages(site)
    }


@pytest.fixture(scope="session")
def phone_visits(chromium, site, site_url) -> dict[str, dict]:
    """Every content page loaded once at 390 px (sitepage.phone_visit): layout, tables, navigation."""
    import sitepage

    sitepage.clear_gallery("site-390")
    tab = sitepage.Tab(chromium, **sitepage.PHONE)
    try:
        return {name: sitepage.phone_visit(tab, site_url, name) for name in sitepage.content_pages(site)}
    finally:
        tab.close()


def pytest_terminal_summary(terminalreporter):
    if sitebuild.BUILD_SECONDS:
        terminalreporter.write_line(
            f"site build (from scratch, offline: {bool(sitebuild.BUILT_OFFLINE)}): {sitebuild.BUILD_SECONDS[0]:.1f} s"
        )
    axe = getattr(sys.modules.get("test_site_browser"), "AXE_COUNTS", {})
    if axe:
        terminalreporter.write_line(f"axe-core WCAG 2.1 A/AA violations on the site's main content: {axe}")
    eye = getattr(sys.modules.get("test_site_learner_eye"), "SUMMARY", {})
    for line in eye.get("lines", []):
        terminalreporter.write_line(line)
