"""The figures' text descriptions in the session's language (issue 21).

The models write each figure's description in English (``anatomy.describe``, ``diagnosis.describe``, …) and
may not import the translation layer (models import nothing of the course above them). The widgets therefore
build the description here from the same result, with each sentence in ``_()``: in English the text is the
model's, character for character (``tests/test_translation_widgets.py`` compares them), in Korean it is the
catalogue's, with the same numbers.

A percentage followed by a word ("30% improvement") is passed with its "%" in the value ({rel_pct}): Babel
would read "% i" in a msgid as a printf placeholder and flag the entry python-format, which the Korean cannot match.

Fixed phrases the models return (grades, verdicts, labels) are listed with ``N_()`` so they are extracted and
translated at call time with ``phrase()``; a phrase the list lacks stays English (never wrong, just untranslated).
"""

from __future__ import annotations

from ..content.i18n import N_, _
from ..models import anatomy, crossover, diagnosis, isct, outcomes, sample_size, trial_sim

#: Fixed model phrases a learner reads inside the widgets' text (translated by ``phrase``).
PHRASES = (
    # anatomy.AP_GRADE_TEXT
    N_("not stenotic by the AP cut-points"),
    N_("relative stenosis (AP 10 to under 12 mm)"),
    N_("absolute stenosis (AP under 10 mm)"),
    # crossover
    N_("patients doing worse are more likely to have surgery"),
    N_("patients doing better are more likely to have surgery"),
    N_("who has surgery is unrelated to prognosis"),
    N_("n/a (everyone or nobody had surgery)"),
    N_("n/a"),
    N_("custom"),
    # outcomes.ODIScore / ChangeResult
    N_("no improvement"),
    N_("worse than before"),
    N_("important improvement by both thresholds"),
    N_("improved, but by less than either threshold"),
    N_("Section 1: pain intensity"),
    N_("Section 2: personal care"),
    N_("Section 3: lifting"),
    N_("Section 4: walking"),
    N_("Section 5: sitting"),
    N_("Section 6: standing"),
    N_("Section 7: sleeping"),
    N_("Section 8: sex life"),
    N_("Section 9: social life"),
    N_("Section 10: travelling"),
    # isct criteria
    N_("Plastic adherence"),
    N_("Positive markers (CD105, CD73, CD90 ≥95%)"),
    N_("Negative markers (CD45, CD34, CD14/CD11b, CD79α/CD19, HLA-DR ≤2%)"),
    N_("Trilineage differentiation in vitro"),
    N_("adheres to plastic in standard culture"),
    N_("does not adhere to plastic"),
    N_("osteoblasts, adipocytes and chondroblasts all shown"),
    # isct reasons made of a head and a list ("below 95%: CD105 80%", "not shown: adipocytes"): see phrase()
    N_("below 95%"),
    N_("all ≥95%"),
    N_("above 2%"),
    N_("all ≤2%"),
    N_("not shown"),
    # diagnosis.FINDINGS labels
    N_("Age over 70 years"),
    N_("Age under 60 years"),
    N_("No pain when seated"),
    N_("Symptoms improve when bending forward"),
    N_("Bilateral buttock or leg pain"),
    N_("Neurogenic claudication present"),
    N_("Neurogenic claudication absent"),
    N_("Wide-based gait"),
    N_("Abnormal Romberg test"),
    # sample_size.FORMULA_HTML
    N_("n per arm = 2 (z<sub>1−α/2</sub> + z<sub>1−β</sub>)² σ² / Δ², rounded up"),
)


def phrase(text: str) -> str:
    """A fixed model phrase in the session's language (English when it has no entry). A phrase the model
    builds as "head: item, item" (an ISCT reason) is translated head and items apart; items with no entry
    (marker values such as "CD105 80%") stay as they are."""
    out = _(text)
    if out == text and ": " in text:
        head, tail = text.split(": ", 1)
        if _(head) != head:
            return f"{_(head)}: " + ", ".join(_(item) for item in tail.split(", "))
    return out


