"""The `cascade diff` report as data: the change records, and both sides judged at one
date (status bands and progress that changed, findings new and resolved, the health
measures before and after). Built once; each format renders it."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from cascade.changes import Change, Compared, Snapshot, compare, reading_value
from cascade.diagnostics import Diagnostic, Location, Severity
from cascade.engine import context_for
from cascade.gapreport.model import Health, health_of
from cascade.rules import Context
from cascade.sides import Side

BANDS = {"on track": "on_track", "at risk": "at_risk", "off track": "off_track"}
UNKNOWN = "unknown"
GROUPS = {
    1: "The cascade",
    2: "KPIs",
    3: "Dates",
    4: "Readings",
    5: "Text, units, people, periods and config",
}


@dataclass(frozen=True, slots=True)
class SideInfo:
    label: str
    commit: str | None
    files: list[str]


@dataclass(frozen=True, slots=True)
class Moved:
    """A goal whose status band or progress changed."""

    id: str
    title: str
    before: Any
    after: Any


@dataclass
class DiffReport:
    base: SideInfo
    head: SideInfo
    as_of: datetime.date
    changes: list[Change]
    progress: list[Moved]
    status: list[Moved]
    new: list[Diagnostic]
    resolved: list[Diagnostic]
    judge_health: Callable[[], tuple[Health, Health]]

    @property
    def summary(self) -> dict[str, int]:
        """The counts of the JSON's `summary`."""
        return _summary(self)

    @cached_property
    def health(self) -> tuple[Health, Health]:
        """The gaps report's health measures, before and after."""
        return self.judge_health()

    @property
    def empty(self) -> bool:
        """Nothing changed: no record, no band, no progress, no finding."""
        return not (self.changes or self.progress or self.status or self.new or self.resolved)

    def attention(self) -> Attention:
        """What a reviewer should look at first."""
        return Attention(
            findings=sorted(
                (d for d in self.new if d.severity is not Severity.INFO),
                key=lambda d: (d.severity is not Severity.ERROR, d.sort_key()),
            ),
            eased=[c for c in self.changes if c.note == "eased"],
            off_track=[m for m in self.status if m.after == "off_track"],
        )

    def failed(self, level: str) -> bool:
        """Whether the head side has findings at `level` or above that the base has not."""
        if level == "none":
            return False
        wanted = {Severity.ERROR} if level == "error" else {Severity.ERROR, Severity.WARNING}
        return any(d.severity in wanted for d in self.new)


@dataclass(frozen=True, slots=True)
class Attention:
    findings: list[Diagnostic]
    eased: list[Change]
    off_track: list[Moved]

    def __bool__(self) -> bool:
        return bool(self.findings or self.eased or self.off_track)


def build(base: Side, head: Side) -> DiffReport:
    """Compare the sides (their sessions already at the same date)."""
    info = (
        SideInfo(base.label, base.commit, base.files),
        SideInfo(head.label, head.commit, head.files),
    )
    if base.inputs() == head.inputs():
        # The same files, config and date: nothing can differ, and the rules need not run;
        # the health (the same on both sides) is worked out only if a format shows it.
        def health() -> tuple[Health, Health]:
            session = head.session
            found = health_of(
                context_for(session.loaded, session.config, session.as_of, session.readings)
            )
            return found, found

        return DiffReport(
            *info,
            as_of=head.session.as_of,
            changes=[],
            progress=[],
            status=[],
            new=[],
            resolved=[],
            judge_health=health,
        )
    base_context, base_result, base_snap = _judge(base)
    head_context, head_result, head_snap = _judge(head)
    compared = compare(base_snap, head_snap)
    new, resolved = _findings(base_result, head_result, compared)
    progress, status = _moves(base_context, head_context, compared)
    both = health_of(base_context), health_of(head_context)
    report = DiffReport(
        *info,
        as_of=head.session.as_of,
        changes=compared.records,
        progress=progress,
        status=status,
        new=new,
        resolved=resolved,
        judge_health=lambda: both,
    )
    return report


