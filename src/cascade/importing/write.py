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
from typing import Any, NamedTuple

from cascade.errors import CascadeError
from cascade.importing.emit import document
from cascade.importing.plan import Imported


class File(NamedTuple):
    """One file to write: its text, and the goals and KPIs it holds (for `--dry-run`)."""

    text: str
    goals: int
    kpis: int


def _counts(*groups: list[dict[str, Any]]) -> tuple[int, int]:
    goals = [goal for group in groups for goal in group]
    return len(goals), sum(len(goal.get("kpis") or []) for goal in goals)


def files(plan: Imported, source: str, day: datetime.date) -> dict[str, File]:
    """Relative path -> every file to write."""

    def dump(data: dict[str, Any], what: str, *goals: list[dict[str, Any]]) -> File:
        head = f"# {what}, imported from {source} on {day} by `cascade import`.\n\n"
        return File(head + document(data), *_counts(*goals))

    out: dict[str, File] = {}
    top: dict[str, Any] = {"version": 1, "organization": plan.organization}
    if plan.periods:
        top["periods"] = plan.periods
    top["objectives"] = plan.objectives
    out["organization.yaml"] = dump(
        top, "The organization, its periods and objectives", plan.objectives
    )
    for ident, department in plan.departments.items():
        teams = [t for t in plan.teams.values() if t["department"] == ident]
        data: dict[str, Any] = {"departments": [department]}
        if teams:
            data["teams"] = teams
        name = department.get("name", ident)
        goals = [unit.get("goals") or [] for unit in (department, *teams)]
        out[f"departments/{ident}.yaml"] = dump(data, f"Department {name}", *goals)
    if plan.people:
        people = list(plan.people.values())
        goals = [person.get("goals") or [] for person in people]
        out["people.yaml"] = dump({"people": people}, "The people", *goals)
    return out


def write(into: Path, found: dict[str, File]) -> None:
    """Every file into `into` (missing or empty), whole or not at all."""
    if into.exists() and (not into.is_dir() or any(into.iterdir())):
        raise CascadeError(f"--into {into}: not empty; import writes only into a new folder")
    parent = into.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{into.name}.", dir=parent))
    try:
        for relative, file in found.items():
            target = temp / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(file.text, encoding="utf-8", newline="\n")
        os.chmod(temp, 0o755)
        if into.exists():
            into.rmdir()  # empty: checked above
        os.replace(temp, into)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
