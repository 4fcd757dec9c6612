"""The Kubernetes route as far as this machine allows: the Z2JH values and the image's build file.

No cluster and no Docker engine here: the chart is not installed and the image is not built
(deploy/README.md lists what is untested). These checks keep the files honest: they parse, they
set what the runbook promises, and every Python package they name is one requirements.lock pins.
"""

from __future__ import annotations

import re
import shlex
import urllib.parse

import yaml
from hubkit import ROOT, hubsetup

K8S = ROOT / "deploy" / "k8s"
LOCK = ROOT / "requirements.lock"


def locked() -> dict[str, str]:
    pins = {}
    for line in LOCK.read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.-]+)==([^\s;]+)", line)
        if m:
            pins[re.sub(r"[-_.]+", "-", m.group(1)).lower()] = m.group(2)
    return pins


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_values_parse_and_set_what_the_runbook_promises():
    values = yaml.safe_load((K8S / "config.yaml").read_text())
    single = values["singleuser"]
    assert single["image"]["name"].endswith("spinecourse-singleuser") and single["image"]["tag"]
    assert single["memory"]["limit"] and single["cpu"]["limit"], "resource limits"
    assert values["cull"]["enabled"] is True and values["cull"]["timeout"] > 0, "idle culling"
    url = urllib.parse.urlparse(single["defaultUrl"])
    query = urllib.parse.parse_qs(url.query)
    assert url.path == "/git-pull", single["defaultUrl"]
    assert query["targetpath"] == [hubsetup.COURSE_FOLDER]
    assert query["urlpath"] == [f"lab/tree/{hubsetup.COURSE_FOLDER}/{hubsetup.START_PAGE}"]
    assert query["branch"] == ["main"] and query["repo"][0].endswith("course.git")
    # the nbgitpuller guard (issue 19) lets exactly this link's repository and folder through
    env = single["extraEnv"]
    assert (
        env["SPINECOURSE_COURSE_REPO"] == query["repo"][0]
        and env["SPINECOURSE_COURSE_FOLDER"] == query["targetpath"][0]
    )
    dockerfile = (K8S / "Dockerfile").read_text()
    assert "deploy/hub/jupyter/jupyter_server_config.py deploy/hub/jupyter/spinecourse_pull_guard.py" in dockerfile
    assert "nbexchange" in values["hub"]["services"], "the exchange without a shared file system"
    admins = set(values["hub"]["config"]["Authenticator"]["admin_users"])
    assert admins <= set(values["hub"]["config"]["Authenticator"]["allowed_users"])


def test_image_installs_exactly_the_lock():
    text = (K8S / "Dockerfile").read_text()
    python = re.search(r"^FROM python:(\d+\.\d+)", text, re.M).group(1)
    lock_python = re.search(r"Python (\d+\.\d+)", LOCK.read_text()).group(1)
    assert python == lock_python, f"image Python {python}, lock resolved for {lock_python}"
    assert "--no-deps -r /opt/spinecourse/requirements.lock" in text
    pins = locked()
    for package in ("jupyterhub", "jupyterlab", "nbgrader", "nbgitpuller", "ipywidgets"):
        assert package in pins, f"{package} is not pinned in requirements.lock"
    # Every pip install names the lock, the course, or the one documented exception (nbexchange: not on PyPI).
    installs = re.findall(r"pip install ([^\n\\&]+)", text)
    assert installs
    for args in installs:
        words = [w for w in shlex.split(args) if not w.startswith("-")]
        for word in words:
            if word in ("/opt/spinecourse/requirements.lock", "/opt/spinecourse"):
                continue
            name = norm(re.split(r"[\s@=<>\[]", word)[0])
            if name == "nbexchange":
                continue
            assert name in pins, f"the Dockerfile installs {word!r}, which requirements.lock does not pin"


def test_exchange_plugin_config_is_python_and_complete():
    source = (K8S / "nbgrader_config.py").read_text()
    compile(source, "nbgrader_config.py", "exec")
    for step in (
        "fetch_assignment",
        "fetch_feedback",
        "release_assignment",
        "release_feedback",
        "list",
        "submit",
        "collect",
        "exchange",
    ):
        assert f'c.ExchangeFactory.{step} = "nbexchange.plugin.' in source, step
