"""The eligibility exercise's synthetic patients, as Python data (the trials are in ``eligibility_trials``).

All patients are synthetic: invented for teaching; any resemblance to real people is accidental.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Schizas morphological grades, mildest first [@schizas2010].
GRADES = ("A1", "A2", "A3", "A4", "B", "C", "D")
SEVERE_GRADES = ("C", "D")  # C = severe, D = extreme [@schizas2010]
NARROWED_GRADES = ("B", "C", "D")  # B = moderate

GRADE_MEANING = {
    "A1": "A1: no or minor stenosis",
    "A2": "A2: no or minor stenosis",
    "A3": "A3: no or minor stenosis",
    "A4": "A4: no or minor stenosis",
    "B": "B: moderate (rootlets fill the sac but can still be told apart)",
    "C": "C: severe (no recognisable rootlets, posterior epidural fat present)",
    "D": "D: extreme (no rootlets and no posterior epidural fat)",
}


@dataclass(frozen=True)
class Vignette:
    """A synthetic patient. Fields used by the rules are typed; the rest is narrative."""

    id: str
    name: str
    age: int
    sex: str
    story: str
    disc_back_pain: bool  # chronic low back pain attributed to disc degeneration
    claudication: bool  # neurogenic claudication (leg symptoms on walking/standing, eased by sitting)
    schizas: str | None  # MRI grade, or None if no MRI yet
    motor_deficit: bool  # objective weakness (a sign that nerve integrity is not preserved)
    surgery_recommended: bool  # a spine surgeon has recommended decompression for nerve compression
    laminoplasty_candidate: bool  # candidate for laminoplasty following lumbar discectomy
    comorbidities: tuple[str, ...] = ()
    prior_surgery: str = "none"  # "none", or a short description of previous lumbar surgery
    disc_herniation: bool = False  # a disc herniation on MRI (with the stenosis: "combined" stenosis)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.strip():
            raise ValueError("a vignette needs a non-empty text id")
        if isinstance(self.age, bool) or not isinstance(self.age, int) or not 18 <= self.age <= 110:
            raise ValueError(f"{self.id}: age must be a whole number of years from 18 to 110, got {self.age!r}")
        if self.schizas is not None and self.schizas not in GRADES:
            raise ValueError(
                f"{self.id}: Schizas grade must be one of {', '.join(GRADES)} or None (no MRI), got {self.schizas!r}"
            )
        for name in (
            "disc_back_pain",
            "claudication",
            "motor_deficit",
            "surgery_recommended",
            "laminoplasty_candidate",
            "disc_herniation",
        ):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{self.id}: {name} must be True or False, got {getattr(self, name)!r}")
        if not isinstance(self.comorbidities, tuple):
            raise ValueError(f"{self.id}: comorbidities must be a tuple of texts")
        if not isinstance(self.prior_surgery, str) or not self.prior_surgery.strip():
            raise ValueError(f"{self.id}: prior_surgery must be 'none' or a description, got {self.prior_surgery!r}")

    @property
    def had_lumbar_surgery(self) -> bool:
        return self.prior_surgery.strip().lower() != "none"

    @property
    def mri(self) -> str:
        return "no MRI yet" if self.schizas is None else f"Schizas grade {GRADE_MEANING[self.schizas]}"


def _v(id, name, age, sex, story, **kw) -> Vignette:
    return Vignette(id, name, age, sex, story, **kw)


#: Synthetic patients (invented for teaching; any resemblance to real people is accidental).
VIGNETTES: dict[str, Vignette] = {
    v.id: v
    for v in [
        _v(
            "A",
            "Mr A",
            72,
            "man",
            "Bilateral leg heaviness after about 200 m of walking, eased by sitting or leaning on a trolley. "
            "Strength normal. A spine surgeon has offered decompression.",
            disc_back_pain=False,
            claudication=True,
            schizas="C",
            motor_deficit=False,
            surgery_recommended=True,
            laminoplasty_candidate=False,
            comorbidities=("type 2 diabetes",),
        ),
        _v(
            "B",
            "Ms B",
            66,
            "woman",
            "Years of mechanical low back pain from a degenerated disc, and for a year leg tiredness on walking that "
            "eases on sitting. Strength normal. No surgery advised.",
            disc_back_pain=True,
            claudication=True,
            schizas="B",
            motor_deficit=False,
            surgery_recommended=False,
            laminoplasty_candidate=False,
            comorbidities=("hypertension",),
        ),
        _v(
            "C",
            "Mr C",
            41,
            "man",
            "Chronic low back pain from one degenerated lumbar disc despite a year of physiotherapy; no leg symptoms.",
            disc_back_pain=True,
            claudication=False,
            schizas="A1",
            motor_deficit=False,
            surgery_recommended=False,
            laminoplasty_candidate=False,
        ),
        _v(
            "D",
            "Ms D",
            58,
            "woman",
            "Chronic disc-related low back pain; lately some leg aching after long walks that settles when she sits.",
            disc_back_pain=True,
            claudication=True,
            schizas="A3",
            motor_deficit=False,
            surgery_recommended=False,
            laminoplasty_candidate=False,
            comorbidities=("osteoarthritis of the knee",),
        ),
        _v(
            "E",
            "Mr E",
            69,
            "man",
            "Neurogenic claudication at 100 m with a disc herniation and a narrowed canal. His surgeons plan "
            "laminoplasty following lumbar discectomy.",
            disc_back_pain=False,
            claudication=True,
            schizas="C",
            motor_deficit=False,
            surgery_recommended=True,
            laminoplasty_candidate=True,
            disc_herniation=True,
        ),
        _v(
            "F",
            "Ms F",
            77,
            "woman",
            "Claudication after 50 m and a weak ankle (foot drop) for three months. Surgery has been recommended.",
            disc_back_pain=False,
            claudication=True,
            schizas="D",
            motor_deficit=True,
            surgery_recommended=True,
            laminoplasty_candidate=False,
            comorbidities=("peripheral arterial disease", "atrial fibrillation on anticoagulants"),
            prior_surgery="L4–5 decompression 8 years ago",
        ),
        _v(
            "G",
            "Mr G",
            63,
            "man",
            "Calf pain on walking for six months; no imaging yet. He smokes and has diabetes, so a vascular cause "
            "(peripheral arterial disease) is still on the list.",
            disc_back_pain=False,
            claudication=True,
            schizas=None,
            motor_deficit=False,
            surgery_recommended=False,
            laminoplasty_candidate=False,
            comorbidities=("type 2 diabetes", "smoker"),
        ),
        _v(
            "H",
            "Ms H",
            49,
            "woman",
            "Chronic disc-related low back pain, no leg symptoms. Her MRI also shows marked narrowing of the canal "
            "at one level that causes her no symptoms.",
            disc_back_pain=True,
            claudication=False,
            schizas="C",
            motor_deficit=False,
            surgery_recommended=False,
            laminoplasty_candidate=False,
        ),
    ]
}
