"""The text format: one clickable line per finding, hints inline, a pluralised summary."""

from __future__ import annotations

import dataclasses
import re

from cascade.diagnostics import Diagnostic, Location, Severity, Summary
from cascade.report import ReportOptions
from cascade.report.text import render, summary_line

LINE = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning|info)"
    r"\[(?P<code>CAS\d{3}) (?P<name>[a-z-]+)\] (?P<message>.+)$"
)


def finding(severity: Severity, hint: str | None = None) -> Diagnostic:
    return Diagnostic("CAS101", "orphan-goal", severity, "m", Location("a.yaml", 1, 2), hint=hint)


def test_one_line_per_finding_then_summary(
    findings: list[Diagnostic], summary: Summary, options: ReportOptions
) -> None:
    lines = render(findings, summary, options).splitlines()
    assert len(lines) == len(findings) + 1
    for line, diagnostic in zip(lines, findings, strict=False):
        match = LINE.match(line)
        assert match, line
        assert match["file"] == diagnostic.location.file
        assert int(match["line"]) == diagnostic.location.line
        assert int(match["column"]) == diagnostic.location.column
        assert match["severity"] == diagnostic.severity.value
        assert match["code"] == diagnostic.rule
        assert match["name"] == diagnostic.name
    assert lines[-1] == "2 errors, 2 warnings, 2 info in 7 files"


def test_exact_form_with_and_without_hint() -> None:
    output = render(
        [finding(Severity.WARNING, "do x"), finding(Severity.INFO)],
        Summary(1),
        ReportOptions(quiet=True),
    )
    assert output == (
        "a.yaml:1:2: warning[CAS101 orphan-goal] m (hint: do x)\n"
        "a.yaml:1:2: info[CAS101 orphan-goal] m\n"
    )


def test_order_is_kept(
    findings: list[Diagnostic], summary: Summary, options: ReportOptions
) -> None:
    backwards = findings[::-1]
    lines = render(backwards, summary, options).splitlines()[:-1]
    assert [LINE.match(line)["code"] for line in lines] == [f.rule for f in backwards]  # type: ignore[index]


def test_line_breaks_fold_and_controls_show() -> None:
    diagnostic = dataclasses.replace(
        finding(Severity.ERROR), message="one,\n   two\r\nthree \x1b[0m"
    )
    assert render([diagnostic], Summary(1), ReportOptions(quiet=True)) == (
        "a.yaml:1:2: error[CAS101 orphan-goal] one, two three \\x1b[0m\n"
    )


def test_quiet_drops_only_the_summary(
    findings: list[Diagnostic], summary: Summary, options: ReportOptions
) -> None:
    quiet = render(findings, summary, dataclasses.replace(options, quiet=True))
    assert quiet.splitlines() == render(findings, summary, options).splitlines()[:-1]
    assert render([], summary, dataclasses.replace(options, quiet=True)) == ""


def test_summary_pluralises() -> None:
    assert summary_line([], Summary(0)) == "No problems found in 0 files"
    assert summary_line([], Summary(1)) == "No problems found in 1 file"
    one_each = [finding(Severity.ERROR), finding(Severity.WARNING), finding(Severity.INFO)]
    assert summary_line(one_each, Summary(1)) == "1 error, 1 warning, 1 info in 1 file"
    assert summary_line([finding(Severity.INFO)] * 3, Summary(2)) == (
        "0 errors, 0 warnings, 3 info in 2 files"
    )


def test_color_marks_severity_and_dims_location() -> None:
    output = render([finding(Severity.ERROR)], Summary(1), ReportOptions(color=True))
    first, last = output.splitlines()
    assert first == "\x1b[2ma.yaml:1:2:\x1b[0m \x1b[1;31merror\x1b[0m[CAS101 orphan-goal] m"
    assert last == "\x1b[1;31m1 error\x1b[0m, 0 warnings, 0 info in 1 file"
