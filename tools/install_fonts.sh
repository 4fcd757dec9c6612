#!/usr/bin/env bash
# Install a Korean (Hangul) font so matplotlib draws the Korean edition's figure labels instead of
# empty boxes ("Glyph ... missing" warnings). Debian's fonts-nanum (NanumGothic, ~10 MB; OFL) is
# enough; spinecourse/content/i18n.py puts it first in matplotlib's font fallback when the language
# is Korean. Needs root (or sudo). Safe to run repeatedly: does nothing when a Hangul font exists.
set -euo pipefail

have_hangul_font() {
    command -v fc-list >/dev/null 2>&1 && fc-list :lang=ko family | grep -q .
}

if have_hangul_font; then
    echo "install_fonts: Hangul font present: $(fc-list :lang=ko family | head -n 1)"
else
    # shellcheck source=tools/apt.sh
    . "$(dirname "$0")/apt.sh"
    apt_install install_fonts fonts-nanum fontconfig
    fc-cache -f >/dev/null 2>&1 || true
    have_hangul_font || { echo "install_fonts: fonts-nanum installed but fontconfig lists no Korean font" >&2; exit 1; }
    echo "install_fonts: installed $(fc-list :lang=ko family | head -n 1)"
fi

# matplotlib caches its font list: a font installed after the cache was made is invisible until the
# cache is rebuilt, so drop the cache (it is rebuilt on the next import, ~1 s).
py="${PYTHON:-$(dirname "$0")/../.venv/bin/python}"
if [ -x "$py" ]; then
    "$py" - <<'PY'
import glob, os
import matplotlib
for f in glob.glob(os.path.join(matplotlib.get_cachedir(), "fontlist-*.json")):
    os.remove(f)
from matplotlib import font_manager
names = sorted({f.name for f in font_manager.fontManager.ttflist if "nanum" in f.name.lower() or "cjk" in f.name.lower()})
print("install_fonts: matplotlib sees", ", ".join(names) if names else "NO Hangul font")
PY
fi
