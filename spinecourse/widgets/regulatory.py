"""Regulatory pathway checker: describe a cell product, see section 361 or 351 and why.

No figure: a preset menu, four yes/no toggles and a donor menu drive a verdict
panel and a table of the four criteria of 21 CFR 1271.10(a), each with its
reason, plus a plain-text **Result description.** The on-screen note says it is
a teaching simplification, not legal advice; a dated note below the result says what the
US rule does not (what the FDA has approved, Florida's 2025 law, Korea's 2020 Act and 2025 route,
Japan's 2018 conditional approval).
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from ..content.i18n import N_, _, translate_data
from ..content.references import render_citations, render_html
from ..models import regulatory
from ..widgets.base import PALETTE, CourseWidget, teaching_model_note, text_panel

CUSTOM = "custom"
YES_NO = [(N_("Yes"), True), (N_("No"), False)]  # English; yes_no() translates


def yes_no() -> list[tuple[str, bool]]:
    return [(_(label), value) for label, value in YES_NO]


NOT_LEGAL_ADVICE = N_(
    "Teaching simplification of 21 CFR 1271.10(a), not legal advice: real classification "
    "depends on detailed facts and FDA guidance."
)

#: What the US rule does not tell you, each with its date (shown under the verdict). Statuses that can change
#: (approvals, withdrawals, laws) carry the date they took effect; the checked bibliography dates the sources.
#: English here (the dating checks read it); shown through ``_()``.
CONTEXT_NOTES: tuple[str, ...] = (
    N_(
        "United States, what is approved: at the FDA's July 2020 consumer alert, the only FDA-approved stem-cell "
        "products were blood-forming cells from umbilical cord blood [@fda2020alert]. On 18 December 2024 the FDA "
        "approved the first MSC product, remestemcel-L (Ryoncil), for steroid-refractory acute graft-versus-host "
        "disease in children [@fda2024ryoncil]. No MSC product is FDA-approved for stenosis or any other spinal "
        "condition."
    ),
    N_(
        "Florida, since 1 July 2025: a state law (CS/CS/SB 1768) lets physicians offer stem-cell therapies that are "
        "not FDA-approved for orthopaedic, wound-care and pain uses, with cells from FDA-registered facilities, "
        "advertising that states the lack of FDA approval, and signed consent [@florida2025]. Legal under state law "
        "is not FDA-approved and is not evidence that a treatment works; the federal rule above is unchanged."
    ),
    N_(
        "Korea: the Advanced Regenerative-Bio Act (Act No. 16556, in force 28 August 2020) excludes minimally "
        'manipulated cells from "advanced regenerative medicine" [@korea_arba]. Since 21 February 2025 (Act '
        "No. 20331) such treatment may be given outside clinical research, but only at designated institutions, with "
        "a treatment plan approved by a national review committee, for serious, rare or intractable diseases, and "
        "paid out of pocket [@korea_arba2025]. In 2025 the committee's approvals were mostly research plans, and "
        "none seen was for a spinal condition [@korea_arm2025]. That is not an approval of any product for stenosis, "
        "and not a licence for a clinic to sell unreviewed injections."
    ),
    N_(
        "Japan, since December 2018: one MSC product, Stemirac, has a conditional, time-limited approval for acute "
        "traumatic spinal cord injury, granted before its efficacy was fully shown [@stemirac2018]. It is not a "
        "treatment for degenerative stenosis."
    ),
)

#: Criterion and donor names the model returns (``regulatory.CRITERIA``, ``regulatory.DONORS``), for ``_()``.
MODEL_NAMES = (
    N_("Minimally manipulated"),
    N_("Homologous use only"),
    N_("Not combined with another article"),
    N_("No systemic effect / not dependent on living cells' metabolic activity, or an allowed donor relationship"),
    N_("autologous (the patient's own cells)"),
    N_("allogeneic, first- or second-degree blood relative"),
    N_("allogeneic, other donor"),
    N_("reproductive use"),
)


def _model(text: str) -> str:
    """A preset label or note, or a criterion's reason, from the regulatory model in the session's language
    (catalogue ``data/regulatory``; the model may not import the translation layer)."""
    return translate_data("regulatory", text)


def summary(result: regulatory.Pathway) -> str:
    """``Pathway.summary()`` in the session's language."""
    if result.section_361_only:
        return _(
            "Section 361 only: all four criteria of 21 CFR 1271.10(a) are met, so no premarket approval "
            "is needed (other rules still apply)."
        )
    names = "; ".join(
        _("criterion {n} ({name})").format(n=c.number, name=_(c.name).lower()) for c in result.criteria if not c.met
    )
    return _(
        "Section 351: premarket review needed (regulated as a drug, device or biologic), because it fails {names}."
    ).format(names=names)


