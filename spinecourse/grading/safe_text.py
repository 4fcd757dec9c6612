"""Learner-controlled text made safe to print on the instructor's terminal (no import cost: stdlib only).

A class ``__qualname__``, a file name, a grade id or an error message chosen by a learner can hold
escape sequences (clear the screen, move the cursor, rewrite a line, set the window title), a carriage
return or a newline (forge a report line), or bidirectional overrides. Every report line and progress
line the grading CLI prints passes such text through :func:`terminal_safe`.
"""

from __future__ import annotations

import unicodedata


def terminal_safe(text: object) -> str:
    """``text`` with control and format characters (ESC, CR, BEL, bidi overrides…) shown as ``\\x1b`` etc.

    Newlines and tabs are escaped too: a learner's string must not start a new report line.
    """
    out = []
    for ch in str(text):
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"):
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(ch)
    return "".join(out)
