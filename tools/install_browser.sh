#!/usr/bin/env bash
# Install the browser used by tests/browser (end-to-end tests of the course in JupyterLab).
#
# Debian's chromium package provides /usr/bin/chromium. Nothing is downloaded from
# the internet outside the Debian archive: Playwright drives this system browser,
# so never run `playwright install` (its browser download is not available here).
# Needs root (or sudo). Safe to run repeatedly: does nothing when the browser exists.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    echo "install_browser: $CHROMIUM present ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
    exit 0
fi

# shellcheck source=tools/apt.sh
. "$(dirname "$0")/apt.sh"
apt_install install_browser chromium fonts-dejavu-core
"$CHROMIUM" --version
