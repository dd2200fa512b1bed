"""The diff report as the documented JSON (`version` 1; keys may be added, never removed
or renamed)."""

from __future__ import annotations

import json
from typing import Any

from cascade.changes import Change
from cascade.diffreport.model import DiffReport, SideInfo
from cascade.gapreport.json_render import ratio_record
from cascade.gapreport.model import Health
from cascade.report.json_report import to_record

SHAPE_VERSION = 1


def _side(side: SideInfo) -> dict[str, Any]:
    return {"label": side.label, "commit": side.commit, "files": side.files}


def change_record(change: Change) -> dict[str, Any]:
    return {
        "kind": change.kind,
        "item": change.item,
        "id": change.id,
        "level": change.level,
        "title": change.title,
        "field": change.field,
        "before": change.before,
        "after": change.after,
        "note": change.note,
        "file": change.file,
        "line": change.line,
    }


def _health(old: Health, new: Health) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key in ("objectives", "line_of_sight", "goals_with_kpis", "kpis_with_target", "kpis_fresh"):
        found[key] = {
            "before": ratio_record(getattr(old, key)),
            "after": ratio_record(getattr(new, key)),
        }
    found["status"] = {
        side: {key: getattr(health, key) for key in ("on_track", "at_risk", "off_track", "unknown")}
        for side, health in (("before", old), ("after", new))
    }
    return found


def to_data(report: DiffReport) -> dict[str, Any]:
    return {
        "version": SHAPE_VERSION,
        "base": _side(report.base),
        "head": _side(report.head),
        "as_of": report.as_of.isoformat(),
        "summary": report.summary,
        "changes": [change_record(change) for change in report.changes],
        "progress": [{"id": m.id, "before": m.before, "after": m.after} for m in report.progress],
        "status": [{"id": m.id, "before": m.before, "after": m.after} for m in report.status],
        "findings": {
            "new": [to_record(d) for d in report.new],
            "resolved": [to_record(d) for d in report.resolved],
        },
        "health": _health(*report.health),
    }


def render(
    report: DiffReport, *, color: bool = False, width: int | None = None, quiet: bool = False
) -> str:
    del color, width, quiet  # JSON has neither
    return json.dumps(to_data(report), indent=2, ensure_ascii=False) + "\n"