def canal(inputs: anatomy.CanalInputs, result: anatomy.CanalResult) -> str:
    """``anatomy.describe`` in the session's language."""
    canal_kind = _("developmentally narrow") if inputs.narrow_canal else _("normal-sized")
    return _(
        "Axial cross-section of a {canal} lumbar canal at disc level, front of the body at the top. "
        "The dural sac (blue) is pushed from the front by a {disc} mm disc bulge, "
        "from behind by a {flavum} mm ligamentum flavum and from the sides by "
        "{facet} mm of facet overgrowth. Space available front to back: "
        "{ap} mm; dural sac area: {area} mm². "
        "The dashed circle has the area of the ~{critical} mm² cadaver critical size."
    ).format(
        canal=canal_kind,
        disc=f"{inputs.disc_bulge_mm:.1f}",
        flavum=f"{inputs.flavum_mm:.1f}",
        facet=f"{inputs.facet_mm:.1f}",
        ap=f"{result.ap_mm:.1f}",
        area=f"{result.dsca_mm2:.0f}",
        critical=f"{anatomy.CRITICAL_AREA_MM2:.0f}",
    )


def bedside(result: diagnosis.BedsideResult) -> str:
    """``diagnosis.describe`` in the session's language (finding labels are the model's)."""
    if not result.findings:
        named = _("no findings selected, so the probability is unchanged")
    else:
        named = _("findings: {list}").format(
            list="; ".join(
                _("{label} (LR {lr})").format(label=phrase(f.label), lr=f"{f.lr:g}") for f in result.findings
            )
        )
    return _(
        "Bar chart: pre-test probability {pre}; post-test probability {post} "
        "(range {low} to {high} using the ends of each LR's 95% CI); {named}."
    ).format(
        pre=f"{result.pretest:.0%}",
        post=f"{result.post:.0%}",
        low=f"{result.post_low:.0%}",
        high=f"{result.post_high:.0%}",
        named=named,
    )


def verdict(change: outcomes.ChangeResult) -> str:
    """``ChangeResult.verdict`` in the session's language."""
    rel = f"{outcomes.RELATIVE_THRESHOLD_PERCENT:.0f}"
    if change.improvement <= 0 or (change.meets_mic and change.meets_relative):
        return phrase(change.verdict)
    if change.meets_mic:
        return _("meets the {mic}-point MIC but not the {rel}% threshold").format(mic=f"{change.mic:g}", rel=rel)
    if change.meets_relative:
        return _("meets the {rel}% threshold but not the {mic}-point MIC").format(mic=f"{change.mic:g}", rel=rel)
    return phrase(change.verdict)


def odi(change: outcomes.ChangeResult) -> str:
    """``outcomes.describe_change`` in the session's language."""
    pct = _("undefined (baseline 0)") if change.percent_improvement is None else f"{change.percent_improvement:.0f}%"
    mic_y, rel_y = outcomes.reference_scores(change)
    return _(
        "Bar chart of the {measure} before ({before}) and after ({after}) on a 0–100 "
        "scale where higher means more disability. Improvement {improvement} points, {pct} of baseline. "
        "Two reference lines on the 'after' bar mark the score needed for a {mic}-point improvement "
        "({mic_y}) and for a {rel_pct} improvement ({rel_y}). Verdict: {verdict}."
    ).format(
        measure=change.measure,
        before=f"{change.before:.1f}",
        after=f"{change.after:.1f}",
        improvement=f"{change.improvement:.1f}",
        pct=pct,
        mic=f"{change.mic:g}",
        mic_y=f"{mic_y:.1f}",
        rel_pct=f"{outcomes.RELATIVE_THRESHOLD_PERCENT:.0f}%",
        rel_y=f"{rel_y:.1f}",
        verdict=verdict(change),
    )


def estimate(e, missing: str = "n/a") -> str:
    """``crossover.format_estimate`` in the session's language."""
    text = crossover.format_estimate(e, missing)
    if text == missing:
        return phrase(missing)
    return _("{value} (95% CI {low} to {high})").format(
        value=f"{e.value:+.1f}", low=f"{e.low:+.1f}", high=f"{e.high:+.1f}"
    )


