"""Set up the department hub on this machine (run as root): accounts, exchange, instructor course, course repo.

    .venv/bin/python deploy/hub/hubsetup.py [--roster deploy/hub/roster.yml] [--state .hub]

``make hub`` runs this, then JupyterHub with deploy/hub/jupyterhub_config.py. Idempotent: run it
again after adding names to the roster (existing accounts and passwords are kept).

What it makes (the hub's state folder, default ``.hub/`` in the repository):
  secrets/passwords.txt   one ``name password`` per line, mode 0600 (root only)
  secrets/proxy_token     the proxy REST API's token, 0600 (root only; jupyterhub_config.py reads it)
  exchange/               nbgrader's exchange root: root-owned, 1777 (sticky), with the course folder
                          made here and owned by the first instructor (nobody else can rename or fill it)
  course.git              the learner-facing course repository nbgitpuller pulls from: course/ only,
                          never assignments/source/ (solutions and hidden tests stay with the instructor)
and one Linux account per roster name (home 0700, private group), the instructors in every
resident's private group (they read submissions through it: spinecourse/grading/exchange.py),
and the nbgrader course folder ``~INSTRUCTOR/course`` (source/ from assignments/source/, gradebook).
It also closes the repository checkout to other accounts (``close_checkout``): users run the
learners' environment ``.venv-hub`` (deploy/hub/user_env.py, the course package installed, not a link
to the checkout), so nothing else of the checkout (quiz sources, .git, tests) needs to be readable.
"""

from __future__ import annotations

import argparse
import os
import pwd
import re
import secrets
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HUB_DIR = Path(__file__).resolve().parent
ROOT = HUB_DIR.parents[1]
sys.path.insert(0, str(HUB_DIR))
import user_env  # noqa: E402

#: The users' bin folder (jupyter, nbgrader, python): see user_env.py.
VENV_BIN = user_env.user_python().parent
NAME = re.compile(r"^[a-z][a-z0-9_-]{0,30}$")
#: The folder each user's course lands in (nbgitpuller's targetpath), and the start page inside it.
COURSE_FOLDER = "stem-cells-course"
START_PAGE = "00_start_here.ipynb"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Course publisher",
    "GIT_AUTHOR_EMAIL": "course@localhost",
    "GIT_COMMITTER_NAME": "Course publisher",
    "GIT_COMMITTER_EMAIL": "course@localhost",
}


class RosterError(ValueError):
    pass


@dataclass
class Roster:
    course_id: str
    instructors: list[str]
    residents: list[str] = field(default_factory=list)

    @property
    def everyone(self) -> list[str]:
        return self.instructors + self.residents


