"""`cascade gaps`: the alignment gaps and the health of the cascade, as a report people read.

Exit 0 when the plan has no errors (gaps are the report's content, not a failure); on a plan
with errors the report is still written, the errors are listed on stderr, and the exit is 1.
"""

from __future__ import annotations

import difflib
import shutil
import sys
from typing import Annotated

import typer

from cascade.commands.options import (
    AsOfOpt,
    CacheDirOpt,
    ConfigOpt,
    IgnoreOpt,
    NoCacheOpt,
    NoColorOpt,
    OutputOpt,
    PlanArg,
    QuietOpt,
    ReportFormat,
    ReportFormatOpt,
    SelectOpt,
    VersionOpt,
    guard,
    parse_as_of,
)
from cascade.errors import CascadeError


@guard
def gaps(
    plan: PlanArg = None,
    output_format: ReportFormatOpt = ReportFormat.text,
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit",
            help="Only the gaps of this department, team or person (a department includes "
            "its teams and people).",
            metavar="ID",
        ),
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option("--owner", help="Only the gaps of goals this person owns.", metavar="ID"),
    ] = None,
    show_waived: Annotated[
        bool, typer.Option("--show-waived", help="List the waived gaps with their reasons.")
    ] = False,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    output: OutputOpt = None,
    config: ConfigOpt = None,
    as_of: AsOfOpt = None,
    no_color: NoColorOpt = False,
    quiet: QuietOpt = False,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    version: VersionOpt = False,
) -> None:
    """Report the alignment gaps and the health of the cascade, for a planning meeting.

    Example: cascade gaps plans/ --format markdown -o gaps.md
    """
    # Imported here: `cascade --version` and `--help` must not pay for pydantic and PyYAML.
    from cascade.collector import collector_paused
    from cascade.diagnostics import Severity
    from cascade.gapreport import RENDERERS, build
    from cascade.report.text import finding_line
    from cascade.session import Session, use_color, write_output

    session = Session.open(
        plan, config, parse_as_of(as_of), quiet=quiet, cache_dir=cache_dir, no_cache=no_cache
    )
    result = session.run(select or [], ignore or [])
    session.drop_positions()  # every finding is located; the report needs no more
    context = session.context
    hierarchy = context.hierarchy
    if unit is not None:
        _check_id("--unit", unit, set(hierarchy.units), "a department, team or person", hierarchy)
    if owner is not None:
        people = {u.id for u in session.loaded.plan.people}
        _check_id("--owner", owner, people, "a person", hierarchy)
    color = output is None and use_color(no_color)
    width = shutil.get_terminal_size().columns if color else None
    with collector_paused():
        files = len(session.loaded.files)
        report = build(result, context, files, unit=unit, owner=owner, show_waived=show_waived)
        del hierarchy, context  # the report holds all it shows: let the plan go before formatting
        session.release()
        text = RENDERERS[output_format.value](report, color=color, width=width, quiet=quiet)
    write_output(text, output, protect=session.protected_paths())
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    for diagnostic in errors:
        print(finding_line(diagnostic), file=sys.stderr)
    raise typer.Exit(1 if errors else 0)


def _check_id(option: str, value: str, known: set[str], kind: str, hierarchy: object) -> None:
    """An unknown id is a one-line error with a "did you mean" (exit 2)."""
    if value in known:
        return
    from cascade.graph import Hierarchy

    assert isinstance(hierarchy, Hierarchy)
    if value in hierarchy.goals:
        raise CascadeError(f"{option}: {value!r} is a goal, not {kind}")
    if value in hierarchy.kpis:
        raise CascadeError(f"{option}: {value!r} is a KPI, not {kind}")
    if value in hierarchy.units:
        raise CascadeError(f"{option}: {value!r} is not {kind}")
    what = f"{value!r} is not {kind} of the plan"
    folded = {k.casefold(): k for k in known}
    near = [folded[value.casefold()]] if value.casefold() in folded else []
    # Only ids of about the same length can be near misses: keeps difflib quick on big plans.
    similar = sorted(k for k in known if abs(len(k) - len(value)) <= 3)
    near = near or difflib.get_close_matches(value, similar, n=1, cutoff=0.6)
    hint = f"; did you mean {near[0]!r}?" if near else ""
    raise CascadeError(f"{option}: {what}{hint}")
