"""Widgets: thin views that read their controls, call a model and redraw one figure.

One module per widget; ``base`` holds the figure machinery (``LiveFigure``, ``CourseWidget``,
``FigureWidget``) and ``palette`` the colours. Notebooks import from here::

    from spinecourse.widgets import CanalExplorer, self_check

Names load lazily, so importing one widget does not import all of them.
"""

from __future__ import annotations

import importlib

_WHERE = {
    "CanalExplorer": "canal_explorer",
    "BedsideProbability": "bedside",
    "ODIExplorer": "odi_explorer",
    "CrossoverSimulator": "crossover",
    "TrialSimulator": "trial_sim",
    "ISCTChecker": "isct",
    "MechanismMap": "mechanism_map",
    "ClaimLedger": "claim_ledger",
    "show_claims_figure": "claim_ledger",
    "claims_figure": "claim_ledger",
    "ClaimSorter": "claim_sorter",
    "DraftAndCompare": "claim_sorter",
    "ChallengesExplorer": "challenges",
    "RegulatoryPathway": "regulatory",
    "EligibilityExercise": "eligibility",
    "SampleSizeCalculator": "sample_size",
    "self_check": "question",
    "QuestionWidget": "question",
    "prevalence_figure": "prevalence",
    "show_prevalence_figure": "prevalence",
    "claims_static_figure": "claim_ledger",
    "prevalence_static_figure": "prevalence",
    "CourseWidget": "base",
    "FigureWidget": "base",
    "LiveFigure": "base",
    "StaticFigure": "base",
    "PALETTE": "palette",
    "ROLE_COLOURS": "palette",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
