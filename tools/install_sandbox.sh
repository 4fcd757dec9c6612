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

# shellcheck source=tools/apt.sh
. "$(dirname "$0")/apt.sh"
apt_install install_sandbox bubblewrap util-linux
"$BWRAP" --version
