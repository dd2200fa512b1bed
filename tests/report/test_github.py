"""The GitHub Actions format: workflow commands escaped like @actions/core, then the text report."""

from __future__ import annotations

from cascade.diagnostics import Diagnostic, Location, Severity, Summary
from cascade.report import ReportOptions
from cascade.report.github import command, escape_data, escape_property, render
from cascade.report.text import render as render_text


def test_escaping_matches_the_toolkit() -> None:
    assert escape_data("100% a:b,c\r\nd") == "100%25 a:b,c%0D%0Ad"
    assert escape_property("100% a:b,c\r\nd") == "100%25 a%3Ab%2Cc%0D%0Ad"


def test_command_form() -> None:
    diagnostic = Diagnostic(
        "CAS101",
        "orphan-goal",
        Severity.WARNING,
        "50%: a, b",
        Location("p/a,b:c.yaml", 3, 4),
        hint="fix it",
    )
    assert command(diagnostic) == (
        "::warning file=p/a%2Cb%3Ac.yaml,line=3,col=4,title=CAS101 orphan-goal"
        "::50%25: a, b%0Ahint: fix it"
    )


def test_commands_then_the_plain_text_report(
    findings: list[Diagnostic], summary: Summary, options: ReportOptions
) -> None:
    output = render(findings, summary, ReportOptions(color=True, rules=options.rules))
    lines = output.splitlines()
    commands = lines[: len(findings)]
    assert [line.split(" ", 1)[0] for line in commands] == [
        "::error",
        "::error",
        "::warning",
        "::warning",
        "::notice",
        "::notice",
    ]
    assert all("\n" not in line for line in commands)
    assert "\n".join(lines[len(findings) :]) + "\n" == render_text(findings, summary, options)


def test_no_findings_is_only_the_summary(summary: Summary, options: ReportOptions) -> None:
    assert render([], summary, options) == "No problems found in 7 files\n"
