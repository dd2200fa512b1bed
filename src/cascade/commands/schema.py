"""`cascade schema`: print the JSON Schema of plan files (or, with --config, of cascade.yaml)."""

from __future__ import annotations

from typing import Annotated

import typer

from cascade.commands.options import (
    IgnoredAsOfOpt,
    IgnoredNoColorOpt,
    IgnoredQuietOpt,
    OutputOpt,
    VersionOpt,
    guard,
)


@guard
def schema(
    config: Annotated[
        bool,
        typer.Option(
            "--config",
            help="The schema of cascade.yaml instead of plan files.",
        ),
    ] = False,
    output: OutputOpt = None,
    as_of: IgnoredAsOfOpt = None,
    no_color: IgnoredNoColorOpt = False,
    quiet: IgnoredQuietOpt = False,
    version: VersionOpt = False,
) -> None:
    """Print the JSON Schema (draft 2020-12) of plan files, for editors and other tools.

    Editors use it to complete keys, explain fields and flag mistakes as you type.

    Example: cascade schema -o cascade.schema.json

    Example: cascade schema --config -o cascade.config.schema.json
    """
    from cascade.schema import config_schema, plan_schema, render
    from cascade.session import Protected, write_output

    text = render(config_schema() if config else plan_schema())
    write_output(text, output, protect=Protected.around_here() if output else None)
