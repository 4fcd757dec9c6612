"""Authored course content as data, and the small loaders and validators for it.

Clinician-authors edit the files under ``data/`` (YAML), not Python. Each file kind has one
schema check (``validate`` in its loader), run by the tests:

data/references.yml        the checked bibliography (built from docs/checked-references.md)
data/questions/*.yml       self-check question banks, one per lesson   -> questions.py
claims, challenges, mechanisms, claim sorting                          -> claims.py, challenges.py,
                                                                          mechanisms.py, claim_sorting.py
data/evidence_status.yml   every status that can change, dated, once   -> status.py
data/glossary.yml          the abbreviations the lessons use           -> glossary.py
data/lessons.yml           key points per lesson                       -> authoring/lesson_meta.py
data/pages.yml             prose of the site's appendix pages          -> authoring/pages.py
The new kinds are checked with JSON Schemas in ``schemas/`` (``schema_check.py``).
"""
