"""Trial eligibility exercise: pick a synthetic patient and a trial, make your call, see the reasoning.

A checker without a figure: the callback reads three controls, calls
``eligibility.assess`` and fills three HTML panels (patient card, criteria,
feedback with the per-criterion reasoning). The reasoning stays hidden until the
learner has predicted the decision.
"""

from __future__ import annotations

import ipywidgets as widgets

from ..models import eligibility
from ..widgets.base import CourseWidget, PALETTE, teaching_model_note, text_panel

TEACHING_NOTE = teaching_model_note(
    "Synthetic patients and a simplified reading of registry criteria. Only the criteria recorded in the course "
    "bibliography are applied; how a phrase such as 'severe' is read is a teaching interpretation, shown with each result."
)


class EligibilityExercise(CourseWidget):
    def __init__(self, vignette: str = "A", trial: str = "nct06325566") -> None:
        eligibility.get_vignette(vignette)
        eligibility.get_trial(trial)
        style = {"description_width": "8em"}
        self.patient = widgets.Dropdown(
            options=[(f"{v.name}, {v.age} (synthetic)", k) for k, v in eligibility.VIGNETTES.items()],
            value=vignette, description="Patient", style=style, layout=widgets.Layout(width="26em"))
        self.trial = widgets.Dropdown(
            options=[(t.label, k) for k, t in eligibility.TRIALS.items()],
            value=trial, description="Trial", style=style, layout=widgets.Layout(width="58em"))
        self.prediction = widgets.ToggleButtons(
            options=[(d.capitalize(), d) for d in eligibility.DECISIONS], value=None,
            description="Your call", style=style, tooltips=["Meets every criterion", "Fails at least one", "Needs more information"])
        self.controls = [self.patient, self.trial, self.prediction]
        self.card = text_panel()
        self.criteria = text_panel()
        self.feedback = widgets.HTML()
        self.description = text_panel()
        self._resetting = False
        self.patient.observe(self._on_case_change, names="value")
        self.trial.observe(self._on_case_change, names="value")
        self.prediction.observe(self._on_change, names="value")
        self.widget = widgets.VBox([
            widgets.HTML(TEACHING_NOTE),
            self.patient, self.trial,
            widgets.HBox([self.card, self.criteria]),
            self.prediction, self.feedback, self.description,
            widgets.HTML(f"<p><small>{eligibility.NOT_APPLIED}</small></p>"),
        ])
        self.update()

    def _on_case_change(self, _change=None) -> None:
        # A new patient or trial: clear the old prediction, then redraw once.
        self._resetting = True
        try:
            self.prediction.value = None
        finally:
            self._resetting = False
        self.update()

    def _on_change(self, _change=None) -> None:
        if not self._resetting:
            self.update()

    def update(self) -> eligibility.Assessment:
        guess = self.prediction.value
        if guess is None:
            result = eligibility.assess(self.patient.value, self.trial.value)
            self.correct = None
            self.feedback.value = "<p><i>Apply each criterion to the patient, then make your call to see the reasoning.</i></p>"
            self.description.value = ("<p><b>Text summary.</b> Patient card and trial criteria shown; "
                                      "the decision is hidden until you make your call.</p>")
        else:
            self.correct, result = eligibility.check_prediction(self.patient.value, self.trial.value, guess)
            colour = PALETTE["green"] if self.correct else PALETTE["vermillion"]
            verdict = "Right" if self.correct else f"Not quite: you said '{guess}'"
            qualifier = " (on the criteria recorded here)" if result.decision == "eligible" else ""
            self.feedback.value = (
                f'<div role="status" style="border-left:4px solid {colour};padding:2px 8px">'
                f"<p><b>{verdict}.</b> Decision: <b>{result.decision}</b>{qualifier}.</p>"
                f"{eligibility.reasoning_html(result)}</div>"
            )
            self.description.value = f"<p><b>Text summary.</b> {eligibility.describe(result)}</p>"
        self.card.value = eligibility.card_html(result.vignette)
        self.criteria.value = eligibility.criteria_html(result.trial)
        self.result = result
        return result
