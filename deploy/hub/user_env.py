"""The learners' environment: the Python every hub user's server and kernels run (``.venv-hub``).

It is the course's pinned environment WITHOUT the repository: ``.venv`` has the course installed
editable (its ``spinecourse`` is the checkout, so the checkout would have to be readable by every
resident, quiz sources and .git included). ``.venv-hub`` is a venv whose site-packages are hard links
of .venv's (nothing downloaded or installed twice, the pins are the same; re-linked when .venv changes),
with the course package installed NON-editable by the one install route (``pip install`` of a wheel
built from this checkout, offline). hubsetup.close_checkout then closes the checkout to other accounts.

When .venv was made from a Python that other accounts cannot reach (pyenv under /root, mode 0700: this
machine and many CI images), the venv is made from a copy of that same interpreter and its standard
library (``.venv-hub/python``, about 120 MB, run-path patched with Debian's patchelf so it finds its own
libpython). Not Debian's /usr/bin/python3.11: 3.11.2 has a regular-expression bug (possessive
quantifiers) that breaks soupsieve and with it nbconvert's HTML export, i.e. nbgrader feedback.
Run by tools/install_hub.sh and by tests/hub at the start of a session; idempotent, a few seconds (the
wheel is built only when the checkout's course differs from the one installed: ``.course-installed``).

    .venv/bin/python deploy/hub/user_env.py      # (re)builds it, prints the interpreter users get
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv"
HUB_VENV = ROOT / ".venv-hub"
BASE_COPY = HUB_VENV / "python"
VERSION = f"{sys.version_info.major}.{sys.version_info.minor}"


def reachable_by_others(path: Path) -> bool:
    """True when an account without privileges can execute ``path`` (every folder above it o+x)."""
    real = Path(os.path.realpath(path))
    if not os.stat(real).st_mode & 0o001:
        return False
    return all(os.stat(p).st_mode & 0o001 for p in real.parents)


def user_python() -> Path:
    """The interpreter hub users run (does not create anything)."""
    return HUB_VENV / "bin" / "python"


def copy_base_python() -> Path:
    """A world-readable copy of the interpreter .venv was made from (without its site-packages)."""
    target = BASE_COPY / "bin" / f"python{VERSION}"
    if target.exists():
        return target
    if shutil.which("patchelf") is None:
        raise SystemExit("user_env: patchelf is missing (tools/install_hub.sh installs it with apt-get)")
    src = Path(sys.base_prefix)
    lib = f"python{VERSION}"
    (BASE_COPY / "bin").mkdir(parents=True, exist_ok=True)
    shutil.copy2(src / "bin" / f"python{VERSION}", target)
    for so in (src / "lib").glob(f"libpython{VERSION}*.so*"):
        shutil.copy2(so, BASE_COPY / "lib" / so.name) if (BASE_COPY / "lib").exists() else (
            (BASE_COPY / "lib").mkdir(),
            shutil.copy2(so, BASE_COPY / "lib" / so.name),
        )
    shutil.copytree(
        src / "lib" / lib,
        BASE_COPY / "lib" / lib,
        symlinks=True,
        ignore=lambda d, names: [
            n
            for n in names
            if Path(d) == src / "lib" / lib and (n in ("site-packages", "test") or n.startswith("config-"))
        ],
    )
    (BASE_COPY / "lib" / lib / "site-packages").mkdir(exist_ok=True)
    subprocess.run(["patchelf", "--set-rpath", "$ORIGIN/../lib", str(target)], check=True, timeout=60)
    for path in [BASE_COPY, *BASE_COPY.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | (0o755 if path.is_dir() or path.stat().st_mode & 0o100 else 0o644))
    return target


def base_python() -> Path:
    """An interpreter of .venv's Python that every account can run (the copy when it is not)."""
    real = Path(os.path.realpath(VENV / "bin" / "python"))
    return real if reachable_by_others(real) else copy_base_python()


def _relink(src: Path, dst: Path) -> None:
    """dst becomes a tree of hard links of src (a symlink or an older tree at dst is replaced)."""
    if dst.is_symlink() or dst.is_file():
        dst.unlink()
    elif dst.exists():
        shutil.rmtree(dst)
    subprocess.run(["cp", "-al", str(src), str(dst)], check=True, timeout=300)


