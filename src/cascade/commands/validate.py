"""`cascade validate`: check the plan and report every finding; exit 1 on errors."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from cascade.commands.options import (
    AsOfOpt,
    CacheDirOpt,
    ConfigOpt,
    IgnoreOpt,
    NoCacheOpt,
    NoColorOpt,
    OutputOpt,
    PlanArg,
    QuietOpt,
    SelectOpt,
    VersionOpt,
    guard,
    parse_as_of,
)


class ValidateFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"
    junit = "junit"


@guard
def validate(
    plan: PlanArg = None,
    output_format: Annotated[
        ValidateFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ValidateFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    output: OutputOpt = None,
    config: ConfigOpt = None,
    as_of: AsOfOpt = None,
    no_color: NoColorOpt = False,
    quiet: QuietOpt = False,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    version: VersionOpt = False,
) -> None:
    """Check the plan: schema, references, cycles, levels and gaps. Exit 1 on errors.

    Example: cascade validate plans/ --format github --strict
    """
    # Imported here: `cascade --version` and `--help` must not pay for pydantic and PyYAML.
    from cascade.fastpath import ValidateArgs, run_validate

    args = ValidateArgs(
        plan,
        output_format.value,
        strict,
        select or [],
        ignore or [],
        output,
        config,
        parse_as_of(as_of),
        no_color,
        quiet,
        cache_dir,
        no_cache,
    )
    raise typer.Exit(run_validate(args))
