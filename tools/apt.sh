# shellcheck shell=bash
# Shared by the tools/install_*.sh scripts (sourced, not run): install Debian packages with apt-get,
# as root or through sudo, with one clear message when that is impossible.
#   apt_install WHO PACKAGE...     WHO names the calling script in messages
apt_install() {
    local who="$1"; shift
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "$who: $* missing and apt-get is not available; install them with your system's package manager." >&2
        return 1
    fi
    local sudo=""
    if [ "$(id -u)" != "0" ]; then
        command -v sudo >/dev/null 2>&1 || { echo "$who: run as root (apt-get install $* needs it)." >&2; return 1; }
        sudo="sudo"
    fi
    # One index refresh serves every install script of a `make test` run (each costs 5-10 s).
    if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -60 2>/dev/null | head -n 1)" ]; then
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get update
    fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}
