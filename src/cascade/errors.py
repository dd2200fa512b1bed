"""The one exception for expected failures that stop a command (exit code 2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from cascade.diagnostics import Diagnostic


class CascadeError(Exception):
    """A problem with how cascade was called, not with the plan: bad option, missing path."""

    def lines(self) -> str:
        """What standard error shows, each line ending in a line break."""
        return f"cascade: error: {self}\n"


class ConfigError(CascadeError):
    """Every problem of a `cascade.yaml` that cannot be used, each `file:line:col: why`."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems

    @classmethod
    def of(cls, found: Iterable[Diagnostic]) -> ConfigError:
        """The config's diagnostics, in file order, each `file:line:col: message (hint)`."""
        ordered = sorted(found, key=lambda d: (d.location.line, d.location.column))
        return cls([f"{d.location}: {d.message} (hint: {d.hint})" for d in ordered])

    def lines(self) -> str:
        return "".join(f"{problem}\n" for problem in self.problems)


class Stopped(BaseException):
    """SIGTERM or SIGHUP while an output was being written: raised so that the half-written
    temporary file is removed, as Ctrl-C (SIGINT) already does. A BaseException, so that
    nothing on the way (typer turns a KeyboardInterrupt into exit 130) takes it for another."""

    def __init__(self, signal_number: int) -> None:
        super().__init__(signal_number)
        self.exit_code = 128 + signal_number


def internal_error(exc: BaseException) -> str:
    """The one line a bug in cascade becomes: never a traceback."""
    return f"cascade: internal error: {type(exc).__name__}: {exc}"


def os_error(exc: OSError) -> str:
    """The one line an operating-system refusal becomes (a path too long, a folder that
    cannot be read): the path, cut when long, and what the system said."""
    name = str(exc.filename) if exc.filename is not None else ""
    if len(name) > 80:
        name = name[:40] + "..." + name[-37:]
    where = f"{name}: " if name else ""
    return f"cascade: error: {where}{exc.strerror or exc}"


# What every front end catches (the typer app, the fast `validate`, a command's guard):
# failures cascade expects, each one line (a config's problems, a line each) and a code.
EXPECTED = (CascadeError, OSError, KeyboardInterrupt, Stopped)


def expected_failure(exc: BaseException) -> tuple[str, int]:
    """What standard error shows for one of `EXPECTED`, and the exit code."""
    if isinstance(exc, CascadeError):
        return exc.lines(), 2
    if isinstance(exc, Stopped):
        return "cascade: aborted\n", exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        return "cascade: aborted\n", 130
    if isinstance(exc, OSError):
        return os_error(exc) + "\n", 2
    return internal_error(exc) + "\n", 2