def install_course(python: Path) -> None:
    """The course package, non-editable, into ``python``'s environment: a wheel of this checkout, offline."""
    with tempfile.TemporaryDirectory(prefix="spinecourse-wheel-") as tmp:
        subprocess.run(
            [
                str(VENV / "bin" / "python"),
                "-m",
                "pip",
                "wheel",
                "--quiet",
                "--no-deps",
                "--no-index",
                "--no-build-isolation",
                "--wheel-dir",
                tmp,
                str(ROOT),
            ],
            check=True,
            timeout=300,
            cwd=tmp,
        )
        wheels = sorted(Path(tmp).glob("spinecourse-*.whl"))
        if len(wheels) != 1:
            raise SystemExit(f"user_env: expected one spinecourse wheel, found {wheels}")
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--no-index",
                "--force-reinstall",
                "--no-warn-script-location",
                str(wheels[0]),
            ],
            check=True,
            timeout=300,
            cwd=tmp,
        )


#: What the course wheel is built from (hatch: the package, its shared-data, the project file).
WHEEL_INPUTS = ("spinecourse", "jupyter-settings", "pyproject.toml")
COURSE_STAMP = HUB_VENV / ".course-installed"


def course_digest() -> str:
    """SHA-256 over the wheel's inputs (paths and bytes; caches skipped): equal digests, equal wheels."""
    digest = hashlib.sha256()
    for top in WHEEL_INPUTS:
        path = ROOT / top
        files = [path] if path.is_file() else sorted(path.rglob("*"))
        for f in files:
            if f.is_file() and "__pycache__" not in f.parts and f.suffix != ".pyc":
                digest.update(str(f.relative_to(ROOT)).encode() + b"\0" + f.read_bytes() + b"\0")
    return digest.hexdigest()


def build() -> Path:
    base = base_python()
    if not (HUB_VENV / "bin" / "python").exists():
        subprocess.run([str(base), "-m", "venv", "--without-pip", str(HUB_VENV)], check=True, timeout=120)
    python = HUB_VENV / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout.strip()
    )
    course_site = Path(sysconfig.get_path("purelib"))  # .venv's site-packages (this script runs in .venv)
    # Hard links of .venv's packages (no second install, no extra disk). A copy, not a .pth pointing into
    # .venv: the grading sandbox binds only the interpreter's own prefix. share/ and etc/ (kernelspecs,
    # lab extensions and settings, enabled server extensions) likewise, as real folders: the course's
    # own install below writes its files there and must not write through into .venv.
    stamp = HUB_VENV / ".synced"
    newest = max((course_site / n).stat().st_mtime for n in os.listdir(course_site))
    stale = not stamp.exists() or stamp.stat().st_mtime < newest
    relinked = stale
    if stale:
        _relink(course_site, site)
    for name in ("share", "etc"):
        if stale or (HUB_VENV / name).is_symlink() or not (HUB_VENV / name).exists():
            _relink(VENV / name, HUB_VENV / name)
            relinked = True
    if stale:
        stamp.touch()
    shebang = f"#!{VENV / 'bin' / 'python'}"
    for script in (VENV / "bin").iterdir():
        if (
            script.is_symlink()
            or not script.is_file()
            or (HUB_VENV / "bin" / script.name).exists()
            and script.name.startswith("python")
        ):
            continue
        try:
            text = script.read_text()
        except UnicodeDecodeError:
            continue
        first, _, rest = text.partition("\n")
        if first.startswith(shebang):
            target = HUB_VENV / "bin" / script.name
            wanted = f"#!{python}\n{rest}"
            if not target.is_file() or target.read_text(errors="replace") != wanted:  # unchanged: left alone
                target.write_text(wanted)
            target.chmod(0o755)
    # The hub runs what is installed, so the checkout's course is (re)installed whenever it differs from
    # the last install (or the links above replaced it); an unchanged checkout skips the wheel build
    # (tools/install_hub.sh and then tests/hub's session would otherwise build the same wheel twice).
    digest = course_digest()
    installed = COURSE_STAMP.read_text().strip() if COURSE_STAMP.exists() else ""
    if relinked or installed != digest or not (site / "spinecourse").is_dir():
        COURSE_STAMP.unlink(missing_ok=True)
        install_course(python)
        COURSE_STAMP.write_text(digest + "\n")
    for path in (HUB_VENV, *HUB_VENV.parents[:1]):
        if not os.stat(path).st_mode & 0o001:
            os.chmod(path, os.stat(path).st_mode | 0o001)
    return python


if __name__ == "__main__":
    print(build())
