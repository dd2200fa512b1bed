"""What every report format shares: the reporter signature, its options, and message helpers.

Standard library only: the CLI imports every format at start-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from cascade import __version__
from cascade.diagnostics import Diagnostic, RuleInfo, Summary


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """How to report: colour and quietness for people; the rule table and version for SARIF."""

    color: bool = False
    quiet: bool = False
    strict: bool = False  # warnings fail the run too (`--strict`)
    rules: Sequence[RuleInfo] = ()  # every rule the run knew about, not only those that fired
    version: str = __version__


class Reporter(Protocol):
    """Turns diagnostics, already sorted, into the whole text of one report (written at once)."""

    def __call__(
        self,
        diagnostics: Sequence[Diagnostic],
        summary: Summary,
        options: ReportOptions,
    ) -> str: ...


def message_with_hint(diagnostic: Diagnostic) -> str:
    """The message, and the hint on a line of its own, for formats that keep line breaks."""
    if diagnostic.hint:
        return f"{diagnostic.message}\nhint: {diagnostic.hint}"
    return diagnostic.message
