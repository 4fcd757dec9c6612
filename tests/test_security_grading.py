"""Issue 19, the grading route against a hostile learner: files, stored XSS, forged times, terminal escapes.

One class goes through the real route on a temporary copy of assignments/ (collect from an inbox, then
autograde in the sandbox, feedback, export, report), as part of the class shared by the hostile-cohort files
(tests/hostile_cohort.py: ids "s-...", one ``grade_cohort`` and one feedback for the whole class; a file's
checks on the whole submitted/, prepared/, autograded/ and feedback/ folders now cover every learner of
it). Each attack uses a harmless marker:

inbox (collect)     a FIFO that sorts first; a notebook that is a symbolic link to ``source/`` (the
                    instructor's solution); a data file linked to a file outside the course (a stand-in for
                    /etc/shadow); a notebook linked to /dev/zero; a hard link to the outside file; a FIFO as
                    the notebook; a forged ``timestamp.txt`` (2000-01-01); and honest learners after them all.
submitted/ by hand  (the runbook allows it, and the hub's nbgrader collect writes there) a notebook that is a
                    link to ``source/``; a submission folder that is a link to ``source/QUIZ``; a FIFO notebook;
                    a data file linked to /dev/zero and one to the outside file; a submission without any
                    notebook; an extra notebook whose name holds terminal escape sequences.
xss                 a written answer with ``<img onerror>``, ``<script>``, ``javascript:`` links and SVG; a
                    learner-added raw cell; HTML, JavaScript and SVG output from the learner's code.
"""

from __future__ import annotations

import contextlib
import copy
import html.parser
import os
import shutil
import threading
from datetime import datetime
from pathlib import Path

import hostile_cohort
import nbformat
import pytest

from spinecourse import grading
from spinecourse.grading import safe_files, sanitize

NAME = "01_anatomy_quiz"
PREFIX = "s-"
NB = f"{NAME}.ipynb"
MARKER = "SPINE-SECRET-7f3a"  # the content of the file outside the course
XSS = "__spineXss"  # what hostile markup would set if it ran

HOSTILE_MARKDOWN = "\n".join(
    [
        "My answer.",
        f'<img src=x onerror="window.{XSS}=1">',
        f"<script>window.{XSS}=2</script>",
        f"[click](javascript:window.{XSS}=3) and [again](jav&#x61;script:window.{XSS}=4)",
        f'<svg onload="window.{XSS}=5"><circle r="4"/></svg>',
        f'<a href="javascript:window.{XSS}=6">x</a> <iframe src="javascript:window.{XSS}=7"></iframe>',
    ]
)
HOSTILE_OUTPUT = "\n".join(
    [
        "from IPython.display import HTML, Javascript, SVG, display",
        f"display(HTML('<img src=x onerror=\"window.{XSS}=11\"><b>html output</b>'))",
        f"display(Javascript('window.{XSS}=12'))",
        f"display(SVG('<svg xmlns=\"http://www.w3.org/2000/svg\"><script>window.{XSS}=13</script></svg>'))",
        f"display({{'text/html': '<script>window.{XSS}=14</script>'}}, raw=True)",
    ]
)


def _solved(course):
    source = nbformat.read(course / "source" / NAME / NB, as_version=4)
    release = nbformat.read(course / "release" / NAME / NB, as_version=4)
    return grading.solved_copy(release, source), source


def _id(name: str) -> str:
    """A learner's id (or inbox entry) in the shared class."""
    return PREFIX + name


