"""environment.yml (Binder, conda) installs the same pinned set as make: requirements.lock, through pip."""

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


def conda_names() -> set[str]:
    return {re.split(r"[=<>\s]", d, maxsplit=1)[0].lower() for d in conda_env()["dependencies"] if isinstance(d, str)}


def pip_section() -> list[str]:
    return next(d["pip"] for d in conda_env()["dependencies"] if isinstance(d, dict))


def test_conda_gives_only_python_and_pip():
    """Any other conda package would be solved from conda-forge, whose versions can lag PyPI's."""
    assert conda_names() == {"python", "pip"}, (
        "environment.yml: list only python and pip under dependencies; every other package comes from "
        "requirements.lock in the pip section"
    )


def test_pip_installs_the_lock_then_the_course():
    section = [line.strip() for line in pip_section()]
    assert section[0] == "-r requirements.lock", section
    assert "-e ." in section or "." in section
    assert (ROOT / "requirements.lock").is_file()


def test_design_card_packages_are_there():
    assert set(pip_deps()) >= CARD


def test_python_versions_agree():
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    python = next(d for d in conda_env()["dependencies"] if isinstance(d, str) and d.startswith("python="))
    minimum = re.search(r">=\s*(\d+\.\d+)", requires).group(1)
    assert tuple(map(int, python.split("=")[1].split("."))) >= tuple(map(int, minimum.split(".")))
    lock_python = re.search(r"Python (\d+\.\d+)", (ROOT / "requirements.lock").read_text()).group(1)
    assert python.split("=")[1] == lock_python, "environment.yml's Python and the lock's Python differ"
