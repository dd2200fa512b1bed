"""The JSON format: a list of objects with exactly the spec's keys, in the order given."""

from __future__ import annotations

import json

from cascade.diagnostics import Diagnostic, Summary
from cascade.report import ReportOptions
from cascade.report.json_report import render

KEYS = ["rule", "name", "severity", "message", "file", "line", "column", "subject", "hint"]


def test_parses_with_the_spec_keys(
    findings: list[Diagnostic], summary: Summary, options: ReportOptions
) -> None:
    output = render(findings, summary, options)
    assert output.endswith("]\n")
    records = json.loads(output)
    assert len(records) == len(findings)
    for record, diagnostic in zip(records, findings, strict=True):
        assert list(record) == KEYS
        assert record == {
            "rule": diagnostic.rule,
            "name": diagnostic.name,
            "severity": diagnostic.severity.value,
            "message": diagnostic.message,
            "file": diagnostic.location.file,
            "line": diagnostic.location.line,
            "column": diagnostic.location.column,
            "subject": diagnostic.subject,
            "hint": diagnostic.hint,
        }
    assert records[-1]["subject"] is None and records[-1]["hint"] is None


def test_non_ascii_is_kept_and_order_is_kept(
    findings: list[Diagnostic], summary: Summary, options: ReportOptions
) -> None:
    output = render(findings[::-1], summary, options)
    assert "équipe ventes" in output
    assert [r["rule"] for r in json.loads(output)] == [f.rule for f in findings[::-1]]


def test_empty_is_an_empty_list(summary: Summary, options: ReportOptions) -> None:
    assert render([], summary, options) == "[]\n"
