"""python -m spinecourse.widgets.labextension [PREFIX]: install the slider-name fix (idempotent)."""

import sys

from . import install

print(f"installed {install(sys.argv[1] if len(sys.argv) > 1 else None)}")
