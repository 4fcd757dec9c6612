"""The Python that each hub user's server and kernels run: .venv itself, or a thin view of it.

The hub spawns servers as the users' own accounts, so they must be able to execute .venv's
interpreter. When .venv was made from a Python that other accounts cannot reach (pyenv under
/root, mode 0700: this machine and many CI images), this makes ``.venv-hub/``: a copy of that
same interpreter and its standard library (``.venv-hub/python``, about 120 MB, run-path patched
with Debian's patchelf so it finds its own libpython), a venv of it whose site-packages are hard
links of .venv's (nothing is installed twice, the pins are the same; re-linked when .venv changes) and scripts (jupyter, nbgrader, ...)
that run it. Not Debian's /usr/bin/python3.11: 3.11.2 has a regular-expression bug (possessive
quantifiers) that breaks soupsieve and with it nbconvert's HTML export, i.e. nbgrader feedback.
Run by tools/install_hub.sh; idempotent.

    .venv/bin/python deploy/hub/user_env.py      # prints the interpreter users get
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
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
    if reachable_by_others(VENV / "bin" / "python"):
        return VENV / "bin" / "python"
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
            (BASE_COPY / "lib").mkdir(), shutil.copy2(so, BASE_COPY / "lib" / so.name))
    shutil.copytree(src / "lib" / lib, BASE_COPY / "lib" / lib, symlinks=True,
                    ignore=lambda d, names: [n for n in names if Path(d) == src / "lib" / lib
                                             and (n in ("site-packages", "test") or n.startswith("config-"))])
    (BASE_COPY / "lib" / lib / "site-packages").mkdir(exist_ok=True)
    subprocess.run(["patchelf", "--set-rpath", "$ORIGIN/../lib", str(target)], check=True, timeout=60)
    for path in [BASE_COPY, *BASE_COPY.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | (0o755 if path.is_dir() or path.stat().st_mode & 0o100 else 0o644))
    return target


def build() -> Path:
    if reachable_by_others(VENV / "bin" / "python"):
        return VENV / "bin" / "python"
    base = copy_base_python()
    if not (HUB_VENV / "bin" / "python").exists():
        subprocess.run([str(base), "-m", "venv", "--without-pip", str(HUB_VENV)], check=True, timeout=120)
    site = Path(subprocess.run([str(HUB_VENV / "bin" / "python"), "-c",
                                "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               check=True, capture_output=True, text=True, timeout=60).stdout.strip())
    course_site = Path(sysconfig.get_path("purelib"))  # .venv's site-packages (this script runs in .venv)
    # Hard links of .venv's packages (no second install, no extra disk; .venv's own .pth files come along).
    # A copy, not a .pth pointing into .venv: the grading sandbox binds only the interpreter's own prefix.
    stamp = HUB_VENV / ".synced"
    newest = max((course_site / n).stat().st_mtime for n in os.listdir(course_site))
    if not stamp.exists() or stamp.stat().st_mtime < newest:
        shutil.rmtree(site, ignore_errors=True)
        subprocess.run(["cp", "-al", str(course_site), str(site)], check=True, timeout=300)
        stamp.touch()
    shebang = f"#!{VENV / 'bin' / 'python'}"
    for script in (VENV / "bin").iterdir():
        if script.is_symlink() or not script.is_file() or (HUB_VENV / "bin" / script.name).exists() \
                and script.name.startswith("python"):
            continue
        try:
            text = script.read_text()
        except UnicodeDecodeError:
            continue
        first, _, rest = text.partition("\n")
        if first.startswith(shebang):
            target = HUB_VENV / "bin" / script.name
            target.write_text(f"#!{HUB_VENV / 'bin' / 'python'}\n{rest}")
            target.chmod(0o755)
    share = HUB_VENV / "share"
    if not share.exists():  # kernelspecs, lab extensions and settings are found relative to sys.prefix
        share.symlink_to(VENV / "share")
    etc = HUB_VENV / "etc"
    if not etc.exists():  # server extensions (nbgrader, nbgitpuller) are enabled in .venv/etc/jupyter
        etc.symlink_to(VENV / "etc")
    return HUB_VENV / "bin" / "python"


if __name__ == "__main__":
    print(build())
