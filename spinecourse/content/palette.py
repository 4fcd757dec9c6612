"""The course palette (Okabe & Ito): plain data, importable without matplotlib or ipywidgets."""

#: Okabe & Ito (2008) palette, distinguishable with the common colour-vision deficiencies.
PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
}

#: Named roles, so that a lesson says what a colour means, not which colour it is.
ROLE_COLOURS = {
    "bone": "#DDDDDD",
    "disc": PALETTE["sky"],
    "ligament": PALETTE["yellow"],
    "facet": PALETTE["grey"],
    "sac": PALETTE["blue"],
    "before": PALETTE["grey"],
    "after": PALETTE["vermillion"],
    "treated": PALETTE["orange"],
    "control": PALETTE["blue"],
    "threshold": PALETTE["black"],
}