def _summary(report: DiffReport) -> dict[str, int]:
    kinds = [c.kind for c in report.changes]
    notes = [c.note for c in report.changes]
    new = report.new
    return {
        "added": kinds.count("added"),
        "removed": kinds.count("removed"),
        "renamed": kinds.count("renamed"),
        "changed": kinds.count("changed"),
        "eased": notes.count("eased"),
        "slipped": notes.count("slipped"),
        "new_errors": sum(1 for d in new if d.severity is Severity.ERROR),
        "new_warnings": sum(1 for d in new if d.severity is Severity.WARNING),
        "resolved": len(report.resolved),
    }


def _judge(side: Side) -> tuple[Context, list[Diagnostic], Snapshot]:
    session = side.session
    result = session.run()
    context = session.context
    loaded = session.loaded
    config = session.config
    settings = config.document.data if config.document is not None else None

    def config_where(key: str) -> Location:
        file, line, column = config.where(*key.split("."), key=True).rsplit(":", 2)
        return Location(file, int(line), int(column))

    snapshot = Snapshot(
        context.plan,
        lambda origin, path: loaded.locate(origin, path, key=bool(path)),
        settings if isinstance(settings, dict) else None,
        config_where,
        {source.file: source.digest for source in session.sources},
        lambda kpi: reading_value(kpi, context.progress.value(kpi)),
        {file.name: hashlib.sha256(file.raw).hexdigest() for file in session.readings},
    )
    return context, result.diagnostics, snapshot


def _findings(
    base: list[Diagnostic], head: list[Diagnostic], compared: Compared
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """Findings new on the head side and resolved, matched by rule and subject (a renamed
    goal's findings by its new id), else by rule and file; never by line. Repeated pairs
    are paired in order."""
    renamed = {**compared.goals, **compared.kpis}

    def key(diagnostic: Diagnostic, mapping: dict[str, str]) -> tuple[str, str, str]:
        if diagnostic.subject is None:
            return diagnostic.rule, "", diagnostic.location.file
        return diagnostic.rule, mapping.get(diagnostic.subject, diagnostic.subject), ""

    waiting: dict[tuple[str, str, str], list[Diagnostic]] = {}
    for diagnostic in base:
        waiting.setdefault(key(diagnostic, renamed), []).append(diagnostic)
    new = []
    for diagnostic in head:
        found = waiting.get(key(diagnostic, {}))
        if found:
            found.pop(0)
        else:
            new.append(diagnostic)
    resolved = [d for found in waiting.values() for d in found]
    return new, sorted(resolved, key=Diagnostic.sort_key)


def _moves(base: Context, head: Context, compared: Compared) -> tuple[list[Moved], list[Moved]]:
    """Goals on both sides whose progress at the date, or status band, changed."""
    progress, status = [], []
    old_goals, new_goals = base.hierarchy.goals, head.hierarchy.goals
    for old_id, new_id in sorted(compared.goals.items(), key=lambda pair: pair[1]):
        old, new = old_goals.get(old_id), new_goals.get(new_id)
        if old is None or new is None:
            continue
        before, after = (
            _rounded(base.progress.progress(old_id)),
            _rounded(head.progress.progress(new_id)),
        )
        if before != after:
            progress.append(Moved(new_id, new.title, before, after))
        bands = _band(base, old_id), _band(head, new_id)
        if bands[0] != bands[1] and (bands[0] or bands[1]):
            status.append(Moved(new_id, new.title, *bands))
    return progress, status


def _band(context: Context, goal_id: str) -> str | None:
    goal = context.hierarchy.goals[goal_id]
    if goal.status != "active":
        return None
    found = context.progress.status(goal)
    return BANDS[found] if found is not None else UNKNOWN


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def grouped(changes: Iterable[Change]) -> list[tuple[str, list[Change]]]:
    """The records under their group's heading, in order."""
    found: dict[int, list[Change]] = {}
    for change in changes:
        found.setdefault(change.group, []).append(change)
    return [(GROUPS[group], found[group]) for group in sorted(found)]
