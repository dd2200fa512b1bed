"""What every format of the close report says in words: scores, the heading line, and the
sections' rows, so text and Markdown say the same thing (each escapes the cells its way)."""

from __future__ import annotations

from cascade.closereport.model import GRADES, CloseReport, Scored


def score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def judged(report: CloseReport) -> str:
    """`2026-10-01 to 2026-12-31 · judged at 2026-11-30 · a preview, 31 days before the end`."""
    line = f"{report.start} to {report.end} · judged at {report.judged_at}"
    if report.preview:
        days = report.days_left
        line += f" · a preview, {days} day{'s' if days != 1 else ''} before the end"
    return line


def counts(report: CloseReport) -> str:
    """`3 met · 2 partial · 4 missed · 1 unknown · of 10 goals`."""
    found = report.counts
    total = len(report.goals)
    parts = [f"{found[grade]} {grade}" for grade in GRADES]
    return " · ".join(parts) + f" · of {total} goal{'s' if total != 1 else ''}"


def owner(goal: Scored) -> str:
    return goal.owner_name or goal.owner or "no owner"


NO_GOALS = "No goal of this period is scored (draft and dropped goals are not)."
TREE_HEADERS = ["score", "grade", "goal", "commitment", "owner"]


def tree_rows(report: CloseReport, indent: str) -> list[list[str]]:
    """The objectives with their goals, each goal indented by its depth."""
    return [
        [
            score(goal.score),
            goal.grade,
            indent * depth + f"{goal.id} {goal.title}",
            goal.commitment,
            owner(goal),
        ]
        for depth, goal in report.tree
    ]


DEPARTMENT_HEADERS = ["department", "mean", *GRADES]


def department_rows(report: CloseReport) -> list[list[str]]:
    return [
        [d.name, score(d.mean_score), *(str(d.counts[grade]) for grade in GRADES)]
        for d in report.departments
    ]


GOAL_HEADERS = ["goal", "score", "grade", "owner"]


def goal_rows(goals: list[Scored]) -> list[list[str]]:
    return [[f"{g.id} {g.title}", score(g.score), g.grade, owner(g)] for g in goals]


UNKNOWN_HEADERS = ["goal", "why", "owner"]


def unknown_rows(report: CloseReport) -> list[list[str]]:
    return [[f"{g.id} {g.title}", g.why_unknown or "", owner(g)] for g in report.unknown]


STATUS_HEADERS = ["goal", "grade", "suggested"]


def status_rows(report: CloseReport) -> list[list[str]]:
    return [[f"{g.id} {g.title}", g.grade, g.suggested_status or ""] for g in report.status_to_set]


CONTRADICTION_HEADERS = ["goal", "status", "score", "grade"]


def contradiction_rows(report: CloseReport) -> list[list[str]]:
    return [[f"{g.id} {g.title}", g.status, score(g.score), g.grade] for g in report.contradictions]


EASED_HEADERS = ["KPI", "goal", "target", "when", "who", "commit"]


def eased_rows(report: CloseReport) -> list[list[str]]:
    return [
        [
            e.kpi,
            e.goal or "",
            f"{value(e.before)} → {value(e.after)}",
            e.commit.date,
            e.commit.author,
            e.commit.sha[:12],
        ]
        for e in report.eased
    ]


def value(found: object) -> str:
    if isinstance(found, float) and found.is_integer():
        return str(int(found))
    if isinstance(found, list | tuple):
        return "[" + ", ".join("null" if v is None else value(v) for v in found) + "]"
    return str(found)


def eased_none(report: CloseReport) -> str:
    if not report.in_git:
        return "The plan is not in a git repository: no history to look for eased targets in."
    return "No target was eased during the period."


# (heading, headers, rows, said when there are none); every format shows these in order.
def sections(
    report: CloseReport,
) -> list[tuple[str, list[str], list[list[str]], str]]:
    return [
        (
            "Committed goals not met: each needs an explanation",
            GOAL_HEADERS,
            goal_rows(report.explain),
            "Every committed goal was met.",
        ),
        (
            "Aspirational goals at 1.00: was the bar too low?",
            GOAL_HEADERS,
            goal_rows(report.low_bar),
            "No aspirational goal reached 1.00.",
        ),
        (
            "Goals of unknown score",
            UNKNOWN_HEADERS,
            unknown_rows(report),
            "Every goal has a score.",
        ),
        (
            "Status to set",
            STATUS_HEADERS,
            status_rows(report),
            "No goal is still active with a score.",
        ),
        (
            "Status that contradicts the score",
            CONTRADICTION_HEADERS,
            contradiction_rows(report),
            "No status contradicts its score.",
        ),
        (
            "Targets eased during the period",
            EASED_HEADERS,
            eased_rows(report),
            eased_none(report),
        ),
    ]
