"""Output formats of diagnostics, registered by name: text, json, github, sarif, junit.

Standard library only, so that importing it keeps the CLI quick to start.
"""

from __future__ import annotations

from cascade.report import github, json_report, junit, sarif, text
from cascade.report.base import Reporter, ReportOptions

__all__ = ["REPORTERS", "ReportOptions", "Reporter"]

REPORTERS: dict[str, Reporter] = {
    "text": text.render,
    "json": json_report.render,
    "github": github.render,
    "sarif": sarif.render,
    "junit": junit.render,
}
