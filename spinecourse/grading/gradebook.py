"""The gradebook (nbgrader's gradebook.db): reading marks, exporting them, merging a worker's copy."""

from __future__ import annotations

import csv
from pathlib import Path

from .cells import grade_id, is_auto_graded

ITEM_COLUMNS = ["student", "assignment", "notebook", "item", "auto", "manual", "score", "max"]


def db_url(course_dir: Path) -> str:
    return "sqlite:///" + str(Path(course_dir) / "gradebook.db")


def scores(course_dir: Path, assignment: str) -> dict[str, dict[str, dict[str, float | None]]]:
    """student -> grade_id -> {"auto": ..., "manual": ..., "max": ...} from the gradebook."""
    from nbgrader.api import Gradebook

    out: dict[str, dict[str, dict[str, float | None]]] = {}
    with Gradebook(db_url(course_dir)) as gb:
        for submission in gb.assignment_submissions(assignment):
            per_cell = {}
            for nb in submission.notebooks:
                for grade in nb.grades:
                    per_cell[grade.name] = {
                        "auto": grade.auto_score,
                        "manual": grade.manual_score,
                        "max": grade.max_score,
                    }
            out[submission.student_id] = per_cell
    return out


def auto_totals(
    course_dir: Path, assignment: str, students: list[str], sources: dict
) -> dict[str, tuple[float | None, float | None]]:
    """student -> (auto score, its maximum) of the automatically graded items, or (None, None) if none
    was graded; the gradebook is read once for the whole list (a cohort's reports cost one read, not one each)."""
    every = scores(course_dir, assignment)
    auto_ids = {grade_id(c) for nb in sources.values() for c in nb.cells if is_auto_graded(c)}
    out = {}
    for student in students:
        cells = every.get(student)
        if not cells or not auto_ids & set(cells):
            out[student] = (None, None)
            continue
        out[student] = (
            sum(cells[g]["auto"] or 0 for g in auto_ids if g in cells),
            sum(cells[g]["max"] or 0 for g in auto_ids if g in cells),
        )
    return out


def auto_total(course_dir: Path, assignment: str, student: str, sources: dict) -> tuple[float | None, float | None]:
    """(auto score, its maximum) of one student (see ``auto_totals``)."""
    return auto_totals(course_dir, assignment, [student], sources)[student]


def totals(course_dir: Path, assignment: str) -> dict[str, float]:
    """student -> total (manual score where set, else auto)."""
    return {
        student: sum((v["manual"] if v["manual"] is not None else v["auto"] or 0) for v in cells.values())
        for student, cells in scores(course_dir, assignment).items()
    }


def item_rows(course_dir: Path, assignment: str) -> list[dict]:
    """One row per student × graded item from the gradebook (score = manual if set, else auto)."""
    from nbgrader.api import Gradebook

    rows = []
    with Gradebook(db_url(course_dir)) as gb:
        for submission in gb.assignment_submissions(assignment):
            for nb in submission.notebooks:
                for grade in nb.grades:
                    score = grade.manual_score if grade.manual_score is not None else grade.auto_score
                    rows.append(
                        {
                            "student": submission.student_id,
                            "assignment": assignment,
                            "notebook": nb.name,
                            "item": grade.name,
                            "auto": grade.auto_score,
                            "manual": grade.manual_score,
                            "score": score,
                            "max": grade.max_score,
                        }
                    )
    return sorted(rows, key=lambda r: (r["student"], r["notebook"], r["item"]))


def export_csv(course_dir: Path, assignment: str, path: Path | None = None) -> Path:
    path = Path(path) if path else Path(course_dir) / "exports" / f"{assignment}_items.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=ITEM_COLUMNS)
        writer.writeheader()
        for row in item_rows(course_dir, assignment):
            writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return path


def _named(rows, what: str, name: str):
    """The row called ``name`` (rows: a dict by name), or nbgrader's MissingEntry."""
    from nbgrader.api import MissingEntry

    if name not in rows:
        raise MissingEntry(f"no {what} {name!r} in the course gradebook")
    return rows[name]


def merge_gradebook(course_dir: Path, worker_db: Path, assignment: str, students: list[str]) -> None:
    """Copy the listed students' grades of ``assignment`` from a worker's gradebook into the course's.

    Only the parent process writes gradebook.db, one worker after the other, so a parallel run
    never meets "database is locked" and loses no update. The merge is serial work of a parallel
    run (``--jobs`` cannot divide it): each submission's course rows are fetched together (not one
    query per grade) and the marks are committed once at the end (a commit per student made
    SQLAlchemy reload every row; only nbgrader's ``add_*`` commit on their own, when a learner or a
    submission is new to the course's gradebook).
    """
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(f"sqlite:///{worker_db}") as w, Gradebook(db_url(course_dir)) as m:
        for student in students:
            try:
                ws = w.find_submission(assignment, student)
            except MissingEntry:
                continue
            try:  # nbgrader's update_or_create_* would commit here (see above)
                mst = m.find_student(student)
            except MissingEntry:
                mst = m.add_student(student)
            mst.first_name, mst.last_name, mst.email = ws.student.first_name, ws.student.last_name, ws.student.email
            try:
                ms = m.find_submission(assignment, student)
            except MissingEntry:  # creates the submission's notebooks, grades and comments
                ms = m.add_submission(assignment, student)
            ms.timestamp, ms.extension = ws.timestamp, ws.extension
            course_nbs = {nb.name: nb for nb in ms.notebooks}
            for wnb in ws.notebooks:
                mnb = _named(course_nbs, "notebook", wnb.name)
                mnb.late_submission_penalty = wnb.late_submission_penalty
                grades = {g.name: g for g in mnb.grades}
                for wg in wnb.grades:
                    mg = _named(grades, "grade", wg.name)
                    for attr in ("auto_score", "manual_score", "extra_credit", "needs_manual_grade"):
                        setattr(mg, attr, getattr(wg, attr))
                comments = {c.name: c for c in mnb.comments}
                for wc in wnb.comments:
                    mc = _named(comments, "comment", wc.name)
                    mc.auto_comment, mc.manual_comment = wc.auto_comment, wc.manual_comment
        m.db.commit()
