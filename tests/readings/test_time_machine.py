"""`--as-of D` answers "what did we know on D": readings dated after D move nothing, so a
report of a past date made today is the report made on that date from the same files."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from cascade.progress import after
from tests.readings.plan import PLAN, findings, gaps_json, make, run, where

HEADER = "kpi,date,value,note,confidence,by\n"
SEPTEMBER = (
    "revenue,2026-09-04,50,,,\n"
    "revenue,2026-09-25,60,on plan,0.8,ann\n"
    "launch,2026-09-30,not done,,,\n"
)
LATER = "revenue,2026-10-30,75,,,\nrevenue,2026-12-04,90,,,\nlaunch,2026-10-15,done,,,\n"


def _without_files(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "readings_files"}


def test_a_past_report_made_today_is_the_report_made_then(tmp_path: Path) -> None:
    then = make(tmp_path / "then", {"bi.csv": HEADER + SEPTEMBER})
    now = make(tmp_path / "now", {"bi.csv": HEADER + SEPTEMBER + LATER})
    for command in ("gaps", "map"):
        made_then = run(then, command, "--format", "json", "--as-of", "2026-09-30")
        made_now = run(now, command, "--format", "json", "--as-of", "2026-09-30")
        assert made_then.stdout == made_now.stdout
    assert findings(then, "2026-09-30") == findings(now, "2026-09-30")
    assert _without_files(gaps_json(then, "2026-09-30")) == _without_files(
        gaps_json(now, "2026-09-30")
    )
    assert gaps_json(now, "2026-12-05") != gaps_json(now, "2026-09-30")


def test_a_current_measured_after_the_date_is_not_known_yet(tmp_path: Path) -> None:
    # margin: current 4 as of 2026-11-01. On 2026-10-15 nothing was known of it.
    root = make(tmp_path)
    early = gaps_json(root, "2026-10-15")
    stale = [g for kind in early["gaps_by_kind"] for g in kind["gaps"] if g["subject"] == "margin"]
    assert stale and "no current value" in stale[0]["message"]
    late = gaps_json(root, "2026-11-15")
    assert not [
        g for kind in late["gaps_by_kind"] for g in kind["gaps"] if g["subject"] == "margin"
    ]


def test_an_undated_current_counts_only_without_a_dated_reading(tmp_path: Path) -> None:
    plan = PLAN.replace(
        "{id: revenue, name: Revenue, baseline: 0, target: 100, frequency: weekly}",
        "{id: revenue, name: Revenue, baseline: 0, target: 100, current: 99, "
        "history: [{date: 2026-11-01, value: 40}]}",
    )
    root = make(tmp_path, plan=plan)
    view = run(root, "map", "--format", "json", "--as-of", "2026-11-15").stdout
    assert '"current": 40' in view  # the dated reading on or before the date wins
    view = run(root, "map", "--format", "json", "--as-of", "2026-10-15").stdout
    assert '"current": 99' in view  # before it, only the undated current is known


def test_staleness_counts_from_the_latest_reading_on_or_before_the_date(tmp_path: Path) -> None:
    root = make(
        tmp_path, {"bi.csv": HEADER + "revenue,2026-11-01,40,,,\nrevenue,2026-11-28,50,,,\n"}
    )
    assert where(findings(root, "2026-11-20"), "CAS115") == ["CAS115 readings/bi.csv:2:9"]
    assert where(findings(root, "2026-11-30"), "CAS115") == []
    stale = next(f for f in findings(root, "2026-11-20") if f["rule"] == "CAS115")
    assert "limit 10 days: a weekly KPI" in stale["message"]


def test_readings_due_is_the_weekly_check_in_list(tmp_path: Path) -> None:
    rows = "revenue,2026-11-16,40,,,\nlaunch,2026-10-31,not done,,,\n"
    root = make(tmp_path, {"bi.csv": HEADER + rows})
    due = gaps_json(root, "2026-11-25")["readings_due"]
    assert due == [
        {
            "owner": "ann",
            "owner_name": "Ann Lee",
            "kpis": [
                {
                    "id": "revenue",
                    "name": "Revenue",
                    "goal": "OBJ-1",
                    "frequency": "weekly",
                    "last": "2026-11-16",
                    "due": "2026-11-23",
                    "days_late": 2,
                },
                {
                    "id": "launch",
                    "name": "Launch the shop",
                    "goal": "OBJ-1",
                    "frequency": "monthly",
                    "last": "2026-10-31",
                    "due": "2026-11-30",
                    "days_late": 0,
                },
            ],
        }
    ]
    # On 2026-11-10 the reading of the 16th is not known yet: revenue was never read, so
    # its first reading was due a week after its goal's time began. launch's next
    # reading lies beyond the coming week.
    assert gaps_json(root, "2026-11-10")["readings_due"][0]["kpis"] == [
        {
            "id": "revenue",
            "name": "Revenue",
            "goal": "OBJ-1",
            "frequency": "weekly",
            "last": None,
            "due": "2026-01-08",
            "days_late": 306,
        }
    ]
    text = run(root, "gaps", "--as-of", "2026-11-25").stdout
    assert "READINGS DUE" in text and "2 days late" in text
    markdown = run(root, "gaps", "--format", "markdown", "--as-of", "2026-11-25").stdout
    assert "## Readings due" in markdown and "| Ann Lee | revenue Revenue |" in markdown


def test_a_done_milestone_is_never_due(tmp_path: Path) -> None:
    root = make(tmp_path, {"bi.csv": HEADER + "launch,2026-09-01,done,,,\n"})
    due = gaps_json(root, "2026-11-25")["readings_due"]
    assert all(k["id"] != "launch" for owner in due for k in owner["kpis"])


@pytest.mark.parametrize(
    ("day", "frequency", "due"),
    [
        ("2026-05-31", "monthly", "2026-06-30"),
        ("2026-01-31", "monthly", "2026-02-28"),
        ("2028-01-31", "monthly", "2028-02-29"),
        ("2026-11-30", "quarterly", "2027-02-28"),
        ("2028-02-29", "yearly", "2029-02-28"),
        ("2026-12-28", "weekly", "2027-01-04"),
        ("9999-12-30", "weekly", "9999-12-31"),
    ],
)
def test_the_next_reading_is_due_one_frequency_later(day: str, frequency: str, due: str) -> None:
    assert after(datetime.date.fromisoformat(day), frequency) == datetime.date.fromisoformat(due)


def test_history_entries_take_note_confidence_and_by(tmp_path: Path) -> None:
    plan = PLAN.replace(
        "{id: launch, name: Launch the shop, kind: milestone, frequency: monthly}",
        "{id: launch, name: Launch the shop, kind: milestone, history: ["
        "{date: 2026-10-01, value: false, note: vendor late, confidence: 0.4, by: bo}, "
        "{date: 2026-11-01, value: true, by: nobody}]}",
    )
    root = make(tmp_path, plan=plan)
    found = findings(root)
    assert [f["message"] for f in found if f["rule"] == "CAS005"] == [
        "KPI launch has a check-in by 'nobody', which is not defined"
    ]
    view = run(root, "map", "--format", "json", "--as-of", "2026-10-15").stdout
    assert '"note": "vendor late"' in view and '"done": false' in view


def test_a_metric_history_of_true_or_false_is_a_schema_error(tmp_path: Path) -> None:
    plan = PLAN.replace(
        "{id: revenue, name: Revenue, baseline: 0, target: 100, frequency: weekly}",
        "{id: revenue, name: Revenue, baseline: 0, target: 100, "
        "history: [{date: 2026-10-01, value: true}]}",
    )
    found = [f for f in findings(make(tmp_path, plan=plan)) if f["rule"] == "CAS002"]
    assert len(found) == 1 and "true and false are for milestones" in found[0]["message"]
