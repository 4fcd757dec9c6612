"""Fixtures for tests/hub: a real JupyterHub + configurable-http-proxy with servers as Linux users (see hubkit.py)."""

from hubkit import cohort_submitted, graded_round, hub, released_quiz  # noqa: F401 (pytest fixtures)
