"""Stem Cells for Spinal Stenosis: the course's importable logic.

Notebooks hold narrative and calls; everything that computes, checks or draws
lives here as small pure functions with tests (see tests/).
"""

__version__ = "0.1.0"

#: Every notebook shows this statement; the content lint checks for the key phrase.
DISCLAIMER = (
    "This course is educational material and not medical advice. Mesenchymal "
    "stromal/stem cell (MSC) therapy for spinal stenosis is investigational: it is "
    "not proven to work. All patient cases are synthetic."
)
