"""The department hub in a real browser (Debian's Chromium, Playwright): a resident and the instructor.

Resident: logs in (PAM password), the server starts, nbgitpuller opens the start page; fetches the quiz
in the Assignments tab, answers in the notebook, submits. Instructor: collects and autogrades (the
course's route, as in a hub terminal), opens the formgrader through the hub, enters the written
answer's grade, generates and releases feedback. Resident: fetches feedback; it shows the score and
no hidden test.
"""

from __future__ import annotations

import pwd
import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from hubkit import INSTRUCTOR, QUIZ, ROOT, hubsetup, instructor_run

RESIDENT = "hubtr1"
ARTIFACTS = ROOT / "test-artifacts"
WRITTEN = "Refer for a structured non-operative programme first; MRI findings alone do not justify an MSC injection."
MANUAL_POINTS = 2


def q1_answer() -> str:
    nb = nbformat.read(ROOT / "assignments" / "source" / QUIZ / f"{QUIZ}.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q1-answer")
    lines = [ln for ln in cell.source.splitlines() if "SOLUTION" not in ln and ln.strip()]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def browser(chromium_browser):
    return chromium_browser  # one Playwright driver per run (tests/conftest.py)


def login(browser, hub, name: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", name)
    page.fill("#password_input", hub.passwords[name])
    page.click("#login_submit")
    return context, page


def save_artifacts(page, stem: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        page.screenshot(path=str(ARTIFACTS / f"hub_{stem}.png"), full_page=True)
    except Exception as exc:  # the page may be gone
        (ARTIFACTS / f"hub_{stem}.screenshot-error.txt").write_text(repr(exc))


def open_assignment_list(page) -> None:
    """Nbgrader → Assignment List, and make sure its tab is the visible one: JupyterLab restores the
    previous session's workspace (start page, an older Assignments tab) and may re-activate another tab,
    so start from a reset workspace (JupyterLab's ``?reset``) first."""
    page.goto(re.sub(r"/lab(/.*)?(\?.*)?$", "/lab", page.url) + "?reset")
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Nbgrader$")).wait_for(timeout=120_000)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Nbgrader$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Assignment List$")).click()
    listing = page.locator("#fetched_assignments_list")
    deadline = time.monotonic() + 30
    while not listing.is_visible():
        assert time.monotonic() < deadline, "the Assignments tab did not become visible"
        tab = page.locator(".lm-TabBar-tab", has_text=re.compile(r"^Assignments$")).first
        if tab.count():
            tab.click()
        page.wait_for_timeout(500)


def test_resident_and_instructor_round_trip_in_the_browser(hub, browser, released_quiz):
    # The instructor's server starts (hub API) while the resident works: the instructor logs in later to a
    # running server, as one who opened the hub earlier in the day; nothing waits for it in between.
    instructor_server = ThreadPoolExecutor(max_workers=1)
    instructor_started = instructor_server.submit(hub.start, INSTRUCTOR)
    try:
        round_trip(hub, browser, instructor_started)
    finally:
        instructor_server.shutdown(wait=True)
        hub.stop_all([RESIDENT, INSTRUCTOR])


