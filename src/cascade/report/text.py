"""Plain text: one clickable `file:line:column:` line per finding, then a one-line summary.

Colour is plain ANSI SGR, and only when asked for: without it no ESC byte is written.
"""

from __future__ import annotations

from collections.abc import Sequence

from cascade.controls import one_line
from cascade.diagnostics import Diagnostic, Severity, Summary
from cascade.report.base import ReportOptions

_SEVERITY_STYLE = {Severity.ERROR: "1;31", Severity.WARNING: "33", Severity.INFO: "36"}
_DIM = "2"
_GREEN = "32"


def _style(sgr: str, text: str, color: bool) -> str:
    return f"\x1b[{sgr}m{text}\x1b[0m" if color else text


def finding_line(diagnostic: Diagnostic, *, color: bool = False) -> str:
    """`file:line:column: severity[CODE name] message (hint: …)`, always on one line."""
    severity = diagnostic.severity
    rest = f"[{diagnostic.rule} {diagnostic.name}] {diagnostic.message}"
    if diagnostic.hint:
        rest += f" (hint: {diagnostic.hint})"
    location = _style(_DIM, one_line(f"{diagnostic.location}:"), color)
    return f"{location} {_style(_SEVERITY_STYLE[severity], severity.value, color)}{one_line(rest)}"


def _count(number: int, severity: Severity) -> str:
    # "info" is a mass noun: "3 info", like "3 errors".
    word = severity.value if severity is Severity.INFO or number == 1 else f"{severity.value}s"
    return f"{number} {word}"


def summary_line(
    diagnostics: Sequence[Diagnostic], summary: Summary, *, color: bool = False
) -> str:
    """`2 errors, 1 warning, 0 info in 7 files`, or `No problems found in 7 files`."""
    files = f"{summary.files_read} file{'' if summary.files_read == 1 else 's'}"
    if not diagnostics:
        return f"{_style(_GREEN, 'No problems found', color)} in {files}"
    counts = summary.counts(list(diagnostics))
    parts = [
        _style(_SEVERITY_STYLE[severity], _count(number, severity), color and number > 0)
        for severity, number in counts.items()
    ]
    return f"{', '.join(parts)} in {files}"


def render(diagnostics: Sequence[Diagnostic], summary: Summary, options: ReportOptions) -> str:
    lines = [finding_line(diagnostic, color=options.color) for diagnostic in diagnostics]
    if not options.quiet:
        lines.append(summary_line(diagnostics, summary, color=options.color))
    return "".join(f"{line}\n" for line in lines)
