"""Stem Cells for Spinal Stenosis: the course's importable logic, in rooms by who works there.

models/     pure teaching models and rules (Python + NumPy only)             engineers, clinician reviewers
content/    authored content as YAML data + loaders and schema checks       clinician-authors
widgets/    one thin view per widget, and the figure base                    engineers
grading/    the instructor's grading route (``python -m spinecourse.grading``) instructors, engineers
authoring/  content lint, accessibility and citation checks (never in lessons) authors, tests

Notebooks hold narrative and calls; everything that computes, checks or draws lives
here with tests (see tests/). ``answers.py`` stays at the top so every released quiz's
``from spinecourse.answers import check_answer`` keeps working.
"""

__version__ = "0.1.0"

# The disclaimer is written once, in spinecourse/content/texts.py (DISCLAIMER).
