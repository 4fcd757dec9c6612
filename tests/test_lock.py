"""One pinned environment: requirements.lock agrees with pyproject.toml, and the venv is the lock.

The lock (``make lock`` = tools/lock.py) holds the exact versions the suite proved, for every route:
make, Binder (environment.yml), the hub's single-user environment and the site build.
"""

from __future__ import annotations

import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import lock  # noqa: E402  (tools/lock.py)

REFRESH = (
    "Run `make lock` (re-resolves requirements.lock from pyproject.toml), then `make venv` "
    "(installs it) and the whole `make test` before committing the new lock."
)
# Never pinned: the course itself (installed editable from the checkout) and the installer.
NOT_PINNED = {"spinecourse", "pip"}


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(text: str | None = None) -> dict[str, str]:
    text = (ROOT / "requirements.lock").read_text() if text is None else text
    found = {}
    for line in text.splitlines():
        m = re.match(r"^([A-Za-z0-9][A-Za-z0-9_.\-]*)==([^\s;\\]+)", line)
        if m:
            found[norm(m.group(1))] = m.group(2)
    return found


def project_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        specs += extra
    return [Requirement(s) for s in specs]


def unmet(requirements: list[Requirement], locked: dict[str, str]) -> list[str]:
    problems = []
    for req in requirements:
        version = locked.get(norm(req.name))
        if version is None:
            problems.append(f"{req.name} is in pyproject.toml but not in requirements.lock")
        elif not req.specifier.contains(Version(version), prereleases=True):
            problems.append(f"{req.name}: the lock pins {version}, pyproject.toml asks for {req.specifier}")
    return problems


def environment_differences(locked: dict[str, str], installed: dict[str, str]) -> list[str]:
    problems = [
        f"{name}: the lock pins {version}, installed {installed.get(name, 'nothing')}"
        for name, version in sorted(locked.items())
        if installed.get(name) != version
    ]
    problems += [
        f"{name} {installed[name]} is installed but not in the lock (if pyproject.toml now asks for it, or "
        f"for a package that needs it: `make lock`; otherwise `.venv/bin/pip uninstall {name}`)"
        for name in sorted(set(installed) - set(locked) - NOT_PINNED - {norm(p) for p in lock.LEFT_OUT})
    ]
    return problems


def installed_versions() -> dict[str, str]:
    return {norm(d.metadata["Name"]): d.version for d in importlib.metadata.distributions()}


def test_lock_was_made_from_this_pyproject():
    text = (ROOT / "requirements.lock").read_text()
    recorded = next(
        (
            line.removeprefix(lock.HASH_PREFIX).strip()
            for line in text.splitlines()
            if line.startswith(lock.HASH_PREFIX)
        ),
        None,
    )
    assert recorded, f"requirements.lock has no '{lock.HASH_PREFIX.strip()}' line. {REFRESH}"
    assert recorded == lock.requirements_digest(), (
        "pyproject.toml's requirements (dependencies, extras, requires-python) changed since requirements.lock "
        f"was made. {REFRESH}"
    )


def test_lock_satisfies_every_requirement_and_extra():
    problems = unmet(project_requirements(), pins())
    assert not problems, "\n".join(problems) + f"\n{REFRESH}"


def test_lock_leaves_out_only_what_it_says():
    locked = pins()
    assert len(locked) > 50 and not set(lock.LEFT_OUT) & set(locked)
    assert all(re.fullmatch(r"[0-9][0-9A-Za-z.+!-]*", v) for v in locked.values()), "every pin is an exact version"


def test_installed_environment_is_the_lock():
    problems = environment_differences(pins(), installed_versions())
    assert not problems, (
        f"{sys.prefix} differs from requirements.lock:\n  "
        + "\n  ".join(problems)
        + "\nTo install the lock: `make venv` (pip install --no-deps -r requirements.lock). "
        "If pyproject.toml changed: " + REFRESH
    )


def test_the_checks_catch_drift():
    """The detectors themselves, on made-up data."""
    reqs = [Requirement("jupyterlab>=4.2,<5"), Requirement("newthing>=1")]
    problems = unmet(reqs, {"jupyterlab": "5.0.0"})
    assert any("pins 5.0.0" in p for p in problems) and any("newthing is in pyproject" in p for p in problems)
    problems = environment_differences({"a": "1.0", "b": "2.0"}, {"a": "1.0", "b": "2.1", "stray": "0.1"})
    assert problems[0].startswith("b: the lock pins 2.0, installed 2.1") and "stray 0.1 is installed" in problems[1]
    assert environment_differences({"a": "1.0"}, {"a": "1.0", "spinecourse": "0.1.0"}) == []
