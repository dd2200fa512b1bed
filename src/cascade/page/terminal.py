"""Terminal blocks: rich text, tables and numbered lists, and the console a report is
printed on (a fixed width, colour forced, no markup, emoji or highlighting read into plan
text). rich is imported here and in `meter.py` only, and only when colour is wanted."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING

from cascade.controls import one_line
from cascade.diagnostics import Severity

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

PLAIN_WIDTH = 100  # when no terminal width is known
SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def text(value: str, style: str = "") -> Text:
    """Plan text, one line and its controls shown, in a style."""
    from rich.text import Text

    return Text(one_line(value), style=style)


def table(*columns: str) -> Table:
    """A table with a rule under its bold header, columns folding long words."""
    from rich import box
    from rich.table import Table

    grid = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    for column in columns:
        grid.add_column(column, overflow="fold")
    return grid


def numbered(console: Console, items: list[Text]) -> None:
    """A numbered list whose long items wrap under their text, not under the number."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(overflow="fold")
    for number, item in enumerate(items, start=1):
        grid.add_row(text(f"{number}.", "bold"), item)
    console.print(grid)


def heading(console: Console, title: str) -> None:
    console.print()
    console.print(text(title, "bold underline"))


def printed(draw: Callable[[Console], None], width: int | None) -> str:
    """What `draw(console)` prints, with ANSI colour, `width` columns wide."""
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width or PLAIN_WIDTH,
        force_terminal=True,
        color_system="standard",
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=False,
        legacy_windows=False,
        force_jupyter=False,
        force_interactive=False,
        record=False,
    )
    draw(console)
    return buffer.getvalue()
