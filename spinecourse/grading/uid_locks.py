"""Which unprivileged uid a sandbox runs as, when root grades: one lock file per uid in a private folder.

Root keeps the claims in /run/spinecourse-sandbox (root-owned, 0700). The old place, a fixed name in
the shared /tmp, let any local user pre-create it: hold every lock (no sandboxed grading at all) or
leave a symlink that root then opened for writing and truncated. Now a folder another user owns or
can write is refused with a message, locks are opened without following links and never truncated.
"""

from __future__ import annotations

import fcntl
import os
import stat
from pathlib import Path

UID_RANGE = range(61000, 62000)
#: Where root keeps the uid-claim locks: a root-owned 0700 folder no other user can plant in. The
#: old place (a fixed name in the shared /tmp) let any local user pre-create it, hold every lock or
#: leave a symlink that root then truncated; it is no longer read or written.
LOCK_DIR: Path | None = None  # None: /run/spinecourse-sandbox as root, else $XDG_RUNTIME_DIR/spinecourse-sandbox


class SandboxError(RuntimeError):
    """The sandbox cannot be set up safely on this machine (the message says why and what to do)."""


# ---- uid claims (root only): one unused unprivileged uid per running sandbox ----


def lock_dir() -> Path:
    if LOCK_DIR is not None:
        return Path(LOCK_DIR)
    if os.geteuid() == 0:
        return Path("/run/spinecourse-sandbox")
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    return Path(runtime) / "spinecourse-sandbox" if runtime else Path.home() / ".cache" / "spinecourse-sandbox"


def _open_lock_dir() -> int:
    """An fd of the lock folder, made 0700 if missing; refuses a folder another user could have planted."""
    path = lock_dir()
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except OSError as exc:
        raise SandboxError(f"cannot create the sandbox lock folder {path}: {exc}") from exc
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as exc:
        raise SandboxError(
            f"the sandbox lock folder {path} is not a plain folder (a symlink?): remove it "
            f"and grade again ({exc.strerror})"
        ) from exc
    st = os.fstat(fd)
    problem = ""
    if st.st_uid != os.geteuid():
        problem = f"is owned by uid {st.st_uid}, not by the grader (uid {os.geteuid()})"
    elif st.st_mode & 0o022:
        problem = f"is writable by other users (mode {stat.S_IMODE(st.st_mode):o})"
    if problem:
        os.close(fd)
        raise SandboxError(
            f"refusing to use the sandbox lock folder {path}: it {problem}; someone may have "
            "planted it. Remove it (it is re-created 0700) and grade again."
        )
    return fd


def claim_uid():
    """An unused uid for one sandbox, held by a lock file for the kernel's lifetime: (uid, open file)."""
    dfd = _open_lock_dir()
    try:
        for uid in UID_RANGE:
            name = f"{uid}.lock"
            try:  # never follow a link, never truncate
                fd = os.open(name, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600, dir_fd=dfd)
            except OSError as exc:
                raise SandboxError(
                    f"refusing the sandbox lock {lock_dir() / name}: {exc.strerror} (not a plain file: remove it)"
                ) from exc
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid():
                os.close(fd)
                raise SandboxError(
                    f"refusing the sandbox lock {lock_dir() / name}: not a plain file of the grader (remove it)"
                )
            fh = os.fdopen(fd, "r+")
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                fh.close()
                continue
            return uid, fh
    finally:
        os.close(dfd)
    raise SandboxError("no free sandbox uid (61000-61999): too many kernels at once")
