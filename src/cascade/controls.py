"""Plan text made safe for every output (stdlib only, shared by all of them): control
characters made visible (`\\x1b`), so that no report, map or page passes one on to a
terminal or a browser; and the one Markdown escaper of the gaps report, the map and
every Markdown report to come."""

from __future__ import annotations

import re

# C0 and C1 controls except tab, newline and carriage return: a terminal would obey them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def show_controls(text: str) -> str:
    """Write control characters as visible `\\xNN` escapes, so none reaches a terminal."""
    if text.isprintable():
        return text  # no control character at all: the usual case, decided in C
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


_LINE_BREAK = re.compile(r"\s*(?:\r\n|\r|\n)\s*")


def one_line(text: str) -> str:
    """Fold line breaks (with the spaces around them) into one space, then `show_controls`."""
    if text.isprintable():
        return text  # no line break and no control character: nothing to do
    return show_controls(_LINE_BREAK.sub(" ", text))


# Backslash-escaped ASCII punctuation is literal in CommonMark: these would otherwise start
# emphasis, code, links, table cells, strikethrough or (on GitHub) issue references.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")
# What would turn the start of a line into a list item or a rule (`#` is escaped above).
_MD_LINE_START = re.compile(r"^(?:([+=-])|(\d+)([.)]))")
_SPACE = re.compile(r"\s+")


def markdown_inline(value: object) -> str:
    """Plan text as inline Markdown, safe in a paragraph, a list item or a table cell: one
    line, controls visible, HTML characters as entities, Markdown characters escaped."""
    text = _SPACE.sub(" ", str(value)).strip()
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text, count=1)
    # Last: `\\x1b` is literal in Markdown (no punctuation follows the backslash).
    return show_controls(text)
