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
from ..content.i18n import N_, _, translate_data
from ..content.references import render_html
from ..models import eligibility
from ..models.eligibility import NOT_APPLIED, STATE_WORDS, Assessment, Trial, Vignette
from ..widgets.base import PALETTE, CourseWidget, teaching_model_note, text_panel

# ---- rendering: the model returns data; citations and HTML are made here ----


def _m(text: str) -> str:
    """A vignette's or trial's text from the model in the session's language (catalogue ``data/eligibility``;
    the model may not import the translation layer)."""
    return translate_data("eligibility", text)


def _e(text: str) -> str:
    return render_html(_m(text)).replace("**", "")


#: Decisions, criterion kinds and per-criterion results the model returns (translated with ``_()`` at call time).
MODEL_WORDS = (
    N_("eligible"),
    N_("not eligible"),
    N_("uncertain"),
    N_("inclusion"),
    N_("exclusion"),
    N_("met"),
    N_("NOT met"),
    N_("unknown"),
    N_("TRIGGERED"),
    N_("not triggered"),
    N_("man"),
    N_("woman"),
    # eligibility.NOT_APPLIED (the test checks this copy is the model's text)
    N_(
        "Only the criteria listed for each trial are applied. Most comorbidity and prior-surgery criteria "
        "(for example the phase 3 disc trial's exclusion of earlier disc surgery or laminectomy at the index level) "
        "are shown on the card but not applied. Real screening reads the full registry entry."
    ),
)


def _yes(flag: bool, no: str = "no") -> str:
    return _("yes") if flag else _(no)


