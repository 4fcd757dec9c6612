"""Confine nbgitpuller to the course folder in the user's home (loaded by jupyter_server_config.py here).

nbgitpuller's ``git-pull`` link takes ``targetpath`` and ``repo`` from the URL, so anyone who can
send a link chooses where the clicking user's server clones, and what. The one place every pull
goes through is ``GitPuller(repo, repo_dir)``; the guard checks there that

* ``repo_dir`` resolves (links followed) to exactly ``~/SPINECOURSE_COURSE_FOLDER``; and
* ``repo`` is the hub's course repository (``SPINECOURSE_COURSE_REPO``), when the hub sets it.

A refused pull shows nbgitpuller's error page with the reason; nothing is cloned.
"""

from __future__ import annotations

import os

DEFAULT_FOLDER = "stem-cells-course"


class PullRefused(ValueError):
    pass


def check(git_url: str, repo_dir: str, home: str | None = None) -> None:
    home = os.path.realpath(home or os.path.expanduser("~"))
    folder = os.environ.get("SPINECOURSE_COURSE_FOLDER") or DEFAULT_FOLDER
    allowed = os.path.join(home, folder)
    if os.path.realpath(repo_dir) != allowed:
        raise PullRefused(
            f"nbgitpuller: refused to clone into {repo_dir!r}: course links may only pull into "
            f"{allowed} (targetpath={folder})"
        )
    repo = os.environ.get("SPINECOURSE_COURSE_REPO")
    if repo and git_url.rstrip("/") != repo.rstrip("/"):
        raise PullRefused(f"nbgitpuller: refused to pull {git_url!r}: this hub pulls only its course repository")


def install() -> None:
    """Wrap GitPuller.__init__ once (the handlers hold the same class object)."""
    from nbgitpuller import pull

    if getattr(pull.GitPuller, "_spinecourse_guard", False):
        return
    original = pull.GitPuller.__init__

    def guarded(self, git_url, repo_dir, **kwargs):
        check(git_url, repo_dir)
        original(self, git_url, repo_dir, **kwargs)

    pull.GitPuller.__init__ = guarded
    pull.GitPuller._spinecourse_guard = True
