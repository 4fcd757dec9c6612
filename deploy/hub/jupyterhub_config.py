"""JupyterHub for a residency programme on ONE server (the department hub): `make hub`.

Run as root after deploy/hub/hubsetup.py (which makes the accounts, exchange and course repo):

    .venv/bin/jupyterhub -f deploy/hub/jupyterhub_config.py

Everything listens on 127.0.0.1 only; put a TLS reverse proxy (or TLJH's traefik) in front to
open it to the department. Settings come from environment variables so that tests/hub can run a
second hub on free ports beside a running one:

    SPINECOURSE_HUB_STATE     state folder (default .hub/: database, secrets, exchange, course.git)
    SPINECOURSE_ROSTER        the roster (default deploy/hub/roster.yml)
    SPINECOURSE_HUB_PORT      public port (8000); SPINECOURSE_HUB_API_PORT (8081), SPINECOURSE_PROXY_API_PORT (8001)
    SPINECOURSE_GIT_PORT      the git daemon that serves course.git to nbgitpuller (9418)
    SPINECOURSE_COURSE_REPO   a different course repository URL (then no git daemon is started)
    SPINECOURSE_EXCHANGE      nbgrader exchange root (default STATE/exchange)
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlencode

HUB_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(HUB_DIR))
import hubsetup  # noqa: E402  (roster loader, course folder names)
import user_env  # noqa: E402  (the Python users' servers run)

c = get_config()  # noqa: F821 (provided by traitlets)

ROOT = HUB_DIR.parents[1]
VENV_BIN = Path(sys.executable).parent  # the hub's own (root) environment
USER_BIN = user_env.user_python().parent  # users' servers and kernels (.venv or .venv-hub)
STATE = Path(os.environ.get("SPINECOURSE_HUB_STATE", ROOT / ".hub")).resolve()
ROSTER = hubsetup.load_roster(Path(os.environ.get("SPINECOURSE_ROSTER", HUB_DIR / "roster.yml")))
EXCHANGE = os.environ.get("SPINECOURSE_EXCHANGE", str(STATE / "exchange"))
GIT_PORT = int(os.environ.get("SPINECOURSE_GIT_PORT", "9418"))
COURSE_REPO = os.environ.get("SPINECOURSE_COURSE_REPO", f"git://127.0.0.1:{GIT_PORT}/course.git")

# --- network: 127.0.0.1 only ----------------------------------------------------------------
c.JupyterHub.bind_url = f"http://127.0.0.1:{os.environ.get('SPINECOURSE_HUB_PORT', '8000')}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("SPINECOURSE_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('SPINECOURSE_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.command = [str(ROOT / "deploy" / "node_modules" / ".bin" / "configurable-http-proxy")]
# The proxy's REST API (routes) needs a secret token: without one, any local user could route
# /hub/login to their own listener and collect passwords. Kept in the hub's secrets (root, 0600).
c.ConfigurableHTTPProxy.auth_token = hubsetup.proxy_token(STATE)
c.JupyterHub.db_url = f"sqlite:///{STATE / 'secrets' / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "secrets" / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "secrets" / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every learner's server

# --- who may log in ------------------------------------------------------------------------
# PAM against the Linux accounts hubsetup.py made from the roster, each with its own password.
# For a real programme use its single sign-on instead (deploy/README.md: LTI from the LMS, or OAuth):
# the accounts and their names stay the same, only the authenticator changes.
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.open_sessions = False  # no login sessions for web logins (no utmp/systemd-logind here)
c.Authenticator.allowed_users = set(ROSTER.everyone)
c.Authenticator.admin_users = set(ROSTER.instructors)

# --- each user's JupyterLab, as that user's own Linux account ------------------------------
# LocalProcessSpawner: the hub (root) starts `jupyterhub-singleuser` with setuid to the user, so
# the kernel, its files and nbgrader's exchange all run with that user's rights; file permissions
# (0700 homes, private groups) keep residents apart. On TLJH use its systemd spawner (memory/CPU
# limits per user); on Kubernetes KubeSpawner (deploy/k8s/config.yaml).
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(USER_BIN / "jupyterhub-singleuser")]
c.Spawner.notebook_dir = "~"
c.Spawner.start_timeout = 90
c.Spawner.http_timeout = 90
PULL = {
    "repo": COURSE_REPO,
    "branch": "main",
    "targetpath": hubsetup.COURSE_FOLDER,
    "urlpath": f"lab/tree/{hubsetup.COURSE_FOLDER}/{hubsetup.START_PAGE}",
}
#: Opening the server pulls the course (new learners get a copy, later pulls merge updates), then the start page.
PULL_PATH = "git-pull?" + urlencode(PULL)
c.Spawner.default_url = "/" + PULL_PATH
SHARED_CONFIG = str(HUB_DIR / "jupyter")
RESIDENT_CONFIG = str(HUB_DIR / "jupyter-resident")
c.Spawner.environment = {
    "PATH": f"{USER_BIN}:/usr/local/bin:/usr/bin:/bin",
    "SPINECOURSE_EXCHANGE": EXCHANGE,
    "SPINECOURSE_COURSE_ID": ROSTER.course_id,
    "JUPYTER_CONFIG_PATH": SHARED_CONFIG,
    "LANG": "C.UTF-8",
    # nbgitpuller may pull only this repository into this folder (jupyter/spinecourse_pull_guard.py)
    "SPINECOURSE_COURSE_REPO": COURSE_REPO,
    "SPINECOURSE_COURSE_FOLDER": hubsetup.COURSE_FOLDER,
}


def per_role_config(spawner):
    """Residents' servers do not load the instructor tools (formgrader, course list, create assignment)."""
    if spawner.user.name not in ROSTER.instructors:
        spawner.environment["JUPYTER_CONFIG_PATH"] = os.pathsep.join([RESIDENT_CONFIG, SHARED_CONFIG])


