"""`cascade checkin KPI VALUE`: one reading appended to `checkins.csv` in the readings
folder, and what it changed: the reading before it, and the goal's progress and status.

The one command that writes beside the plan, and only to a readings file (whole or not at
all, the bytes already there kept). Bad input is refused with one line and exit 2, writing
nothing. Exit 0 once the reading is written, also when the plan has errors elsewhere (they
are listed on standard error).
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cascade.commands.options import (
    AsOfOpt,
    ConfigOpt,
    IgnoredNoColorOpt,
    VersionOpt,
    guard,
    parse_as_of,
    quiet_option,
)

if TYPE_CHECKING:
    from cascade.model import Kpi, Plan
    from cascade.rules import Context
    from cascade.session import Session

CHECKINS = "checkins.csv"


def complete_kpi(incomplete: str) -> list[str]:
    """Shell completion: the plan's KPI ids (from the current folder's plan); none when it
    cannot be read, never an error."""
    try:
        from cascade.session import Session

        session = Session.open(None, None, None, quiet=True, no_cache=False)
        ids = sorted({kpi.key for kpi in session.loaded.plan.kpis()})
    except Exception:  # completion must never break the shell
        return []
    return [ident for ident in ids if ident.startswith(incomplete)]


@guard
def checkin(
    kpi_id: Annotated[
        str,
        typer.Argument(
            help="The KPI's id.", metavar="KPI", autocompletion=complete_kpi, show_default=False
        ),
    ],
    value: Annotated[
        str,
        typer.Argument(
            help="The value: a number, or for a milestone done, not done, true, false, 1 or 0.",
            metavar="VALUE",
            show_default=False,
        ),
    ],
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="When it was measured (default: the as-of date, else today).",
            metavar="YYYY-MM-DD",
        ),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="What the owner says about the number.")
    ] = None,
    confidence: Annotated[
        str | None,
        typer.Option("--confidence", help="The owner's confidence, 0..1.", metavar="0..1"),
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="Who reports it (a person id).", metavar="PERSON")
    ] = None,
    plan: Annotated[
        Path | None,
        typer.Option(
            "--plan",
            help="The plan directory or file (default: the config's `plans`, else ./plans).",
            metavar="PATH",
        ),
    ] = None,
    config: ConfigOpt = None,
    as_of: AsOfOpt = None,
    no_color: IgnoredNoColorOpt = False,
    quiet: Annotated[bool, quiet_option("No plan errors or warnings on standard error.")] = False,
    version: VersionOpt = False,
) -> None:
    """Record one KPI reading in the readings folder's checkins.csv.

    Example: cascade checkin SALES-2.logos 31 --note "Two deals closed early" --by alice
    """
    del no_color  # one line of plain text
    from cascade.errors import CascadeError
    from cascade.readings import with_row
    from cascade.session import Session, write_whole

    session = Session.open(plan, config, None, quiet=quiet)
    plan_data = session.loaded.plan
    today = datetime.date.today()
    day = _date(date, parse_as_of(as_of) or today, today)
    kpi = _kpi(plan_data, kpi_id)
    _check(plan_data, kpi, value.strip(), confidence, by)
    assert session.readings_root is not None  # Session.open always finds the folder
    target = session.readings_root / CHECKINS
    existing = target.read_bytes() if target.is_file() else None
    cells = {
        "kpi": kpi.key,
        "date": day.isoformat(),
        "value": value.strip(),
        "note": note or "",
        "confidence": (confidence or "").strip(),
        "by": (by or "").strip(),
    }
    try:
        data = with_row(existing, cells)
    except CascadeError as exc:
        raise CascadeError(f"cannot add a reading to {_shown(target)}: {exc}") from None
    before = _standing(session, kpi, day)
    result = session.run()  # the plan's errors, listed once the reading is written
    write_whole(target, data)
    after = _standing(session, kpi, day, (target, data))
    print(_line(kpi, before, after))
    if not quiet:
        from cascade.diagnostics import Severity
        from cascade.report.text import finding_line

        for diagnostic in result.diagnostics:
            if diagnostic.severity is Severity.ERROR:
                print(finding_line(diagnostic), file=sys.stderr)


def _date(given: str | None, default: datetime.date, today: datetime.date) -> datetime.date:
    from cascade.errors import CascadeError

    day = default if given is None else parse_as_of(given)
    if day is None:
        raise CascadeError(f"--date: expected a date YYYY-MM-DD, got {given!r}")
    if day > today:
        raise CascadeError(f"--date: {day} lies after today ({today}): a reading is of the past")
    return day


def _kpi(plan: Plan, ident: str) -> Kpi:
    from cascade.errors import CascadeError
    from cascade.readings import suggest as near_id

    kpis = {kpi.key: kpi for kpi in plan.kpis()}
    if ident in kpis:
        return kpis[ident]
    near = near_id(ident, kpis)
    hint = f"; did you mean {near!r}?" if near else ""
    raise CascadeError(f"no KPI {ident!r} in the plan{hint}")


def _check(plan: Plan, kpi: Kpi, value: str, confidence: str | None, by: str | None) -> None:
    """Refuse, with one line, what the readings file would reject."""
    from cascade.errors import CascadeError
    from cascade.readings import milestone_value, number, why_not_number
    from cascade.readings import suggest as near_id

    if kpi.kind == "milestone":
        if milestone_value(value) is None:
            raise CascadeError(
                f"{value!r} is not a milestone value: write done, not done, true, false, 1 or 0"
            )
    elif number(value) is None:
        message, hint = why_not_number(value)
        raise CascadeError(f"{message} ({hint})")
    if confidence is not None:
        found = number(confidence.strip())
        if found is None or not 0 <= found <= 1:
            raise CascadeError(f"--confidence: expected a number from 0 to 1, got {confidence!r}")
    if by is not None:
        people = {person.id for person in plan.people}
        if by.strip() not in people:
            near = near_id(by.strip(), people)
            hint = f"; did you mean {near!r}?" if near else ""
            raise CascadeError(f"--by: no person {by!r} in the plan{hint}")


def _standing(
    session: Session,
    kpi: Kpi,
    day: datetime.date,
    replaced: tuple[Path, bytes] | None = None,
) -> tuple[str, str, str, str]:
    """(the KPI's reading at `day`, its date, the goal's progress, its status) as words,
    with the readings files as read, or with one of them `replaced` by new bytes."""
    from cascade.engine import context_for
    from cascade.rules.common import percent
    from cascade.sources import ReadingsFile, display_path

    files = list(session.readings)
    if replaced is not None:
        name = display_path(replaced[0])
        files = [f for f in files if f.name != name] + [ReadingsFile(name, replaced[1])]
        files.sort(key=lambda f: f.name)
    context: Context = context_for(session.loaded, session.config, day, files)
    progress = context.progress
    reading = progress.reading(kpi)
    goal = context.hierarchy.goals.get(kpi.goal_id)
    done = progress.progress(kpi.goal_id) if goal is not None else None
    status = progress.status(goal) if goal is not None else None
    return (
        _value(kpi, reading.value) if reading is not None else "",
        str(reading.date) if reading is not None and reading.date else "",
        percent(done) if done is not None else "no progress",
        status or "no status",
    )


def _value(kpi: Kpi, value: float) -> str:
    if kpi.kind == "milestone":
        return "done" if value == 1 else "not done"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _line(kpi: Kpi, before: tuple[str, str, str, str], after: tuple[str, str, str, str]) -> str:
    """`SALES-2.logos: 31 on 2026-12-07 (was 29 on 2026-11-30); SALES-2 82% -> 86%, at risk
    -> on track`."""
    value, day, done, status = after
    was = f"was {before[0]} on {before[1]}" if before[1] else "its first dated reading"
    if before[0] and not before[1]:
        was = f"was {before[0]}, undated"
    line = f"{kpi.key}: {value} on {day} ({was}); {kpi.goal_id} {before[2]} -> {done}"
    if before[3] != status:
        return f"{line}, {before[3]} -> {status}"
    return f"{line}, {status}"


def _shown(path: Path) -> str:
    from cascade.sources import display_path

    return display_path(path)
