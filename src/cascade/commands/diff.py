"""`cascade diff`: what changed in the strategy between two versions of the plan: the
working tree, a folder, or a git revision (read from git's objects, never checked out).

Exit 0 once compared; 1 with `--fail-on` when the head side has new findings at that
level; 2 when it could not run (an unknown revision, no repository, a side with no plan).
"""

from __future__ import annotations

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
    OutputOpt,
    ReportFormat,
    ReportFormatOpt,
    VersionOpt,
    guard,
    parse_as_of,
    quiet_option,
)


class FailOn(StrEnum):
    none = "none"
    error = "error"
    warning = "warning"


PlanOpt = Annotated[
    Path | None,
    typer.Option(
        "--plan",
        help="The plan's folder or file on both sides (default: each side's cascade.yaml "
        "`plans:`, else plans/).",
        metavar="PATH",
    ),
]


@guard
def diff(
    base: Annotated[
        str | None,
        typer.Argument(
            help="Revision, A...B range or folder to compare from (default: HEAD).",
            show_default=False,
        ),
    ] = None,
    head: Annotated[
        str | None,
        typer.Argument(
            help="Revision or folder to compare to (default: the working tree).",
            show_default=False,
        ),
    ] = None,
    output_format: ReportFormatOpt = ReportFormat.text,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            "--fail-on",
            help="Exit 1 when the head side has new findings at this level or above.",
        ),
    ] = FailOn.none,
    plan: PlanOpt = None,
    output: OutputOpt = None,
    config: ConfigOpt = None,
    as_of: AsOfOpt = None,
    no_color: NoColorOpt = False,
    quiet: Annotated[bool, quiet_option("No warnings about skipped files.")] = False,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    version: VersionOpt = False,
) -> None:
    """Show what changed in the strategy between two revisions, or folders, of the plan.

    Example: cascade diff origin/main...HEAD --format markdown -o diff.md (what a pull
    request changes, from where it branched). Also: cascade diff (the working tree against
    HEAD); cascade diff main; cascade diff v2026-Q3 v2026-Q4; cascade diff old-plans/ plans/
    """
    del no_color  # the text format has no colour
    from cascade.diffreport import report
    from cascade.session import Protected, write_output
    from cascade.sides import Options, sides

    options = Options(plan, config, None, quiet, cache_dir, no_cache)
    old, new = sides(base, head, options)
    date = parse_as_of(as_of) or new.session.as_of
    old.session.as_of = new.session.as_of = date  # both judged at one date
    text, failing = report(old, new, output_format.value)
    guards = [s.session.protected_paths() for s in (old, new) if s.commit is None]
    write_output(text, output, protect=Protected.union([Protected.around_here(), *guards]))
    raise typer.Exit(1 if fail_on.value in failing else 0)
