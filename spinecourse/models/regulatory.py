"""US regulatory pathway of a cell product: section 361 only, or premarket review under 351?

A teaching simplification of 21 CFR 1271.10(a), **not legal advice**.
A human cell or tissue product (HCT/P) is regulated *solely* under section 361 of
the Public Health Service Act when **all four** criteria hold:

1. it is minimally manipulated;
2. it is intended for homologous use only (it performs the same basic function in
   the recipient as in the donor);
3. it is not combined with another article (water, crystalloids and sterilising,
   preserving or storage agents excepted);
4. either it has no systemic effect and does not depend on the metabolic activity
   of living cells for its primary function, or, if it does, it is for autologous
   use, allogeneic use in a first- or second-degree blood relative, or
   reproductive use.

If any criterion fails, the product needs premarket review as a drug, device or
biologic (section 351 and/or the FD&C Act). Real decisions turn on what
"minimal manipulation" and "homologous use" mean for a given product, which FDA
guidance discusses at length (FDA guidance of July 2020); here the learner answers
those questions directly.

This module returns data (the pathway and a reason per criterion). The widget
(``spinecourse.widgets.regulatory``) renders it and adds the dated context that the
US rule does not give (approvals, state law, other countries).
"""

from __future__ import annotations

from dataclasses import dataclass

#: Who receives the cells relative to the donor (criterion 4).
DONORS: dict[str, str] = {
    "autologous": "autologous (the patient's own cells)",
    "allogeneic_relative": "allogeneic, first- or second-degree blood relative",
    "allogeneic_other": "allogeneic, other donor",
    "reproductive": "reproductive use",
}

#: How criterion 4 names the allowed uses.
DONOR_USE: dict[str, str] = {
    "autologous": "autologous use",
    "allogeneic_relative": "allogeneic use in a first- or second-degree blood relative",
    "reproductive": "reproductive use",
}

CRITERIA: tuple[str, ...] = (
    "Minimally manipulated",
    "Homologous use only",
    "Not combined with another article",
    "No systemic effect / not dependent on living cells' metabolic activity, or an allowed donor relationship",
)


@dataclass(frozen=True)
class Product:
    """A learner's description of a cell product."""

    minimally_manipulated: bool
    homologous_use: bool
    combined_with_article: bool
    systemic_or_metabolic: bool  # systemic effect, or depends on the metabolic activity of living cells
    donor: str = "autologous"


@dataclass(frozen=True)
class Criterion:
    number: int
    name: str
    met: bool
    reason: str


@dataclass(frozen=True)
class Pathway:
    product: Product
    criteria: tuple[Criterion, ...]

    @property
    def section_361_only(self) -> bool:
        return all(c.met for c in self.criteria)

    @property
    def pathway(self) -> str:
        """'361' (regulated solely under section 361) or '351' (premarket review needed)."""
        return "361" if self.section_361_only else "351"

    @property
    def failed(self) -> tuple[int, ...]:
        return tuple(c.number for c in self.criteria if not c.met)

    def summary(self) -> str:
        if self.section_361_only:
            return (
                "Section 361 only: all four criteria of 21 CFR 1271.10(a) are met, so no premarket approval "
                "is needed (other rules still apply)."
            )
        names = "; ".join(f"criterion {c.number} ({c.name.lower()})" for c in self.criteria if not c.met)
        return (
            f"Section 351: premarket review needed (regulated as a drug, device or biologic), because it fails {names}."
        )


