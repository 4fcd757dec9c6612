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

from ..content.references import render_citations
from ..models import regulatory
from ..widgets.base import PALETTE, CourseWidget, teaching_model_note, text_panel

CUSTOM = "custom"
YES_NO = [("Yes", True), ("No", False)]

NOT_LEGAL_ADVICE = ("Teaching simplification of 21 CFR 1271.10(a), not legal advice: real classification "
                    "depends on detailed facts and FDA guidance.")

#: What the US rule does not tell you, each with its date (shown under the verdict). Statuses that can change
#: (approvals, withdrawals, laws) carry the date they took effect; the checked bibliography dates the sources.
CONTEXT_NOTES: tuple[str, ...] = (
    "United States, what is approved: at the FDA's July 2020 consumer alert, the only FDA-approved stem-cell "
    "products were blood-forming cells from umbilical cord blood [@fda2020alert]. On 18 December 2024 the FDA "
    "approved the first MSC product, remestemcel-L (Ryoncil), for steroid-refractory acute graft-versus-host "
    "disease in children [@fda2024ryoncil]. No MSC product is FDA-approved for stenosis or any other spinal "
    "condition.",
    "Florida, since 1 July 2025: a state law (CS/CS/SB 1768) lets physicians offer stem-cell therapies that are "
    "not FDA-approved for orthopaedic, wound-care and pain uses, with cells from FDA-registered facilities, "
    "advertising that states the lack of FDA approval, and signed consent [@florida2025]. Legal under state law "
    "is not FDA-approved and is not evidence that a treatment works; the federal rule above is unchanged.",
    "Korea: the Advanced Regenerative-Bio Act (Act No. 16556, in force 28 August 2020) excludes minimally "
    "manipulated cells from \"advanced regenerative medicine\" [@korea_arba]. Since 21 February 2025 (Act "
    "No. 20331) such treatment may be given outside clinical research, but only at designated institutions, with "
    "a treatment plan approved by a national review committee, for serious, rare or intractable diseases, and "
    "paid out of pocket [@korea_arba2025]. In 2025 the committee's approvals were mostly research plans, and "
    "none seen was for a spinal condition [@korea_arm2025]. That is not an approval of any product for stenosis, "
    "and not a licence for a clinic to sell unreviewed injections.",
    "Japan, since December 2018: one MSC product, Stemirac, has a conditional, time-limited approval for acute "
    "traumatic spinal cord injury, granted before its efficacy was fully shown [@stemirac2018]. It is not a "
    "treatment for degenerative stenosis.",
)


class RegulatoryPathway(CourseWidget):
    def __init__(self, preset: str = "bm_msc_epidural") -> None:
        if preset != CUSTOM and preset not in regulatory.PRESETS:
            raise ValueError(f"unknown preset {preset!r}; choose 'custom' or one of {', '.join(regulatory.PRESETS)}")
        style = {"description_width": "24em"}
        layout = widgets.Layout(width="auto")
        self.preset = widgets.Dropdown(
            options=[("Custom (set the answers below)", CUSTOM)] + [(p.label, k) for k, p in regulatory.PRESETS.items()],
            value=CUSTOM, description="Worked example", style={"description_width": "10em"},
            layout=widgets.Layout(width="46em"))
        self.minimal = widgets.ToggleButtons(options=YES_NO, value=True, style=style, layout=layout,
                                             description="1. Minimally manipulated?")
        self.homologous = widgets.ToggleButtons(options=YES_NO, value=True, style=style, layout=layout,
                                                description="2. Homologous use (same basic function)?")
        self.combined = widgets.ToggleButtons(options=YES_NO, value=False, style=style, layout=layout,
                                              description="3. Combined with another article?")
        self.systemic = widgets.ToggleButtons(options=YES_NO, value=False, style=style, layout=layout,
                                              description="4. Systemic effect or depends on living cells?")
        self.donor = widgets.Dropdown(options=[(label, key) for key, label in regulatory.DONORS.items()],
                                      value="autologous", description="Donor relationship", style=style,
                                      layout=widgets.Layout(width="46em"))  # room for the menu after the label
        self.answers = [self.minimal, self.homologous, self.combined, self.systemic, self.donor]
        self.controls = [self.preset, *self.answers]
        self.verdict = text_panel()
        self.verdict.layout = widgets.Layout(max_width="48em")
        self.criteria = widgets.HTML()
        self.description = text_panel()
        self.description.layout = widgets.Layout(max_width="48em")
        # Dated context the US rule does not give: what is approved, and Korea's route (2020 Act, 2025 amendment).
        items = "".join(f"<li>{render_citations(html.escape(note, quote=False))}</li>" for note in CONTEXT_NOTES)
        self.context = widgets.HTML(f"<p><b>Beyond this rule (dated).</b></p><ul>{items}</ul>",
                                    layout=widgets.Layout(max_width="48em"))
        self._busy = False
        self.connect()
        note = teaching_model_note(html.escape(NOT_LEGAL_ADVICE))
        self.widget = widgets.VBox([widgets.HTML(note), self.preset, *self.answers,
                                    self.verdict, self.criteria, self.description, self.context])
        if preset != CUSTOM:
            self.preset.value = preset  # fires _on_change, which applies the preset and updates
        else:
            self.update()

    @property
    def product(self) -> regulatory.Product:
        return regulatory.Product(self.minimal.value, self.homologous.value, self.combined.value,
                                  self.systemic.value, self.donor.value)

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
            elif owner is not None and owner is not self.preset and self.preset.value != CUSTOM:
                # the learner changed an answer: this is no longer the worked example
                if self.product != regulatory.PRESETS[self.preset.value].product:
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
            preset_note = f"<p><i>Worked example:</i> {html.escape(regulatory.PRESETS[self.preset.value].note)}</p>"
        self.verdict.value = (
            f'<div role="status" style="border-left:4px solid {colour};padding:2px 8px">'
            f"<b>Verdict.</b> {html.escape(result.summary())}{preset_note}</div>"
        )
        rows = "".join(
            f"<tr><td>{c.number}. {html.escape(c.name)}</td><td>{'met' if c.met else '<b>not met</b>'}</td>"
            f"<td>{html.escape(c.reason)}</td></tr>" for c in result.criteria)
        self.criteria.value = render_citations(
            '<table><caption>The four criteria of 21 CFR 1271.10(a) [@cfr1271]</caption>'
            "<thead><tr><th scope='col'>Criterion</th><th scope='col'>Result</th><th scope='col'>Reason</th></tr>"
            f"</thead><tbody>{rows}</tbody></table>")
        failed = ", ".join(str(n) for n in result.failed) or "none"
        text = (f"Pathway: section {result.pathway}. Criteria not met: {failed}. "
                + " ".join(f"Criterion {c.number}: {c.reason}" for c in result.criteria))
        self.description.value = f"<p><b>Result description.</b> {html.escape(text)}</p>"
        self.text = text
        self.result = result
        return result
