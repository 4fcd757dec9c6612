"""A cohort of simulated residents through the hub's REST API and each one's own server.

Each resident: the hub starts their server (as their Linux account), nbgitpuller gives them the
course, they open a lesson and run its code (widgets included) in a kernel, fetch the quiz,
answer, submit, and the hub stops their server. Then the instructor collects everyone and grades
with the course's route (`python -m spinecourse.grading autograde`). Size: SPINECOURSE_HUB_COHORT.
The figures (time per resident, hub memory) are printed; they are never asserted.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from hubkit import COHORT, QUIZ, hubsetup, instructor_course, instructor_run, solved_notebook

LESSON = "01_stenosis_anatomy.ipynb"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
FIGURES: dict[str, float] = {}


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS")) / 1024


def hub_memory(hub) -> float:
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
    import pwd

    uid, total = pwd.getpwnam(name).pw_uid, 0.0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    total += rss_mib(int(entry.name))
            except (OSError, StopIteration):
                pass
    return total


def test_cohort_round_trip(hub, released_quiz):
    repo = f"git://127.0.0.1:{hub.env['SPINECOURSE_GIT_PORT']}/course.git"
    times, peak, server_mib = [], hub_memory(hub), []
    answered_right = COHORT[::2]  # half answer correctly, half hand in the untouched release
    t_all = time.monotonic()
    steps: dict[str, float] = {}

    def lap(step: str, t: float) -> float:
        now = time.monotonic()
        steps[step] = steps.get(step, 0.0) + now - t
        return now

    for name in COHORT:
        t0 = t = time.monotonic()
        hub.start(name)
        t = lap("start", t)
        hub.pull_course(name, repo)
        t = lap("pull", t)
        lesson = hub.get_notebook(name, f"{hubsetup.COURSE_FOLDER}/{LESSON}")
        code = "\n\n".join(c.source for c in lesson.cells if c.cell_type == "code")
        outputs = hub.run_code(name, code)
        errors = [o for o in outputs if o["type"] == "error"]
        assert not errors, f"{LESSON} failed in {name}'s kernel: {errors[0]['ename']}: {errors[0]['evalue']}"
        widgets = [o for o in outputs if WIDGET_MIME in o.get("data", {})]
        assert widgets, f"{LESSON} displayed no widget in {name}'s kernel"
        t = lap("lesson", t)
        hub.nbgrader(name, "fetch")
        path = f"{QUIZ}/{QUIZ}.ipynb"
        if name in answered_right:
            hub.put_notebook(name, path, solved_notebook(hub.get_notebook(name, path)))
        result = hub.nbgrader(name, "submit")
        assert any(a.get("status") == "submitted" for a in result["value"]), result
        peak = max(peak, hub_memory(hub))
        server_mib.append(user_rss_mib(name))
        t = lap("quiz", t)
        hub.stop(name)
        lap("stop", t)
        times.append(time.monotonic() - t0)
    assert hub.running() == [], "a cohort server is still running"

    instructor_run("nbgrader", "collect", QUIZ)
    submitted = sorted(p.name for p in (instructor_course() / "submitted").iterdir() if (p / QUIZ).is_dir())
    assert set(COHORT) <= set(submitted), f"not collected: {sorted(set(COHORT) - set(submitted))}"
    t_grade = time.monotonic()
    args = ["python", "-m", "spinecourse.grading", "autograde", QUIZ, "--cell-timeout", "10"]
    for name in COHORT:
        args += ["--student", name]
    out = instructor_run(*args, timeout=900).stdout
    grade_s = time.monotonic() - t_grade
    scores = instructor_run("python", "-m", "spinecourse.grading", "scores", QUIZ).stdout
    totals = {}
    for line in scores.splitlines():
        parts = line.split("\t")
        if parts and parts[0] in COHORT:
            totals[parts[0]] = float(parts[1])
    assert set(totals) == set(COHORT), f"not graded: {sorted(set(COHORT) - set(totals))}\n{out}\n{scores}"
    for name in COHORT:
        if name in answered_right:
            assert totals[name] > 0, f"{name} answered correctly but scored {totals[name]}:\n{out}"
        else:
            assert totals[name] == 0, f"{name} handed in the blank quiz but scored {totals[name]}:\n{out}"
    FIGURES.update(
        residents=len(COHORT),
        minutes=(time.monotonic() - t_all) / 60,
        per_resident_s=sum(times) / len(times),
        slowest_s=max(times),
        hub_memory_mib=hub_memory(hub),
        hub_memory_peak_mib=peak,
        autograde_s=grade_s,
        server_with_kernel_mib=max(server_mib),
        **{f"{k}_s_per_resident": v / len(COHORT) for k, v in steps.items()},
    )
    print(
        "cohort figures: "
        + ", ".join(f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in FIGURES.items())
    )
