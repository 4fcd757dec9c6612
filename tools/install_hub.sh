#!/usr/bin/env bash
# Install what the department hub (make hub, tests/hub) needs beyond .venv:
#   - the learners' environment .venv-hub (deploy/hub/user_env.py, below);
#   - configurable-http-proxy (JupyterHub's proxy) from the npm registry, pinned in deploy/package.json
#     and deploy/package-lock.json, into deploy/node_modules (nothing global);
#   - Node.js/npm and git from Debian if they are missing (apt-get, needs root or sudo).
# The Python side (jupyterhub, nbgitpuller, jupyterhub-idle-culler) is the `hub` extra of pyproject.toml,
# installed into .venv by `make venv`. Safe to run repeatedly: does nothing when everything is present.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEPLOY="$ROOT/deploy"
CHP="$DEPLOY/node_modules/.bin/configurable-http-proxy"
WANT="$(sed -n 's/.*"configurable-http-proxy": *"\([^"]*\)".*/\1/p' "$DEPLOY/package.json")"

missing=()
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v git >/dev/null 2>&1 || missing+=(git)
# patchelf: only when .venv's Python lives where other accounts cannot reach it (deploy/hub/user_env.py)
if [ ! -e "$ROOT/.venv-hub/python" ] && ! command -v patchelf >/dev/null 2>&1 \
   && [ -x "$ROOT/.venv/bin/python" ] && ! runuser -u nobody -- "$ROOT/.venv/bin/python" -c pass 2>/dev/null; then
    missing+=(patchelf)
fi
if [ "${#missing[@]}" -gt 0 ]; then
    . "$ROOT/tools/apt.sh"
    apt_install install_hub "${missing[@]}"
fi

# The learners' environment users' servers run: .venv-hub, the pinned packages of .venv with the course
# installed NON-editable (a wheel of this checkout), so residents never need to read the checkout (quiz
# sources, .git); hubsetup.py then closes it to other accounts. Rebuilt on every run (a few seconds).
if [ -x "$ROOT/.venv/bin/python" ]; then
    echo "install_hub: users' Python is $("$ROOT/.venv/bin/python" "$DEPLOY/hub/user_env.py")"
else
    echo "install_hub: .venv is missing: run 'make venv' first." >&2
    exit 1
fi

have=""
if [ -x "$CHP" ]; then have="$("$CHP" --version 2>/dev/null || true)"; fi
if [ "$have" = "$WANT" ]; then
    echo "install_hub: configurable-http-proxy $have present in deploy/node_modules"
    exit 0
fi

cd "$DEPLOY"
if [ -f package-lock.json ]; then
    npm ci --prefer-offline --no-audit --no-fund --loglevel=error  # pinned by the lock: cached copies need no revalidation
else
    npm install --no-audit --no-fund --loglevel=error
fi
echo "install_hub: configurable-http-proxy $("$CHP" --version) installed in deploy/node_modules"
