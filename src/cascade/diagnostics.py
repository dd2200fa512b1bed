"""Diagnostics: the one record every problem becomes, from YAML syntax to alignment gaps.

Standard library only, so every layer (loader, rules, reports) can import it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any


class Severity(enum.Enum):
    """How serious a finding is; `rank` orders them for failing levels and sorting."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.ERROR: 3, Severity.WARNING: 2, Severity.INFO: 1}


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A 1-based position in a plan file; `file` is already display-ready (`/` separators)."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def __reduce__(self) -> tuple[type[Location], tuple[str, int, int]]:
        # Findings cross from a helper process by pickle: a plain constructor call is
        # several times quicker than the default for a frozen, slotted dataclass.
        return Location, (self.file, self.line, self.column)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: which rule, how serious, what is wrong, where, and how to fix it."""

    rule: str  # the code, e.g. "CAS101"
    name: str  # the rule name, e.g. "orphan-goal"
    severity: Severity
    message: str
    location: Location
    subject: str | None = None  # the id of the item the finding is about
    hint: str | None = None

    def __reduce__(self) -> tuple[type[Diagnostic], tuple[Any, ...]]:
        # As for `Location`: the constructor call is the quick way back from a pickle.
        fields = (self.rule, self.name, self.severity, self.message, self.location)
        return Diagnostic, (*fields, self.subject, self.hint)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.rule, self.message)


def sort_diagnostics(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Sort by file, line, column, rule (and message, so ties are still deterministic)."""
    return sorted(diagnostics, key=Diagnostic.sort_key)


@dataclass(frozen=True, slots=True)
class Summary:
    """What a run looked at, for the closing line of reports."""

    files_read: int

    def counts(self, diagnostics: list[Diagnostic]) -> dict[Severity, int]:
        counts = dict.fromkeys(Severity, 0)
        for diagnostic in diagnostics:
            counts[diagnostic.severity] += 1
        return counts


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What reports need to know of a rule (SARIF's rule table, JUnit's names)."""

    code: str
    name: str
    severity: Severity  # the default severity
    summary: str  # one line


# Codes of the problems found while reading files, before any rule runs. The rule
# registry documents them; the loader emits them directly.
YAML_SYNTAX = ("CAS001", "yaml-syntax")
SCHEMA = ("CAS002", "schema")
DUPLICATE_KEY = ("CAS003", "duplicate-key")


def error(
    code: tuple[str, str],
    message: str,
    location: Location,
    *,
    subject: str | None = None,
    hint: str | None = None,
) -> Diagnostic:
    """An error-level diagnostic for one of the loader's own codes."""
    return Diagnostic(code[0], code[1], Severity.ERROR, message, location, subject, hint)
