"""The JUnit format: well-formed XML whatever the messages hold, and counts CI can trust."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from xml.etree import ElementTree

from cascade.diagnostics import Diagnostic, Summary
from cascade.report import ReportOptions
from cascade.report.junit import render


def parse(output: str) -> ElementTree.Element:
    return ElementTree.fromstring(output.encode("utf-8"))


def test_counts_and_cases(
    findings: list[Diagnostic], summary: Summary, options: ReportOptions
) -> None:
    # With --strict, as CI runs it to fail on warnings: errors and warnings are failures.
    root = parse(render(findings, summary, dataclasses.replace(options, strict=True)))
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    for element in (root, suite):
        assert element.get("tests") == "6"
        assert element.get("failures") == "4"
        assert element.get("errors") == "0"
    cases = suite.findall("testcase")
    assert len(cases) == len(findings)
    for case, diagnostic in zip(cases, findings, strict=True):
        assert case.get("classname") == diagnostic.location.file
        assert case.get("name") == f"{diagnostic.rule} {diagnostic.name} {diagnostic.location}"
        failure = case.find("failure")
        if diagnostic.severity.value == "info":
            assert failure is None
            assert case.findtext("system-out", "").startswith(str(diagnostic.location))
        else:
            assert failure is not None
            assert failure.get("type") == diagnostic.severity.value
            assert failure.get("message") == diagnostic.message
            if diagnostic.hint:
                assert (failure.text or "").endswith(f"\nhint: {diagnostic.hint}")


def test_forbidden_characters_are_dropped(
    findings: list[Diagnostic], summary: Summary, options: ReportOptions
) -> None:
    nasty = dataclasses.replace(findings[0], message="a\x00b\x0bc\ufffed\ud800e <&\"'> ]]> \t\n")
    root = parse(render([nasty], summary, options))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == "a\\x00b\\x0bcde <&\"'> ]]> \t\n"


def test_no_findings_is_one_passing_test(summary: Summary, options: ReportOptions) -> None:
    root = parse(render([], summary, options))
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("1", "0", "0")
    (case,) = root.findall("testsuite/testcase")
    assert case.get("name") == "cascade validate"
    assert list(case) == []


def test_only_findings_at_the_failing_level_are_failures(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cascade.cli import app

    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "objectives:\n  - {id: O, title: t}\n  - {id: P, title: t, supports: NOPE}\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    lenient = runner.invoke(app, ["validate", str(plan), "-f", "junit", "--no-cache"])
    strict = runner.invoke(app, ["validate", str(plan), "-f", "junit", "--no-cache", "--strict"])
    assert 'failures="1"' in lenient.stdout  # the unknown reference; warnings are output
    assert lenient.stdout.count("<failure") == 1
    warnings = strict.stdout.count('type="warning"')
    assert warnings > 0 and f'failures="{1 + warnings}"' in strict.stdout