def round_trip(hub, browser, instructor_started):
    home = Path(pwd.getpwnam(RESIDENT).pw_dir)
    # Render every cell (JupyterLab 4 windowing leaves off-screen cells empty), as tests/browser do.
    settings = home / ".jupyter/lab/user-settings/@jupyterlab/notebook-extension/tracker.jupyterlab-settings"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text('{"windowingMode": "none"}')
    hubsetup.run("chown", "-R", f"{RESIDENT}:{RESIDENT}", str(home / ".jupyter"))
    # -- the resident: log in, the start page opens -----------------------------------------------
    ctx, page = login(browser, hub, RESIDENT)
    try:
        page.wait_for_url(
            re.compile(rf"/user/{RESIDENT}/lab/tree/{hubsetup.COURSE_FOLDER}/{hubsetup.START_PAGE}"), timeout=120_000
        )
        page.locator(".lm-TabBar-tab", has_text=hubsetup.START_PAGE).first.wait_for()
        page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for()
        # the hub's home page carries the course link
        home_page = ctx.new_page()
        home_page.goto(f"{hub.url}/hub/home")
        link = home_page.locator("#course-pull")
        assert "git-pull" in link.get_attribute("href") and "course.git" in link.get_attribute("href")
        home_page.close()

        # -- fetch in the Assignments tab ----------------------------------------------------------
        open_assignment_list(page)
        released = page.locator("#released_assignments_list")
        released.get_by_text(QUIZ).first.wait_for()
        released.get_by_role("button", name="Fetch").click()
        fetched = page.locator("#fetched_assignments_list")
        fetched.get_by_text(QUIZ).first.wait_for()
        assert (home / QUIZ / f"{QUIZ}.ipynb").exists(), "Fetch did not put the quiz in the resident's home"

        # -- answer in the notebook ----------------------------------------------------------------
        page.goto(f"{hub.url}/user/{RESIDENT}/lab/workspaces/quiz/tree/{QUIZ}/{QUIZ}.ipynb?reset")
        page.get_by_text("(ipykernel) | Idle").wait_for(timeout=90_000)
        panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
        q1 = panel.locator(".jp-CodeCell", has_text="YOUR ANSWER HERE").first
        q1.locator(".cm-content").click()
        page.keyboard.press("Control+A")
        page.keyboard.type(q1_answer())
        index = panel.locator(".jp-Cell").evaluate_all(
            """cells => cells.findIndex(c => c.classList.contains('jp-MarkdownCell')
                   && c.querySelector('.jp-RenderedMarkdown')?.innerText.trim() === 'YOUR ANSWER HERE')"""
        )
        assert index >= 0, "no written-answer cell in the quiz"
        written = panel.locator(".jp-Cell").nth(index)  # by position: editing removes the rendered text
        written.scroll_into_view_if_needed()
        written.locator(".jp-RenderedMarkdown").dblclick()
        written.locator(".cm-content").click()
        page.keyboard.press("Control+A")
        page.keyboard.type(WRITTEN)
        page.keyboard.press("Escape")
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^File$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Save Notebook$")).click()
        deadline = time.monotonic() + 30
        while WRITTEN not in (home / QUIZ / f"{QUIZ}.ipynb").read_text():
            assert time.monotonic() < deadline, "the answers were not saved"
            time.sleep(0.3)

        # -- submit in the Assignments tab ---------------------------------------------------------
        open_assignment_list(page)
        fetched = page.locator("#fetched_assignments_list")
        fetched.get_by_role("button", name="Submit").click()
        page.locator("#submitted_assignments_list").get_by_text(QUIZ).first.wait_for()
    except Exception:
        save_artifacts(page, "resident_submit")
        raise
    finally:
        ctx.close()

    # -- the instructor: collect and autograde (hub terminal), then the formgrader ---------------------
    instructor_run("nbgrader", "collect", QUIZ)
    instructor_run(
        "python", "-m", "spinecourse.grading", "autograde", QUIZ, "--student", RESIDENT, "--cell-timeout", "10"
    )
    instructor_started.result()  # its errors (with the hub's log) surface here
    ctx, page = login(browser, hub, INSTRUCTOR)
    try:
        page.wait_for_url(re.compile(rf"/user/{INSTRUCTOR}/lab"), timeout=120_000)
        page.goto(f"{hub.url}/user/{INSTRUCTOR}/formgrader/gradebook/{QUIZ}/{QUIZ}")
        page.get_by_role("link", name=re.compile(r"Submission #\d+")).first.click()
        score = page.locator("input.score.needs_manual_grade").first
        score.wait_for()
        score.fill(str(MANUAL_POINTS))
        score.press("Tab")
        deadline = time.monotonic() + 30
        while True:
            out = instructor_run("python", "-m", "spinecourse.grading", "scores", QUIZ).stdout
            total = next(
                (float(line.split("\t")[1]) for line in out.splitlines() if line.startswith(RESIDENT + "\t")), None
            )
            if total is not None and total >= MANUAL_POINTS:
                break
            assert time.monotonic() < deadline, f"the manual grade was not saved: {out}"
            time.sleep(0.5)
        expected_total = total

        page.goto(f"{hub.url}/user/{INSTRUCTOR}/formgrader/manage_assignments")
        row = page.locator("tr", has_text=QUIZ).first
        row.locator("td.generate-feedback a").click()
        page.get_by_text(f"Successfully generated feedback of '{QUIZ}'").wait_for(timeout=180_000)
        page.locator(".modal-footer button", has_text=re.compile("OK|Close")).first.click()
        row.locator("td.release-feedback a").click()
        page.get_by_text(f"Successfully released feedback of '{QUIZ}'").wait_for(timeout=120_000)
    except Exception:
        save_artifacts(page, "instructor_formgrader")
        raise
    finally:
        ctx.close()

    # -- the resident fetches feedback: the score, no hidden test ------------------------------------------
    ctx, page = login(browser, hub, RESIDENT)
    try:
        page.wait_for_url(re.compile(rf"/user/{RESIDENT}/lab"), timeout=120_000)
        open_assignment_list(page)
        page.get_by_role("button", name="Fetch Feedback").first.click()
        deadline = time.monotonic() + 60
        while not list(home.glob(f"{QUIZ}/feedback/*/{QUIZ}.html")):
            assert time.monotonic() < deadline, "Fetch Feedback brought no feedback"
            time.sleep(0.5)
        html_path = sorted(home.glob(f"{QUIZ}/feedback/*/{QUIZ}.html"))[-1].relative_to(home)
        page.goto(f"{hub.url}/user/{RESIDENT}/files/{html_path}")
        text = page.locator("body").inner_text()
        assert re.search(rf"{QUIZ} \(Score:\s*{expected_total:g}(\.0)?\s*/\s*10(\.0)?\)", text), (
            f"no score {expected_total:g}/10 in:\n{text[:800]}"
        )
        assert WRITTEN in text
        from test_hub_permissions import hidden_test_lines

        leaked = [line for line in hidden_test_lines() if line in page.content()]
        assert not leaked, f"the feedback shows hidden tests: {leaked[:3]}"
    except Exception:
        save_artifacts(page, "resident_feedback")
        raise
    finally:
        ctx.close()
