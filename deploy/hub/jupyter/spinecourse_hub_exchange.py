"""nbgrader's file-system exchange with private submissions and feedback on a shared Linux host.

nbgrader's default exchange hides submissions and feedback behind names nobody can list
(inbound/ and feedback/ are write-/traverse-only), but the files themselves are world-readable
(0644) and each submission folder is world-writable (0777): a resident who learns a path can read
or change a classmate's work. Here each resident's submission and feedback belong to that
resident's own private group (Debian's user-private groups), mode 0640/0750, and the
instructors are members of every resident's group (deploy/hub/hubsetup.py adds them): the
resident and the instructors can read it, nobody else.
"""

from __future__ import annotations

import glob
import grp
import os
import pwd
import re
import shutil

from nbgrader.exchange.default.release_feedback import ExchangeReleaseFeedback
from nbgrader.exchange.default.submit import ExchangeSubmit
from nbgrader.utils import notebook_hash

FILE_MODE = 0o640
DIR_MODE = 0o750


def _private(path: str, gid: int, top_mode: int = DIR_MODE) -> None:
    for dirpath, dirnames, filenames in os.walk(path):
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


class PrivateReleaseFeedback(ExchangeReleaseFeedback):
    """Release feedback as nbgrader does, then give each file to its student's private group (0640)."""

    def copy_files(self):
        super().copy_files()
        pattern = re.escape(os.path.sep).join([
            self.coursedir.format_path(self.coursedir.feedback_directory, "(?P<student_id>.*)",
                                       self.coursedir.assignment_id, escape=True),
            "(?P<notebook_id>.*).html"])
        for html_file in glob.glob(os.path.join(self.src_path, "*.html")):
            m = re.match(pattern, html_file)
            if m is None:
                continue
            student, notebook_id = m.group("student_id"), m.group("notebook_id")
            with open(os.path.join(os.path.dirname(html_file), "submission_secret.txt")) as fh:
                checksum = notebook_hash(secret=fh.read(), notebook_id=notebook_id)
            released = os.path.join(self.dest_path, f"{checksum}.html")
            try:
                gid = grp.getgrnam(student).gr_gid
            except KeyError:
                gid = pwd.getpwnam(student).pw_gid
            os.chown(released, -1, gid)
            os.chmod(released, FILE_MODE)
            self.log.info("Feedback for %s readable by group %s only", student, student)