def load_roster(path: Path) -> Roster:
    try:
        data = yaml.safe_load(Path(path).read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise RosterError(f"cannot read the roster {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise RosterError(f"{path}: expected keys course_id, instructors, residents")
    instructors, residents = data.get("instructors") or [], data.get("residents") or []
    if not instructors:
        raise RosterError(f"{path}: the roster needs at least one instructor")
    names = [str(n) for n in instructors + residents]
    for name in names:
        if not NAME.match(name):
            raise RosterError(
                f"{path}: {name!r} is not a usable account name (lower-case letter first, then "
                "letters, digits, '-' or '_', at most 31 characters)"
            )
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise RosterError(f"{path}: listed twice: {', '.join(dupes)}")
    course_id = str(data.get("course_id") or "stem-cells-spinal-stenosis")
    return Roster(course_id, [str(n) for n in instructors], [str(n) for n in residents])


def run(*cmd: str, **kw) -> subprocess.CompletedProcess:
    kw.setdefault("check", True)
    kw.setdefault("timeout", 120)
    return subprocess.run(list(cmd), capture_output=True, text=True, **kw)


def account_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def ensure_account(name: str, password: str) -> None:
    """A Linux account with a private group and a home only its owner can enter, and this password."""
    if not account_exists(name):
        run("useradd", "--create-home", "--user-group", "--shell", "/bin/bash", name)
    home = Path(pwd.getpwnam(name).pw_dir)
    os.chmod(home, 0o700)  # Debian's useradd leaves homes 0755 (no HOME_MODE): classmates could read them
    run("chpasswd", input=f"{name}:{password}\n")


def remove_account(name: str) -> None:
    """Stop everything the account runs and delete it with its home (tests, leaving residents)."""
    if not account_exists(name):
        return
    run("pkill", "-KILL", "-u", name, check=False)
    run("userdel", "--remove", name, check=False)
    run("groupdel", name, check=False)


def read_passwords(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    return dict(line.split(" ", 1) for line in path.read_text().splitlines() if " " in line)


def write_passwords(path: Path, passwords: dict[str, str]) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.writelines(f"{n} {p}\n" for n, p in sorted(passwords.items()))
    os.chmod(path, 0o600)


def proxy_token(state: Path) -> str:
    """The proxy API token in state/secrets/proxy_token (0600, made once); CONFIGPROXY_AUTH_TOKEN wins if set."""
    if os.environ.get("CONFIGPROXY_AUTH_TOKEN"):
        return os.environ["CONFIGPROXY_AUTH_TOKEN"]
    path = Path(state) / "secrets" / "proxy_token"
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    if not path.exists() or not path.read_text().strip():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    os.chmod(path, 0o600)
    return path.read_text().strip()


#: Top-level entries of the checkout that other accounts may still enter: the learners' environment
#: (.venv-hub), the hub's state (its own modes: secrets 0700), the hub's Jupyter settings (deploy/), and
#: the two folders root's grading sandbox binds for its unprivileged kernel uid (.venv, spinecourse/).
#: None holds a solution; everything else (assignments/, .git, tests/, ...) becomes owner/group only.
CHECKOUT_OPEN = {".venv-hub", ".hub", "deploy", ".venv", "spinecourse"}


def close_checkout(root: Path = ROOT) -> list[str]:
    """Other accounts may traverse the checkout (to reach .venv-hub) but not list it or enter the rest.

    Returns the entries closed. Modes only (git does not record them); the owner (root, or the instructor
    who cloned it) keeps every right."""
    closed = []
    os.chmod(root, os.stat(root).st_mode & ~0o006 & 0o7777 | 0o001)  # o=x: reach .venv-hub, list nothing
    for entry in sorted(root.iterdir()):
        if entry.name in CHECKOUT_OPEN or entry.is_symlink():
            continue
        mode = entry.lstat().st_mode & 0o7777
        if mode & 0o007:
            os.chmod(entry, mode & ~0o007)
            closed.append(entry.name)
    return closed


def make_exchange(exchange: Path, course_id: str, instructor: str) -> Path:
    """The exchange root (root-owned, 1777) and this course's folders, owned by the instructor.

    nbgrader's default (a 0777 root, course folder made by whoever comes first) let a resident rename the
    course folder and publish a quiz of their own; with the sticky bit only an entry's owner (or root) can
    rename or remove it, and the course folder exists before any resident logs in."""
    exchange.mkdir(parents=True, exist_ok=True)
    if exchange.is_symlink() or not exchange.is_dir():
        raise RuntimeError(f"{exchange} must be a real folder")
    os.chown(exchange, 0, 0)
    os.chmod(exchange, 0o1777)  # nbgrader checks that every user can write the root (fetch, submit)
    user = pwd.getpwnam(instructor)
    course = exchange / course_id
    # outbound: released quizzes; inbound: write-only + sticky (a classmate cannot rename a submission);
    # feedback: traverse-only (files named by a hash of each submission's secret).
    for path, mode in (
        (course, 0o755),
        (course / "outbound", 0o755),
        (course / "inbound", 0o3733),
        (course / "feedback", 0o711),
    ):
        if not path.exists():
            path.mkdir()
            os.chown(path, user.pw_uid, user.pw_gid)
        st = path.lstat()
        if not path.is_dir() or path.is_symlink() or st.st_uid != user.pw_uid:
            raise RuntimeError(
                f"{path} is not a folder owned by {instructor}: someone else made it; inspect and "
                "remove it (as root), then run hubsetup again"
            )
        os.chmod(path, mode)
    return course


def as_user(
    name: str, *cmd: str, timeout: float = 300, cwd: str | None = None, input_text: str | None = None
) -> subprocess.CompletedProcess:
    """Run a command as that user, with the course's tools first on PATH (nbgrader calls jupyter by name)."""
    home = pwd.getpwnam(name).pw_dir
    env_cmd = [
        "env",
        "-i",
        f"HOME={home}",
        f"USER={name}",
        f"LOGNAME={name}",
        f"PATH={VENV_BIN}:/usr/local/bin:/usr/bin:/bin",
        f"JUPYTER_CONFIG_PATH={HUB_DIR / 'jupyter'}",
        f"SPINECOURSE_EXCHANGE={os.environ.get('SPINECOURSE_EXCHANGE', '')}",
        f"SPINECOURSE_COURSE_ID={os.environ.get('SPINECOURSE_COURSE_ID', '')}",
        "LANG=C.UTF-8",
    ]
    return subprocess.run(
        ["runuser", "-u", name, "--", *env_cmd, *cmd],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd or home,
        input=input_text,
    )


def instructor_course(name: str, roster: Roster) -> Path:
    """~name/course: the nbgrader course folder (the repository's quizzes and config), owned by the instructor."""
    home = Path(pwd.getpwnam(name).pw_dir)
    course = home / "course"
    if not (course / "source").exists():
        course.mkdir(exist_ok=True)
        shutil.copytree(
            ROOT / "assignments" / "source",
            course / "source",
            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
        )
    shutil.copy(ROOT / "assignments" / "nbgrader_config.py", course / "nbgrader_config.py")
    jupyter = home / ".jupyter"
    jupyter.mkdir(exist_ok=True)
    (jupyter / "nbgrader_config.py").write_text(
        "# Written by deploy/hub/hubsetup.py: this instructor's nbgrader course (formgrader, nbgrader commands).\n"
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        f"load_subconfig({str(course / 'nbgrader_config.py')!r})  # noqa: F821 (gradebook, time limit, feedback)\n"
    )
    run("chown", "-R", f"{name}:{name}", str(course), str(jupyter))
    return course


def register_students(instructor: str, course: Path, residents: list[str]) -> None:
    """Put the residents in the gradebook (one process, as the instructor: the gradebook stays theirs)."""
    code = (
        "import sys; from nbgrader.api import Gradebook\n"
        f"with Gradebook('sqlite:///{course}/gradebook.db', course_id={os.environ.get('SPINECOURSE_COURSE_ID') or 'stem-cells-spinal-stenosis'!r}) as gb:\n"
        "    [gb.update_or_create_student(s) for s in sys.argv[1:]]\n"
    )
    result = as_user(instructor, str(VENV_BIN / "python"), "-c", code, *residents)
    if result.returncode != 0:
        raise RuntimeError(f"could not add the residents to the gradebook:\n{result.stderr[-2000:]}")


def publish_course(state: Path, source: Path = ROOT / "course") -> str:
    """Commit the learner-facing course (``source``, by default course/) to state/course.git; return the commit.

    nbgitpuller merges each new commit into every learner's copy without overwriting their edits."""
    bare, work = state / "course.git", state / "course-work"
    env = {**os.environ, **GIT_ENV}
    if not bare.exists():
        run("git", "init", "--quiet", "--bare", "--initial-branch=main", str(bare))
        (bare / "git-daemon-export-ok").touch()
    if not (work / ".git").exists():
        work.mkdir(parents=True, exist_ok=True)
        run("git", "init", "--quiet", "--initial-branch=main", cwd=work)
    for child in work.iterdir():
        if child.name != ".git":
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    shutil.copytree(
        source, work, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc")
    )
    run("git", "add", "--all", cwd=work)
    if run("git", "status", "--porcelain", cwd=work).stdout.strip():
        run("git", "commit", "--quiet", "-m", "Publish the course", cwd=work, env=env)
        run("git", "push", "--quiet", "--force", str(bare), "main", cwd=work, env=env)
    return run("git", "rev-parse", "HEAD", cwd=work).stdout.strip()


def setup(roster: Roster, state: Path, passwords: dict[str, str] | None = None) -> dict[str, str]:
    """Make (or update) everything the hub needs; return every roster name's password."""
    state.mkdir(parents=True, exist_ok=True)
    os.chmod(state, 0o755)  # users traverse it to reach exchange/; secrets/ and the hub database are 0700/0600
    secrets_file = state / "secrets" / "passwords.txt"
    known = {**read_passwords(secrets_file), **(passwords or {})}
    for name in roster.everyone:
        known.setdefault(name, secrets.token_urlsafe(12))
        ensure_account(name, known[name])
    write_passwords(secrets_file, known)
    proxy_token(state)
    exchange = Path(os.environ.get("SPINECOURSE_EXCHANGE") or state / "exchange")
    make_exchange(exchange, os.environ.get("SPINECOURSE_COURSE_ID") or roster.course_id, roster.instructors[0])
    for instructor in roster.instructors:
        if roster.residents:  # read submissions/feedback through each resident's private group (one call)
            run("usermod", "--append", "--groups", ",".join(roster.residents), instructor)
        course = instructor_course(instructor, roster)
        register_students(instructor, course, roster.residents)
    publish_course(state)
    close_checkout(ROOT)
    return {n: known[n] for n in roster.everyone}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--roster", default=os.environ.get("SPINECOURSE_ROSTER", str(HUB_DIR / "roster.yml")))
    parser.add_argument("--state", default=os.environ.get("SPINECOURSE_HUB_STATE", str(ROOT / ".hub")))
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print(
            "hubsetup: run as root (it creates Linux accounts; the hub spawns each user's server as that user).",
            file=sys.stderr,
        )
        return 2
    try:
        roster = load_roster(Path(args.roster))
    except RosterError as exc:
        print(f"hubsetup: {exc}", file=sys.stderr)
        return 2
    os.environ.setdefault("SPINECOURSE_COURSE_ID", roster.course_id)
    setup(roster, Path(args.state).resolve())
    print(
        f"hubsetup: {len(roster.instructors)} instructor(s), {len(roster.residents)} resident(s) ready; "
        f"passwords in {Path(args.state).resolve() / 'secrets' / 'passwords.txt'} (root only)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
