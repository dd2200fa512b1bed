"""GitHub Actions: one workflow command (`::error file=…::…`) per finding, then the text report.

GitHub shows only the first ten annotations of each kind, so the log repeats every finding as text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from cascade.controls import show_controls
from cascade.diagnostics import Diagnostic, Severity, Summary
from cascade.report import text
from cascade.report.base import ReportOptions, message_with_hint

_COMMAND = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
}


def escape_data(value: str) -> str:
    """Escape a command's message as `@actions/core` does."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a command's property value as `@actions/core` does."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(diagnostic: Diagnostic) -> str:
    """`::error file=F,line=L,col=C,title=CODE name::message%0Ahint: …`"""
    location = diagnostic.location
    properties = {
        "file": location.file,
        "line": str(location.line),
        "col": str(location.column),
        "title": f"{diagnostic.rule} {diagnostic.name}",
    }
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    message = escape_data(show_controls(message_with_hint(diagnostic)))
    return f"::{_COMMAND[diagnostic.severity]} {joined}::{message}"


def render(diagnostics: Sequence[Diagnostic], summary: Summary, options: ReportOptions) -> str:
    commands = "".join(f"{command(diagnostic)}\n" for diagnostic in diagnostics)
    plain = text.render(diagnostics, summary, dataclasses.replace(options, color=False))
    return commands + plain
