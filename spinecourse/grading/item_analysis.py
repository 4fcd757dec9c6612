"""Item analysis of a graded quiz: which questions work, which are broken.

Input is a scores table: an iterable of rows (dicts) with ``student``, ``item``,
``score`` and ``max`` (``grading.item_rows`` reads them from the gradebook, and the
CSV export has the same columns). Rows with ``score`` None (not graded yet, e.g. a
manual item) are left out of that item's statistics.

* difficulty = mean score / max (classical "p value": 1 = everyone right);
* discrimination = Pearson correlation of the item score with the *rest* score
  (total minus this item), so an item is not correlated with itself; None when
  either has no variance;
* ``all_failed``: items scored for every student on which nobody scored, the usual sign
  of a broken test.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..content.palette import PALETTE
from .safe_text import terminal_safe


@dataclass
class ItemStats:
    item: str
    max: float
    n: int
    difficulty: float
    discrimination: float | None


@dataclass
class Analysis:
    students: list[str]
    totals: dict[str, float]
    max_total: float
    items: list[ItemStats]
    all_failed: list[str]
    low_discrimination: list[str]

    def item(self, name: str) -> ItemStats:
        return next(s for s in self.items if s.item == name)


def _corr(x: np.ndarray, y: np.ndarray) -> float | None:
    if len(x) < 3 or np.std(x) == 0 or np.std(y) == 0:
        return None
    return float(np.corrcoef(x, y)[0, 1])


def analyse(rows, low: float = 0.2) -> Analysis:
    """Per-item difficulty and item-rest discrimination; ``low``: flag discrimination below this."""
    rows = [r for r in rows]
    if not rows:
        raise ValueError("no scores to analyse: grade some submissions first")
    for r in rows:
        missing = {"student", "item", "score", "max"} - set(r)
        if missing:
            raise ValueError(f"a score row lacks {sorted(missing)}: {r}")
    students = sorted({r["student"] for r in rows})
    items = sorted({r["item"] for r in rows}, key=lambda i: min(k for k, r in enumerate(rows) if r["item"] == i))
    maxima = {}
    table = np.full((len(students), len(items)), np.nan)
    s_index = {s: k for k, s in enumerate(students)}
    i_index = {i: k for k, i in enumerate(items)}
    for r in rows:
        mx = float(r["max"])
        if mx <= 0:
            raise ValueError(f"item {r['item']} has max {mx}: must be positive")
        maxima[r["item"]] = mx
        if r["score"] is None or r["score"] == "":
            continue
        score = float(r["score"])
        if not 0 <= score <= mx:
            raise ValueError(f"{r['student']} scored {score} on {r['item']} (max {mx})")
        table[s_index[r["student"]], i_index[r["item"]]] = score
    filled = np.nan_to_num(table, nan=0.0)
    totals = dict(zip(students, filled.sum(axis=1).tolist()))
    stats = []
    for k, item in enumerate(items):
        col = table[:, k]
        ok = ~np.isnan(col)
        if not ok.any():
            stats.append(ItemStats(item, maxima[item], 0, float("nan"), None))
            continue
        rest = filled[ok].sum(axis=1) - col[ok]
        stats.append(
            ItemStats(item, maxima[item], int(ok.sum()), float(col[ok].mean() / maxima[item]), _corr(col[ok], rest))
        )
    # only items scored for every student: a half-marked manual item is not "failed by everyone"
    all_failed = [s.item for s in stats if s.n == len(students) and s.difficulty == 0]
    low_disc = [s.item for s in stats if s.discrimination is not None and s.discrimination < low]
    return Analysis(students, totals, float(sum(maxima.values())), stats, all_failed, low_disc)


def format_report(a: Analysis) -> str:
    totals = np.array(list(a.totals.values()))
    lines = [
        f"{len(a.students)} students; total out of {a.max_total:g}: mean {totals.mean():.2f}, "
        f"median {np.median(totals):g}, min {totals.min():g}, max {totals.max():g}",
        "item               max    n  difficulty  discrimination",
    ]
    for s in a.items:
        disc = "   -" if s.discrimination is None else f"{s.discrimination:+.2f}"
        diff = "  -" if s.n == 0 else f"{s.difficulty:.2f}"
        lines.append(f"{terminal_safe(s.item):<18} {s.max:>4g} {s.n:>4}  {diff:>10}  {disc:>14}")
    if a.all_failed:
        lines.append(
            "EVERY student failed: "
            + ", ".join(map(terminal_safe, a.all_failed))
            + " (check the test before anything else)"
        )
    if a.low_discrimination:
        lines.append(
            "Low discrimination (< 0.2): "
            + ", ".join(map(terminal_safe, a.low_discrimination))
            + " (ambiguous or mis-keyed?)"
        )
    return "\n".join(lines)


def figure(a: Analysis):
    """(fig, description): total-score histogram and per-item difficulty bars."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 3.6), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2)
    totals = np.array(list(a.totals.values()))
    bins = np.arange(0, a.max_total + 2) - 0.5
    ax1.hist(totals, bins=bins, color=PALETTE["blue"], edgecolor=PALETTE["black"])
    ax1.set_xlabel("total score (points)")
    ax1.set_ylabel("students (count)")
    ax1.set_title("Score distribution")
    names = [s.item for s in a.items]
    diffs = [0.0 if s.n == 0 else s.difficulty for s in a.items]
    colours = [
        PALETTE["vermillion"]
        if s.item in a.all_failed
        else PALETTE["orange"]
        if s.item in a.low_discrimination
        else PALETTE["green"]
        for s in a.items
    ]
    ax2.barh(names, diffs, color=colours, edgecolor=PALETTE["black"])
    ax2.set_xlim(0, 1)
    ax2.invert_yaxis()
    ax2.set_xlabel("difficulty (mean score / max, 1 = all right)")
    ax2.set_title("Items")
    hardest = min(a.items, key=lambda s: (s.n == 0, 0 if s.n == 0 else s.difficulty))
    description = (
        f"Left: histogram of total scores of {len(a.students)} students (0 to {a.max_total:g} points; "
        f"mean {totals.mean():.1f}). Right: one bar per item showing the proportion of marks obtained; "
        f"the hardest item is {hardest.item} ({hardest.difficulty:.2f}). "
        + (f"Red bars: items every student failed ({', '.join(a.all_failed)}). " if a.all_failed else "")
        + (f"Orange bars: low discrimination ({', '.join(a.low_discrimination)})." if a.low_discrimination else "")
    )
    return fig, description.strip()


