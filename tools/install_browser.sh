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

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_browser: $CHROMIUM is missing and apt-get is not available;" >&2
    echo "install a Chromium build at $CHROMIUM by hand." >&2
    exit 1
fi

SUDO=""
if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "install_browser: run as root (apt-get install needs it)." >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium fonts-dejavu-core
"$CHROMIUM" --version
