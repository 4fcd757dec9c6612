"""Binder readiness, as far as it can be checked without conda or Docker.

repo2docker cannot run here (no Docker engine, no conda): these tests check the files it
reads and run postBuild's own steps in a temporary copy of the repository.
What they cannot show: that conda-forge solves the environment, that the image builds,
and that mybinder.org opens the start page (see docs/learner_settings.md).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = ROOT / "jupyter-settings"
POSTBUILD = ROOT / "postBuild"
START_PAGE = "course/00_start_here.ipynb"
REPO2DOCKER_FILES = (
    "environment.yml",
    "requirements.txt",
    "Pipfile",
    "setup.py",
    "pyproject.toml",
    "apt.txt",
    "postBuild",
    "start",
    "runtime.txt",
    "Project.toml",
    "install.R",
    "Dockerfile",
)


def repo2docker_config_dir(root: Path) -> Path:
    """repo2docker reads configuration from binder/ (or .binder/) if it exists, and then ONLY from there."""
    for name in ("binder", ".binder"):
        if (root / name).is_dir():
            return root / name
    return root


def test_repo2docker_config_dir_rule(tmp_path):
    assert repo2docker_config_dir(tmp_path) == tmp_path
    (tmp_path / ".binder").mkdir()
    assert repo2docker_config_dir(tmp_path) == tmp_path / ".binder"
    (tmp_path / "binder").mkdir()
    assert repo2docker_config_dir(tmp_path) == tmp_path / "binder"


def environment_file() -> Path:
    return repo2docker_config_dir(ROOT) / "environment.yml"


def test_repo2docker_sees_the_environment_file():
    env = environment_file()
    assert env.is_file(), (
        f"repo2docker will not find an environment file: it reads only {env.relative_to(ROOT)}. A binder/ or "
        ".binder/ folder makes it ignore the root-level environment.yml and postBuild: keep Binder files at the root."
    )


def test_environment_file_is_installable_as_written():
    env_path = environment_file() if environment_file().is_file() else ROOT / "environment.yml"
    assert env_path.is_file(), "no environment.yml at all"
    env = yaml.safe_load(env_path.read_text())
    deps = env["dependencies"]
    python = [d for d in deps if isinstance(d, str) and d.replace(" ", "").startswith("python=")]
    assert python, "pin the Python version (repo2docker picks its Python from the environment file)"
    version = tuple(int(x) for x in python[0].split("=")[-1].split(".")[:2])
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    minimum = tuple(int(x) for x in project["requires-python"].lstrip(">=").split(".")[:2])
    assert version >= minimum
    conda_names = {d.split("=")[0].split(">")[0].split("<")[0].strip().lower() for d in deps if isinstance(d, str)}
    pip = next((d["pip"] for d in deps if isinstance(d, dict) and "pip" in d), [])
    # the packages come from the lock through pip (conda-forge can lag PyPI): see test_environment_files.py
    assert "pip" in conda_names and "-r requirements.lock" in [line.strip() for line in pip], (
        f"{env_path.name}: install requirements.lock with pip"
    )
    lock = (env_path.parent / "requirements.lock").read_text()
    for wanted in ("jupyterlab", "ipywidgets", "nbgrader"):
        assert re.search(rf"^{wanted}==", lock, re.MULTILINE), f"{wanted} missing from requirements.lock"
    for line in pip:
        assert not line.startswith(("http:", "https:", "git+")), f"unpinned remote pip requirement: {line}"


def test_postbuild_is_an_executable_strict_bash_script():
    text = POSTBUILD.read_text()
    assert text.startswith("#!/usr/bin/env bash") and "set -euo pipefail" in text
    assert os.access(POSTBUILD, os.X_OK), "postBuild must be executable (git keeps the mode bit: chmod +x)"
    assert "pip install --no-deps --no-build-isolation -e ." in text, (
        "the course package must be installed in the image"
    )
    subprocess.run(["bash", "-n", str(POSTBUILD)], check=True)


def test_overrides_are_valid_jupyterlab_settings():
    """Each key in jupyter-settings/overrides.json names a real JupyterLab plugin and a property of its schema."""
    overrides = json.loads((SETTINGS / "overrides.json").read_text())
    jupyter = Path(sys.prefix) / "share" / "jupyter"
    schemas = jupyter / "lab" / "schemas"
    assert schemas.is_dir()
    for plugin, values in overrides.items():
        package, _, name = plugin.partition(":")
        # core plugins' schemas, or a prebuilt extension's own (ipywidgets' manager: saveState)
        candidates = [
            schemas / package / f"{name}.json",
            jupyter / "labextensions" / package / "schemas" / package / f"{name}.json",
        ]
        schema_file = next((c for c in candidates if c.is_file()), candidates[0])
        assert schema_file.is_file(), f"{plugin}: no such JupyterLab settings schema"
        properties = json.loads(schema_file.read_text()).get("properties", {})
        for key in values:
            assert key in properties, f"{plugin}: unknown setting {key!r}"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """postBuild run in a temporary copy, as repo2docker would (from the repo root).

    The committed student copies come along, as they do in the public repository Binder builds from
    (tools/export_public.py), so postBuild keeps them; that they are what nbgrader generates from the
    sources is test_nbgrader_roundtrip.py's check (one generation per quiz, not one more here)."""
    base = tmp_path_factory.mktemp("binder")
    repo = base / "repo"
    shutil.copytree(
        ROOT,
        repo,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            "*.egg-info",
            "__pycache__",
            ".ipynb_checkpoints",
            "test-artifacts",
            ".venv-hub",
            ".hub",
            "node_modules",
            "_build",
            "_output",
            "build",
            "axe",
            "submitted",
            "autograded",
            "feedback",
            "gradebook.db",
            "exports",
        ),
    )
    prefix = base / "prefix"
    env = dict(os.environ, PYTHON=sys.executable, BINDER_PREFIX=str(prefix), BINDER_SKIP_PIP="1")
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    result = subprocess.run(["bash", "postBuild"], cwd=repo, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return repo, prefix


@pytest.fixture(scope="module")
def wheel_data(tmp_path_factory):
    """The course's wheel, built offline as postBuild's pip step builds it (the lock's hatchling): its
    ``*.data/data/`` files are what pip puts into the prefix (Binder's, the hub's, the image's).
    Built, not installed: `pip install --prefix` would uninstall the test venv's own copy."""
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "--wheel-dir",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (wheel,) = out.glob("spinecourse-*.whl")
    prefix = out / "prefix"
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if ".data/data/" in name:
                target = prefix / name.split(".data/data/", 1)[1]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(name))
    return prefix


