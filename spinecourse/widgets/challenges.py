"""Interactive challenges table: filter by theme, select a row, read its detail.

No figure: the controls (a theme toggle and a row selector) drive two HTML panels,
the filtered table and the detail of the selected row, plus a plain-text
**Table description.** for screen readers. Row HTML is rendered once at start-up,
so an update only joins prepared strings.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import ipywidgets as widgets

from ..content import challenges
from ..content.i18n import _
from ..content.references import render_html
from ..widgets.base import PALETTE, CourseWidget, text_panel


@dataclass(frozen=True)
class TableState:
    theme: str
    shown: tuple[str, ...]  # challenge ids in the table, in order
    selected: str  # id of the row whose detail is shown
    detail: str  # plain markdown of the detail panel (citations rendered)
    description: str  # plain-text table description


def _html(text: str) -> str:
    return render_html(text)


def _row_html(c: challenges.Challenge) -> str:
    c = challenges.localized(c)
    return f"<tr><td><b>{_html(c.name)}</b></td><td>{_html(challenges.theme_label(c.theme))}</td><td>{_html(c.risk)}</td></tr>"


def _detail_html(c: challenges.Challenge) -> str:
    c = challenges.localized(c)
    return (
        '<div role="region" aria-label="' + html.escape(_("Detail: {name}").format(name=c.name)) + '" '
        f'style="border-left:4px solid {PALETTE["blue"]};padding:2px 8px">'
        f"<h4 style='margin:4px 0'>{_html(c.name)}</h4>"
        f"<p><b>" + _("Risk.") + f"</b> {_html(c.risk)}</p>"
        f"<p><b>" + _("What researchers are doing.") + f"</b> {_html(c.research)}</p>"
        f"<p><b>" + _("Evidence.") + f"</b> {_html(c.evidence)}<br><i>{_html(c.evidence_label)}</i></p>"
        f"<p><b>" + _("Check against the literature.") + f"</b> {_html(c.source_check)}</p></div>"
    )


def table_head() -> str:
    return (
        '<table style="border-collapse:collapse"><caption>'
        + _("Challenges of MSC therapy for stenosis (select a row below for the evidence)")
        + "</caption><thead><tr><th scope='col'>"
        + _("Challenge")
        + "</th>"
        "<th scope='col'>" + _("Theme") + "</th><th scope='col'>" + _("Risk") + "</th></tr></thead><tbody>"
    )


class ChallengesExplorer(CourseWidget):
    def __init__(self, theme: str = challenges.ALL, selected: str | None = None) -> None:
        challenges.filter_challenges(theme)  # validates the theme
        style = {"description_width": "8em"}
        self.theme = widgets.ToggleButtons(
            options=[(_("All"), challenges.ALL)] + [(challenges.theme_label(key), key) for key in challenges.THEMES],
            value=theme,
            description=_("Theme"),
            style=style,
        )
        self.row = widgets.Select(
            options=self._options(theme),
            description=_("Show detail"),
            style=style,
            rows=7,
            layout=widgets.Layout(width="34em"),
        )
        if selected is not None:
            challenges.get(selected)
            if selected not in [i for _label, i in self.row.options]:
                raise ValueError(f"challenge {selected!r} is not in theme {theme!r}")
            self.row.value = selected
        self.controls = [self.theme, self.row]
        self._rows = {c.id: _row_html(c) for c in challenges.CHALLENGES}
        self._details = {c.id: _detail_html(c) for c in challenges.CHALLENGES}
        self._detail_md = {c.id: challenges.detail_markdown(c.id) for c in challenges.CHALLENGES}
        self.table = widgets.HTML()
        self.detail = text_panel()
        self.detail.layout = widgets.Layout(max_width="48em")
        self.description = text_panel()
        self._busy = False
        self.connect()
        self.widget = widgets.VBox([self.theme, self.table, self.row, self.detail, self.description])
        self.update()

    @staticmethod
    def _options(theme: str) -> list[tuple[str, str]]:
        return [(challenges.localized(c).name, c.id) for c in challenges.filter_challenges(theme)]

    def _on_change(self, change=None) -> None:
        if self._busy:
            return
        self._busy = True
        try:
            if change is not None and change.get("owner") is self.theme:
                options = self._options(self.theme.value)
                current = self.row.value
                self.row.options = options
                ids = [i for _label, i in options]
                self.row.value = current if current in ids else ids[0]
            self.update()
        finally:
            self._busy = False

    def update(self) -> TableState:
        theme = self.theme.value
        rows = challenges.filter_challenges(theme)
        shown = tuple(c.id for c in rows)
        selected = self.row.value if self.row.value in shown else shown[0]
        self.table.value = table_head() + "".join(self._rows[i] for i in shown) + "</tbody></table>"
        self.detail.value = self._details[selected]
        label = (
            _("all themes")
            if theme == challenges.ALL
            else _("theme '{theme}'").format(theme=challenges.theme_label(theme))
        )
        names = "; ".join(challenges.localized(c).name for c in rows)
        text = _(
            "The table shows {shown} of {total} challenges ({label}): {names}. Detail shown for: {selected}."
        ).format(
            shown=len(rows),
            total=len(challenges.CHALLENGES),
            label=label,
            names=names,
            selected=challenges.localized(challenges.get(selected)).name,
        )
        self.description.value = "<p><b>" + _("Table description.") + f"</b> {html.escape(text)}</p>"
        self.result = TableState(theme, shown, selected, self._detail_md[selected], text)
        return self.result
