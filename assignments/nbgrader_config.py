"""nbgrader configuration for the course's graded quizzes.

Run nbgrader from this folder (``cd assignments``); see README.md here (the runbook).
"""

import os

c = get_config()  # noqa: F821 (provided by nbgrader/traitlets)
HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = "stem-cells-spinal-stenosis"
c.CourseDirectory.root = HERE
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")

# Per-cell time limit while autograding (seconds). A student's infinite loop costs that
# cell's points only; the rest of the notebook and of the class is still graded.
# Production value: 20 s. Override for one run with SPINECOURSE_CELL_TIMEOUT=5 or
# `python -m spinecourse.grading autograde QUIZ --cell-timeout 5` (the tests use 3 s).
c.ExecutePreprocessor.timeout = int(os.environ.get("SPINECOURSE_CELL_TIMEOUT", "20"))
# Kernel start may take a few seconds on a busy grading machine.
c.ExecutePreprocessor.startup_timeout = 60

# Isolation (runbook section 6): every learner kernel runs in a bubblewrap sandbox with no network,
# a clean environment, a private copy of its own submission folder only, and these limits.
# `python -m spinecourse.grading autograde` sets them from its --memory-limit etc. options.
c.ExecutePreprocessor.kernel_manager_class = "spinecourse.grading.sandbox.SandboxKernelManager"
c.SandboxKernelManager.memory_limit = "1G"  # whole sandbox where a cgroup is writable, else per process
c.SandboxKernelManager.process_limit = 64  # processes (and threads) at once, likewise
c.SandboxKernelManager.file_size_limit = "100M"  # largest file written
c.SandboxKernelManager.cpu_time_limit = 300  # CPU seconds per kernel
c.SandboxKernelManager.wall_time_limit = 900  # seconds per kernel
c.SandboxKernelManager.disk_limit = "200M"  # each writable area: /tmp, and the private folder (as root)
c.CappedExecute.output_limit = "2M"  # output kept from one notebook (the rest is dropped, marked)

# Damaged submissions repaired from the release inside nbgrader too (spinecourse/grading/preprocessors.py), so
# plain `nbgrader autograde` and the formgrader's button restore deleted cells as the course's route does;
# then nbgrader's own sanitize steps.
c.Autograde.sanitize_preprocessors = [
    "spinecourse.grading.preprocessors.RepairSubmission",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Marks decided in the grader, not in the learner's kernel (spinecourse/grading/trusted.py):
# hidden tests never reach the kernel; the answers are read as plain data and checked here.
c.Autograde.autograde_preprocessors = [
    "spinecourse.grading.trusted.InjectProbes",
    # nbgrader's Execute with a cap on the output kept (spinecourse/grading/execute.py)
    "spinecourse.grading.execute.CappedExecute",
    "spinecourse.grading.trusted.TrustedGrades",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    # Learner Markdown and outputs made safe to open (no HTML/JS/SVG): spinecourse/grading/sanitize.py
    "spinecourse.grading.sanitize.SanitizeLearnerContent",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# What learners see in place of a solution: clear, and still failing until answered.
c.ClearSolutions.code_stub = {
    "python": "# YOUR ANSWER HERE: replace this line and the next with your answer\n"
    'raise NotImplementedError("answer not written yet")'
}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Feedback without hidden tests: nbgrader shows them by default. ClearHiddenTests removes the
# hidden region from the cell source; HideGradeTracebacks (spinecourse/grading/preprocessors.py) shortens the
# tracebacks of graded cells to their last line, because a traceback quotes the failing hidden line.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "spinecourse.grading.preprocessors.HideGradeTracebacks",
    "spinecourse.grading.sanitize.SanitizeLearnerContent",  # again: autograded/ may predate the sanitiser
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "spinecourse.grading.sanitize.FeedbackCSP",  # a Content-Security-Policy: the page runs no script
]
# The formgrader renders autograded notebooks with this exporter: sanitised there too, so a notebook
# autograded before the sanitiser existed, or copied into autograded/ by hand, is still shown inert.
c.HTMLExporter.preprocessors = ["spinecourse.grading.sanitize.SanitizeLearnerContent"]
