"""nbgrader's file exchange, hardened for a shared Linux hub where residents may be hostile (issue 19).

The department hub (deploy/hub) selects these classes in its nbgrader configuration
(``deploy/hub/jupyter/nbgrader_config.py``, ``ExchangeFactory``). What each one changes:

``PrivateSubmit``
    nbgrader leaves a submission world-readable (0644 files) in a world-writable (0777) folder. Here
    it belongs to the resident's private group, 0640/0750 (the instructors are in every resident's
    group: deploy/hub/hubsetup.py): classmates can neither read nor change it.
``SafeCollect``
    * the folder ``<student>+<quiz>+<timestamp>`` must belong to ``<student>``'s uid: a folder a
      classmate wrote under someone else's name is skipped and reported (nbgrader only warns, then
      collects it, so a later-dated forgery replaced the real submission);
    * lateness and "which is newest" come from the server's clock: the newest status-change time
      (``ctime``) in the submitted folder, which no user can set back. ``timestamp.txt`` (written by
      the learner's side) is replaced by that time in ``submitted/``;
    * regular files only (no link, FIFO, device, hard link; ``safe_files``), each file and each
      submission under a size cap: a link to ``/dev/zero`` cannot fill the disk, a FIFO cannot hang
      the collect;
    * one bad submission (odd name, unreadable, too large) is skipped with a reason and the rest of
      the class is collected.
``PrivateReleaseFeedback``
    Each released file goes to its resident's private group (0640), and a submission without a
    usable ``submission_secret.txt`` (a hand-made one) is skipped with a reason instead of
    stopping the release for everyone after it.
"""

from __future__ import annotations

import datetime
import fnmatch
import glob
import grp
import os
import pwd
import re
import shutil
import stat
from collections import defaultdict
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.exchange import ExchangeError
from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.exchange.default.release_feedback import ExchangeReleaseFeedback
from nbgrader.exchange.default.submit import ExchangeSubmit
from nbgrader.utils import notebook_hash, parse_utc

from .safe_files import (
    MAX_FILE_BYTES,
    MAX_TOTAL_BYTES,
    UnsafeFile,
    copy_file,
    read_bytes,
)

FILE_MODE = 0o640
DIR_MODE = 0o750
#: Entries walked in one submission before it is refused (a quiz folder holds a handful).
MAX_ENTRIES = 2000
#: A submission secret is 128 hex characters (nbgrader's submit); anything much larger is not one.
MAX_SECRET_BYTES = 4096


def _private(path: str, gid: int, top_mode: int = DIR_MODE) -> None:
    for dirpath, _dirnames, filenames in os.walk(path):
        for name in filenames:
            full = os.path.join(dirpath, name)
            os.chown(full, -1, gid)
            os.chmod(full, FILE_MODE)
        os.chown(dirpath, -1, gid)
        os.chmod(dirpath, DIR_MODE)
    os.chmod(path, top_mode)


class PrivateSubmit(ExchangeSubmit):
    """Submit as nbgrader does, then make the copy in inbound/ readable by its owner's group only."""

    def copy_files(self):
        super().copy_files()
        dest = os.path.join(self.inbound_path, self.assignment_filename)
        # The owner's primary group is the resident's private group: instructors are in it.
        # 0770 on the top folder (nbgrader uses 0777) still lets instructors remove it after collecting.
        _private(dest, os.getgid(), top_mode=0o770)


def server_time(folder: str) -> datetime.datetime:
    """The newest ctime in ``folder`` (links not followed), as a naive UTC time (nbgrader's convention).

    ctime is set by the kernel on every write, chmod or rename and cannot be set back by a user
    (unlike mtime or a timestamp.txt), so it bounds from above when the content was last changed."""
    newest, seen = os.lstat(folder).st_ctime, 0
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            seen += 1
            if seen > MAX_ENTRIES:
                raise UnsafeFile(f"more than {MAX_ENTRIES} files and folders: not taken")
            try:
                newest = max(newest, os.lstat(os.path.join(dirpath, name)).st_ctime)
            except OSError:
                continue
    return datetime.datetime.fromtimestamp(newest, tz=datetime.UTC).replace(tzinfo=None)


