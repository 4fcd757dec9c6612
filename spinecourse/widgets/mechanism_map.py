"""Mechanism map widget: a drop-down of the source article's mechanisms and one evidence card."""

from __future__ import annotations

import ipywidgets as widgets

from ..content.i18n import _
from ..content.mechanisms import MECHANISMS, Mechanism, card_html, get
from ..content.source_claims import localized
from .base import CourseWidget, text_panel


class MechanismMap(CourseWidget):
    """Dropdown -> one mechanism's claim, evidence, level and what would prove it (text only, no figure)."""

    def __init__(self, key: str = MECHANISMS[0].key) -> None:
        self.choice = widgets.Dropdown(
            options=[(localized(m).name, m.key) for m in MECHANISMS],
            value=get(key).key,
            description=_("Mechanism"),
            style={"description_width": "6em"},
            layout=widgets.Layout(width="34em"),
        )
        self.controls = [self.choice]
        self.card = text_panel()
        self.card.layout.max_width = "48em"
        self.connect()
        note = (
            "<p><small>"
            + _("Claims paraphrased from the source article; evidence from the course's checked bibliography.")
            + "</small></p>"
        )
        self.widget = widgets.VBox([widgets.HTML(note), self.choice, self.card])
        self.update()

    def update(self) -> Mechanism:
        m = get(self.choice.value)
        self.card.value = card_html(m)
        self.result = m
        return m
