"""What a run found: the diagnostics to show and what was waived.

Standard library only, so that a run answered from the cache needs nothing heavier.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cascade.diagnostics import Diagnostic, Severity


@dataclass(frozen=True, slots=True)
class Waived:
    """A finding that a goal's `waive:` switched off, with the reason given."""

    diagnostic: Diagnostic
    reason: str


@dataclass
class Result:
    """What a run found: diagnostics to show, and what was waived (counted, listable).

    Only what was found: the plan the rules looked at is the session's (`Session.context`).
    """

    diagnostics: list[Diagnostic] = field(default_factory=list)
    waived: list[Waived] = field(default_factory=list)

    def failed(self, strict: bool) -> bool:
        """True when a finding is at the failing level (errors; warnings too when strict)."""
        floor = Severity.WARNING.rank if strict else Severity.ERROR.rank
        return any(d.severity.rank >= floor for d in self.diagnostics)
