"""Authored course content as data, and the small loaders for it.

Clinician-authors edit the files under ``data/`` (YAML), not Python. Each file kind has one JSON Schema
in ``schemas/``, checked by one checker (``schema_check``) in its loader, the content lint and the tests;
its messages name the file, the entry and the field:

data/references.yml        the checked bibliography (docs/checked-references.md)  -> references.py
data/questions/*.yml       self-check question banks, one per lesson               -> questions.py
data/claims.yml            the source article's claims: ledger, sorter, mechanisms -> source_claims.py,
                                                                                      claims.py, claim_sorting.py,
                                                                                      mechanisms.py
data/challenges.yml        the challenges-and-risks table                          -> challenges.py
data/patient_reply.yml     lesson 06's patient question, model answer and rubric   -> claim_sorting.py
data/evidence_status.yml   every status that can change, dated, once               -> status.py
data/glossary.yml          the abbreviations the lessons use                       -> glossary.py
data/lessons.yml           key points per lesson                                   -> authoring/lesson_meta.py
data/pages.yml             prose of the site's appendix pages                      -> authoring/pages.py

Citations are rendered in one place (``references.render_citations``/``render_html``); the disclaimer is
written once (``texts.DISCLAIMER``).
"""
