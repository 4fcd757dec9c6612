"""The instructor's grading commands round nbgrader (argparse only: the work is in the modules of this package).

Each cohort step is one ``python -m spinecourse.grading STEP ASSIGNMENT`` command, run from the
course folder (assignments/) or with ``--course``:

release    generate the student version (assignments/release/, also the self-learner copies)
collect    copy learners' files from a folder into submitted/ (``--from FOLDER``)
autograde  check and repair each submission on its own, grade the class in one nbgrader
           process, regrade alone anyone that process could not grade (a damaged submission
           cannot stop the others); one line per student; exits 1 if any was rejected
           (every kernel in a bubblewrap sandbox; marks decided outside the learner's kernel;
           --jobs N batches at once; refuses without a sandbox unless --unsafe-no-sandbox)
feedback   HTML feedback without hidden tests (feedback/), scanned for leaks
export     per-item CSV from the gradebook (exports/ASSIGNMENT_items.csv)
report     totals per student and an item analysis
scores     total per student (tab-separated)

See assignments/README.md for the runbook.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .safe_text import terminal_safe

STEPS = ["release", "collect", "autograde", "feedback", "export", "report", "scores"]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m spinecourse.grading", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("step", choices=STEPS)
    p.add_argument("assignment", help="the assignment folder name in source/ ('all' for release)")
    p.add_argument("--course", default=".", help="the nbgrader course folder (default: current folder)")
    p.add_argument("--from", dest="source", help="collect: the folder of learners' files")
    p.add_argument("--student", action="append", help="autograde: only this student (repeatable)")
    p.add_argument("--cell-timeout", type=int, help="autograde: per-cell limit in s (default: nbgrader_config.py)")
    p.add_argument("--jobs", type=int, help="autograde: submissions graded at once (default: the number of cores)")
    p.add_argument(
        "--unsafe-no-sandbox",
        action="store_true",
        help="autograde: run learners' code without the sandbox (only on a throw-away machine)",
    )
    p.add_argument(
        "--memory-limit",
        help="autograde: memory per sandbox where a cgroup is writable, else per process (default 1G)",
    )
    p.add_argument("--process-limit", type=int, help="autograde: processes per sandbox (default 64)")
    p.add_argument("--file-size-limit", help="autograde: largest file a kernel may write (default 100M)")
    p.add_argument(
        "--disk-limit",
        help="autograde: size of the sandbox's /tmp and, as root, of its private folder (default 200M)",
    )
    p.add_argument("--cpu-time-limit", type=int, help="autograde: CPU seconds per kernel (default 300)")
    p.add_argument("--wall-time-limit", type=int, help="autograde: seconds per kernel (default 900)")
    p.add_argument("--out", help="export: CSV path (default: exports/ASSIGNMENT_items.csv)")
    p.add_argument(
        "--editions",
        action="store_true",
        help="report: the quiz and its translated editions (ASSIGNMENT_ko, same items) as one cohort",
    )
    return p


def _autograde(args, course: Path, p: argparse.ArgumentParser) -> int:
    from . import sandbox
    from .course import submitted_students
    from .nbgrader_runs import LIMIT_OPTIONS
    from .reports import summary
    from .run import grade_cohort

    unknown = sorted(set(args.student or []) - set(submitted_students(course, args.assignment)))
    if unknown:
        p.error(
            f"no submission from {', '.join(unknown)} in submitted/*/{args.assignment}/ "
            "(check the spelling, or run collect first)"
        )
    if args.unsafe_no_sandbox:
        os.environ[sandbox.UNSAFE_ENV] = "1"
        print("WARNING: --unsafe-no-sandbox: learners' code runs with your rights, files and network", file=sys.stderr)
    else:
        ok, why = sandbox.check()
        if not ok:
            print(sandbox.REFUSAL.format(why=why), file=sys.stderr)
            return 2
        print(f"sandbox: {sandbox.limits_mode()}", file=sys.stderr)  # which caps apply on this machine
    limits = {k: getattr(args, k) for k in LIMIT_OPTIONS}
    reports = grade_cohort(
        course, args.assignment, students=args.student, cell_timeout=args.cell_timeout, jobs=args.jobs, limits=limits
    )
    print(summary(reports))
    return 1 if any(r.status in ("rejected", "failed") for r in reports) else 0


def main(argv: list[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    course = Path(args.course).resolve()
    from .course import assignments, release

    if args.step == "release" and args.assignment == "all":
        for name in assignments(course):
            print(release(course, name))
        return 0
    if not (course / "source" / args.assignment).is_dir():
        p.error(f"no assignment {args.assignment!r} in {course / 'source'} (use --course or cd assignments)")
    if args.step == "release":
        print(release(course, args.assignment))
    elif args.step == "collect":
        from .collect_files import collect
        from .course import SUBMITTED

        if not args.source:
            p.error("collect needs --from FOLDER")
        done = collect(course, args.assignment, Path(args.source))
        print(
            f"collected {sum(v.startswith('copied') for v in done.values())} of {len(done)} into {course / SUBMITTED}"
        )
    elif args.step == "autograde":
        return _autograde(args, course, p)
    elif args.step == "feedback":
        from .learner_feedback import FeedbackIncomplete, feedback

        try:
            print(feedback(course, args.assignment))
        except FeedbackIncomplete as exc:
            print(f"{course / 'feedback'}\n{exc}", file=sys.stderr)
            return 1
    elif args.step == "export":
        from .gradebook import export_csv

        print(export_csv(course, args.assignment, args.out))
    elif args.step == "report":
        from .gradebook import item_rows
        from .item_analysis import analyse, combine_editions, edition_names, format_editions, format_report

        if args.editions:
            rows = combine_editions({a: item_rows(course, a) for a in edition_names(course, args.assignment)})
            print(format_report(analyse(rows)) + "\n" + format_editions(rows))
        else:
            print(format_report(analyse(item_rows(course, args.assignment))))
    else:
        from .gradebook import totals

        for student, total in sorted(totals(course, args.assignment).items()):
            print(f"{terminal_safe(student)}\t{total:g}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
