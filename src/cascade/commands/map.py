"""`cascade map`: draw the strategy cascade as Markdown, Mermaid, a self-contained HTML map,
or the JSON view model; on a plan with errors it still draws what it can, and exits 1."""

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
    PlanArg,
    VersionOpt,
    guard,
    parse_as_of,
    quiet_option,
)


class MapFormat(StrEnum):
    html = "html"
    markdown = "markdown"
    mermaid = "mermaid"
    json = "json"


class HtmlLayout(StrEnum):
    auto = "auto"
    full = "full"
    compact = "compact"


@guard
def map_command(
    plan: PlanArg = None,
    output_format: Annotated[
        MapFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format (default: from the -o suffix, else markdown).",
            show_default=False,
        ),
    ] = None,
    output: OutputOpt = None,
    root: Annotated[
        str | None,
        typer.Option("--root", help="Draw only what lies under this goal.", metavar="ID"),
    ] = None,
    depth: Annotated[
        int | None,
        typer.Option(
            "--depth",
            min=0,
            help="Levels of goals to draw below the top (the vision, or --root).",
            metavar="N",
        ),
    ] = None,
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit",
            help="Only one department's, team's or person's goals and their line of sight.",
            metavar="ID",
        ),
    ] = None,
    template_dir: Annotated[
        Path | None,
        typer.Option(
            "--template-dir",
            help="Your templates, used before the bundled ones (file by file).",
            metavar="DIR",
        ),
    ] = None,
    html_layout: Annotated[
        HtmlLayout,
        typer.Option(
            "--html-layout",
            help="How the HTML page holds the goals: full (every goal in the page, works "
            "without JavaScript), compact (packed, drawn as you open it; for big plans) "
            "or auto (compact above 2,000 goals, unless --template-dir has a map.html.j2).",
        ),
    ] = HtmlLayout.auto,
    config: ConfigOpt = None,
    as_of: AsOfOpt = None,
    no_color: NoColorOpt = False,
    quiet: Annotated[
        bool,
        quiet_option(
            "No notes on standard error (diagrams split, errors counted), no progress bar."
        ),
    ] = False,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    version: VersionOpt = False,
) -> None:
    """Draw the strategy map: Markdown with a Mermaid diagram, or an interactive HTML page.

    Example: cascade map plans/ -o strategy.html
    """
    from cascade.diagnostics import Severity
    from cascade.meter import Meter
    from cascade.render import Scope, build, format_for, render
    from cascade.report.text import finding_line
    from cascade.session import Session, write_output

    session = Session.open(
        plan, config, parse_as_of(as_of), quiet=quiet, cache_dir=cache_dir, no_cache=no_cache
    )
    result = session.run()
    session.drop_positions()  # every finding is located; let them go before the view is built
    fmt = output_format.value if output_format is not None else format_for(output)
    scope = Scope(root=root, depth=depth, unit=unit)
    layout = html_layout.value
    if layout == "auto" and template_dir is not None and (template_dir / "map.html.j2").is_file():
        layout = "full"  # a page template of one's own may not know the packed page
    context = session.context
    with Meter.on_terminal("Drawing the map", len(context.hierarchy.goals), quiet=quiet) as meter:
        view = build(result, context, scope, fmt=fmt, layout=layout, meter=meter)
    del context
    session.release()  # the view holds all the map shows: let the plan go before rendering
    text, drawn = render(view, fmt, template_dir, layout=layout)
    write_output(text, output, protect=session.protected_paths())
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    for diagnostic in errors:
        typer.echo(finding_line(diagnostic), err=True)
    if not quiet and len(drawn) > 1:
        typer.echo(
            f"cascade: note: the map is too large for one Mermaid diagram that GitHub "
            f"renders (500 edges, 50,000 characters); it is drawn in {len(drawn)} parts",
            err=True,
        )
    if errors and not quiet:
        count = len(errors)
        typer.echo(
            f"cascade: the plan has {count} error{'s' if count != 1 else ''}; "
            "the map shows what could be read",
            err=True,
        )
    raise typer.Exit(1 if errors else 0)
