"""JSON: a list with one object per finding; keys may be added later, never removed or renamed."""

from __future__ import annotations

import json
from collections.abc import Sequence

from cascade.diagnostics import Diagnostic, Summary
from cascade.report.base import ReportOptions


def to_record(diagnostic: Diagnostic) -> dict[str, str | int | None]:
    """The finding as the spec's JSON object (`subject` and `hint` are null when absent)."""
    location = diagnostic.location
    return {
        "rule": diagnostic.rule,
        "name": diagnostic.name,
        "severity": diagnostic.severity.value,
        "message": diagnostic.message,
        "file": location.file,
        "line": location.line,
        "column": location.column,
        "subject": diagnostic.subject,
        "hint": diagnostic.hint,
    }


def render(diagnostics: Sequence[Diagnostic], summary: Summary, options: ReportOptions) -> str:
    records = [to_record(diagnostic) for diagnostic in diagnostics]
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
