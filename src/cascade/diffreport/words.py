"""Phrases every format of the diff report shares, so all of them say the same thing. Plan
text comes back raw: each renderer makes it safe for its format."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cascade.changes import Change
from cascade.diffreport.model import UNKNOWN, DiffReport, Moved
from cascade.gapreport.model import Health, Ratio

BAND_WORDS = {"on_track": "on track", "at_risk": "at risk", "off_track": "off track"}
BAND_WORDS[UNKNOWN] = "unknown"


def value(found: Any) -> str:
    """A field's value as a reader sees it: `none`, `a, b`, `yes`, `20`, `0.5`."""
    if found is None or found == [] or found == {}:
        return "none"
    if isinstance(found, bool):
        return "yes" if found else "no"
    if isinstance(found, list):
        return ", ".join(value(v) if v is not None else "open" for v in found)
    if isinstance(found, dict):
        return ", ".join(f"{k}: {value(v)}" for k, v in found.items())
    return str(found)


def band_of(found: Any) -> str:
    """A KPI's range as a reader says it: `95 to 99`, `at least 95`, `at most 5`."""
    if not isinstance(found, list) or len(found) != 2:
        return value(found)
    low, high = found
    if low is None and high is None:
        return "any value"
    if low is None:
        return f"at most {value(high)}"
    if high is None:
        return f"at least {value(low)}"
    return f"{value(low)} to {value(high)}"


def subject(change: Change) -> tuple[str, str, str | None]:
    """(noun, id, title) of what a record is about: `goal`, `SALES-1`, `Grow deals`; the
    organization has no id but its name."""
    noun = "KPI" if change.item == "kpi" else change.item
    if change.item == "config":
        return "setting", change.id, None
    if change.item == "organization":
        return noun, "", change.title
    return noun, change.id, change.title if change.item != "period" else None


def label(
    change: Change,
    ident: Callable[[str], str] = str,
    title: Callable[[str], str] = lambda text: f'"{text}"',
) -> str:
    """`goal SALES-1 "Grow deals"`; each format says how an id and a title are shown."""
    noun, found, name = subject(change)
    parts = [noun] + ([ident(found)] if found else []) + ([title(name)] if name else [])
    return " ".join(parts)


def what(change: Change) -> str:
    """What happened to it: `added`, `renamed from SALES-3`, `target 20 → 15 (eased)`."""
    if change.kind == "renamed":
        return f"renamed from {change.before}"
    if change.kind in ("added", "removed"):
        if change.item == "config":
            shown = change.after if change.kind == "added" else change.before
            return f"{change.kind} ({value(shown)})"
        return change.kind
    field = f"{change.field} " if change.field else ""
    show = band_of if change.field == "range" else value
    text = f"{field}{show(change.before)} → {show(change.after)}"
    return text + (f" ({change.note})" if change.note else "")


def band(moved: Moved) -> str:
    """`on track → off track`; `not active` for a goal that is draft, achieved or the like."""
    before = BAND_WORDS.get(moved.before or "", "not active")
    return f"{before} → {BAND_WORDS.get(moved.after or '', 'not active')}"


def progress(moved: Moved) -> str:
    """`80% → 89%`; with a decimal when whole percents would read the same."""
    before, after = moved.before, moved.after
    digits = 0
    while digits < 2 and before is not None and after is not None:
        if round(before * 100, digits) != round(after * 100, digits):
            break
        digits += 1  # whole percents would read the same: one decimal more
    return f"{percent(before, digits)} → {percent(after, digits)}"


def percent(share: float | None, digits: int = 0) -> str:
    return "unknown" if share is None else f"{share * 100:.{digits}f}%"


def summary_line(report: DiffReport) -> str:
    """`3 added, 1 removed, 5 changed (1 eased, 1 slipped) · 2 new warnings · 1 resolved`."""
    if report.empty:
        return "No changes to the strategy."
    counts = report.summary
    parts = [f"{counts[k]} {k}" for k in ("added", "removed", "renamed", "changed") if counts[k]]
    notes = [f"{counts[k]} {k}" for k in ("eased", "slipped") if counts[k]]
    line = ", ".join(parts) or "no change records"
    if notes:
        line += f" ({', '.join(notes)})"
    findings = []
    for key, word in (("new_errors", "new error"), ("new_warnings", "new warning")):
        if counts[key]:
            findings.append(f"{counts[key]} {word}{'s' if counts[key] != 1 else ''}")
    if counts["resolved"]:
        findings.append(f"{counts['resolved']} resolved")
    return " · ".join([line, *findings])


def sides_line(report: DiffReport) -> str:
    """`As of 2026-05-15 · HEAD (3f2a1c9b1e0d, 12 files) → working tree (12 files)`."""

    def side(label: str, commit: str | None, files: int) -> str:
        shown = f"{commit[:12]}, " if commit else ""
        return f"{label} ({shown}{files} file{'s' if files != 1 else ''})"

    base = side(report.base.label, report.base.commit, len(report.base.files))
    head = side(report.head.label, report.head.commit, len(report.head.files))
    return f"As of {report.as_of} · {base} → {head}"


def health_rows(report: DiffReport) -> list[list[str]]:
    """(measure, before, after, change) rows, in the gaps report's order."""
    old, new = report.health
    rows = []
    for label, before, after in _measures(old, new):
        if isinstance(before, Ratio) and isinstance(after, Ratio):
            rows.append([label, str(before), str(after), _points(before, after)])
        else:
            delta = int(after) - int(before)  # type: ignore[call-overload]
            rows.append([label, str(before), str(after), f"{delta:+d}" if delta else "="])
    return rows


def _measures(old: Health, new: Health) -> list[tuple[str, object, object]]:
    return [
        ("Objectives cascaded", old.objectives, new.objectives),
        ("Active goals with a line of sight", old.line_of_sight, new.line_of_sight),
        ("Active goals with at least one KPI", old.goals_with_kpis, new.goals_with_kpis),
        ("Metric KPIs with a target", old.kpis_with_target, new.kpis_with_target),
        ("KPIs with a fresh reading", old.kpis_fresh, new.kpis_fresh),
        ("Active goals on track", old.on_track, new.on_track),
        ("Active goals at risk", old.at_risk, new.at_risk),
        ("Active goals off track", old.off_track, new.off_track),
        ("Active goals whose progress is not known", old.unknown, new.unknown),
    ]


def _points(before: Ratio, after: Ratio) -> str:
    if before.share is None or after.share is None:
        return "=" if before == after else "—"
    delta = round((after.share - before.share) * 100)
    if delta == 0:
        return "=" if before == after else "±0 pts"
    return f"{delta:+d} pts"
