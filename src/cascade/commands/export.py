"""`cascade export`: the plan's tables for spreadsheets and BI tools, judged at the as-of
date: one workbook (a sheet per table) or CSV tables.

Exit codes as for `map`: 0 on a plan without errors, 1 with errors (the tables are still
written, the errors go to standard error), 2 could not run.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cascade.commands.options import (
    AsOfOpt,
    CacheDirOpt,
    ConfigOpt,
    NoCacheOpt,
    NoColorOpt,
    PlanArg,
    VersionOpt,
    guard,
    parse_as_of,
    quiet_option,
)


class ExportFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"


class TableName(StrEnum):
    organization = "organization"
    periods = "periods"
    units = "units"
    goals = "goals"
    kpis = "kpis"
    readings = "readings"
    gaps = "gaps"
    matrix = "matrix"
    all = "all"


@guard
def export(
    plan: PlanArg = None,
    output_format: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="xlsx or csv (default: from the suffix of -o, else csv).",
            show_default=False,
        ),
    ] = None,
    table: Annotated[
        TableName | None,
        typer.Option(
            "--table",
            "-t",
            help="The table to write as CSV (default: goals); all: every table, into -o DIR.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="The workbook or CSV file (a folder for --table all); default: standard "
            "output (CSV only).",
            show_default=False,
        ),
    ] = None,
    config: ConfigOpt = None,
    as_of: AsOfOpt = None,
    no_color: NoColorOpt = False,
    quiet: Annotated[bool, quiet_option("No warnings or progress bar on standard error.")] = False,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    version: VersionOpt = False,
) -> None:
    """Export the plan's tables for spreadsheets: a workbook, or CSV tables.

    Example: cascade export -o plan.xlsx (a sheet per table). Also: cascade export
    --format csv --table kpis -o kpis.csv, and cascade export --table all -o export/
    """
    del no_color  # files, not a terminal
    from cascade.diagnostics import Severity
    from cascade.errors import CascadeError
    from cascade.exporting import csv_render
    from cascade.exporting.model import TABLES, build
    from cascade.report.text import finding_line
    from cascade.session import Session, write_output, write_whole

    chosen = _format(output_format, output, table)
    to_stdout = output is None or str(output) in ("-", "/dev/stdout")
    if chosen is ExportFormat.xlsx:
        if table is not None:
            raise CascadeError("--table is for CSV: a workbook holds every table, a sheet each")
        if to_stdout:
            raise CascadeError("a workbook needs -o FILE.xlsx: it is not text to print")
    if table is TableName.all and (to_stdout or (output is not None and output.is_file())):
        raise CascadeError("--table all writes a CSV file per table: give -o DIR, a folder")
    session = Session.open(
        plan, config, parse_as_of(as_of), quiet=quiet, cache_dir=cache_dir, no_cache=no_cache
    )
    result = session.run()
    names = (
        TABLES
        if chosen is ExportFormat.xlsx or table is TableName.all
        else [(table or TableName.goals).value]
    )
    tables = build(session.context, result.diagnostics, names)
    guard_paths = session.protected_paths()
    if chosen is ExportFormat.xlsx:
        from cascade.exporting.xlsx_render import render

        assert output is not None
        target = Path(output).resolve()
        why = guard_paths.refuses(target)
        if why is not None:
            raise CascadeError(f"refusing to write {output}: {why}")
        write_whole(target, render(tables, session.as_of), output)
    elif table is TableName.all:
        assert output is not None
        for found in tables:
            write_output(
                csv_render.render(found), output / f"{found.name}.csv", protect=guard_paths
            )
    else:
        write_output(csv_render.render(tables[0]), output, protect=guard_paths)
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    for diagnostic in errors:
        print(finding_line(diagnostic), file=sys.stderr)
    raise typer.Exit(1 if errors else 0)


def _format(
    given: ExportFormat | None, output: Path | None, table: TableName | None
) -> ExportFormat:
    """The format asked for, else the one the output's suffix names, else CSV."""
    if given is not None:
        return given
    if output is not None and output.suffix.lower() == ".xlsx" and table is None:
        return ExportFormat.xlsx
    return ExportFormat.csv
