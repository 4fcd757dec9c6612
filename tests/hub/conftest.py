"""Fixtures for tests/hub: a real JupyterHub + configurable-http-proxy with servers as Linux users (see hubkit.py)."""

from hubkit import hub, released_quiz  # noqa: F401 (pytest fixtures)
