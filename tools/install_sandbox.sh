#!/usr/bin/env bash
# Install bubblewrap, the sandbox every learner kernel runs in while it is autograded
# (spinecourse/grading/sandbox.py; runbook assignments/README.md, "Isolate grading").
#
# Debian's bubblewrap package provides /usr/bin/bwrap; setpriv and prlimit come with util-linux.
# Needs root (or sudo). Safe to run repeatedly: does nothing when bwrap exists.
set -euo pipefail

BWRAP=/usr/bin/bwrap

if [ -x "$BWRAP" ] && command -v setpriv >/dev/null && command -v prlimit >/dev/null; then
    echo "install_sandbox: $BWRAP present ($("$BWRAP" --version 2>/dev/null || echo 'version unknown'))"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_sandbox: bubblewrap is missing and apt-get is not available;" >&2
    echo "install bubblewrap (bwrap) and util-linux with your system's package manager." >&2
    exit 1
fi

SUDO=""
if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "install_sandbox: run as root (apt-get install needs it)." >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends bubblewrap util-linux
"$BWRAP" --version
