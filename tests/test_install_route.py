"""One way to install (issue 20): `pip install` of the package, wheel or editable, is the whole route.

pyproject.toml's hatchling shared-data puts the slider-name JupyterLab extension and the learner
settings into {prefix}/share/jupyter; nothing else (Makefile, postBuild, Dockerfile, the hub's user
environment) copies them by hand.
"""

import hashlib
import json
import re
import sys
from importlib.metadata import distribution
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = {
    "share/jupyter/labextensions/spinecourse-a11y/package.json": "spinecourse/widgets/labextension/package.json",
    "share/jupyter/labextensions/spinecourse-a11y/install.json": "spinecourse/widgets/labextension/install.json",
    "share/jupyter/labextensions/spinecourse-a11y/static/remoteEntry.spinecourse-a11y.js": "spinecourse/widgets/labextension/static/remoteEntry.spinecourse-a11y.js",
    "share/jupyter/lab/settings/overrides.json": "jupyter-settings/overrides.json",
}
INSTALLERS = ["Makefile", "postBuild", "deploy/k8s/Dockerfile", "deploy/hub/user_env.py"]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_installed_distribution_carries_the_extension_and_settings():
    files = {str(f).replace("\\", "/") for f in distribution("spinecourse").files or []}
    for target, source in SHARED.items():
        recorded = [f for f in files if f.endswith(target)]
        assert recorded, (
            f"the installed spinecourse does not record {target}: pyproject.toml's "
            "[tool.hatch.build.targets.wheel.shared-data] must list it (then `make venv`)"
        )
        installed = Path(sys.prefix) / target
        assert installed.is_file(), f"{installed} is missing: reinstall with `make venv`"
        assert digest(installed) == digest(ROOT / source), (
            f"{installed} differs from {source}: the Makefile's install stamp depends on it; run `make venv`"
        )


def test_shared_data_lists_exactly_these_files():
    text = (ROOT / "pyproject.toml").read_text()
    block = text.split("[tool.hatch.build.targets.wheel.shared-data]", 1)[1].split("\n[", 1)[0]
    pairs = dict(re.findall(r'^"([^"]+)"\s*=\s*"([^"]+)"', block, re.MULTILINE))
    assert {v: k for k, v in pairs.items()} == SHARED


def test_no_installer_copies_them_by_hand():
    for name in INSTALLERS:
        path = ROOT / name
        if not path.exists():
            continue
        text = path.read_text()
        assert "spinecourse.widgets.labextension" not in text, f"{name} installs the lab extension itself"
        assert "lab/settings/overrides.json" not in text, f"{name} copies overrides.json itself"


def test_lab_extension_metadata_is_consistent():
    package = json.loads((ROOT / "spinecourse/widgets/labextension/package.json").read_text())
    assert package["name"] == "spinecourse-a11y"
    assert (ROOT / "spinecourse/widgets/labextension/static" / f"remoteEntry.{package['name']}.js").is_file()
