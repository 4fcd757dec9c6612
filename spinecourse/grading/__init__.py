"""The instructor's grading route round nbgrader.

cli               the steps as commands: ``python -m spinecourse.grading STEP QUIZ`` (argparse only;
                  see assignments/README.md)
course            the course folder: layout, nbgrader started in it, ``release``
collect_files     learners' files into submitted/
run               a grading run (``GradingRun``): ``grade_student``, ``grade_cohort``
prepare           each submission checked and repaired into prepared/; a fatal cell neutralised
nbgrader_runs     ``nbgrader autograde`` for one student or a batch (watchdog)
gradebook         marks read, exported, merged from a worker's copy
reports           the per-student report, notes, summary
learner_feedback  ``feedback``: nbgrader's feedback, then the leak scan
cells, regions    nbgrader cell metadata (nbgrader.utils); the one BEGIN/END region parser
notebooks         synthetic submissions for tests and the bench (``solved_copy``, ``auto_points``)
submissions       repair or reject damaged notebooks before grading
safe_files        learners' files read and copied as regular files only (no link, FIFO, device), sizes capped
sanitize          learners' Markdown and outputs made safe to render (formgrader, feedback); feedback CSP
safe_text         control characters escaped in learner-controlled text the CLI prints
preprocessors     nbconvert preprocessor that keeps hidden tests out of feedback
sandbox           the bubblewrap sandbox every learner kernel runs in (kernel manager; bwrap.py the
                  command line, sandbox_limits.py sizes and the private tmpfs, cgroups, seccomp, uid_locks)
trusted           marks decided in the grader from answers read as plain data (SUSPECT on tampering;
                  probe.py, plan.py, verdict.py, tamper.py)
item_analysis     difficulty and discrimination per item
answers           the quizzes' checks: form in the open (``check_format``), correctness hidden (``check_answer``)
practice          practice copies with right/wrong checks (``python -m spinecourse.grading.practice all``)

The public names below are available here (``from spinecourse import grading; grading.release``),
loaded on first use so that learners' ``spinecourse.answers`` import stays light.
"""

from __future__ import annotations

import importlib

_PUBLIC = {
    "course": [
        "PREPARED",
        "SUBMITTED",
        "assignments",
        "nbgrader_env",
        "release",
        "release_notebooks",
        "run_nbgrader",
        "source_notebooks",
        "submitted_students",
    ],
    "collect_files": ["SAFE_ID", "arrival_stamp", "collect"],
    "run": ["GradingRun", "grade_cohort", "grade_student"],
    "prepare": ["find_fatal_cell"],
    "nbgrader_runs": ["BATCH", "GradeRun", "LIMIT_OPTIONS", "autograde", "limit_args"],
    "gradebook": ["ITEM_COLUMNS", "export_csv", "item_rows", "merge_gradebook", "scores"],
    "reports": ["StudentReport", "summary"],
    "learner_feedback": ["FeedbackIncomplete", "FeedbackLeak", "feedback", "feedback_leaks"],
    "regions": ["region_lines", "split_region", "strip_markers"],
    "notebooks": ["auto_points", "cell_by_id", "release_signature", "solved_copy"],
    "cli": ["main"],
}
_WHERE = {name: module for module, names in _PUBLIC.items() for name in names}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
