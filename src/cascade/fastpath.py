"""`cascade validate` without typer: a plain command line is read here and run at once; any
other (help, a mistake, an option spelt another way) goes to the full CLI, which says why.

Importing typer is most of a `validate` that the cache answers, the run pre-commit makes.
"""

from __future__ import annotations

import datetime
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from cascade.errors import Stopped, expected_failure

FORMATS = ("text", "json", "github", "sarif", "junit")
# Each option as `cascade validate --help` spells it: --name VALUE, --name=VALUE, -x VALUE.
_VALUES = {
    "--format": "output_format",
    "-f": "output_format",
    "--select": "select",
    "--ignore": "ignore",
    "--output": "output",
    "-o": "output",
    "--config": "config",
    "--as-of": "as_of",
    "--cache-dir": "cache_dir",
}
_FLAGS = {
    "--strict": "strict",
    "--no-color": "no_color",
    "--quiet": "quiet",
    "-q": "quiet",
    "--no-cache": "no_cache",
}
_COMPLETION = "_CASCADE_COMPLETE"  # set by a shell asking typer to complete a word


@dataclass
class ValidateArgs:
    """What `cascade validate` was asked to do, read and checked."""

    plan: Path | None = None
    output_format: str = "text"
    strict: bool = False
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    output: Path | None = None
    config: Path | None = None
    as_of: datetime.date | None = None
    no_color: bool = False
    quiet: bool = False
    cache_dir: Path | None = None
    no_cache: bool = False


def parse(argv: list[str]) -> ValidateArgs | None:
    """`validate` and its arguments, or None when the full CLI must read them."""
    if argv[:1] != ["validate"] or _COMPLETION in os.environ:
        return None
    args = ValidateArgs()
    tokens = iter(argv[1:])
    for token in tokens:
        name, equals, value = token.partition("=") if token.startswith("--") else (token, "", "")
        if name in _FLAGS and not equals:
            setattr(args, _FLAGS[name], True)
        elif name in _VALUES:
            if not equals:
                value = next(tokens, "")
            if not value or value.startswith("-") or not _take(args, _VALUES[name], value):
                return None
        elif token and not token.startswith("-") and args.plan is None:
            args.plan = Path(token)
        else:
            return None  # help, an unknown option, a second plan: the full CLI's to say
    return args


def _take(args: ValidateArgs, name: str, value: str) -> bool:
    """Store one option's value; False when the full CLI must judge it."""
    if name in ("select", "ignore"):
        getattr(args, name).append(value)
    elif name == "output_format":
        if value not in FORMATS:
            return False
        args.output_format = value
    elif name == "as_of":
        args.as_of = read_date(value)
        return args.as_of is not None
    else:
        setattr(args, name, Path(value))
    return True


def read_date(text: str) -> datetime.date | None:
    """`--as-of`: a real date written YYYY-MM-DD (ISO's other forms, such as 20261115 or
    2026-W46-7, are not what the option promises), else None."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def run_validate(args: ValidateArgs) -> int:
    """Check the plan and report every finding; the exit code. Expected failures raise
    `CascadeError`. The one body of `validate`, whichever front end read the command."""
    from cascade import __version__
    from cascade.result import Result
    from cascade.session import Session, use_color, write_output

    session = Session.open(
        args.plan,
        args.config,
        args.as_of,
        quiet=args.quiet,
        cache_dir=args.cache_dir,
        no_cache=args.no_cache,
    )
    color = args.output is None and use_color(args.no_color)

    def render(result: Result) -> str:
        from cascade.report import REPORTERS, ReportOptions  # not needed when cached

        options = ReportOptions(
            color=color,
            quiet=args.quiet,
            strict=args.strict,
            rules=session.rule_infos(),
            version=__version__,
        )
        return REPORTERS[args.output_format](result.diagnostics, session.summary(), options)

    text, failed, failed_strict = session.report(
        args.select,
        args.ignore,
        (args.output_format, str(color), str(args.quiet), str(args.strict)),
        render,
    )
    write_output(text, args.output, protect=session.protected_paths())
    return 1 if (failed_strict if args.strict else failed) else 0


def main(argv: list[str]) -> int | None:
    """Run `validate` when `argv` is a plain one (the exit code), else None."""
    args = parse(argv)
    if args is None:
        return None
    try:
        return run_validate(args)
    except (Exception, KeyboardInterrupt, Stopped) as exc:  # a bug too: one line, no traceback
        text, code = expected_failure(exc)
        sys.stderr.write(text)
        return code
