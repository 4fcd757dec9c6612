"""Fixtures shared by every test folder.

One Playwright driver and one Chromium for the whole run: Playwright's sync API cannot start a
second driver while another is alive in the same process, so tests/browser, tests/hub and
tests/site all take their browser from ``chromium_browser`` instead of starting their own.
"""

import os
from pathlib import Path

import pytest

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


@pytest.fixture(scope="session")
def chromium_browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        pytest.fail(f"Playwright for Python is not installed ({exc}): `make venv` installs it.", pytrace=False)
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run tools/install_browser.sh (Debian's chromium).", pytrace=False)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


# ---- tiers (issue 20) ----
# Every test gets exactly one tier marker from where it lives, so `-m` selects a tier without each file
# having to say it (and a new file cannot forget). pyproject.toml registers them (--strict-markers).
#   unit      pure Python: models, content data, widgets headless, lint, layout (seconds, no root)
#   notebook  nbval: every lesson and quiz source run top to bottom in a fresh kernel
#   grading   nbgrader round trips, the sandbox, hostile submissions (bubblewrap; some need root)
#   browser   JupyterLab in Chromium (tests/browser)
#   site      the course site built and read in Chromium (tests/site)
#   hub       the department JupyterHub with real users (tests/hub; root)
GRADING_FILES = ("test_grading_", "test_nbgrader_", "test_submissions", "test_security_", "test_binder_files")
FOLDER_TIERS = {"browser": "browser", "site": "site", "hub": "hub"}


def tier_of(path: Path) -> str:
    if path.suffix == ".ipynb":
        return "notebook"
    parts = path.parts
    if "tests" in parts:
        below = parts[parts.index("tests") + 1 :]
        if len(below) > 1 and below[0] in FOLDER_TIERS:
            return FOLDER_TIERS[below[0]]
    return "grading" if path.name.startswith(GRADING_FILES) else "unit"


#: Heaviest groups first, so the two workers start on the long ones and the short ones fill the gaps.
HEAVY_FIRST = [
    "hub",
    "site",
    "browser",
    "graded-course",
    "hostile-cohort",
    "test_security_sandbox.py",
    "test_grading_batch.py",
    "test_binder_files.py",
]


#: Files that share a session fixture (one graded course, one graded cohort) run on one worker together.
SHARED_GROUPS = {
    "test_nbgrader_roundtrip.py": "graded-course",
    "test_grading_sandbox.py": "graded-course",
    "test_grading_korean_quizzes.py": "graded-course",
    "test_grading_hostile.py": "hostile-cohort",
    "test_grading_robustness.py": "hostile-cohort",
    "test_security_sandbox_cohort.py": "hostile-cohort",
    "test_security_grading.py": "hostile-cohort",
}


def group_of(path: Path) -> str:
    """What must run on one worker: a notebook's cells, a folder's server/site/hub, a file's module fixtures,
    the files of a shared session fixture."""
    tier = tier_of(path)
    if tier in FOLDER_TIERS.values():
        return tier
    return SHARED_GROUPS.get(path.name, path.name)


def group_of_nodeid(nodeid: str) -> str:
    return group_of(Path(nodeid.split("::", 1)[0]))


def _priority(group: str) -> int:
    return HEAVY_FIRST.index(group) if group in HEAVY_FIRST else len(HEAVY_FIRST)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        path = Path(str(item.fspath))
        item.add_marker(getattr(pytest.mark, tier_of(path)))
    # Same order in every worker (and serially): heavy groups first, each group's tests kept in order.
    order = {id(item): n for n, item in enumerate(items)}
    items.sort(key=lambda item: (_priority(group_of(Path(str(item.fspath)))), order[id(item)]))


def pytest_xdist_make_scheduler(config, log):
    """`make test` runs `pytest -n 2 --dist loadgroup`: each group above goes whole to one worker.

    xdist's own loadgroup reads `xdist_group` marks by rewriting item._nodeid, which pytest 9 no longer
    uses for the node id, so the groups never reached the scheduler. This scheduler groups by the
    node id's path instead (loadscope with our groups), in collection order (heavy first)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class TierGroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return group_of_nodeid(nodeid)

    config.option.loadscopereorder = False
    return TierGroupScheduling(config, log)
