"""Learners' quizzes import ``from spinecourse.answers import ...``; the code lives in
``spinecourse.grading.answers``. This name stays so every released quiz keeps working."""

from .grading.answers import *  # noqa: F403
from .grading.answers import LETTERS, AnswerProblem, check_answer, check_format, friendly_errors, normalise  # noqa: F401
