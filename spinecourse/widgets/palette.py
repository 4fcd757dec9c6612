"""The course palette for widgets: re-exported from ``content.palette``, the one place it is defined.

The palette is design data shared by widgets, grading reports and the accessibility checks, so it lives
in ``content/`` (which every layer may import); this module keeps ``from .palette import …`` working.
"""

from ..content.palette import PALETTE, ROLE_COLOURS

__all__ = ["PALETTE", "ROLE_COLOURS"]
