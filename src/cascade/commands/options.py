"""What every command shares: the common options, date parsing, colour, and error guard."""

from __future__ import annotations

import datetime
import functools
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, ParamSpec

import typer

from cascade import __version__
from cascade.errors import CascadeError, Stopped, expected_failure
from cascade.fastpath import read_date

P = ParamSpec("P")


def guard(command: Callable[P, None]) -> Callable[P, None]:
    """Expected failures become one line on stderr and their exit code, as `cli.main`
    makes them: a command invoked on its own (typer's test runner) says the same."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            command(*args, **kwargs)
        except (CascadeError, OSError, Stopped) as exc:
            text, code = expected_failure(exc)
            sys.stderr.write(text)
            raise typer.Exit(code) from None

    return run


def show_version(value: bool) -> None:
    if value:
        typer.echo(f"cascade {__version__}")
        raise typer.Exit(0)


def parse_as_of(value: str | None) -> datetime.date | None:
    """`--as-of` as a date (the option's callback has already checked it)."""
    return None if value is None else read_date(value)


def _check_as_of(value: str | None) -> str | None:
    if value is not None and read_date(value) is None:
        raise typer.BadParameter(f"expected a date YYYY-MM-DD, got {value!r}")
    return value


PlanArg = Annotated[
    Path | None,
    typer.Argument(
        help="Plan directory or file. Default: the config's `plans`, else ./plans.",
        show_default=False,
    ),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="cascade.yaml to use (default: the nearest one).",
        metavar="FILE",
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Date for progress and staleness (default: today).",
        metavar="YYYY-MM-DD",
        callback=_check_as_of,
    ),
]
NoColorOpt = Annotated[
    bool,
    typer.Option("--no-color", help="No colour (also: the NO_COLOR environment variable)."),
]


def quiet_option(does: str) -> Any:
    """`-q/--quiet` saying what it leaves out in this command: `Annotated[bool, ...]`."""
    return typer.Option("--quiet", "-q", help=does)


QuietOpt = Annotated[bool, quiet_option("Only the findings, no summary.")]
VersionOpt = Annotated[
    bool,
    typer.Option(
        "--version",
        callback=show_version,
        is_eager=True,
        help="Print the version and exit.",
    ),
]


def _codes(flag: str, does: str) -> Any:
    """A repeatable option of rule codes or names (`validate` and `gaps` share both)."""
    return typer.Option(flag, metavar="CODES", help=f"{does} (comma-separated codes or names).")


SelectOpt = Annotated[list[str] | None, _codes("--select", "Only these rules")]
IgnoreOpt = Annotated[list[str] | None, _codes("--ignore", "Skip these rules")]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to FILE instead of standard output.",
        metavar="FILE",
    ),
]

# The shared options that mean nothing to a command which reads no plan (init, schema,
# rules) are still accepted, so one script can pass them to every command; their help
# says that they change nothing here.
IgnoredAsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="YYYY-MM-DD",
        callback=_check_as_of,
        help="Accepted as by every command; nothing here depends on the date.",
    ),
]
IgnoredNoColorOpt = Annotated[
    bool,
    typer.Option("--no-color", help="Accepted as by every command; this output has no colour."),
]
IgnoredQuietOpt = Annotated[
    bool,
    typer.Option("--quiet", "-q", help="Accepted as by every command; this output has no summary."),
]
CacheDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir",
        help="Keep the cache here (also: CASCADE_CACHE_DIR). Default: .cascade-cache/ beside "
        "cascade.yaml, else the user's cache folder.",
        metavar="DIR",
        show_default=False,
    ),
]
NoCacheOpt = Annotated[
    bool,
    typer.Option("--no-cache", help="Read every file afresh; neither use nor write the cache."),
]


class ReportFormat(StrEnum):
    """The formats of every report people read: `gaps`, `diff`, `log`, `close`, `rules`."""

    text = "text"
    markdown = "markdown"
    json = "json"


ReportFormatOpt = Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")]
