"""Static figure: how common imaging stenosis is by age (Framingham CT study).

Numbers are copied from the checked bibliography [@kalichman2009]; the function
returns the figure and its text description together so no figure ships without one.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from ..content.i18n import N_, _, configure_fonts
from ..widgets.base import CSS_DPI, PALETTE, StaticFigure

#: Acquired lumbar stenosis on CT, % of participants [@kalichman2009].
ACQUIRED_BY_AGE = {
    N_("under 40"): {"relative": 20.0, "absolute": 4.0},
    "60–69": {"relative": 47.2, "absolute": 19.4},
}


def prevalence_figure() -> tuple[Figure, str]:
    configure_fonts()  # Korean: Hangul in the labels (no-op in English)
    fig = Figure(figsize=(5.0, 3.6), dpi=CSS_DPI)
    ax = fig.add_axes((0.15, 0.12, 0.82, 0.72))
    groups = list(ACQUIRED_BY_AGE)
    width = 0.36
    kinds = [(N_("relative"), PALETTE["sky"], ""), (N_("absolute"), PALETTE["vermillion"], "//")]
    for i, (kind, colour, hatch) in enumerate(kinds):
        values = [ACQUIRED_BY_AGE[g][kind] for g in groups]
        xs = [j + (i - 0.5) * width for j in range(len(groups))]
        bars = ax.bar(
            xs,
            values,
            width,
            color=colour,
            hatch=hatch,
            edgecolor="black",
            label=_("{kind} (AP < {mm} mm)").format(kind=_(kind), mm=12 if kind == "relative" else 10),
        )
        ax.bar_label(bars, fmt="%.1f%%", fontsize=10)
    ax.set_xticks(range(len(groups)), [_("age {group}").format(group=_(g)) for g in groups])
    # TRANSLATORS: {percent} is the percent sign (kept out of the English so Babel sees no "% o" placeholder)
    ax.set_ylabel(_("Acquired LSS on CT ({percent} of participants)").format(percent="%"))
    ax.set_ylim(0, 60)
    ax.set_title(_("Imaging stenosis is common with age\n(Kalichman 2009)"), fontsize=11)
    ax.legend(fontsize=10, frameon=False, loc="upper left")
    # the shares are passed in with their "%" ("20.0% relative" in a msgid would read as a printf placeholder)
    young, older = (ACQUIRED_BY_AGE[g] for g in groups)
    description = _(
        "Bar chart of acquired lumbar spinal stenosis on CT in the Framingham study: under age 40, "
        "{young_relative} relative and {young_absolute} absolute; age 60–69, {older_relative} relative and "
        "{older_absolute} absolute."
    ).format(
        young_relative=f"{young['relative']:.1f}%",
        young_absolute=f"{young['absolute']:.1f}%",
        older_relative=f"{older['relative']:.1f}%",
        older_absolute=f"{older['absolute']:.1f}%",
    )
    return fig, description


def prevalence_static_figure() -> StaticFigure:
    fig, description = prevalence_figure()
    return StaticFigure(fig, description)


def show_prevalence_figure() -> None:
    """Display the figure as an image with alt text, followed by its text description (any backend)."""
    from IPython.display import display

    display(prevalence_static_figure())
