"""The Python that each hub user's server and kernels run: .venv itself, or a thin view of it.

The hub spawns servers as the users' own accounts, so they must be able to execute .venv's
interpreter. When .venv was made from a Python that other accounts cannot reach (pyenv under
/root, mode 0700: this machine and many CI images), this makes ``.venv-hub/``: a venv of a
world-executable CPython of the same minor version (Debian's /usr/bin/python3.11) whose
site-packages loads .venv's (so nothing is installed twice, the pins are the same) and whose
scripts (jupyter, nbgrader, ...) run that interpreter. Run by tools/install_hub.sh; idempotent.

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
CANDIDATES = [f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}",
              f"/usr/local/bin/python{sys.version_info.major}.{sys.version_info.minor}"]


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


def build() -> Path:
    if reachable_by_others(VENV / "bin" / "python"):
        return VENV / "bin" / "python"
    base = next((c for c in CANDIDATES if Path(c).exists() and reachable_by_others(Path(c))), None)
    if base is None:
        raise SystemExit(f"user_env: {os.path.realpath(VENV / 'bin' / 'python')} cannot be run by other accounts "
                         f"and no world-executable Python {sys.version_info.major}.{sys.version_info.minor} was "
                         f"found ({', '.join(CANDIDATES)}): apt-get install python3 (Debian), or build .venv "
                         "from a Python outside /root.")
    if not (HUB_VENV / "bin" / "python").exists():
        subprocess.run([base, "-m", "venv", "--without-pip", str(HUB_VENV)], check=True, timeout=120)
    site = Path(subprocess.run([str(HUB_VENV / "bin" / "python"), "-c",
                                "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               check=True, capture_output=True, text=True, timeout=60).stdout.strip())
    course_site = sysconfig.get_path("purelib")  # .venv's site-packages (this script runs in .venv)
    # addsitedir (not a bare path) so .venv's own .pth files run too (the editable spinecourse install).
    (site / "_course_venv.pth").write_text(f"import site; site.addsitedir({course_site!r})\n")
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
