"""The one parser of nbgrader's marked regions (``### BEGIN SOLUTION`` … ``### END SOLUTION``,
``### BEGIN HIDDEN TESTS`` … ``### END HIDDEN TESTS``) for the whole package.

A marker line is any line containing ``BEGIN <region>`` or ``END <region>``: nbgrader's own rule
(``ClearSolutions``, ``ClearHiddenTests``), so what this module calls hidden is what nbgrader hides.
"""

from __future__ import annotations

SOLUTION = "SOLUTION"
HIDDEN_TESTS = "HIDDEN TESTS"


def has_region(source: str, region: str) -> bool:
    return f"BEGIN {region}" in source


def split_region(source: str, region: str) -> tuple[str, str]:
    """(lines outside the region, lines inside it), markers dropped, each joined by newlines."""
    outside, inside, within = [], [], False
    for line in source.splitlines():
        if f"BEGIN {region}" in line:
            within = True
        elif f"END {region}" in line:
            within = False
        else:
            (inside if within else outside).append(line)
    return "\n".join(outside), "\n".join(inside)


def strip_markers(source: str, region: str = SOLUTION) -> str:
    """``source`` with the region's marker lines removed and its content kept."""
    return "\n".join(
        line for line in source.splitlines() if f"BEGIN {region}" not in line and f"END {region}" not in line
    )


def region_lines(source: str, region: str, min_length: int = 13) -> list[str]:
    """Stripped lines inside ``region`` ("SOLUTION", "HIDDEN TESTS").

    Lines shorter than ``min_length`` ("pass", "else:") are skipped: they would match anywhere,
    so they are useless for checking that a release or a feedback file leaks nothing.
    """
    inside = split_region(source, region)[1]
    return [line.strip() for line in inside.splitlines() if len(line.strip()) >= min_length]
