"""`cascade import SOURCE --into DIR`: a workbook, a CSV file or a folder of CSV tables
turned into plan files, in the style of `cascade init`.

Exit 0 when written (also with rows left out, each reported as `SOURCE:ROW: why` on
standard error); 2 when it could not run. Nothing is written anywhere but `--into`, and
on failure nothing at all.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path
from typing import Annotated

import typer

from cascade.commands.options import (
    AsOfOpt,
    IgnoredNoColorOpt,
    VersionOpt,
    guard,
    parse_as_of,
    quiet_option,
)


@guard
def import_command(
    source: Annotated[
        Path, typer.Argument(help="A workbook (.xlsx), a CSV file, or a folder of CSV tables.")
    ],
    into: Annotated[
        Path,
        typer.Option("--into", help="The folder to write the plan into (new or empty)."),
    ],
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="The workbook's sheet to read.")
    ] = None,
    columns: Annotated[
        Path | None,
        typer.Option(
            "--columns",
            help='A YAML mapping `field: "Header in the sheet"` for columns the aliases miss.',
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be written; write nothing.")
    ] = False,
    as_of: AsOfOpt = None,
    no_color: IgnoredNoColorOpt = False,
    quiet: Annotated[
        bool, quiet_option("No notes on standard error (rows left out are still listed).")
    ] = False,
    version: VersionOpt = False,
) -> None:
    """Import a spreadsheet or an OKR tool's export as plan files.

    Example: cascade import okrs.xlsx --into plans/ (also: cascade import okrs.csv --into
    plans/ --columns columns.yaml, and --dry-run to see what would be written)
    """
    del no_color
    from cascade.errors import CascadeError
    from cascade.importing import model, sources, write

    mapping: dict[str, str] = {}
    if columns is not None:
        mapping = _columns(columns)
    sheets = sources.read(source, sheet)
    plan = model.from_sheets(sheets, mapping, source.stem)
    day = parse_as_of(as_of) or datetime.date.today()
    found = write.files(plan, source.name, day)
    for problem in plan.problems:
        print(problem, file=sys.stderr)
    if not quiet:
        for note in plan.notes:
            print(f"cascade: note: {note}", file=sys.stderr)
    if dry_run:
        for relative, file in found.items():
            print(f"{into / relative}: {_count(file.goals, 'goal')}, {_count(file.kpis, 'KPI')}")
        return
    if into.exists() and not into.is_dir():
        raise CascadeError(f"--into {into}: not a folder")
    write.write(into, found)
    print(f"wrote {_count(len(found), 'file')} into {into}")


def _columns(path: Path) -> dict[str, str]:
    from cascade.errors import CascadeError
    from cascade.importing.model import ALIASES
    from cascade.sources import read_config

    document = read_config(path)
    data = document.data
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise CascadeError(f'--columns {path}: expected a mapping of field: "Header"')
    unknown = [k for k in data if k not in ALIASES]
    if unknown:
        raise CascadeError(
            f"--columns {path}: {unknown[0]!r} is not a field ({', '.join(ALIASES)})"
        )
    return dict(data)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"