def crossover_text(result: crossover.TrialResult) -> str:
    """``crossover.describe`` in the session's language."""
    s = result.settings
    iv = _("not shown (uptake barely differs)") if result.iv is None else estimate(result.iv)
    return _(
        "Dot-and-whisker chart of effect estimates in ODI points (positive = surgery better) from a synthetic "
        "trial with {n} patients per arm. Surgery uptake {up_s} in the "
        "surgery arm and {up_c} in the non-operative arm; selection: "
        "{selection}. True effect {true}; intention-to-treat {itt}; "
        "as-treated {as_treated}; instrumental-variable estimate {iv}. "
        "A vertical dashed line marks the true effect."
    ).format(
        n=s.n_per_arm,
        up_s=f"{100 * result.observed_uptake[0]:.0f}%",
        up_c=f"{100 * result.observed_uptake[1]:.0f}%",
        selection=phrase(crossover.selection_text(s.selection)),
        true=f"{s.true_effect:.1f}",
        itt=estimate(result.itt),
        as_treated=estimate(result.as_treated, crossover.NOT_COMPARABLE),
        iv=iv,
    )


def trial_sim_text(result: trial_sim.TrialResult) -> str:
    """``trial_sim.describe`` in the session's language."""
    s = result.settings
    points = trial_sim.points
    if s.true_effect == 0:
        rate = _("False-positive rate at alpha {alpha}: single-arm {single}%, randomised {rct}%.")
    else:
        rate = _("Share of studies significant at alpha {alpha}: single-arm {single}%, randomised {rct}%.")
    rate = rate.format(
        alpha=f"{s.alpha:g}",
        single=f"{100 * result.single_share_significant:.0f}",
        rct=f"{100 * result.rct_share_significant:.0f}",
    )
    return (
        _(
            "Histogram of the improvement estimated by {n_studies} simulated single-arm series and "
            "{n_studies} simulated randomised trials, each with {n_total} synthetic patients; true effect "
            "{true} points, placebo response {placebo} points, enrolment threshold {threshold} "
            "on a 0–100 scale. Single-arm estimates centre on {single_mean} points "
            "(bias {single_bias}); randomised estimates centre on {rct_mean} points "
            "(bias {rct_bias})."
        ).format(
            n_studies=s.n_studies,
            n_total=s.n_total,
            true=f"{s.true_effect:g}",
            placebo=f"{s.placebo:g}",
            threshold=f"{s.threshold:g}",
            single_mean=points(result.single_mean),
            single_bias=points(result.single_bias, True),
            rct_mean=points(result.rct_mean),
            rct_bias=points(result.rct_bias, True),
        )
        + " "
        + rate
    )


def isct_text(result: isct.ISCTResult) -> str:
    """``isct.describe`` in the session's language (variable reasons such as marker lists keep the model's)."""
    parts = [
        _("{name}: {state} ({reason})").format(
            name=phrase(c.name), state=_("pass") if c.passed else _("fail"), reason=phrase(c.reason)
        )
        for c in result.criteria
    ]
    head = (
        _("The preparation meets the ISCT minimal criteria.")
        if result.passed
        else _("The preparation does not meet the ISCT minimal criteria.")
    )
    return head + " " + "; ".join(parts) + "."


def sample_size_text(
    sd: float, power: float, alpha: float, result: sample_size.SampleSize, delta: float = sample_size.ODI_MIC
) -> str:
    """``sample_size.describe`` in the session's language."""
    return _(
        "To detect a true difference of {delta} points with SD {sd} points, power {power} and two-sided "
        "alpha {alpha}: z(1−α/2) = {z_alpha}, z(1−β) = {z_beta}, "
        "n = {exact}, so {per_arm} patients per arm ({total} in total)."
    ).format(
        delta=f"{delta:g}",
        sd=f"{sd:g}",
        power=f"{power:.0%}",
        alpha=f"{alpha:g}",
        z_alpha=f"{result.z_alpha:.3f}",
        z_beta=f"{result.z_beta:.3f}",
        exact=f"{result.exact:.1f}",
        per_arm=result.per_arm,
        total=result.total,
    )


def formula_html() -> str:
    """``sample_size.FORMULA_HTML`` in the session's language."""
    return phrase(sample_size.FORMULA_HTML)