def card_html(v: Vignette) -> str:
    comorb = ", ".join(map(_m, v.comorbidities)) or _("none recorded")
    return (
        f"<p><b>{_e(v.name)}</b>, "
        + _("{age}-year-old {sex} <i>(synthetic patient)</i>").format(age=v.age, sex=_(v.sex))
        + "</p>"
        f"<p>{_e(v.story)}</p><ul>"
        "<li>"
        + _("MRI: {mri}; disc herniation: {herniation}").format(
            mri=_e(v.mri), herniation=_yes(v.disc_herniation, N_("none recorded"))
        )
        + "</li>"
        "<li>"
        + _("Neurogenic claudication: {claudication}; disc-related chronic low back pain: {back_pain}").format(
            claudication=_yes(v.claudication), back_pain=_yes(v.disc_back_pain)
        )
        + "</li>"
        "<li>"
        + _(
            "Motor deficit: {motor}; surgery recommended: {surgery}; listed for laminoplasty following "
            "discectomy: {laminoplasty}"
        ).format(
            motor=_yes(v.motor_deficit),
            surgery=_yes(v.surgery_recommended),
            laminoplasty=_yes(v.laminoplasty_candidate),
        )
        + "</li>"
        "<li>"
        + _("Comorbidities: {comorbidities}; prior spine surgery: {prior}").format(
            comorbidities=_e(comorb), prior=_e(_(v.prior_surgery) if v.prior_surgery == "none" else v.prior_surgery)
        )
        + "</li></ul>"
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
    return _("Status: {status}").format(status=status.dated(sid)) + f" [{cites}]"


def criteria_html(t: Trial) -> str:
    items = "".join(f"<li><b>{_(c.kind).capitalize()}:</b> {_e(c.text)}</li>" for c in t.criteria)
    kind = (
        ""
        if t.is_trial
        else "<p>" + _("<b>Not a trial:</b> a proposal from the source article, shown for comparison.") + "</p>"
    )
    withdrawn = (
        "<p>" + _("<b>Withdrawn:</b> this trial never enrolled anyone, so eligibility is on paper only.") + "</p>"
        if t.withdrawn
        else ""
    )
    note = f"<p><small>{_e(t.note)}</small></p>" if t.note else ""
    line = status_line(t)
    registry = f"<p><small>{_e(line)}</small></p>" if line else ""
    return f"<p><b>{_e(t.label)}</b><br>{_e(t.population)}</p>{kind}{withdrawn}<ul>{items}</ul>{registry}{note}"


def reasoning_html(a: Assessment) -> str:
    rows = "".join(
        f"<tr><td>{_(s.criterion.kind)}</td><td>{_e(s.criterion.text)}</td>"
        f"<td><b>{_(STATE_WORDS[(s.criterion.kind, s.check.state)])}</b></td>"
        f"<td>{_e(s.check.reason)}<br><small>{_e(s.criterion.interpretation)}</small></td></tr>"
        for s in a.steps
    )
    return (
        '<table style="border-collapse:collapse" border="1" cellpadding="4">'
        "<caption>" + _("Reasoning per criterion") + "</caption>"
        "<tr><th>"
        + _("Kind")
        + "</th><th>"
        + _("Criterion")
        + "</th><th>"
        + _("Result")
        + "</th><th>"
        + _("Why")
        + f"</th></tr>"
        f"{rows}</table>"
    )


def matrix_html() -> str:
    """Every synthetic patient against every trial entry (the table lesson 06 shows after the exercise)."""
    m = eligibility.matrix()
    trials, vignettes = eligibility.TRIALS, eligibility.VIGNETTES
    withdrawn = " " + _("(withdrawn)")
    head = "".join(
        f"<th>{html.escape(_m(trials[t].label).split(':')[0])}{withdrawn if trials[t].withdrawn else ''}</th>"
        for t in trials
    )
    rows = "".join(
        f"<tr><th>{html.escape(_m(vignettes[v].name))} ({vignettes[v].age}, "
        f"{vignettes[v].mri.replace('Schizas grade ', '').split(':')[0]})</th>"
        + "".join(f"<td>{_(m[v][t])}</td>" for t in trials)
        + "</tr>"
        for v in vignettes
    )
    return (
        '<table border="1" cellpadding="4" style="border-collapse:collapse">'
        "<caption>" + _("Synthetic patients × trials: decision on the recorded criteria") + "</caption>"
        "<tr><th>" + _("Patient (age, MRI)") + f"</th>{head}</tr>{rows}</table>"
    )


def teaching_note() -> str:
    return teaching_model_note(
        _(
            "Synthetic patients and a simplified reading of registry criteria. Only the criteria recorded in the course "
            "bibliography are applied; how a phrase such as 'severe' is read is a teaching interpretation, shown with "
            "each result."
        )
    )


def describe(a: Assessment) -> str:
    """``eligibility.describe`` in the session's language (the model's English word for word in English)."""
    parts = "; ".join(
        f"{_(s.criterion.kind)} '{s.criterion.id}' {_(STATE_WORDS[(s.criterion.kind, s.check.state)])}" for s in a.steps
    )
    decision = (
        _("{decision} on the criteria recorded here").format(decision=_(a.decision))
        if a.decision == "eligible"
        else _(a.decision)
    )
    withdrawn = " " + _("The trial was withdrawn without enrolling anyone.") if a.trial.withdrawn else ""
    return (
        _("{name} (synthetic) and {trial}: {decision} ({parts}).").format(
            name=_m(a.vignette.name), trial=_m(a.trial.label), decision=decision, parts=parts
        )
        + withdrawn
    )


def decision_html(result: Assessment) -> str:
    """ "Decision: <b>eligible</b> (on the criteria recorded here)." in the session's language."""
    if result.decision == "eligible":
        return _("Decision: <b>{decision}</b> (on the criteria recorded here).").format(decision=_(result.decision))
    return _("Decision: <b>{decision}</b>.").format(decision=_(result.decision))


class EligibilityExercise(CourseWidget):
    def __init__(self, vignette: str = "A", trial: str = "nct06325566") -> None:
        eligibility.get_vignette(vignette)
        eligibility.get_trial(trial)
        style = {"description_width": "8em"}
        self.patient = widgets.Dropdown(
            options=[
                (_("{name}, {age} (synthetic)").format(name=_m(v.name), age=v.age), k)
                for k, v in eligibility.VIGNETTES.items()
            ],
            value=vignette,
            description=_("Patient"),
            style=style,
            layout=widgets.Layout(width="26em"),
        )
        self.trial = widgets.Dropdown(
            options=[(_m(t.label), k) for k, t in eligibility.TRIALS.items()],
            value=trial,
            description=_("Trial"),
            style=style,
            layout=widgets.Layout(width="58em"),
        )
        self.prediction = widgets.ToggleButtons(
            options=[(_(d).capitalize(), d) for d in eligibility.DECISIONS],
            value=None,
            description=_("Your call"),
            style=style,
            tooltips=[_("Meets every criterion"), _("Fails at least one"), _("Needs more information")],
        )
        self.controls = [self.patient, self.trial, self.prediction]
        self.card = text_panel()
        self.criteria = text_panel()
        self.feedback = widgets.HTML()
        self.description = text_panel()
        self._resetting = False
        self.patient.observe(self._on_case_change, names="value")
        self.trial.observe(self._on_case_change, names="value")
        self.prediction.observe(self._on_change, names="value")
        self.widget = widgets.VBox(
            [
                widgets.HTML(teaching_note()),
                self.patient,
                self.trial,
                widgets.HBox([self.card, self.criteria]),
                self.prediction,
                self.feedback,
                self.description,
                widgets.HTML(f"<p><small>{html.escape(_(NOT_APPLIED))}</small></p>"),
            ]
        )
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
            self.feedback.value = (
                "<p><i>"
                + _("Apply each criterion to the patient, then make your call to see the reasoning.")
                + "</i></p>"
            )
            self.description.value = (
                "<p><b>"
                + _("Text summary.")
                + "</b> "
                + _("Patient card and trial criteria shown; the decision is hidden until you make your call.")
                + "</p>"
            )
        else:
            self.correct, result = eligibility.check_prediction(self.patient.value, self.trial.value, guess)
            colour = PALETTE["green"] if self.correct else PALETTE["vermillion"]
            verdict = _("Right") if self.correct else _("Not quite: you said '{guess}'").format(guess=_(guess))
            self.feedback.value = (
                f'<div role="status" style="border-left:4px solid {colour};padding:2px 8px">'
                f"<p><b>{verdict}.</b> {decision_html(result)}</p>"
                f"{reasoning_html(result)}</div>"
            )
            self.description.value = "<p><b>" + _("Text summary.") + f"</b> {describe(result)}</p>"
        self.card.value = card_html(result.vignette)
        self.criteria.value = criteria_html(result.trial)
        self.result = result
        return result

    def static_html(self) -> str:
        """For readers without a kernel: this patient and trial as a worked example, the decision and the
        reasoning per criterion behind "Show" (no unanswered "your call")."""
        from ..widgets.base import show_details, static_html, worked_intro

        result = eligibility.assess(self.patient.value, self.trial.value)
        answer = (
            f"<p>{decision_html(result)}</p>{reasoning_html(result)}"
            f"<p><b>" + _("Text summary.") + f"</b> {html.escape(describe(result), quote=False)}</p>"
        )
        extra = (
            "<p>"
            + _(
                "<b>Worked example.</b> Apply each criterion to the patient card: is the patient eligible, "
                "not eligible, or is the decision uncertain on the information given? Decide, then check."
            )
            + "</p>"
            + show_details(_("Show the decision and the reasoning"), answer)
        )
        return static_html(
            self.widget, skip=(self.prediction, self.feedback, self.description), extra=extra, intro=worked_intro()
        )
