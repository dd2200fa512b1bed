"""GitHub-flavoured Markdown blocks. Plan text goes through `escape` (the one Markdown
escaper, `controls.markdown_inline`), so no title can break a table, open a code span or
inject HTML; file paths go in code spans (`code`)."""

from __future__ import annotations

from cascade.controls import markdown_inline as escape
from cascade.controls import one_line

__all__ = ["code", "escape", "table"]


def code(text: str) -> str:
    """Text in a code span: a path or a location, one line, backticks inside kept apart."""
    text = one_line(text)
    fence = "``" if "`" in text else "`"
    return f"{fence}{text}{fence}" if fence == "`" else f"{fence} {text} {fence}"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A table's lines; the cells are Markdown already (escaped plan text)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines
