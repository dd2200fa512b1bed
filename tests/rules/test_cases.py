"""Every folder in tests/rules/cases/ is a case: a plan (plan/), an optional cascade.yaml, and
the findings `validate` must print for the rules named in the folder's name (expected.txt).

Each plan marks the goals that fire and those that must not (draft, dropped, at the
threshold). UPDATE_GOLDEN=1 rewrites expected.txt; read the diff before committing it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cascade.cli import app

CASES = Path(__file__).parent / "cases"
AS_OF = "2026-11-15"


def _cases() -> list[Path]:
    return sorted(path for path in CASES.iterdir() if path.is_dir())


def run_case(case: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.chdir(case)
    codes = re.findall(r"CAS\d{3}", case.name)
    args = ["validate", "plan", "--select", ",".join(codes), "--as-of", AS_OF, "-q"]
    if (case / "cascade.yaml").exists():
        args += ["--config", "cascade.yaml"]
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.stdout


@pytest.mark.parametrize("case", _cases(), ids=lambda path: path.name)
def test_case(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, output = run_case(case, monkeypatch)
    expected = case / "expected.txt"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        expected.write_text(output, encoding="utf-8")
    assert code == 0, output  # gap findings never fail `validate` without --strict
    assert output == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", _cases(), ids=lambda path: path.name)
def test_case_fires_and_has_a_quiet_goal(case: Path) -> None:
    # Every case shows the rule firing, on exactly the lines whose comment says "fires".
    expected = (case / "expected.txt").read_text(encoding="utf-8")
    assert expected.strip(), f"{case.name}: the rule never fires"
    plans = "".join(p.read_text(encoding="utf-8") for p in sorted((case / "plan").rglob("*.yaml")))
    fires = len(re.findall(r"#[^\n]*\bfires\b", plans))
    assert fires == len(expected.splitlines()), f"{case.name}: 'fires' comments vs findings"


def test_every_gap_rule_has_a_case() -> None:
    from cascade.rules import all_rules

    covered = {code for case in _cases() for code in re.findall(r"CAS\d{3}", case.name)}
    gaps = {rule.code for rule in all_rules() if rule.gap}
    assert gaps <= covered, sorted(gaps - covered)
