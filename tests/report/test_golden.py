"""Every format, byte for byte, against tests/report/golden/ (UPDATE_GOLDEN=1 rewrites them)."""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import pytest

from cascade.diagnostics import Diagnostic, Summary
from cascade.report import REPORTERS, ReportOptions

GOLDEN = Path(__file__).parent / "golden"
SUFFIX = {"text": "txt", "json": "json", "github": "txt", "sarif": "json", "junit": "xml"}
VARIANTS = [*SUFFIX, "text-color"]
CASES = [(case, variant) for case in ("findings", "empty") for variant in VARIANTS]
SGR = re.compile(r"\x1b\[[0-9;]*m")


def render(
    variant: str, diagnostics: list[Diagnostic], summary: Summary, options: ReportOptions
) -> str:
    name, _, flavour = variant.partition("-")
    return REPORTERS[name](diagnostics, summary, dataclasses.replace(options, color=bool(flavour)))


@pytest.mark.parametrize(("case", "variant"), CASES, ids=[f"{c}.{v}" for c, v in CASES])
def test_matches_golden_file(
    case: str,
    variant: str,
    findings: list[Diagnostic],
    summary: Summary,
    options: ReportOptions,
) -> None:
    output = render(variant, findings if case == "findings" else [], summary, options)
    path = GOLDEN / f"{case}.{variant}.{SUFFIX[variant.partition('-')[0]]}"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_bytes(output.encode("utf-8"))
    assert path.exists(), f"{path.name} is missing: run with UPDATE_GOLDEN=1 to write it"
    assert output == path.read_bytes().decode("utf-8")


def test_golden_files_all_belong_to_a_case() -> None:
    expected = {f"{c}.{v}.{SUFFIX[v.partition('-')[0]]}" for c, v in CASES}
    assert {path.name for path in GOLDEN.iterdir()} == expected


@pytest.mark.parametrize("name", sorted(REPORTERS))
def test_without_color_no_escape_byte(
    name: str, findings: list[Diagnostic], summary: Summary, options: ReportOptions
) -> None:
    # One message carries raw ANSI codes of its own: no format may pass them through.
    assert any("\x1b" in finding.message for finding in findings)
    output = REPORTERS[name](findings, summary, dataclasses.replace(options, color=False))
    assert "\x1b" not in output


def test_color_is_only_sgr_around_the_plain_text(
    findings: list[Diagnostic], summary: Summary, options: ReportOptions
) -> None:
    colored = render("text-color", findings, summary, options)
    plain = render("text", findings, summary, options)
    assert colored != plain
    assert SGR.sub("", colored) == plain


def test_output_is_deterministic(
    findings: list[Diagnostic], summary: Summary, options: ReportOptions
) -> None:
    for variant in VARIANTS:
        assert render(variant, findings, summary, options) == render(
            variant, list(findings), summary, options
        )
