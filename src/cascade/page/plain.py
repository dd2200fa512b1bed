"""Plain text blocks: a fixed width, no escape sequence at all, and fast on reports of
tens of thousands of lines (no rich here). Every cell and paragraph is made one line, its
control characters shown (`one_line`), before it is laid out."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from cascade.controls import one_line

WIDTH = 100
INDENT = "  "


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    right: bool = False  # right-aligned (numbers)
    wrap: bool = False  # may wrap; the other columns keep their natural width
    limit: int | None = None  # cut longer cells with "…" (one line)


def wrap(text: str, width: int, lead: str = "", indent: str = "") -> list[str]:
    """`textwrap.wrap(text, width, initial_indent=lead, subsequent_indent=indent,
    break_on_hyphens=False)`, line for line; several times quicker on plain prose.

    Text of words joined by single spaces, none too long for a line, is filled here: a
    report of tens of thousands of gaps spent most of its time in textwrap. Anything else
    (tabs, runs of spaces, long words, other blanks) goes to textwrap itself.
    """
    words = text.split(" ")
    room, rest = width - len(lead), width - len(indent)
    longest = max(map(len, words))
    if not text or longest > min(room, rest) or " ".join(text.split()) != text:
        return textwrap.wrap(
            text,
            width,
            initial_indent=lead,
            subsequent_indent=indent,
            break_long_words=True,
            break_on_hyphens=False,
        )
    lines: list[str] = []
    start, used = 0, len(words[0])
    for i in range(1, len(words)):
        size = len(words[i])
        if used + 1 + size <= room:
            used += 1 + size
            continue
        lines.append((indent if lines else lead) + " ".join(words[start:i]))
        start, used, room = i, size, rest
    lines.append((indent if lines else lead) + " ".join(words[start:]))
    return lines


def table(
    columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int = WIDTH
) -> list[str]:
    """A plain table: header, a rule, rows; wrap-able columns share what width is left."""
    gap = 3
    cells = [[one_line(cell) for cell in row] for row in rows]
    for row in cells:
        for i, column in enumerate(columns):
            if column.limit is not None and len(row[i]) > column.limit:
                row[i] = row[i][: column.limit - 1].rstrip() + "…"
    natural = [
        max([len(word) for word in column.header.split()] + [len(row[i]) for row in cells])
        for i, column in enumerate(columns)
    ]
    widths = list(natural)
    room = width - len(INDENT) - gap * (len(columns) - 1)
    flexible = [i for i, column in enumerate(columns) if column.wrap]
    fixed = sum(w for i, w in enumerate(widths) if i not in flexible)
    if flexible and fixed + sum(widths[i] for i in flexible) > room:
        share = max(12, (room - fixed) // len(flexible))
        for i in flexible:
            widths[i] = min(natural[i], share)
    lines: list[str] = []
    headers = [wrap(column.header, widths[i]) or [""] for i, column in enumerate(columns)]
    lines.extend(_row(columns, widths, headers, gap))
    lines.append(INDENT + "-" * (sum(widths) + gap * (len(columns) - 1)))
    for row in cells:
        wrapped = [
            (wrap(cell, widths[i]) or [""]) if columns[i].wrap else [cell]
            for i, cell in enumerate(row)
        ]
        lines.extend(_row(columns, widths, wrapped, gap))
    return lines


def _row(
    columns: Sequence[Column], widths: list[int], cells: list[list[str]], gap: int
) -> list[str]:
    height = max(len(cell) for cell in cells)
    out: list[str] = []
    for n in range(height):
        parts = []
        for i, column in enumerate(columns):
            text = cells[i][n] if n < len(cells[i]) else ""
            parts.append(text.rjust(widths[i]) if column.right else text.ljust(widths[i]))
        out.append((INDENT + (" " * gap).join(parts)).rstrip())
    return out


def paragraph(text: str, indent: str = INDENT, first: str | None = None) -> list[str]:
    lead = first if first is not None else indent
    text = one_line(text)
    if len(lead) + len(text) <= WIDTH:  # most lines fit
        return [lead + text]
    return wrap(text, WIDTH, lead, indent) or [indent.rstrip()]


def heading(title: str) -> list[str]:
    return ["", title.upper(), ""]


def tidy(lines: Sequence[str]) -> str:
    """The lines as one text: trailing spaces gone, one blank line between blocks, never two."""
    text: list[str] = []
    for line in (line.rstrip() for line in lines):
        if line or (text and text[-1]):
            text.append(line)
    return "".join(line + "\n" for line in text)
