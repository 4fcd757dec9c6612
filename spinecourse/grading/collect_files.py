"""``collect``: learners' files from a folder into submitted/<student>/<assignment>/, regular files only.

(Not named ``collect.py``: a submodule of that name would shadow the ``grading.collect`` function.)
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from . import safe_files
from .course import SUBMITTED
from .safe_text import terminal_safe

SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def arrival_stamp(seconds: float) -> str:
    """nbgrader's timestamp.txt format, in UTC."""
    from datetime import UTC, datetime

    return datetime.fromtimestamp(seconds, tz=UTC).strftime("%Y-%m-%d %H:%M:%S.%f UTC")


def _learner_files(path: Path, is_dir: bool, assignment: str, expected: list[str], refused: list[str]):
    """({released name: file}, [data files]) of one learner's entry, or None if it cannot be a submission."""
    if not is_dir:
        if safe_files.is_link_or_special(path):
            safe_files.check_regular(path)  # raises with the reason
        if len(expected) != 1:
            return None
        return {expected[0]: path}, []
    inner = path / assignment
    if os.path.lexists(inner) and not safe_files.is_real_dir(inner):
        raise safe_files.UnsafeFile(f"{assignment} is {safe_files.kind_of(inner)}, not a folder: not taken")
    inner = inner if safe_files.is_real_dir(inner) else path
    files, extras = {}, []
    for item in safe_files.entries(inner):
        if item.name.startswith(".") or safe_files.is_real_dir(item.path):
            continue
        if item.name == "timestamp.txt":
            refused.append("timestamp.txt from the learner ignored (the arrival time is used)")
        elif item.name.endswith(".ipynb"):
            files[item.name] = Path(item.path)
        else:
            extras.append(Path(item.path))
    if len(expected) == 1 and len(files) == 1 and expected[0] not in files:
        files = {expected[0]: next(iter(files.values()))}
    return files, extras


def _copy_in(dest: Path, files: dict, extras: list, refused: list[str]) -> set[str]:
    """Copy under the size caps, write the server's arrival time; the names copied."""
    dest.mkdir(parents=True, exist_ok=True)
    budget, arrival, copied = safe_files.MAX_TOTAL_BYTES, None, set()
    for name, src in [*files.items(), *((p.name, p) for p in extras)]:
        try:
            st = safe_files.copy_file(src, dest / name, min(safe_files.MAX_FILE_BYTES, budget))
        except safe_files.UnsafeFile as exc:
            refused.append(str(exc))
            continue
        budget -= st.st_size
        arrival = max(arrival or 0.0, st.st_ctime)
        copied.add(name)
    if arrival is not None:
        safe_files.write_text(dest / "timestamp.txt", arrival_stamp(arrival))
    elif not any(dest.iterdir()):
        dest.rmdir()
    return copied


def collect(course_dir: Path, assignment: str, folder: Path, progress=print) -> dict[str, str]:
    """Copy learners' files into submitted/<student>/<assignment>/.

    Accepted layouts: ``FOLDER/<student>/<assignment>/*.ipynb``, ``FOLDER/<student>/*.ipynb`` and
    ``FOLDER/<student>.ipynb`` (a single-notebook assignment: renamed to the released name).
    Returns student -> "copied N file(s)" or the reason it was skipped.

    Only regular files are taken (``safe_files``): links, FIFOs, devices, hard-linked or oversized
    files are left out with a reason, and one learner's problem never stops the others. The
    submission time written to ``timestamp.txt`` is the server's: the latest change time (ctime) of
    the learner's files in FOLDER, which a learner cannot set; a ``timestamp.txt`` sent by the
    learner is ignored.
    """
    course_dir, folder = Path(course_dir), Path(folder)
    expected = sorted(p.name for p in (course_dir / "source" / assignment).glob("*.ipynb"))
    out: dict[str, str] = {}
    listing = safe_files.entries(folder) if safe_files.is_real_dir(folder) else []
    if not listing:
        raise FileNotFoundError(f"nothing to collect in {folder}")

    def say(student: str, text: str) -> None:
        out[student] = text
        progress(f"{terminal_safe(student)}: {terminal_safe(text)}")

    for entry in listing:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        is_dir = safe_files.is_real_dir(path)
        student = path.name if is_dir else (path.stem if path.suffix == ".ipynb" else path.name)
        try:
            if not is_dir and path.suffix != ".ipynb" and not safe_files.is_link_or_special(path):
                continue  # notes, zip files: not a submission
            if not SAFE_ID.match(student):
                say(student, "skipped: the name must be letters, digits, '.', '_' or '-' (rename the file/folder)")
                continue
            refused: list[str] = []
            found = _learner_files(path, is_dir, assignment, expected, refused)
            if found is None:
                say(student, f"skipped: the assignment has {len(expected)} notebooks; use a folder per student")
                continue
            files, extras = found
            copied = _copy_in(course_dir / SUBMITTED / student / assignment, files, extras, refused)
            missing = [n for n in expected if n not in copied]
            text = f"copied {len(copied & set(files))} notebook(s)" + (
                f"; missing {', '.join(missing)}" if missing else ""
            )
            say(student, text + "".join(f"; {r}" for r in refused))
        except (safe_files.UnsafeFile, OSError) as exc:  # one learner's files never stop the others
            say(student, f"skipped: {exc}")
    return out
