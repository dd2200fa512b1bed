"""Shared findings for the report tests: a few of each severity, with awkward characters."""

from __future__ import annotations

import pytest

from cascade.diagnostics import Diagnostic, Location, RuleInfo, Severity, Summary, sort_diagnostics
from cascade.report import ReportOptions

FINDINGS = [
    Diagnostic(
        rule="CAS002",
        name="schema",
        severity=Severity.ERROR,
        message='field "horizon" must be a date, not "2025-13-01"',
        location=Location("plans/company.yaml", 3, 10),
        subject="VISION",
        hint="write dates as YYYY-MM-DD",
    ),
    Diagnostic(
        rule="CAS005",
        name="unknown-reference",
        severity=Severity.ERROR,
        message='goal CO-2 supports "CO-9", which names no goal',
        location=Location("plans/company.yaml", 14, 17),
        subject="CO-2",
    ),
    Diagnostic(
        rule="CAS101",
        name="orphan-goal",
        severity=Severity.WARNING,
        message='goal SALES-3 "Launch partner program" supports no goal',
        location=Location("plans/sales.yaml", 12, 7),
        subject="SALES-3",
        hint="add `supports: [CO-1]`, or make it an objective",
    ),
    Diagnostic(
        rule="CAS108",
        name="kpi-target-conflict",
        severity=Severity.WARNING,
        message=(
            "KPI SALES-3.k1 \"Margin <20% & 'rising'\": target 15% is below baseline 18%,\n"
            '  but direction is "up"'
        ),
        location=Location("plans/sales.yaml", 20, 9),
        subject="SALES-3.k1",
        hint="set direction: down, or raise the target",
    ),
    Diagnostic(
        rule="CAS114",
        name="at-risk",
        severity=Severity.INFO,
        message='goal SALES-4 "\x1b[1mBig\x1b[0m deal" is 12% behind expected progress',
        location=Location("plans/sales.yaml", 31, 5),
        subject="SALES-4",
        hint="update its KPIs' current values",
    ),
    Diagnostic(
        rule="CAS116",
        name="no-assumptions",
        severity=Severity.INFO,
        message="objective OBJ-Ü « Croissance » states no assumptions — what must hold?",
        location=Location("plans/équipe ventes.yaml", 2, 3),
    ),
]
assert sort_diagnostics(FINDINGS) == FINDINGS

# Listed out of order, and without CAS114, which fired: SARIF must sort and complete the table.
RULES = [
    RuleInfo(
        "CAS101", "orphan-goal", Severity.WARNING, "a goal below the objectives supports no goal"
    ),
    RuleInfo("CAS001", "yaml-syntax", Severity.ERROR, "a file is not valid YAML"),
    RuleInfo("CAS002", "schema", Severity.ERROR, "a field has the wrong type or value"),
    RuleInfo("CAS005", "unknown-reference", Severity.ERROR, "a reference names no id"),
    RuleInfo(
        "CAS108", "kpi-target-conflict", Severity.WARNING, "direction, baseline, target disagree"
    ),
    RuleInfo("CAS116", "no-assumptions", Severity.INFO, "an objective states no assumptions"),
]

SUMMARY = Summary(files_read=7)
OPTIONS = ReportOptions(color=False, quiet=False, rules=RULES, version="1.2.3")


@pytest.fixture
def findings() -> list[Diagnostic]:
    return list(FINDINGS)


@pytest.fixture
def summary() -> Summary:
    return SUMMARY


@pytest.fixture
def options() -> ReportOptions:
    return OPTIONS
