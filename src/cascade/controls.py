"""Control characters in plan text made visible (`\\x1b`), so that no report, map or page
passes one on to a terminal or a browser (stdlib only, shared by every output)."""

from __future__ import annotations

import re

# C0 and C1 controls except tab, newline and carriage return: a terminal would obey them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def show_controls(text: str) -> str:
    """Write control characters as visible `\\xNN` escapes, so none reaches a terminal."""
    if text.isprintable():
        return text  # no control character at all: the usual case, decided in C
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)
