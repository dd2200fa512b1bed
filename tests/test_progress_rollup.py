"""`alignment.rollup`: where a goal's progress comes from, through the real map output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cascade.cli import app
from tests.conftest import AS_OF

PLAN = """\
organization: {name: Roll Inc, period: FY2026}
periods:
  - {id: FY2026, start: 2026-01-01, end: 2026-12-31}
objectives:
  - {id: O, title: o, kpis: [{name: k, baseline: 0, target: 10, current: 2}]}
departments:
  - id: d
    goals:
      - {id: A, title: a, supports: O, kpis: [{name: k, baseline: 0, target: 10, current: 8}]}
      - {id: B, title: b, supports: O}
      - id: C
        title: c
        supports: O
        status: dropped
        kpis: [{name: k, baseline: 0, target: 10, current: 0}]
"""


@pytest.mark.parametrize(
    ("rollup", "objective", "leaf"),
    [
        ("both", (0.2 + 0.8) / 2, 0.8),  # its KPI and A (B knows nothing; C is dropped)
        ("kpis", 0.2, 0.8),  # its own KPI alone
        ("children", 0.8, 0.8),  # A alone; A, a leaf, from its own KPI
    ],
)
def test_rollup_takes_progress_from_where_the_config_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rollup: str, objective: float, leaf: float
) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "plan.yaml").write_text(PLAN, encoding="utf-8")
    (tmp_path / "cascade.yaml").write_text(f"alignment: {{rollup: {rollup}}}\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["map", "-f", "json", "--as-of", AS_OF, "--no-cache"])
    progress = {goal["id"]: goal["progress"] for goal in json.loads(result.stdout)["goals"]}
    assert progress["O"] == pytest.approx(objective, abs=1e-4)
    assert progress["A"] == pytest.approx(leaf, abs=1e-4)
    assert progress["B"] is None