def test_pip_install_brings_the_learner_settings(wheel_data):
    installed = wheel_data / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert json.loads(installed.read_text()) == json.loads((SETTINGS / "overrides.json").read_text())


def test_pip_install_brings_the_slider_name_extension(wheel_data):
    from spinecourse.widgets import labextension

    assert labextension.is_installed(wheel_data), "the wheel does not carry spinecourse-a11y for the prefix"


def test_postbuild_installs_through_pip_only():
    text = (ROOT / "postBuild").read_text()
    assert "pip install --no-deps --no-build-isolation -e ." in text


def test_postbuild_opens_the_start_page(built):
    repo, prefix = built
    config = json.loads((prefix / "etc" / "jupyter" / "jupyter_server_config.d" / "spinecourse.json").read_text())
    url = config["ServerApp"]["default_url"]
    assert url == "/lab/tree/" + START_PAGE
    assert (repo / url.removeprefix("/lab/tree/")).is_file()


def test_postbuild_releases_every_quiz_without_solutions(built):
    repo, _ = built
    sources = sorted(p.name for p in (repo / "assignments" / "source").iterdir() if p.is_dir())
    released = sorted(p.name for p in (repo / "assignments" / "release").iterdir() if p.is_dir())
    assert released == sources
    for name in sources:
        notebooks = sorted((repo / "assignments" / "release" / name).glob("*.ipynb"))
        assert notebooks, f"{name}: no student notebook released"
        for path in notebooks:
            text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)
            for marker in ("### BEGIN SOLUTION", "### BEGIN HIDDEN TESTS"):
                assert marker not in text, f"{path.name}: {marker} in the student copy"
    assert not (repo / "assignments" / "gradebook.db").exists(), "the gradebook (holds solutions) stays out of Binder"