c.Spawner.pre_spawn_hook = per_role_config

# --- the hub's home page: the course link (nbgitpuller) ---------------------------------------
c.JupyterHub.template_vars = {
    "announcement_home": (
        f'<a id="course-pull" href="/hub/user-redirect/{PULL_PATH.replace("&", "&amp;")}">'
        "Get or update the course (Stem Cells for Spinal Stenosis)</a>: your notes are kept."
    ),
}

# --- services: the course repository, idle culling -------------------------------------------
c.JupyterHub.services = []
if "SPINECOURSE_COURSE_REPO" not in os.environ:
    # Read-only git over 127.0.0.1 for nbgitpuller; exports only course.git (course/, never quiz sources).
    c.JupyterHub.services.append(
        {
            "name": "course-git",
            "command": [
                "git",
                "daemon",
                f"--base-path={STATE}",
                "--listen=127.0.0.1",
                f"--port={GIT_PORT}",
                "--reuseaddr",
                "--strict-paths",
                str(STATE / "course.git"),
            ],
        }
    )
# Stop servers idle for an hour (a cohort of 30 on one machine cannot keep every kernel alive).
c.JupyterHub.services.append(
    {
        "name": "idle-culler",
        "command": [
            str(VENV_BIN / "python"),
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={os.environ.get('SPINECOURSE_IDLE_TIMEOUT', '3600')}",
        ],
    }
)
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
# A service token for the tests and the instructor's scripts (deploy/README.md): set it in the environment.
if os.environ.get("SPINECOURSE_HUB_ADMIN_TOKEN"):
    c.JupyterHub.services.append({"name": "course-admin", "api_token": os.environ["SPINECOURSE_HUB_ADMIN_TOKEN"]})
    c.JupyterHub.load_roles.append(
        {
            "name": "course-admin",
            "scopes": ["admin:users", "admin:servers", "access:servers", "read:hub", "tokens"],
            "services": ["course-admin"],
        }
    )
