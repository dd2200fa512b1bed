"""`cascade log ID`: the commits that changed one goal, KPI, unit, person or period, newest
first, with who made each change and when, down to the commit that added it.

Exit 0 when listed; 2 outside a git repository or for an id that no revision has.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cascade.commands.diff import PlanOpt
from cascade.commands.options import (
    IgnoredAsOfOpt,
    IgnoredNoColorOpt,
    IgnoredQuietOpt,
    OutputOpt,
    ReportFormat,
    ReportFormatOpt,
    VersionOpt,
    guard,
    parse_as_of,
)


def _check_count(value: int | None) -> int | None:
    if value is not None and value < 1:
        raise typer.BadParameter("expected 1 or more")
    return value


@guard
def log(
    ident: Annotated[
        str, typer.Argument(help="The goal, KPI, unit, person or period.", metavar="ID")
    ],
    max_count: Annotated[
        int | None,
        typer.Option(
            "--max-count",
            "-n",
            help="List at most N commits.",
            metavar="N",
            callback=_check_count,
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Only commits authored on or after this date.",
            metavar="YYYY-MM-DD",
        ),
    ] = None,
    output_format: ReportFormatOpt = ReportFormat.text,
    plan: PlanOpt = None,
    output: OutputOpt = None,
    as_of: IgnoredAsOfOpt = None,
    no_color: IgnoredNoColorOpt = False,
    quiet: IgnoredQuietOpt = False,
    version: VersionOpt = False,
) -> None:
    """List the commits that changed one goal, KPI, unit, person or period, newest first.

    Example: cascade log SALES-1 (every change of the goal and of its KPIs' targets, with
    who made it and when). Also: cascade log OBJ-1.share --since 2026-01-01 --format json
    """
    del as_of, no_color, quiet  # accepted as by every command; nothing here uses them
    from cascade.errors import CascadeError
    from cascade.git import Repo
    from cascade.history import walk
    from cascade.logreport import RENDERERS
    from cascade.session import Protected, write_output
    from cascade.sides import Options

    if since is not None and parse_as_of(since) is None:
        raise CascadeError(f"--since: expected a date YYYY-MM-DD, got {since!r}")
    if ident.startswith("-") or not ident.strip():
        raise CascadeError(f"{ident!r} is not an id")
    repo = Repo.around(Path.cwd())
    if not repo.has_commits():
        raise CascadeError("the repository has no commits yet")
    options = Options(plan, None, None, True)
    history = walk(repo, ident, options, max_count=max_count, since=parse_as_of(since))
    write_output(RENDERERS[output_format.value](history), output, protect=Protected.around_here())