class SafeCollect(ExchangeCollect):
    """nbgrader's collect with owner checks, server-side times and regular files only (module docstring)."""

    def _report(self, what: str) -> None:
        self.skipped.append(what)
        self.log.warning("collect: %s", what)

    def _path_to_record(self, path):
        """A record for one inbound folder, or None (reported) when it is not collected."""
        filename = os.path.basename(path)
        parts = filename.rsplit("+", 3)
        if len(parts) < 3 or not parts[0]:
            self._report(f"{filename!r}: not a submission name (student+quiz+time): skipped")
            return None
        username = parts[0]
        try:
            claimed = parse_utc(parts[2])
        except (ValueError, OverflowError, TypeError):  # the learner wrote it
            claimed = None
        try:
            st = os.lstat(path)
        except OSError as exc:
            self._report(f"{filename!r}: cannot be read ({exc.strerror}): skipped")
            return None
        if not stat.S_ISDIR(st.st_mode):
            self._report(f"{filename!r} is not a folder (a link or a special file): skipped")
            return None
        try:
            expected = pwd.getpwnam(username).pw_uid
        except KeyError:
            expected = None
        if expected is None or st.st_uid != expected:
            try:
                owner = pwd.getpwuid(st.st_uid).pw_name
            except KeyError:
                owner = f"uid {st.st_uid}"
            self._report(
                f"{filename!r} claims to be {username}'s but was written by {owner}: "
                "not collected (a submission under someone else's name)"
            )
            return None
        try:
            when = server_time(path)
        except (OSError, UnsafeFile) as exc:
            self._report(f"{filename!r}: {exc}: skipped")
            return None
        return {"username": username, "filename": filename, "timestamp": when, "claimed": claimed}

    def init_src(self):
        # nbgrader's init_src, with records from _path_to_record (None = skipped) and server-side times.
        self.skipped: list[str] = []
        if self.coursedir.course_id == "":
            self.fail("No course id specified. Re-run with --course flag.")
        self.course_path = os.path.join(self.root, self.coursedir.course_id)
        self.inbound_path = os.path.join(self.course_path, "inbound")
        if not os.path.isdir(self.inbound_path):
            self.fail(f"Course not found: {self.inbound_path}")
        if not os.access(self.inbound_path, os.R_OK | os.X_OK):
            self.fail(f"You don't have read permissions for the directory: {self.inbound_path}")
        # --student and the quiz name are globs, as in nbgrader (roster names hold no glob characters)
        student_id = self.coursedir.student_id or "*"
        pattern = os.path.join(glob.escape(self.inbound_path), f"{student_id}+{self.coursedir.assignment_id}+*")
        records = [r for r in (self._path_to_record(f) for f in sorted(glob.glob(pattern))) if r]
        usergroups = defaultdict(list)
        for record in records:
            usergroups[record["username"]].append(record)
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            try:
                self.duedate = gb.find_assignment(self.coursedir.assignment_id).duedate
            except MissingEntry:
                self.duedate = None
        self.src_records = []
        for group in usergroups.values():
            group = self._sort_by_timestamp(group)
            if self.duedate is not None and self.before_duedate:
                on_time = [r for r in group if r["timestamp"] <= self.duedate]
                self.src_records.append(on_time[0] if on_time else group[0])
            else:
                self.src_records.append(group[0])

    def _ignored(self, name: str) -> bool:
        if any(fnmatch.fnmatch(name, pat) for pat in self.coursedir.ignore):
            return True
        include = self.coursedir.include or ["*"]
        return not any(fnmatch.fnmatch(name, pat) for pat in include)

    def do_copy(self, src, dest, log=None):
        """Copy regular files only, each and all under the caps; every refusal is reported."""
        file_cap = min(MAX_FILE_BYTES, 1000 * self.coursedir.max_file_size)
        total_cap = min(MAX_TOTAL_BYTES, 1000 * self.coursedir.max_dir_size)
        total = 0
        os.makedirs(dest)
        pending = [(Path(src), Path(dest))]
        while pending:
            here, there = pending.pop()
            with os.scandir(here) as it:
                entries = sorted(it, key=lambda e: e.name)
            for entry in entries:
                rel = os.path.relpath(entry.path, src)
                if entry.is_dir(follow_symlinks=False):
                    if self._ignored(entry.name):
                        continue
                    (there / entry.name).mkdir()
                    pending.append((Path(entry.path), there / entry.name))
                    continue
                if entry.is_file(follow_symlinks=False) and self._ignored(entry.name):
                    continue
                try:
                    limit = min(file_cap, total_cap - total)
                    st = copy_file(Path(entry.path), there / entry.name, limit=max(limit, 0))
                    total += st.st_size
                except (UnsafeFile, OSError) as exc:
                    self._report(f"{os.path.basename(src)}/{rel}: {exc}")

    def copy_files(self):
        # nbgrader's copy_files, one submission at a time: a failure skips that learner only.
        if not self.src_records:
            self.log.warning(
                "No submissions of '%s' for course '%s' to collect",
                self.coursedir.assignment_id,
                self.coursedir.course_id,
            )
        for rec in self.src_records:
            try:
                self._collect_one(rec)
            except Exception as exc:  # whatever a hostile folder causes stops that learner only
                self._report(f"{rec['filename']!r}: not collected: {exc}")
        if self.skipped:
            self.log.warning("collect: %d item(s) not collected:\n  %s", len(self.skipped), "\n  ".join(self.skipped))

    def _collect_one(self, rec) -> None:
        student_id = rec["username"]
        src_path = os.path.join(self.inbound_path, rec["filename"])
        dest_path = self.coursedir.format_path(
            self.coursedir.submitted_directory, student_id, self.coursedir.assignment_id
        )
        os.makedirs(os.path.dirname(dest_path), exist_ok=True)
        if os.path.isdir(dest_path):
            try:
                existing = self.coursedir.get_existing_timestamp(dest_path)
            except (ExchangeError, ValueError, OSError):  # an unreadable earlier timestamp.txt: unknown
                existing = None
            newer = existing is None or rec["timestamp"] > existing
            if not ((self.update and newer) or (self.before_duedate and existing != rec["timestamp"])):
                self.log.info(
                    "%s: %s %s",
                    "No newer submission to collect"
                    if self.update
                    else "Submission already exists, use --update to update",
                    student_id,
                    self.coursedir.assignment_id,
                )
                return
            self.log.info("Updating submission: %s %s", student_id, self.coursedir.assignment_id)
        else:
            self.log.info("Collecting submission: %s %s", student_id, self.coursedir.assignment_id)
        staging = dest_path + ".collecting"
        shutil.rmtree(staging, ignore_errors=True)
        try:
            self.do_copy(src_path, staging)
            # The server's time, never the learner's timestamp.txt (kept only in the log).
            stamp = os.path.join(staging, "timestamp.txt")
            if os.path.lexists(stamp):
                os.unlink(stamp)
            with open(stamp, "x") as fh:
                fh.write(rec["timestamp"].replace(tzinfo=datetime.UTC).strftime(self.timestamp_format))
            claimed = rec.get("claimed")
            if claimed is not None and abs((claimed - rec["timestamp"]).total_seconds()) > 300:
                self.log.warning(
                    "collect: %s's submission is dated %s by its name but arrived %s: the arrival time is used",
                    student_id,
                    claimed,
                    rec["timestamp"],
                )
            if os.path.isdir(dest_path):
                shutil.rmtree(dest_path)
            os.rename(staging, dest_path)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


