#!/usr/bin/env bash
# Install Debian's shellcheck for `make lint` (the shell scripts in tools/, postBuild, .ci/run).
# Ruff comes from requirements.lock. Needs root (or sudo). Idempotent: does nothing when present.
set -euo pipefail

if command -v shellcheck >/dev/null; then
    echo "install_lint: $(shellcheck --version | sed -n 2p)"
    exit 0
fi

# shellcheck source=tools/apt.sh
. "$(dirname "$0")/apt.sh"
apt_install install_lint shellcheck
shellcheck --version | sed -n 2p