def _check_bool(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return value


def validate(product: Product) -> Product:
    if not isinstance(product, Product):
        raise ValueError(f"expected a Product, got {type(product).__name__}")
    for name in ("minimally_manipulated", "homologous_use", "combined_with_article", "systemic_or_metabolic"):
        _check_bool(getattr(product, name), name)
    if product.donor not in DONORS:
        raise ValueError(f"donor must be one of {', '.join(DONORS)}, got {product.donor!r}")
    return product


def classify(product: Product) -> Pathway:
    """Apply the four criteria of 21 CFR 1271.10(a) and give the reason for each."""
    p = validate(product)
    c1 = Criterion(
        1,
        CRITERIA[0],
        p.minimally_manipulated,
        "Processing keeps the cells' relevant biological characteristics: met."
        if p.minimally_manipulated
        else "Processing (for example culture expansion) alters the cells' relevant characteristics: "
        "more than minimal manipulation.",
    )
    c2 = Criterion(
        2,
        CRITERIA[1],
        p.homologous_use,
        "The cells do the same basic job in the recipient as in the donor: homologous use."
        if p.homologous_use
        else "The cells are used for a different basic function than in the donor tissue: non-homologous use.",
    )
    c3 = Criterion(
        3,
        CRITERIA[2],
        not p.combined_with_article,
        "Nothing is added except water, crystalloids or a sterilising, preserving or storage agent."
        if not p.combined_with_article
        else "The cells are combined with another article (for example a gel or scaffold).",
    )
    if not p.systemic_or_metabolic:
        c4 = Criterion(
            4,
            CRITERIA[3],
            True,
            "No systemic effect and the primary function does not depend on living cells' metabolism: met "
            "whoever the donor is.",
        )
    elif p.donor == "allogeneic_other":
        c4 = Criterion(
            4,
            CRITERIA[3],
            False,
            "Its action depends on living cells (or is systemic) and the donor is unrelated: not met.",
        )
    else:
        c4 = Criterion(
            4,
            CRITERIA[3],
            True,
            f"Its action depends on living cells (or is systemic), which is allowed for {DONOR_USE[p.donor]}: met.",
        )
    return Pathway(p, (c1, c2, c3, c4))


def section_361_only(
    minimally_manipulated: bool,
    homologous_use: bool,
    combined_with_article: bool,
    systemic_or_metabolic: bool,
    donor: str = "autologous",
) -> bool:
    """Convenience form: True if the product is regulated solely under section 361."""
    return classify(
        Product(minimally_manipulated, homologous_use, combined_with_article, systemic_or_metabolic, donor)
    ).section_361_only


@dataclass(frozen=True)
class Preset:
    label: str
    product: Product
    note: str


#: Worked examples. The yes/no answers are the *teaching assumptions* stated in each note.
PRESETS: dict[str, Preset] = {
    "bm_msc_epidural": Preset(
        "Culture-expanded autologous BM-MSCs injected epidurally for stenosis",
        Product(
            minimally_manipulated=False,
            homologous_use=False,
            combined_with_article=False,
            systemic_or_metabolic=True,
            donor="autologous",
        ),
        "Growing the cells in culture is treated as more than minimal manipulation, and bone-marrow cells do not "
        "normally repair the epidural space or nerve roots, so the use is non-homologous. Autologous cells "
        "satisfy criterion 4, but that cannot rescue criteria 1 and 2.",
    ),
    "allo_msc_gel": Preset(
        "Donor (unrelated) BM-MSCs mixed with a gel, placed after discectomy",
        Product(
            minimally_manipulated=False,
            homologous_use=False,
            combined_with_article=True,
            systemic_or_metabolic=True,
            donor="allogeneic_other",
        ),
        "Modelled on the only MSC trial found in a stenosis population, a Japanese trial (jRCT2013210076) that "
        "places donor cells in a gel into the disc defect after laminoplasty and discectomy and is run as a "
        "regulated trial; here we ask how the US rule would sort such a product: it fails all four criteria.",
    ),
    "unrelated_living_cells": Preset(
        "Hypothetical: minimally manipulated living cells, homologous use, nothing added, unrelated donor",
        Product(
            minimally_manipulated=True,
            homologous_use=True,
            combined_with_article=False,
            systemic_or_metabolic=True,
            donor="allogeneic_other",
        ),
        "Only criterion 4 fails: the product depends on living cells and comes from an unrelated donor.",
    ),
    "sibling_living_cells": Preset(
        "Hypothetical: the same product from the patient's sibling",
        Product(
            minimally_manipulated=True,
            homologous_use=True,
            combined_with_article=False,
            systemic_or_metabolic=True,
            donor="allogeneic_relative",
        ),
        "A sibling is a first-degree blood relative, so criterion 4 is met and all four criteria hold.",
    ),
    "structural_tissue": Preset(
        "Hypothetical: tissue only rinsed and cut, used to repair the same kind of tissue",
        Product(
            minimally_manipulated=True,
            homologous_use=True,
            combined_with_article=False,
            systemic_or_metabolic=False,
            donor="allogeneic_other",
        ),
        "No systemic effect and no dependence on living cells: criterion 4 is met whoever the donor is.",
    ),
}
