"""Learners' quizzes import ``from spinecourse.answers import check_answer``; the code lives in
``spinecourse.grading.answers``. This name stays so every released quiz keeps working."""

from .grading.answers import *  # noqa: F401,F403
from .grading.answers import check_answer, digest, main, normalise  # noqa: F401

if __name__ == "__main__":  # python -m spinecourse.answers q1 B
    raise SystemExit(main())
