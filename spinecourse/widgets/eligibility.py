"""Trial eligibility exercise: pick a synthetic patient and a trial, make your call, see the reasoning.

A checker without a figure: the callback reads three controls, calls
``eligibility.assess`` and fills three HTML panels (patient card, criteria,
feedback with the per-criterion reasoning). The reasoning stays hidden until the
learner has predicted the decision.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from ..content import status
from ..content.references import render_citations
from ..models import eligibility
from ..models.eligibility import STATE_WORDS, Assessment, Trial, Vignette
from ..widgets.base import PALETTE, CourseWidget, teaching_model_note, text_panel

# ---- rendering: the model returns data; citations and HTML are made here ----

def _e(text: str) -> str:
    return render_citations(html.escape(text, quote=False)).replace("**", "")


def card_html(v: Vignette) -> str:
    comorb = ", ".join(v.comorbidities) or "none recorded"
    return (
        f"<p><b>{_e(v.name)}</b>, {v.age}-year-old {v.sex} <i>(synthetic patient)</i></p>"
        f"<p>{_e(v.story)}</p><ul>"
        f"<li>MRI: {_e(v.mri)}; disc herniation: {'yes' if v.disc_herniation else 'none recorded'}</li>"
        f"<li>Neurogenic claudication: {'yes' if v.claudication else 'no'}; "
        f"disc-related chronic low back pain: {'yes' if v.disc_back_pain else 'no'}</li>"
        f"<li>Motor deficit: {'yes' if v.motor_deficit else 'no'}; surgery recommended: {'yes' if v.surgery_recommended else 'no'}; "
        f"listed for laminoplasty following discectomy: {'yes' if v.laminoplasty_candidate else 'no'}</li>"
        f"<li>Comorbidities: {_e(comorb)}; prior spine surgery: {_e(v.prior_surgery)}</li></ul>"
    )


#: Trial entries whose registry status lives under another id in the evidence-status data.
STATUS_ID = {"nct02338271": "nct04530071"}


def status_line(t: Trial) -> str:
    """The trial's registry status, read from the evidence-status data (one place, dated), or ''."""
    sid = STATUS_ID.get(t.id, t.id)
    if not t.is_trial or sid not in status.ids():
        return ""
    entry = status.get(sid)
    cites = "; ".join(f"@{k}" for k in entry.sources)
    return f"Status: {status.dated(sid)} [{cites}]"


def criteria_html(t: Trial) -> str:
    items = "".join(f"<li><b>{c.kind.capitalize()}:</b> {_e(c.text)}</li>" for c in t.criteria)
    kind = "" if t.is_trial else "<p><b>Not a trial:</b> a proposal from the source article, shown for comparison.</p>"
    withdrawn = ("<p><b>Withdrawn:</b> this trial never enrolled anyone, so eligibility is on paper only.</p>"
                 if t.withdrawn else "")
    note = f"<p><small>{_e(t.note)}</small></p>" if t.note else ""
    line = status_line(t)
    registry = f"<p><small>{_e(line)}</small></p>" if line else ""
    return f"<p><b>{_e(t.label)}</b><br>{_e(t.population)}</p>{kind}{withdrawn}<ul>{items}</ul>{registry}{note}"


def reasoning_html(a: Assessment) -> str:
    rows = "".join(
        f"<tr><td>{s.criterion.kind}</td><td>{_e(s.criterion.text)}</td>"
        f"<td><b>{STATE_WORDS[(s.criterion.kind, s.check.state)]}</b></td>"
        f"<td>{_e(s.check.reason)}<br><small>{_e(s.criterion.interpretation)}</small></td></tr>"
        for s in a.steps
    )
    return (
        '<table style="border-collapse:collapse" border="1" cellpadding="4">'
        "<caption>Reasoning per criterion</caption>"
        "<tr><th>Kind</th><th>Criterion</th><th>Result</th><th>Why</th></tr>"
        f"{rows}</table>"
    )


def matrix_html() -> str:
    """Every synthetic patient against every trial entry (the table lesson 06 shows after the exercise)."""
    m = eligibility.matrix()
    trials, vignettes = eligibility.TRIALS, eligibility.VIGNETTES
    head = "".join(f"<th>{html.escape(trials[t].label.split(':')[0])}{' (withdrawn)' if trials[t].withdrawn else ''}</th>"
                   for t in trials)
    rows = "".join(
        f"<tr><th>{html.escape(vignettes[v].name)} ({vignettes[v].age}, "
        f"{vignettes[v].mri.replace('Schizas grade ', '').split(':')[0]})</th>"
        + "".join(f"<td>{m[v][t]}</td>" for t in trials) + "</tr>"
        for v in vignettes
    )
    return ('<table border="1" cellpadding="4" style="border-collapse:collapse">'
            "<caption>Synthetic patients × trials: decision on the recorded criteria</caption>"
            f"<tr><th>Patient (age, MRI)</th>{head}</tr>{rows}</table>")

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
            widgets.HTML(f"<p><small>{html.escape(eligibility.NOT_APPLIED)}</small></p>"),
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
                f"{reasoning_html(result)}</div>"
            )
            self.description.value = f"<p><b>Text summary.</b> {eligibility.describe(result)}</p>"
        self.card.value = card_html(result.vignette)
        self.criteria.value = criteria_html(result.trial)
        self.result = result
        return result

    def static_html(self) -> str:
        """For readers without a kernel: this patient and trial as a worked example, the decision and the
        reasoning per criterion behind "Show" (no unanswered "your call")."""
        from ..widgets.base import WORKED_INTRO, show_details, static_html

        result = eligibility.assess(self.patient.value, self.trial.value)
        qualifier = " (on the criteria recorded here)" if result.decision == "eligible" else ""
        answer = (f"<p>Decision: <b>{result.decision}</b>{qualifier}.</p>{reasoning_html(result)}"
                  f"<p><b>Text summary.</b> {html.escape(eligibility.describe(result), quote=False)}</p>")
        extra = ("<p><b>Worked example.</b> Apply each criterion to the patient card: is the patient eligible, "
                 "not eligible, or is the decision uncertain on the information given? Decide, then check.</p>"
                 + show_details("Show the decision and the reasoning", answer))
        return static_html(self.widget, skip=(self.prediction, self.feedback, self.description), extra=extra,
                           intro=WORKED_INTRO)
