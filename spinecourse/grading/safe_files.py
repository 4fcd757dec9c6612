"""Learners' files are read and copied as regular files only: never a link, a FIFO or a device.

A submission is hostile input. A notebook that is a symbolic link to ``source/…`` would be graded as the
instructor's solution; a link to a file outside the course would come back in the learner's feedback; a
FIFO blocks the reader for ever; ``/dev/zero`` never ends; a hard link to a secret file is a second name
for it. Every grading step that touches learners' files (``collect``, preparation before autograde,
hence the copies nbgrader and the sandbox make of ``prepared/``) goes through this module:

* ``lstat`` first (a link is refused by what it is, not by where it points);
* ``open`` with ``O_NOFOLLOW | O_NONBLOCK`` (a link swapped in after the check fails to open, and a
  FIFO or device never blocks), then ``fstat`` on the open file: a regular file with one link only;
* per-file and per-learner size caps, checked while reading, so a file that grows cannot exceed them.

Refusals raise :class:`UnsafeFile` with a sentence for the report; callers skip that file or learner
and carry on with the rest of the class.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

#: Largest single file taken from a learner (a quiz notebook with figures is well under 5 MiB).
MAX_FILE_BYTES = 20 * 1024 * 1024
#: Largest total taken from one learner for one assignment.
MAX_TOTAL_BYTES = 50 * 1024 * 1024

_CHUNK = 1024 * 1024
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


class UnsafeFile(ValueError):
    """A learner's file that is not graded: a link, a special file, a hard link, or too large."""


def kind(mode: int) -> str:
    """What a file is, in words for a report."""
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device file"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISREG(mode):
        return "a regular file"
    return "a special file"


def _check(st: os.stat_result, name: str, limit: int) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise UnsafeFile(f"{name} is {kind(st.st_mode)}, not a regular file: not taken")
    if st.st_nlink > 1:
        raise UnsafeFile(f"{name} has {st.st_nlink} hard links (another name for the same file): not taken")
    if st.st_size > limit:
        raise UnsafeFile(f"{name} is {st.st_size} bytes, over the limit of {limit} bytes: not taken")


def check_regular(path: Path, limit: int = MAX_FILE_BYTES) -> os.stat_result:
    """``lstat`` of ``path`` if it is a regular file with one link and at most ``limit`` bytes; else UnsafeFile."""
    path = Path(path)
    try:
        st = os.lstat(path)
    except OSError as exc:
        raise UnsafeFile(f"{path.name} cannot be read: {exc.strerror}") from None
    _check(st, path.name, limit)
    return st


def is_real_dir(path: Path) -> bool:
    """A folder itself, not a link to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def is_link_or_special(path: Path) -> bool:
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISDIR(mode) or stat.S_ISREG(mode))


def _open(path: Path, limit: int) -> tuple[int, os.stat_result]:
    path = Path(path)
    check_regular(path, limit)  # a clear reason before opening (a FIFO is never opened)
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as exc:  # ELOOP: a link was swapped in after the check
        raise UnsafeFile(f"{path.name} cannot be opened safely: {exc.strerror}") from None
    try:
        st = os.fstat(fd)
        _check(st, path.name, limit)  # what was opened, not what was checked
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The content of a regular file (see the module docstring); UnsafeFile otherwise."""
    fd, _ = _open(path, limit)
    try:
        chunks, size = [], 0
        while chunk := os.read(fd, _CHUNK):
            size += len(chunk)
            if size > limit:
                raise UnsafeFile(f"{Path(path).name} grew past the limit of {limit} bytes while read: not taken")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def copy_file(src: Path, dst: Path, limit: int = MAX_FILE_BYTES) -> os.stat_result:
    """Copy a learner's regular file to ``dst`` (a new file, mode 0644, link at ``dst`` never followed).

    Keeps the modification time; returns the ``fstat`` of the source as opened (its ``st_ctime``
    is the server-side arrival time used for lateness).
    """
    src, dst = Path(src), Path(dst)
    fd, st = _open(src, limit)
    try:
        if os.path.lexists(dst):
            if is_real_dir(dst):
                raise UnsafeFile(f"{dst.name} is a folder in the destination: not overwritten")
            os.unlink(dst)
        out = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), 0o644)
        size = 0
        try:
            while chunk := os.read(fd, _CHUNK):
                size += len(chunk)
                if size > limit:
                    raise UnsafeFile(f"{src.name} grew past the limit of {limit} bytes while copied: not taken")
                os.write(out, chunk)
        except BaseException:
            os.close(out)
            os.unlink(dst)
            raise
        os.close(out)
        os.utime(dst, ns=(st.st_atime_ns, st.st_mtime_ns), follow_symlinks=False)
    finally:
        os.close(fd)
    return st


def write_text(dst: Path, text: str) -> None:
    """Write a file in a folder the grader owns, replacing a link or file there instead of following it."""
    dst = Path(dst)
    if os.path.lexists(dst) and not is_real_dir(dst):
        os.unlink(dst)
    fd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)


def entries(folder: Path) -> list[os.DirEntry]:
    """The entries of a real folder, sorted by name (hidden ones included: callers decide)."""
    if not is_real_dir(folder):
        raise UnsafeFile(f"{Path(folder).name} is {kind_of(folder)}, not a folder: not taken")
    with os.scandir(folder) as it:
        return sorted(it, key=lambda e: e.name)


def kind_of(path: Path) -> str:
    """What ``path`` itself is (``lstat``: a link is "a symbolic link"), in words; "missing" if absent."""
    try:
        return kind(os.lstat(path).st_mode)
    except OSError:
        return "missing"