class PrivateReleaseFeedback(ExchangeReleaseFeedback):
    """Release each student's feedback on its own (private group, 0640); a bad one is skipped, not fatal."""

    def copy_files(self):
        exclude = set(self.coursedir.student_id_exclude.split(",")) if self.coursedir.student_id_exclude else set()
        pattern = re.escape(os.path.sep).join(
            [
                self.coursedir.format_path(
                    self.coursedir.feedback_directory, "(?P<student_id>.*)", self.coursedir.assignment_id, escape=True
                ),
                "(?P<notebook_id>.*).html",
            ]
        )
        skipped = []
        for html_file in sorted(glob.glob(os.path.join(self.src_path, "*.html"))):
            m = re.match(pattern, html_file)
            if m is None:
                self.log.error("Could not match '%s' with regexp '%s'", html_file, pattern)
                continue
            student, notebook_id = m.group("student_id"), m.group("notebook_id")
            if student in exclude:
                continue
            try:
                self._release_one(html_file, student, notebook_id)
            except (OSError, UnsafeFile, KeyError, UnicodeDecodeError) as exc:
                reason = f"{student}/{notebook_id}: feedback not released: {exc}"
                skipped.append(reason)
                self.log.warning("release_feedback: %s", reason)
        if skipped:
            self.log.warning(
                "release_feedback: %d not released (the rest were):\n  %s", len(skipped), "\n  ".join(skipped)
            )

    def _release_one(self, html_file: str, student: str, notebook_id: str) -> None:
        folder = os.path.dirname(html_file)
        try:
            secret = read_bytes(Path(folder) / "submission_secret.txt", limit=MAX_SECRET_BYTES).decode()
        except UnsafeFile as exc:
            raise UnsafeFile(
                f"no usable submission_secret.txt ({exc}); a submission not made with "
                "nbgrader submit cannot be fetched back"
            ) from None
        if not secret.strip():
            raise UnsafeFile("submission_secret.txt is empty")
        checksum = notebook_hash(secret=secret, notebook_id=notebook_id)
        try:
            gid = grp.getgrnam(student).gr_gid
        except KeyError:
            gid = pwd.getpwnam(student).pw_gid
        tmp = os.path.join(self.dest_path, f"{checksum}-tmp.html")
        shutil.copy(html_file, tmp)  # the instructor's own generated file
        os.chown(tmp, -1, gid)
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, os.path.join(self.dest_path, f"{checksum}.html"))  # readable by nobody else, ever
        self.log.info(
            "Feedback for %s (%s/%s) released, readable by group %s only",
            student,
            self.coursedir.assignment_id,
            notebook_id,
            student,
        )
