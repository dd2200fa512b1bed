"""The close report as the documented JSON (keys may be added, never removed or renamed)."""

from __future__ import annotations

import json
from typing import Any

from cascade.closereport.model import CloseReport

SHAPE_VERSION = 1


def to_data(report: CloseReport) -> dict[str, Any]:
    return {
        "version": SHAPE_VERSION,
        "period": report.period,
        "start": report.start.isoformat(),
        "end": report.end.isoformat(),
        "judged_at": report.judged_at.isoformat(),
        "preview": report.preview,
        "counts": report.counts,
        "goals": [
            {
                "id": g.id,
                "level": g.level,
                "title": g.title,
                "unit": g.unit,
                "owner": g.owner,
                "commitment": g.commitment,
                "score": g.score,
                "grade": g.grade,
                "status": g.status,
                "suggested_status": g.suggested_status,
                "depth": depth,
            }
            for depth, g in report.tree
        ],
        "departments": [
            {"id": d.id, "name": d.name, "mean_score": d.mean_score, "counts": d.counts}
            for d in report.departments
        ],
        "explain": [g.id for g in report.explain],
        "low_bar": [g.id for g in report.low_bar],
        "unknown": [{"id": g.id, "why": g.why_unknown} for g in report.unknown],
        "status_to_set": [
            {"id": g.id, "suggested_status": g.suggested_status} for g in report.status_to_set
        ],
        "contradictions": [
            {"id": g.id, "status": g.status, "grade": g.grade} for g in report.contradictions
        ],
        "eased": [
            {
                "kpi": e.kpi,
                "goal": e.goal,
                "before": e.before,
                "after": e.after,
                "commit": e.commit.sha,
                "date": e.commit.date,
                "author": e.commit.author,
            }
            for e in report.eased
        ],
        "questions": report.questions,
    }


def render(report: CloseReport) -> str:
    return json.dumps(to_data(report), indent=2, ensure_ascii=False) + "\n"