class RegulatoryPathway(CourseWidget):
    def __init__(self, preset: str = "bm_msc_epidural") -> None:
        if preset != CUSTOM and preset not in regulatory.PRESETS:
            raise ValueError(f"unknown preset {preset!r}; choose 'custom' or one of {', '.join(regulatory.PRESETS)}")
        style = {"description_width": "24em"}
        layout = widgets.Layout(width="auto")
        self.preset = widgets.Dropdown(
            options=[(_("Custom (set the answers below)"), CUSTOM)]
            + [(_model(p.label), k) for k, p in regulatory.PRESETS.items()],
            value=CUSTOM,
            description=_("Worked example"),
            style={"description_width": "10em"},
            layout=widgets.Layout(width="46em"),
        )
        self.minimal = widgets.ToggleButtons(
            options=yes_no(), value=True, style=style, layout=layout, description=_("1. Minimally manipulated?")
        )
        self.homologous = widgets.ToggleButtons(
            options=yes_no(),
            value=True,
            style=style,
            layout=layout,
            description=_("2. Homologous use (same basic function)?"),
        )
        self.combined = widgets.ToggleButtons(
            options=yes_no(),
            value=False,
            style=style,
            layout=layout,
            description=_("3. Combined with another article?"),
        )
        self.systemic = widgets.ToggleButtons(
            options=yes_no(),
            value=False,
            style=style,
            layout=layout,
            description=_("4. Systemic effect or depends on living cells?"),
        )
        self.donor = widgets.Dropdown(
            options=[(_(label), key) for key, label in regulatory.DONORS.items()],
            value="autologous",
            description=_("Donor relationship"),
            style=style,
            layout=widgets.Layout(width="46em"),
        )  # room for the menu after the label
        self.answers = [self.minimal, self.homologous, self.combined, self.systemic, self.donor]
        self.controls = [self.preset, *self.answers]
        self.verdict = text_panel()
        self.verdict.layout = widgets.Layout(max_width="48em")
        self.criteria = widgets.HTML()
        self.description = text_panel()
        self.description.layout = widgets.Layout(max_width="48em")
        # Dated context the US rule does not give: what is approved, and Korea's route (2020 Act, 2025 amendment).
        items = "".join(f"<li>{render_html(_(note))}</li>" for note in CONTEXT_NOTES)
        self.context = widgets.HTML(
            "<p><b>" + _("Beyond this rule (dated).") + f"</b></p><ul>{items}</ul>",
            layout=widgets.Layout(max_width="48em"),
        )
        self._busy = False
        self.connect()
        note = teaching_model_note(html.escape(_(NOT_LEGAL_ADVICE)))
        self.widget = widgets.VBox(
            [
                widgets.HTML(note),
                self.preset,
                *self.answers,
                self.verdict,
                self.criteria,
                self.description,
                self.context,
            ]
        )
        if preset != CUSTOM:
            self.preset.value = preset  # fires _on_change, which applies the preset and updates
        else:
            self.update()

    @property
    def product(self) -> regulatory.Product:
        return regulatory.Product(
            self.minimal.value, self.homologous.value, self.combined.value, self.systemic.value, self.donor.value
        )

    def apply_preset(self, key: str) -> None:
        product = regulatory.PRESETS[key].product
        self.minimal.value = product.minimally_manipulated
        self.homologous.value = product.homologous_use
        self.combined.value = product.combined_with_article
        self.systemic.value = product.systemic_or_metabolic
        self.donor.value = product.donor

    def _on_change(self, change=None) -> None:
        if self._busy:
            return
        self._busy = True
        try:
            owner = change.get("owner") if change is not None else None
            if owner is self.preset and self.preset.value != CUSTOM:
                self.apply_preset(self.preset.value)
            elif (
                owner is not None
                and owner is not self.preset
                and self.preset.value != CUSTOM
                # the learner changed an answer: this is no longer the worked example
                and self.product != regulatory.PRESETS[self.preset.value].product
            ):
                self.preset.value = CUSTOM
            self.update()
        finally:
            self._busy = False

    def update(self) -> regulatory.Pathway:
        result = regulatory.classify(self.product)
        ok = result.section_361_only
        colour = PALETTE["green"] if ok else PALETTE["vermillion"]
        preset_note = ""
        if self.preset.value != CUSTOM:
            preset_note = (
                "<p><i>"
                + _("Worked example:")
                + f"</i> {html.escape(_model(regulatory.PRESETS[self.preset.value].note))}</p>"
            )
        self.verdict.value = (
            f'<div role="status" style="border-left:4px solid {colour};padding:2px 8px">'
            f"<b>" + _("Verdict.") + f"</b> {html.escape(summary(result))}{preset_note}</div>"
        )
        met, not_met = _("met"), _("not met")
        rows = "".join(
            f"<tr><td>{c.number}. {html.escape(_(c.name))}</td><td>{met if c.met else f'<b>{not_met}</b>'}</td>"
            f"<td>{html.escape(_model(c.reason))}</td></tr>"
            for c in result.criteria
        )
        self.criteria.value = render_citations(
            "<table><caption>" + _("The four criteria of 21 CFR 1271.10(a) [@cfr1271]") + "</caption>"
            "<thead><tr><th scope='col'>" + _("Criterion") + "</th><th scope='col'>" + _("Result") + "</th>"
            "<th scope='col'>" + _("Reason") + f"</th></tr></thead><tbody>{rows}</tbody></table>"
        )
        failed = ", ".join(str(n) for n in result.failed) or _("none")
        text = (
            _("Pathway: section {pathway}. Criteria not met: {failed}.").format(pathway=result.pathway, failed=failed)
            + " "
            + " ".join(
                _("Criterion {n}: {reason}").format(n=c.number, reason=_model(c.reason)) for c in result.criteria
            )
        )
        self.description.value = "<p><b>" + _("Result description.") + f"</b> {html.escape(text)}</p>"
        self.text = text
        self.result = result
        return result
