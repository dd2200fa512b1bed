"""A small plan with KPIs of every kind, and a runner over it from its own folder."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from cascade.cli import app

PLAN = """\
organization: {name: Weekly Inc, vision: Grow, period: FY2026}
periods:
  - {id: FY2026, start: 2026-01-01, end: 2026-12-31}
  - {id: 2026-Q4, start: 2026-10-01, end: 2026-12-31, parent: FY2026}
objectives:
  - id: OBJ-1
    title: Grow revenue
    owner: ann
    kpis:
      - {id: revenue, name: Revenue, baseline: 0, target: 100, frequency: weekly}
      - {id: launch, name: Launch the shop, kind: milestone, frequency: monthly}
  - id: OBJ-2
    title: Keep margin
    owner: ann
    period: 2026-Q4
    commitment: aspirational
    kpis:
      - {id: margin, name: Margin, baseline: 0, target: 10, current: 4, as_of: 2026-11-01}
people:
  - {id: ann, name: Ann Lee}
  - {id: bo, name: Bo Chen}
"""


def make(root: Path, readings: dict[str, str | bytes] | None = None, plan: str = PLAN) -> Path:
    """A repository folder: plans/plan.yaml, and readings/ with the files given."""
    (root / "plans").mkdir(parents=True, exist_ok=True)
    (root / "plans" / "plan.yaml").write_text(plan, encoding="utf-8")
    for name, content in (readings or {}).items():
        target = root / "readings" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8", newline="")
    return root


def run(root: Path, *args: str) -> Result:
    old = Path.cwd()
    os.chdir(root)
    try:
        return CliRunner().invoke(app, list(args))
    finally:
        os.chdir(old)


def findings(root: Path, as_of: str = "2026-11-30") -> list[dict[str, Any]]:
    result = run(root, "validate", "--format", "json", "--as-of", as_of, "--no-cache")
    assert result.exit_code in (0, 1), result.output
    found: list[dict[str, Any]] = json.loads(result.stdout)
    return found


def where(found: list[dict[str, Any]], rule: str | None = None) -> list[str]:
    return [
        f"{f['rule']} {f['file']}:{f['line']}:{f['column']}"
        for f in found
        if rule is None or f["rule"] == rule
    ]


def gaps_json(root: Path, as_of: str) -> dict[str, Any]:
    result = run(root, "gaps", "--format", "json", "--as-of", as_of, "--no-cache")
    assert result.exit_code in (0, 1), result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data
