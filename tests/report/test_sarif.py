"""The SARIF format: the rule table, results that point into it, and the official schema.

The schema is not in the repository (OASIS licence terms). It is found at $CASCADE_SARIF_SCHEMA,
else where `.ci/run` unpacks the npm package @microsoft/jest-sarif (see SCHEMA_CANDIDATES).
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest

from cascade.diagnostics import Diagnostic, Location, Severity, Summary
from cascade.report import ReportOptions
from cascade.report.sarif import artifact_location, render

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_CANDIDATES = [
    ROOT / ".ci/cache/package/lib/schemas/sarif-2.1.0-rtm.5.json",
    ROOT / ".ci/cache/node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json",
]


def sarif(findings: list[Diagnostic], summary: Summary, options: ReportOptions) -> Any:
    return json.loads(render(findings, summary, options))


def test_run_tool_and_rule_table(
    findings: list[Diagnostic], summary: Summary, options: ReportOptions
) -> None:
    log = sarif(findings, summary, options)
    assert log["version"] == "2.1.0"
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("cascade", "1.2.3")
    assert driver["informationUri"] == "https://github.com/cascade-plans/cascade"
    rules = driver["rules"]
    # Every known rule, plus CAS114, which fired but was not listed; sorted by code.
    assert [rule["id"] for rule in rules] == [
        "CAS001",
        "CAS002",
        "CAS005",
        "CAS101",
        "CAS108",
        "CAS114",
        "CAS116",
    ]
    assert rules[0] == {
        "id": "CAS001",
        "name": "yaml-syntax",
        "shortDescription": {"text": "a file is not valid YAML"},
        "defaultConfiguration": {"level": "error"},
    }
    assert [rule["defaultConfiguration"]["level"] for rule in rules if rule["id"] != "CAS114"] == [
        "error",
        "error",
        "error",
        "warning",
        "warning",
        "note",
    ]


def test_results_point_at_their_rule_and_place(
    findings: list[Diagnostic], summary: Summary, options: ReportOptions
) -> None:
    (run,) = sarif(findings, summary, options)["runs"]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert len(results) == len(findings)
    for result, diagnostic in zip(results, findings, strict=True):
        assert result["ruleId"] == diagnostic.rule
        assert rules[result["ruleIndex"]]["id"] == diagnostic.rule
        level = {"error": "error", "warning": "warning", "info": "note"}[diagnostic.severity.value]
        assert result["level"] == level
        hint = f"\nhint: {diagnostic.hint}" if diagnostic.hint else ""
        assert result["message"]["text"] == diagnostic.message + hint
        (location,) = result["locations"]
        region = location["physicalLocation"]["region"]
        assert region == {
            "startLine": diagnostic.location.line,
            "startColumn": diagnostic.location.column,
        }
    assert results[-1]["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "plans/%C3%A9quipe%20ventes.yaml",
        "uriBaseId": "%SRCROOT%",
    }


def test_absolute_paths_become_file_uris() -> None:
    assert artifact_location("/srv/plans/a b.yaml") == {"uri": "file:///srv/plans/a%20b.yaml"}
    assert artifact_location("C:/plans/a.yaml") == {"uri": "file:///C:/plans/a.yaml"}
    assert artifact_location("a:b.yaml") == {"uri": "a%3Ab.yaml", "uriBaseId": "%SRCROOT%"}


def test_order_is_kept(
    findings: list[Diagnostic], summary: Summary, options: ReportOptions
) -> None:
    (run,) = sarif(findings[::-1], summary, options)["runs"]
    assert [r["ruleId"] for r in run["results"]] == [f.rule for f in findings[::-1]]


def schema_path() -> Path:
    configured = os.environ.get("CASCADE_SARIF_SCHEMA")
    if configured:
        path = Path(configured)
        assert path.is_file(), f"CASCADE_SARIF_SCHEMA names no file: {path}"
        return path
    for path in SCHEMA_CANDIDATES:
        if path.is_file():
            return path
    pytest.skip(
        "SARIF 2.1.0 JSON schema not found: set CASCADE_SARIF_SCHEMA, or unpack the npm package "
        "@microsoft/jest-sarif@1.0.0-beta.0 into .ci/cache (see .ci/run)"
    )


def test_validates_against_the_sarif_schema(
    findings: list[Diagnostic], summary: Summary, options: ReportOptions
) -> None:
    import jsonschema

    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    unlisted_rule = Diagnostic(
        "CAS999", "made-up", Severity.INFO, "x", Location("/abs/x.yaml", 1, 1), subject="S"
    )
    for diagnostics in (findings, [], [unlisted_rule]):
        log = sarif(diagnostics, summary, options)
        errors = [error.message for error in validator.iter_errors(log)]
        assert errors == [], errors
    # The validator does bite: a level SARIF does not know is refused.
    broken = copy.deepcopy(sarif(findings, summary, options))
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert list(validator.iter_errors(broken))
