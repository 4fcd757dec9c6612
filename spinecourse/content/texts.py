"""Sentences the whole course shares, written once.

``DISCLAIMER`` is the statement every site page and generated page ends with (the site build
translates it through the code catalogue, so it is marked with ``N_``). Lessons and quizzes say it in
their own first cell ("This course is educational material and not medical advice..."); the content lint
checks that a notebook's Markdown holds each of ``DISCLAIMER_PARTS``, the two claims of its first sentence.
"""

from __future__ import annotations

from .i18n import N_

DISCLAIMER = N_(
    "Educational material, not medical advice. MSC therapy for spinal stenosis is investigational. "
    "All patient cases are synthetic."
)
#: "educational material", "not medical advice": what every notebook must say, in any sentence shape.
DISCLAIMER_PARTS: tuple[str, ...] = tuple(DISCLAIMER.split(".")[0].lower().split(", "))
