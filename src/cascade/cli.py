"""The `cascade` command line: the typer app, its commands, and the console entry point.

`main()` turns every expected failure into one line on stderr and exit 2.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import typer

from cascade.commands import (
    checkin,
    close,
    diff,
    export,
    gaps,
    import_,
    init,
    log,
    rules,
    schema,
    trace,
    validate,
)
from cascade.commands import map as map_command
from cascade.commands.options import VersionOpt
from cascade.errors import EXPECTED, expected_failure, internal_error

app = typer.Typer(
    name="cascade",
    help="Keep an organisation's strategy cascade honest: validate, find gaps, draw the map.",
    add_completion=True,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _root(version: VersionOpt = False) -> None:
    """Keep an organisation's strategy cascade honest."""


def _first_line(command: Callable[..., None]) -> str:
    """A command's summary in `cascade --help`: its docstring's first sentence, whole
    (click cuts it at 45 characters with "...")."""
    return (command.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")


for name, command in (
    ("validate", validate.validate),
    ("gaps", gaps.gaps),
    ("map", map_command.map_command),
    ("diff", diff.diff),
    ("log", log.log),
    ("checkin", checkin.checkin),
    ("close", close.close),
    ("export", export.export),
    ("import", import_.import_command),
    ("init", init.init),
    ("schema", schema.schema),
    ("rules", rules.rules),
    ("trace", trace.trace),
):
    app.command(name, short_help=_first_line(command))(command)


def main(argv: list[str] | None = None) -> int:
    """Console entry point: expected failures are one line on stderr and exit 2."""
    try:
        code = app(args=argv, prog_name="cascade", standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        return _said(*expected_failure(KeyboardInterrupt()))
    except EXPECTED as exc:
        return _said(*expected_failure(exc))
    except Exception as exc:
        # Usage errors come from the click that typer bundles; match them by shape so
        # that no typer version's private module is imported here.
        format_message = getattr(exc, "format_message", None)
        if type(exc).__name__ == "NoArgsIsHelpError" and callable(format_message):
            typer.echo(format_message(), err=True)  # bare `cascade`: the help, as click does
            return 2
        if callable(format_message):
            # Typer wraps a choice's complaint in pydantic's "Value error, " prefix: noise.
            message = str(format_message()).replace("Value error, ", "").rstrip()
            command_path = getattr(getattr(exc, "ctx", None), "command_path", None)
            if command_path:
                message += "" if message.endswith((".", "?", ")")) else "."
                message += f" See `{command_path} --help`."
            typer.echo(f"cascade: error: {message}", err=True)
            return 2
        typer.echo(internal_error(exc), err=True)  # a bug in cascade: still one line
        return 2
    return code if isinstance(code, int) else 0


def _said(text: str, code: int) -> int:
    sys.stderr.write(text)
    return code