def _write(nb, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def _xss_notebook(solved):
    nb = copy.deepcopy(solved)
    grading.cell_by_id(nb, "q5-answer").source = HOSTILE_MARKDOWN
    answer = grading.cell_by_id(nb, "q1-answer")
    answer.source = answer.source + "\n" + HOSTILE_OUTPUT
    nb.cells.append(nbformat.v4.new_markdown_cell(f"<script>window.{XSS}=21</script>added by the learner"))
    raw = nbformat.v4.new_raw_cell(f"<script>window.{XSS}=22</script>")
    raw.metadata["raw_mimetype"] = "text/html"
    nb.cells.append(raw)
    return nb


def _run_bounded(fn, seconds: float):
    """Run ``fn`` in a daemon thread; fail (without hanging the suite) if it does not return in time."""
    box = {}

    def target():
        try:
            box["value"] = fn()
        except BaseException as exc:  # reported below
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"did not finish within {seconds} s (a FIFO or device was opened?)"
    if "error" in box:
        raise box["error"]
    return box["value"]


def _plant(p: hostile_cohort.Planting):
    """This file's class (ids "s-...") in the shared one: collected from an inbox, then hand-made submissions."""
    course = p.course
    solved, source = _solved(course)
    outside = course.parent / "outside-secret.txt"  # stands in for /etc/shadow: outside the course
    outside.write_text(MARKER)

    inbox = course.parent / "inbox"
    inbox.mkdir()
    os.mkfifo(inbox / _id("aaa-fifo.ipynb"))  # sorts first: collect must not hang on it nor stop
    _write(solved, inbox / _id("honest") / NAME / NB)
    (inbox / _id("honest") / NAME / "timestamp.txt").write_text("2000-01-01 00:00:00.000000 UTC")
    (inbox / _id("linker") / NAME).mkdir(parents=True)
    (inbox / _id("linker") / NAME / NB).symlink_to(course / "source" / NAME / NB)
    _write(solved, inbox / _id("leaker") / NAME / NB)
    (inbox / _id("leaker") / NAME / "notes.txt").symlink_to(outside)
    (inbox / _id("zero") / NAME).mkdir(parents=True)
    (inbox / _id("zero") / NAME / NB).symlink_to("/dev/zero")
    (inbox / _id("hard") / NAME).mkdir(parents=True)
    os.link(outside, inbox / _id("hard") / NAME / "data.txt")
    _write(solved, inbox / _id("hard") / NAME / NB)
    (inbox / _id("pipe") / NAME).mkdir(parents=True)
    os.mkfifo(inbox / _id("pipe") / NAME / NB)
    (inbox / _id("linkdir")).symlink_to(course / "source")
    _write(_xss_notebook(solved), inbox / _id("xss") / NAME / NB)
    _write(solved, inbox / _id("zed") / NAME / NB)
    progress: list[str] = []
    collected = _run_bounded(lambda: grading.collect(course, NAME, inbox, progress=progress.append), 60)

    # Hand-made submissions in submitted/ (as the runbook allows and the hub's collect does).
    sub = course / "submitted"
    (sub / _id("sublink") / NAME).mkdir(parents=True)
    (sub / _id("sublink") / NAME / NB).symlink_to(course / "source" / NAME / NB)
    (sub / _id("subdirlink")).mkdir()
    (sub / _id("subdirlink") / NAME).symlink_to(course / "source" / NAME)
    (sub / _id("subfifo") / NAME).mkdir(parents=True)
    os.mkfifo(sub / _id("subfifo") / NAME / NB)
    _write(solved, sub / _id("subdata") / NAME / NB)
    (sub / _id("subdata") / NAME / "big.csv").symlink_to("/dev/zero")
    (sub / _id("subdata") / NAME / "secret.txt").symlink_to(outside)
    (sub / _id("nofiles") / NAME).mkdir(parents=True)
    (sub / _id("nofiles") / NAME / "timestamp.txt").write_text("2026-12-01 10:00:00.000000 UTC")
    _write(solved, sub / _id("escaper") / NAME / NB)
    _write(solved, sub / _id("escaper") / NAME / "x\x1b[2J\x1b[31mFAKE: GRADED 7-7\r.ipynb")

    from nbgrader.api import Gradebook

    # every submission of the shared class is late (no late penalty is configured: marks are unchanged)
    with Gradebook("sqlite:///" + str(course / "gradebook.db")) as gb:
        gb.update_or_create_assignment(NAME, duedate=datetime(2001, 1, 1))
    yield {
        "collected": {s.removeprefix(PREFIX): why for s, why in collected.items()},
        "progress": progress,
        "outside": outside,
        "source": source,
        "solved": solved,
    }


hostile_cohort.register(PREFIX, [NAME], _plant)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The shared class graded (grade_cohort, bounded in hostile_cohort), this file's learners by short names."""
    shared = hostile_cohort.shared(tmp_path_factory)
    return dict(
        shared.planted[PREFIX],
        course=shared.course,
        reports=shared.reports_of(PREFIX, NAME),
        lines=shared.lines[NAME],
        shared=shared,
    )


def _full(course_data):
    return grading.auto_points(course_data["source"])


def test_collect_takes_regular_files_only_and_keeps_going(course):
    done, sub = course["collected"], course["course"] / "submitted"
    assert done["aaa-fifo"].startswith("skipped") and "FIFO" in done["aaa-fifo"]
    assert done["linkdir"].startswith("skipped") and "symbolic link" in done["linkdir"]
    for student, why in [("linker", "symbolic link"), ("zero", "symbolic link"), ("pipe", "FIFO")]:
        assert f"missing {NB}" in done[student] and why in done[student], done[student]
        assert not (sub / _id(student) / NAME / NB).exists()
    assert "symbolic link" in done["leaker"] and not (sub / _id("leaker") / NAME / "notes.txt").exists()
    assert "hard links" in done["hard"] and not (sub / _id("hard") / NAME / "data.txt").exists()
    for student in ("honest", "xss", "zed", "leaker", "hard"):
        assert done[student].startswith("copied 1 notebook"), (student, done[student])
    for path in sub.rglob("*"):  # nothing in submitted/ (the whole class) is a link, a FIFO or a second name
        if path.parts[len(sub.parts)] in [_id(s) for s in ("sublink", "subdirlink", "subfifo", "subdata")]:
            continue  # the hand-made attacks below
        st = os.lstat(path)
        assert path.is_dir() or (path.is_file() and not path.is_symlink() and st.st_nlink == 1), path
        if path.is_file():
            assert MARKER not in path.read_text(errors="replace")


def test_forged_timestamp_is_replaced_by_the_arrival_time(course):
    from nbgrader.api import Gradebook

    stamp = (course["course"] / "submitted" / _id("honest") / NAME / "timestamp.txt").read_text()
    assert not stamp.startswith("2000"), stamp
    assert "ignored" in course["collected"]["honest"]
    with Gradebook("sqlite:///" + str(course["course"] / "gradebook.db")) as gb:
        sub = gb.find_submission(NAME, _id("honest"))
        assert sub.timestamp.year >= 2026
        assert sub.total_seconds_late > 0, "a forged 2000-01-01 timestamp must not make a late submission on time"


def test_links_fifos_and_devices_never_score_nor_stop_the_class(course):
    reports, full = course["reports"], _full(course)
    for honest in ("honest", "zed", "leaker", "hard", "xss"):
        assert reports[honest].status in ("graded", "repaired") and reports[honest].score == full, reports[
            honest
        ].line()
    for student, why in [("sublink", "symbolic link"), ("subfifo", "FIFO"), ("subdirlink", "symbolic link")]:
        r = reports[student]
        assert r.status == "rejected" and why in r.reason and r.score is None, r.line()
        assert not (course["course"] / "autograded" / _id(student)).exists()
    data = reports["subdata"]
    assert data.status in ("graded", "repaired") and data.score == full
    assert any("big.csv is a symbolic link" in n for n in data.notes)
    assert any("secret.txt is a symbolic link" in n for n in data.notes)
    for folder in ("prepared", "autograded"):
        for path in (course["course"] / folder).rglob("*"):
            assert not path.is_symlink() and (path.is_dir() or path.is_file()), path
            if path.is_file():
                assert path.stat().st_size < 5_000_000 and MARKER not in path.read_text(errors="replace"), path
    nofiles = reports["nofiles"]
    assert nofiles.status in ("graded", "repaired", "failed") and any("was not submitted" in n for n in nofiles.notes)


def test_terminal_escapes_never_reach_the_report(course):
    text = "\n".join(course["lines"] + course["progress"]) + grading.summary(list(course["reports"].values()))
    assert "\x1b" not in text and "\r" not in text
    line = course["reports"]["escaper"].line()
    assert "\\x1b[2J" in line and "\n    - x" in line, line  # shown escaped, on its own detail line
    assert line.count("\n") == len(course["reports"]["escaper"].notes + course["reports"]["escaper"].repairs)


class _Executable(html.parser.HTMLParser):
    """Every place in an HTML page where the learner's markup could run: a script body or attribute holding the
    marker, a javascript: URL, an SVG, iframe, object or embed element."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        if tag in ("svg", "iframe", "object", "embed"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = value or ""
            # the template's own handlers (the formgrader's onclick) hold no marker: every attack here does
            if XSS in value or "javascript:" in value.replace(" ", "").lower():
                self.found.append(f"{tag}[{name}]={value[:60]}")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and XSS in data:
            self.found.append(f"script: {data[:60]}")


def _executable(page: str) -> list[str]:
    parser = _Executable()
    parser.feed(page)
    return parser.found


def test_autograded_notebook_renders_nothing_executable_in_the_formgrader(course):
    from nbconvert.exporters import HTMLExporter
    from nbgrader.server_extensions.formgrader import handlers

    path = course["course"] / "autograded" / _id("xss") / NAME / NB
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            for output in cell.outputs:
                assert set(output.get("data", {})) <= set(sanitize.SAFE_MIME), output
        elif cell.cell_type == "raw":
            assert "<script" not in cell.source
        elif not sanitize.is_instructor_cell(cell):
            assert sanitize.rendered_problems(cell.source, cell.get("attachments")) == [], cell.source
    shown = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.get("output_type") == "display_data"]
    assert any("text/html" in o["data"]["text/plain"] for o in shown) or any(
        "html output" in o["data"].get("text/plain", "") for o in shown
    ), "the HTML output is replaced by a note"
    written = grading.cell_by_id(nb, "q5-answer").source
    assert written.startswith(sanitize.NOTE_TEXT) and "onerror" not in written.split("```", 1)[0]
    # The formgrader's own exporter and template, as FormgradeExtension builds them.
    exporter = HTMLExporter(template_name="formgrade", extra_template_basedirs=[handlers.template_path])
    resources = {
        "assignment_id": NAME,
        "notebook_id": NAME,
        "submission_id": "x",
        "index": 0,
        "total": 1,
        "base_url": "",
        "student": _id("xss"),
        "last_name": None,
        "first_name": None,
        "notebook_path": "p",
    }
    page, _ = exporter.from_filename(str(path), resources=resources)
    assert "My answer." in page  # the marker still reads the answer, as text
    assert _executable(page) == []
    # The same exporter on the raw (unsanitised) submission shows what the defence stops.
    raw_nb = nbformat.read(course["course"] / "submitted" / _id("xss") / NAME / NB, as_version=4)
    assert _executable(exporter.from_notebook_node(raw_nb, resources=resources)[0]) != []


@pytest.fixture(scope="module")
def feedback_dir(course):
    """grading.feedback, run once for the shared class: (the feedback folder, what it raised)."""
    return course["course"] / "feedback", course["shared"].feedback_error[NAME]


def test_feedback_is_sanitised_has_a_csp_and_leaks_no_outside_file(course, feedback_dir):
    folder, error = feedback_dir
    assert error is None, error
    page = (folder / _id("xss") / NAME / f"{NAME}.html").read_text()
    assert _executable(page) == []
    head = page[: page.index("<script")] if "<script" in page else page
    assert 'http-equiv="Content-Security-Policy"' in head and "script-src 'none'" in head
    for path in folder.rglob("*"):
        assert not path.is_symlink()
        if path.is_file():
            assert MARKER not in path.read_text(errors="replace")
    for student in ("honest", "zed", "subdata", "leaker"):
        assert (folder / _id(student) / NAME / f"{NAME}.html").is_file(), student


def test_feedback_runs_no_script_in_chromium(course, feedback_dir, chromium_browser, tmp_path):
    """Opened from disk, as a learner or an instructor would: neither the CSP page nor the page without its
    CSP (the sanitiser alone) lets the marker run."""
    folder, error = feedback_dir
    assert error is None, error
    page = (folder / _id("xss") / NAME / f"{NAME}.html").read_text()
    no_csp = tmp_path / "no-csp.html"
    no_csp.write_text(page.replace('http-equiv="Content-Security-Policy"', 'name="removed-policy"'))
    context = chromium_browser.new_context(offline=True)
    try:
        for path in (folder / _id("xss") / NAME / f"{NAME}.html", no_csp):
            tab = context.new_page()
            tab.goto(path.as_uri(), wait_until="load", timeout=20000)
            tab.wait_for_timeout(300)
            for el in tab.query_selector_all("a, img, svg"):  # hover handlers too
                with contextlib.suppress(Exception):  # hidden elements cannot be hovered
                    el.hover(timeout=500)
            assert tab.evaluate(f"typeof window.{XSS}") == "undefined", path
            assert "My answer." in tab.inner_text("body")
            tab.close()
    finally:
        context.close()


def test_export_and_report_survive_the_hostile_class(course, feedback_dir):
    path = grading.export_csv(course["course"], NAME)
    text = path.read_text()
    assert "honest" in text and "subdata" in text
    from spinecourse.grading.item_analysis import analyse, format_report

    report = format_report(analyse(grading.item_rows(course["course"], NAME)))
    assert "\x1b" not in report and "students" in report


# ---- unit checks of the pieces (fast) ----


def test_safe_files_refuses_links_fifos_devices_hard_links_and_big_files(tmp_path):
    target = tmp_path / "t.txt"
    target.write_text(MARKER)
    (tmp_path / "link").symlink_to(target)
    os.mkfifo(tmp_path / "fifo")
    os.link(target, tmp_path / "hard")
    big = tmp_path / "big"
    big.write_bytes(b"x" * 2048)
    for name, why in [("link", "symbolic link"), ("fifo", "FIFO"), ("hard", "hard links")]:
        with pytest.raises(safe_files.UnsafeFile, match=why):
            _run_bounded(lambda name=name: safe_files.read_bytes(tmp_path / name), 10)
    with pytest.raises(safe_files.UnsafeFile, match="device"):
        safe_files.read_bytes(Path("/dev/zero"))
    with pytest.raises(safe_files.UnsafeFile, match="over the limit"):
        safe_files.copy_file(big, tmp_path / "copy", limit=1024)
    assert not (tmp_path / "copy").exists()
    (tmp_path / "dst-link").symlink_to(tmp_path / "victim")
    plain = tmp_path / "plain"
    plain.write_text("ok")
    safe_files.copy_file(plain, tmp_path / "dst-link")  # replaces the link, never writes through it
    assert not (tmp_path / "victim").exists() and (tmp_path / "dst-link").read_text() == "ok"


def test_sanitize_notebook_neutralises_ids_metadata_outputs_and_attachments():
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb.metadata["title"] = "<script>x</script>"
    code = nbformat.v4.new_code_cell("1")
    code["id"] = 'x" onmouseover="alert(1)'
    code.outputs = [
        {
            "output_type": "display_data",
            "metadata": {"image/png": {"width": "1 onerror=alert(1)"}},
            "data": {
                "image/png": 'AAAA" onerror="alert(1)',
                "text/html": "<b>x</b>",
                "application/vnd.jupyter.widget-view+json": {"model_id": "m"},
            },
        },
        {"output_type": "stream", "name": "<script>", "text": "hello"},
        {
            "output_type": "execute_result",
            "execution_count": "<b>",
            "metadata": {},
            "data": {"image/png": "iVBORw0KGgo=", "text/plain": "img"},
        },
    ]
    md = nbformat.v4.new_markdown_cell("![pic](attachment:a.svg)")
    md["attachments"] = {"a.svg": {"image/svg+xml": "<svg onload=alert(1)>"}, "b.png": {"image/png": "iVBORw0KGgo="}}
    nb.cells = [code, md]
    changes = sanitize.sanitize_notebook(nb)
    assert set(nb.metadata) <= {"kernelspec", "language_info"}
    assert sanitize.SAFE_ID.match(code["id"])
    first, stream, result = code.outputs
    assert first["data"] == {"text/plain": first["data"]["text/plain"]} and "text/html" in first["data"]["text/plain"]
    assert first["metadata"] == {} and stream["name"] == "stdout"
    assert result["execution_count"] is None and set(result["data"]) == {"image/png", "text/plain"}
    assert set(md["attachments"]) == {"b.png"}
    assert changes


def test_safe_markdown_keeps_honest_answers_and_shows_markup_as_text():
    honest = "Stenosis is **narrowing**; see [the review](https://doi.org/10.1000/x). p < 0.05, R&D."
    out, _ = sanitize.safe_markdown(honest)
    assert not out.startswith(sanitize.NOTE_TEXT) and "**narrowing**" in out
    for attack in [
        "<img src=x onerror=alert(1)>",
        "[a](javascript:alert(1))",
        "[a](jav&#x61;script:alert(1))",
        "[a](javascript\\:alert(1))",
        "[a][r]\n\n[r]: javascript:alert(1)",
        "<!-- --!><script>alert(1)</script> -->",
        "![i](data:image/svg+xml;base64,PHN2Zz4=)",
        "````\n```\n<script>alert(1)</script>\n```\n````",
    ]:
        out, changed = sanitize.safe_markdown(attack)
        assert changed and out.startswith(sanitize.NOTE_TEXT), attack
        assert sanitize.rendered_problems(out) == [], attack
        assert attack in out  # the marker reads exactly what was written


def test_report_line_escapes_control_characters():
    report = grading.StudentReport(
        "ann\x1b[2J",
        "graded",
        ["q1: class \x1b]0;pwned\x07 ok"],
        ["a\rb\u202e"],
        "",
        1.0,
        suspect=["answer q1 is a Evil\x1b[1A\nalice: GRADED 7/7 object"],
    )
    line = report.line()
    assert "\x1b" not in line and "\r" not in line and "\x07" not in line and "\u202e" not in line
    assert "alice: GRADED" not in line.split("\n", 1)[0] and line.count("\n") == 3
    assert "\x1b" not in grading.summary([report])


def test_grading_server_formgrader_page_is_inert_no_terminals_and_a_csp(
    course, feedback_dir, tmp_path, chromium_browser
):
    """The server the runbook starts for marking (``jupyter lab --config=jupyter_server_config.py`` in the course
    folder), through the real formgrader: the hostile learner's submission page runs nothing even when the
    autograded notebook was never sanitised (copied in by hand); terminals are refused; the policy is sent and
    blocks a request to another origin; JupyterLab still works under it."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request

    from nbgrader.api import Gradebook

    work = tmp_path / "course"
    shutil.copytree(course["course"], work, symlinks=True, ignore=shutil.ignore_patterns("submitted", "feedback"))
    raw = work / "autograded" / _id("xss") / NAME / NB  # the unsanitised submission, as if copied in by hand
    raw.chmod(0o644)
    shutil.copyfile(course["course"] / "submitted" / _id("xss") / NAME / NB, raw)
    with Gradebook("sqlite:///" + str(work / "gradebook.db")) as gb:
        submission_id = gb.find_submission_notebook(NAME, NAME, _id("xss")).id
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "cfg"), JUPYTER_RUNTIME_DIR=str(tmp_path / "rt"))
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "jupyter"),
            "lab",
            "--config=jupyter_server_config.py",
            "--no-browser",
            f"--port={port}",
            "--ServerApp.token=t0k",
            "--allow-root",
            f"--ServerApp.root_dir={work}",
        ],
        cwd=work,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/lab?token=t0k", timeout=5) as resp:
                    headers = resp.headers
                    break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline and proc.poll() is None, "the grading server did not start"
                time.sleep(0.5)
        policy = headers["Content-Security-Policy"]
        assert "object-src 'none'" in policy and "connect-src 'self'" in policy and "frame-ancestors 'self'" in policy
        request = urllib.request.Request(f"{base}/api/terminals?token=t0k", method="POST", data=b"{}")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 404
        page_url = f"{base}/formgrader/submissions/{submission_id}/?token=t0k"
        with urllib.request.urlopen(page_url, timeout=60) as resp:
            page = resp.read().decode()
        assert "My answer." in page and _executable(page) == [], _executable(page)[:3]
        context = chromium_browser.new_context()
        try:
            tab = context.new_page()
            blocked: list[str] = []
            tab.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
            tab.goto(page_url, timeout=60000)
            tab.wait_for_timeout(500)
            assert tab.evaluate(f"typeof window.{XSS}") == "undefined"
            tab.goto(f"{base}/lab?token=t0k", timeout=60000)
            tab.wait_for_selector("#jp-main-dock-panel", timeout=60000)
            assert blocked == [], blocked[:3]
            # A script in this page cannot send anything to another origin (here: another loopback port).
            directive = tab.evaluate(
                """port => new Promise(done => {
                document.addEventListener('securitypolicyviolation', e => done(e.effectiveDirective));
                fetch(`http://127.0.0.1:${port}/exfiltrate`).catch(() => {});
                setTimeout(() => done('no violation'), 5000);
            })""",
                port + 1,
            )
            assert directive == "connect-src", directive
        finally:
            context.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_a_broken_autograded_notebook_does_not_stop_feedback(course, feedback_dir, tmp_path):
    """One learner's feedback cannot be made (a damaged autograded notebook): the others still get theirs."""
    copy_dir = tmp_path / "course"
    autograded = course["course"] / "autograded"

    def ignore(folder, names):  # this file's class only (as before the class was shared): feedback for them
        others = {n for n in names if not n.startswith(PREFIX)} if Path(folder) == autograded else set()
        return others | {"feedback", "submitted"}

    shutil.copytree(course["course"], copy_dir, symlinks=True, ignore=ignore)
    broken = copy_dir / "autograded" / _id("honest") / NAME / NB
    broken.chmod(0o644)
    broken.write_text("{ not a notebook")
    with pytest.raises(grading.FeedbackIncomplete) as incomplete:
        grading.feedback(copy_dir, NAME)
    assert incomplete.value.students == [_id("honest")]
    for student in ("zed", "xss", "subdata"):
        assert (copy_dir / "feedback" / _id(student) / NAME / f"{NAME}.html").is_file(), student


def test_item_analysis_report_escapes_item_names():
    from spinecourse.grading.item_analysis import analyse, format_report

    rows = [
        {"student": s, "item": item, "score": score, "max": 1}
        for s, scores in [("a", (1, 0)), ("b", (0, 0)), ("c", (1, 0))]
        for item, score in zip(("q1\x1b[2J", "q2\r\x1b]0;x\x07"), scores, strict=True)
    ]
    report = format_report(analyse(rows))
    assert "\x1b" not in report and "\r" not in report and "\x07" not in report
    assert "q1\\x1b[2J" in report and "EVERY student failed: q2\\x0d" in report
