"""environment.yml (Binder, conda) and pyproject.toml (pip, make) must ask for the same packages."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CARD = {"jupyterlab", "ipywidgets", "nbgrader", "matplotlib", "pytest", "nbval"}


def parse(spec: str) -> tuple[str, str]:
    name, constraint = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec).groups()
    name = name.lower().replace("_", "-")
    return name, constraint.replace(" ", "")


def pip_deps() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return dict(parse(s) for s in project["dependencies"])


def conda_env() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def conda_deps() -> dict[str, str]:
    specs = [d for d in conda_env()["dependencies"] if isinstance(d, str)]
    deps = dict(parse(s.replace("=", "==", 1) if re.match(r"^[\w\-]+=\d", s) else s) for s in specs)
    deps.pop("pip", None)
    deps.pop("python", None)
    return deps


def test_same_packages_and_bounds():
    assert pip_deps() == conda_deps()


def test_design_card_packages_are_there():
    assert CARD <= set(pip_deps())


def test_python_versions_agree():
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    python = next(d for d in conda_env()["dependencies"] if isinstance(d, str) and d.startswith("python="))
    minimum = re.search(r">=\s*(\d+\.\d+)", requires).group(1)
    assert tuple(map(int, python.split("=")[1].split("."))) >= tuple(map(int, minimum.split(".")))


def test_local_package_installed_through_pip_section():
    pip_section = next(d["pip"] for d in conda_env()["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_section or "." in pip_section
