"""Tools for authors and tests: content lint, accessibility checks, citation checks.

Never imported by a lesson. ``python -m spinecourse.authoring.a11y course/`` and the tests use them.
"""
