"""The instructor's grading route round nbgrader.

cli            the steps (release, collect, autograde, feedback, export, report, scores):
               ``python -m spinecourse.grading STEP QUIZ`` (see assignments/README.md)
submissions    repair or reject damaged notebooks before grading
safe_files     learners' files read and copied as regular files only (no link, FIFO, device), sizes capped
sanitize       learners' Markdown and outputs made safe to render (formgrader, feedback); feedback CSP
safe_text      control characters escaped in learner-controlled text the CLI prints
preprocessors  nbconvert preprocessor that keeps hidden tests out of feedback
sandbox        the bubblewrap sandbox every learner kernel runs in (no network, limits)
trusted        marks decided in the grader from answers read as plain data (SUSPECT on tampering)
item_analysis  difficulty and discrimination per item
answers        the quizzes' checks: form in the open (``check_format``), correctness hidden (``check_answer``)
practice       practice copies with right/wrong checks (``python -m spinecourse.grading.practice all``)

The public names of ``cli`` are available here (``from spinecourse import grading; grading.release``),
loaded on first use so that learners' ``spinecourse.answers`` import stays light.
"""

from __future__ import annotations

import importlib


def __getattr__(name: str):
    if name.startswith("__"):
        raise AttributeError(name)
    cli = importlib.import_module(".cli", __name__)
    try:
        return getattr(cli, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
