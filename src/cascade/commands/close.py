"""`cascade close PERIOD`: the end-of-period review. Each goal of the period scored at its
end (or at the as-of date, as a preview), graded by its commitment, and what the team must
decide before the next period.

Exit codes as for `gaps`: 0 on a plan without errors, 1 with errors (the report is still
written, the errors go to standard error), 2 could not run (an unknown period among them).
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cascade.commands.options import (
    AsOfOpt,
    CacheDirOpt,
    ConfigOpt,
    NoCacheOpt,
    NoColorOpt,
    OutputOpt,
    PlanArg,
    ReportFormat,
    ReportFormatOpt,
    VersionOpt,
    guard,
    parse_as_of,
    quiet_option,
)

if TYPE_CHECKING:
    from cascade.history import Eased


@guard
def close(
    period: Annotated[str, typer.Argument(help="The period to close (a period id).")],
    plan: PlanArg = None,
    output_format: ReportFormatOpt = ReportFormat.text,
    output: OutputOpt = None,
    config: ConfigOpt = None,
    as_of: AsOfOpt = None,
    no_color: NoColorOpt = False,
    quiet: Annotated[bool, quiet_option("No warnings or progress bar on standard error.")] = False,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    version: VersionOpt = False,
) -> None:
    """Score and grade each goal of a period at its end, for the retrospective.

    Example: cascade close 2026-Q4 --format markdown -o retro.md (before the end of the
    quarter it is a preview, judged at the as-of date).
    """
    del no_color  # the report has no colour: it is read in files and pull requests
    from cascade.closereport import RENDERERS, build
    from cascade.closereport.model import find_period, judged_at
    from cascade.diagnostics import Severity
    from cascade.report.text import finding_line
    from cascade.session import Session, write_output

    session = Session.open(
        plan, config, parse_as_of(as_of), quiet=quiet, cache_dir=cache_dir, no_cache=no_cache
    )
    found = find_period(session.loaded.plan, period)
    session.as_of = judged_at(found, session.as_of)  # every number at the date judged
    result = session.run()
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    context = session.context
    kpis = {kpi.key for kpi in context.plan.kpis()}
    eased, in_git = _eased(plan, kpis, found.start, session.as_of)
    report = build(
        context,
        found,
        files=len(session.loaded.files),
        plan_errors=len(errors),
        eased=eased,
        in_git=in_git,
    )
    write_output(RENDERERS[output_format.value](report), output, protect=session.protected_paths())
    for diagnostic in errors:
        print(finding_line(diagnostic), file=sys.stderr)
    raise typer.Exit(1 if errors else 0)


def _eased(
    plan: Path | None, kpis: set[str], start: datetime.date, end: datetime.date
) -> tuple[list[Eased], bool]:
    """The targets eased from `start` to `end` in the history of the repository around the
    current folder, and whether there is one: outside git, nothing to look in."""
    from cascade.errors import CascadeError
    from cascade.git import Repo
    from cascade.history import eased_targets
    from cascade.sides import Options

    try:
        repo = Repo.around(Path.cwd())
        if not repo.has_commits():
            return [], True
        return eased_targets(repo, Options(plan, None, None, True), kpis, start, end), True
    except CascadeError:
        return [], False  # no git, or a plan outside the repository: no history of it
