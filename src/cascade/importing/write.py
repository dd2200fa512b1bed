"""The imported plan as files in the style of `cascade init`: `organization.yaml` (the
organization, periods and objectives), `departments/<id>.yaml` (a department, its teams
and their goals) and `people.yaml`; a comment at the top of each names the source and the
date. Written into a temporary folder beside `--into`, renamed onto it at the end: on any
failure nothing is left behind."""

from __future__ import annotations

import datetime
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from cascade.errors import CascadeError
from cascade.importing.model import Imported


def files(plan: Imported, source: str, day: datetime.date) -> dict[str, str]:
    """Relative path -> text of every file to write."""
    import yaml

    def dump(data: dict[str, Any], what: str) -> str:
        head = f"# {what}, imported from {source} on {day} by `cascade import`.\n"
        body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
        return head + body

    out: dict[str, str] = {}
    top: dict[str, Any] = {"version": 1, "organization": plan.organization}
    if plan.periods:
        top["periods"] = plan.periods
    top["objectives"] = plan.objectives
    out["organization.yaml"] = dump(top, "The organization, its periods and objectives")
    for ident, department in plan.departments.items():
        teams = [t for t in plan.teams.values() if t["department"] == ident]
        data: dict[str, Any] = {"departments": [department]}
        if teams:
            data["teams"] = teams
        out[f"departments/{ident}.yaml"] = dump(data, f"Department {department['name']}")
    if plan.people:
        out["people.yaml"] = dump({"people": list(plan.people.values())}, "The people")
    return out


def counts(text: str) -> tuple[int, int]:
    """(goals, KPIs) a written file holds, for `--dry-run`."""
    import yaml

    data = yaml.safe_load(text) or {}
    goals = list(data.get("objectives") or [])
    for key in ("departments", "teams", "people"):
        for unit in data.get(key) or []:
            goals += unit.get("goals") or []
    return len(goals), sum(len(goal.get("kpis") or []) for goal in goals)


def write(into: Path, found: dict[str, str]) -> None:
    """Every file into `into` (missing or empty), whole or not at all."""
    if into.exists() and (not into.is_dir() or any(into.iterdir())):
        raise CascadeError(f"--into {into}: not empty; import writes only into a new folder")
    parent = into.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{into.name}.", dir=parent))
    try:
        for relative, text in found.items():
            target = temp / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
        os.chmod(temp, 0o755)
        if into.exists():
            into.rmdir()  # empty: checked above
        os.replace(temp, into)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
