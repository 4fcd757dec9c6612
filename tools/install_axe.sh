#!/usr/bin/env bash
# Install axe-core (the accessibility rules engine; WCAG 2.1 A/AA) for tests/browser and tests/site.
#
# From the npm registry into a project-local folder (tools/axe/node_modules, git-ignored); the tests
# inject tools/axe/node_modules/axe-core/axe.min.js into the page with Playwright (no CDN).
# Needs Node.js/npm (installed with apt-get if missing; needs root or sudo). Idempotent: does nothing
# when the pinned version is present. Change AXE_VERSION deliberately (the rule set changes).
set -euo pipefail

AXE_VERSION=4.14.1
HERE="$(cd "$(dirname "$0")" && pwd)"
DEST="$HERE/axe"
PKG="$DEST/node_modules/axe-core/package.json"

installed() {
    [ -f "$PKG" ] && [ -f "$DEST/node_modules/axe-core/axe.min.js" ] &&
        grep -q "\"version\": \"$AXE_VERSION\"" "$PKG"
}

if installed; then
    echo "install_axe: axe-core $AXE_VERSION present in $DEST"
    exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
    # shellcheck source=tools/apt.sh
    . "$HERE/apt.sh"
    apt_install install_axe npm
fi

mkdir -p "$DEST"
[ -f "$DEST/package.json" ] || echo '{"name": "spinecourse-test-tools", "private": true}' > "$DEST/package.json"
# --prefer-offline: the version is pinned, so npm's cache needs no revalidation round trip when it has it
npm install --prefix "$DEST" --prefer-offline --no-audit --no-fund --save-exact --loglevel=error "axe-core@$AXE_VERSION"
installed || { echo "install_axe: axe-core $AXE_VERSION not found in $DEST after npm install" >&2; exit 1; }
echo "install_axe: installed axe-core $AXE_VERSION in $DEST"