# ---- several editions of one quiz (the Korean edition <quiz>_ko has the English grade ids and points) ----


def edition_names(course_dir, assignment: str) -> list[str]:
    """The quiz and its translated editions in ``source/``: ``01_anatomy_quiz``, ``01_anatomy_quiz_ko``."""
    from pathlib import Path

    source = Path(course_dir) / "source"
    return [assignment] + sorted(
        p.name
        for p in source.glob(f"{assignment}_??")
        if p.is_dir() and p.name[-2:].isalpha() and p.name[-2:].islower()
    )


def combine_editions(editions: dict[str, list[dict]]) -> list[dict]:
    """Score rows of several editions of one quiz as one cohort: ``{"01_anatomy_quiz": rows,
    "01_anatomy_quiz_ko": rows}``. A translated edition keeps the English grade ids and points, so an item is
    the same item in every edition; each row gets an ``edition`` field. An item whose points differ between
    editions, or a student graded in two editions, is an error (the editions would not be one test)."""
    maxima: dict[str, tuple[float, str]] = {}
    seen: dict[str, str] = {}
    out = []
    for edition, rows in editions.items():
        for r in rows:
            item, mx = r["item"], float(r["max"])
            if item in maxima and maxima[item][0] != mx:
                raise ValueError(
                    f"item {item} is worth {maxima[item][0]:g} in {maxima[item][1]} but {mx:g} in {edition}: "
                    "the editions are not the same quiz"
                )
            maxima.setdefault(item, (mx, edition))
            other = seen.setdefault(r["student"], edition)
            if other != edition:
                raise ValueError(f"{terminal_safe(r['student'])} was graded in both {other} and {edition}")
            out.append({**r, "edition": edition})
    graded = {e for e, rows in editions.items() if rows}
    for edition in graded:
        items = {r["item"] for r in editions[edition]}
        if items != set(maxima):
            raise ValueError(f"{edition} lacks item(s) {sorted(set(maxima) - items)} of the other editions")
    return out


def format_editions(rows: list[dict]) -> str:
    """Each item's difficulty in each edition (rows from ``combine_editions``): a translation that made an item
    harder or easier shows as a gap between the columns."""
    editions = sorted({r["edition"] for r in rows}, key=lambda e: (len(e), e))
    items = sorted({r["item"] for r in rows}, key=lambda i: min(k for k, r in enumerate(rows) if r["item"] == i))
    lines = [
        "difficulty by edition (n students): "
        + ", ".join(f"{terminal_safe(e)} ({len({r['student'] for r in rows if r['edition'] == e})})" for e in editions)
    ]
    for item in items:
        cells = []
        for e in editions:
            scored = [r for r in rows if r["item"] == item and r["edition"] == e and r["score"] not in (None, "")]
            cells.append(
                "   -"
                if not scored
                else f"{sum(float(r['score']) for r in scored) / sum(float(r['max']) for r in scored):.2f}"
            )
        lines.append(f"{terminal_safe(item):<18} " + "  ".join(f"{c:>6}" for c in cells))
    return "\n".join(lines)
