"""Phrases the text and Markdown renderers share, so both say the same thing."""

from __future__ import annotations

from cascade.diagnostics import Severity
from cascade.gapreport.model import CORPORATE, Gap, Health


def counted(number: int, severity: Severity) -> str:
    # "info" is a mass noun: "3 info", like "3 warnings".
    word = severity.value if severity is Severity.INFO or number == 1 else f"{severity.value}s"
    return f"{number} {word}"


def counts_phrase(counts: dict[Severity, int]) -> str:
    """`2 errors, 7 warnings, 3 info`, leaving out errors when there are none."""
    parts = [
        counted(counts.get(severity, 0), severity)
        for severity in Severity
        if severity is not Severity.ERROR or counts.get(severity, 0)
    ]
    return ", ".join(parts)


def waived_phrase(count: int, shown: bool) -> str:
    if not count:
        return ""
    if shown:
        return f"{count} waived (listed at the end)"
    return f"{count} waived (`--show-waived` lists them)"


def status_line(health: Health) -> str:
    line = f"{health.on_track} · {health.at_risk} · {health.off_track}"
    if health.unknown:
        line += f" ({health.unknown} not measurable yet)"
    return line


def place(gap: Gap) -> str:
    """Where in the organisation: `Key Accounts`, `Mateo Ferrer (Marketing)`, `Corporate`."""
    if gap.unit_name is None:
        return CORPORATE
    if gap.home_name:
        return f"{gap.unit_name} ({gap.home_name})"
    return gap.unit_name
