"""Autograding cost: seconds per submission next to the bare kernel start, measured in one run.

    .venv/bin/python bench/autograde.py                   # 12 students x 01_anatomy_quiz, 3 rounds
    .venv/bin/python bench/autograde.py --write           # the same, written into bench/README.md
    .venv/bin/python bench/autograde.py --students 30 --quizzes all --rounds 1

Each cohort is graded in three modes: sandboxed with ``--jobs 1``, sandboxed with ``--jobs 2``, and
unsandboxed (``--unsafe-no-sandbox``) with ``--jobs 1``. The modes are INTERLEAVED: every round grades
the cohort once in each mode, in a rotated order, and the ratios (``--jobs 2`` speed-up, sandbox cost)
are computed within each round and reported as their median, so background load that comes and goes
during the run cancels out instead of landing on one mode. Kernel start is timed bare and sandboxed.

Works on a temporary copy of assignments/; a seeded synthetic cohort (each answer right
with probability 0.7, else left as released). ``--write`` replaces the "Autograding"
section of bench/README.md (other sections are kept).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from spinecourse import grading  # noqa: E402
from spinecourse.grading import submissions  # noqa: E402


def kernel_start_seconds(repeats: int = 5) -> list[float]:
    from jupyter_client.manager import start_new_kernel

    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        km, kc = start_new_kernel(kernel_name="python3")
        out.append(time.perf_counter() - t)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return out


def sandboxed_kernel_start_seconds(repeats: int = 5) -> list[float]:
    import asyncio

    from spinecourse.grading.sandbox import SandboxKernelManager

    async def once() -> float:
        t = time.perf_counter()
        km = SandboxKernelManager(kernel_name="python3")
        await km.start_kernel(cwd=tempfile.gettempdir())
        kc = km.client()
        kc.start_channels()
        await kc.wait_for_ready(timeout=60)
        took = time.perf_counter() - t
        kc.stop_channels()
        await km.shutdown_kernel(now=True)
        return took

    return [asyncio.run(once()) for _ in range(repeats)]


def nbgrader_startup_seconds(repeats: int = 3) -> list[float]:
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "nbgrader", "--version"], env=grading.nbgrader_env(), capture_output=True, check=True
        )
        out.append(time.perf_counter() - t)
    return out


def make_cohort(course: Path, name: str, n: int, rng) -> None:
    for src_path in sorted((course / "source" / name).glob("*.ipynb")):
        source = nbformat.read(src_path, as_version=4)
        release = nbformat.read(course / "release" / name / src_path.name, as_version=4)
        solved = grading.solved_copy(release, source)
        for k in range(n):
            nb = nbformat.from_dict(nbformat.reads(nbformat.writes(solved), as_version=4))
            for i, cell in enumerate(nb.cells):
                if submissions.meta(cell).get("solution") and rng.random() > 0.7:
                    cell.source = release.cells[i].source
            folder = course / "submitted" / f"student{k:02d}" / name
            folder.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, folder / src_path.name)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (each grades every mode once)")
    parser.add_argument("--write", action="store_true", help="write the result into bench/README.md")
    parser.add_argument(
        "--quizzes", nargs="*", default=["01_anatomy_quiz"], help="these quizzes, or 'all' (default: 01_anatomy_quiz)"
    )
    args = parser.parse_args(argv)
    rng = np.random.default_rng(2026)
    with tempfile.TemporaryDirectory() as tmp:
        course = Path(tmp) / "course"
        shutil.copytree(
            ROOT / "assignments",
            course,
            ignore=shutil.ignore_patterns(
                "release",
                "submitted",
                "autograded",
                "feedback",
                "prepared",
                "exports",
                "gradebook.db",
                ".ipynb_checkpoints",
            ),
        )
        names = grading.assignments(course) if args.quizzes == ["all"] else args.quizzes
        for name in names:
            grading.release(course, name)
        kernel = kernel_start_seconds()
        kernel_sbx = sandboxed_kernel_start_seconds()
        startup = nbgrader_startup_seconds()
        modes = {
            "sandboxed, --jobs 1": (1, False),
            "sandboxed, --jobs 2": (2, False),
            "unsandboxed, --jobs 1": (1, True),
        }
        wall = {m: 0.0 for m in modes}
        per_mode = {m: [] for m in modes}
        speedups, costs = [], []  # one ratio per (quiz, round): load cancels within a round
        per_sub, per_quiz = [], {}
        order = list(modes)
        for name in names:
            make_cohort(course, name, args.students, rng)
            results = {}
            for rnd in range(args.rounds):
                round_wall = {}
                for mode in order[rnd % len(order) :] + order[: rnd % len(order)]:  # rotate who goes first
                    jobs, unsafe = modes[mode]
                    os.environ.pop("SPINECOURSE_UNSAFE_NO_SANDBOX", None)
                    if unsafe:
                        os.environ["SPINECOURSE_UNSAFE_NO_SANDBOX"] = "1"
                    t = time.perf_counter()
                    reports = grading.grade_cohort(course, name, progress=None, jobs=jobs)
                    round_wall[mode] = time.perf_counter() - t
                    os.environ.pop("SPINECOURSE_UNSAFE_NO_SANDBOX", None)
                    bad = [r for r in reports if r.status not in ("graded", "repaired") or r.suspect]
                    assert not bad, [r.line() for r in bad]
                    results.setdefault(mode, grading.scores(course, name))
                    assert grading.scores(course, name) == results[mode], f"{mode}: grades changed between rounds"
                    per_mode[mode] += [r.seconds for r in reports]
                for mode, secs in round_wall.items():
                    wall[mode] += secs
                speedups.append(round_wall["sandboxed, --jobs 1"] / round_wall["sandboxed, --jobs 2"])
                costs.append(round_wall["sandboxed, --jobs 1"] / round_wall["unsandboxed, --jobs 1"] - 1)
                print(
                    f"{name} round {rnd + 1}: " + ", ".join(f"{m} {w:.1f} s" for m, w in round_wall.items()), flush=True
                )
            assert results["sandboxed, --jobs 1"] == results["sandboxed, --jobs 2"] == results["unsandboxed, --jobs 1"]
            secs = per_mode["sandboxed, --jobs 1"][-args.students :]
            per_sub += secs
            per_quiz[name] = statistics.median(secs)
            print(f"{name}: {args.students} submissions, median {statistics.median(secs):.2f} s", flush=True)
        total = wall["sandboxed, --jobs 1"] / args.rounds
        # For comparison: the same quiz graded one nbgrader process per student (the fallback path).
        first = names[0]
        alone = [
            grading.grade_student(course, first, s).seconds
            for s in grading.submitted_students(course, first)[: min(5, args.students)]
        ]
        load = os.getloadavg()
    q = statistics.quantiles(per_sub, n=20) if len(per_sub) > 1 else per_sub * 19
    n_subs = len(per_sub) * args.rounds
    speed = statistics.median(speedups)
    cost = statistics.median(costs)
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} with `bench/autograde.py --students {args.students}` "
        f"({platform.python_version()}, {platform.machine()}, shared 2-core machine): "
        f"{len(names)} quizzes x {args.students} synthetic students = {len(per_sub)} submissions, "
        "graded through `grading.grade_cohort` (checked and repaired one by one, then nbgrader batches; "
        f"trusted marks on) in three modes, interleaved over {args.rounds} rounds (ratios taken within each "
        f"round, median reported); every mode and round gave identical gradebooks. Load average at the end: "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min).",
        "",
        "| what | seconds |",
        "| --- | --- |",
        f"| bare kernel start (`start_new_kernel`, median of {len(kernel)}) | {statistics.median(kernel):.2f} |",
        f"| sandboxed kernel start (`SandboxKernelManager`, median of {len(kernel_sbx)}) | {statistics.median(kernel_sbx):.2f} |",
        f"| `python -m nbgrader --version` (process start-up, median of {len(startup)}) | {statistics.median(startup):.2f} |",
        f"| per submission, median | {statistics.median(per_sub):.2f} |",
        f"| per submission, 95th percentile | {q[-1]:.2f} |",
        f"| whole cohort ({len(per_sub)} submissions), sandboxed, `--jobs 1`, mean of rounds | {total:.0f} |",
        *[f"| {m}: wall time per submission | {wall[m] / n_subs:.2f} |" for m in modes],
        f"| `--jobs 2` speed-up over `--jobs 1` (sandboxed; median of per-round ratios: "
        f"{', '.join(f'{x:.2f}' for x in speedups)}) | {speed:.2f}x |",
        f"| sandbox cost per submission over unsandboxed (`--jobs 1`; per round: "
        f"{', '.join(f'{x * 100:+.0f}%' for x in costs)}) | {cost * 100:+.0f}% |",
        f"| for comparison: one nbgrader process per student ({names[0]}, median of {len(alone)}) | {statistics.median(alone):.2f} |",
        "",
        "Per quiz (median s/submission): " + ", ".join(f"{k} {v:.2f}" for k, v in per_quiz.items()) + ".",
        "",
        "Reading: in the batch a submission costs its own kernel start plus the quiz's run time plus "
        "nbgrader's database work; the process start-up is paid once per quiz. A submission that the "
        "batch cannot grade (a kernel that dies) is regraded alone, which costs the comparison row.",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section(ROOT / "bench" / "README.md", "Autograding", text)
    return 0


def write_section(path: Path, title: str, body: str) -> None:
    """Replace (or append) the '## title' section of a markdown file, keeping the other sections."""
    old = path.read_text() if path.exists() else "# Benchmarks\n"
    block = f"## {title}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    new = pattern.sub(lambda m: block + "\n", old) if pattern.search(old) else old.rstrip() + "\n\n" + block
    path.write_text(new.rstrip() + "\n")


if __name__ == "__main__":
    sys.exit(main())
