"""One YAML slip, one finding: the rest of a file with a syntax error is still read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cascade.cli import app
from tests.conftest import AS_OF, CASES

SLIPS = sorted(case for case in CASES.iterdir() if case.name.startswith("slip-"))


@pytest.mark.parametrize("case", SLIPS, ids=lambda case: case.name)
def test_the_goals_around_a_slip_are_still_read(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The case folder's expected.txt says the slip is the one finding of every rule; here:
    # what stands before and after the broken goal is in the plan, and the broken goal
    # is not (its id is known, so ADA-1's link to it is no unknown reference).
    monkeypatch.chdir(case)
    result = CliRunner().invoke(app, ["map", "-f", "json", "--as-of", AS_OF, "--no-cache"])
    assert result.exit_code == 1  # the syntax error
    goals = {goal["id"] for goal in json.loads(result.stdout)["goals"]}
    assert goals == {"OBJ-1", "OBJ-2", "OPS-2", "ADA-1"}


def test_two_slips_in_one_file_are_two_findings(tmp_path: Path) -> None:
    text = (CASES / "slip-tab" / "plans" / "ops.yaml").read_text(encoding="utf-8")
    text = text.replace("        title: Staff the night shift", "         title: Staff it")
    (tmp_path / "ops.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["validate", str(tmp_path), "-f", "json", "--select", "CAS001,CAS005"]
    )
    assert [(f["rule"], f["line"]) for f in json.loads(result.stdout)] == [
        ("CAS001", 9),
        ("CAS001", 13),
    ]


def test_a_file_that_cannot_be_salvaged_is_still_one_finding(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("objectives: [\n  {id: A, title: t\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(tmp_path), "-f", "json"])
    assert [f["rule"] for f in json.loads(result.stdout)] == ["CAS001"]


def test_a_quoted_value_over_two_lines_is_not_taken_for_the_slip(tmp_path: Path) -> None:
    # YAML allows a quoted value to go on over lines: the slip is the tab below it.
    (tmp_path / "a.yaml").write_text(
        'objectives:\n  - id: A\n    title: "Grow the\n      northeast"\n  - id: B\n\ttitle: b\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["validate", str(tmp_path), "-f", "json"])
    findings = json.loads(result.stdout)
    assert [(f["rule"], f["line"]) for f in findings if f["rule"] == "CAS001"] == [("CAS001", 6)]
