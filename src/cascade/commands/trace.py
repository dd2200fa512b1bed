"""`cascade trace ID [PLAN]`: the line of sight of a goal or a person, up to the vision."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cascade.commands.options import (
    AsOfOpt,
    CacheDirOpt,
    ConfigOpt,
    NoCacheOpt,
    NoColorOpt,
    OutputOpt,
    PlanArg,
    VersionOpt,
    guard,
    parse_as_of,
    quiet_option,
)

if TYPE_CHECKING:
    from cascade.trace import Chain, GoalTrace, Step, Trace


class TraceFormat(StrEnum):
    text = "text"
    json = "json"


def complete_id(incomplete: str) -> list[tuple[str, str]]:
    """Shell completion: the ids of the default plan's goals, KPIs, people and units."""
    import contextlib
    import io

    from cascade.config import load_config
    from cascade.loader import load

    try:
        with contextlib.redirect_stderr(io.StringIO()):
            config = load_config(None)
            plan = load(config.plan_path(), exclude=config.path).plan
    except Exception:  # completion must never print a traceback into the shell
        return []
    found: list[tuple[str, str]] = []
    for goal in plan.goals():
        found.append((goal.id, goal.title))
        found.extend((kpi.id, kpi.name) for kpi in goal.kpis if kpi.id)
    found.extend((unit.id, unit.label) for unit in plan.units())
    return sorted({k: v for k, v in found if k.startswith(incomplete)}.items())


@guard
def trace(
    ident: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="A goal, KPI, person, team or department id.",
            show_default=False,
            autocompletion=complete_id,
        ),
    ],
    plan: PlanArg = None,
    output_format: Annotated[
        TraceFormat, typer.Option("--format", "-f", help="Output format.")
    ] = TraceFormat.text,
    output: OutputOpt = None,
    config: ConfigOpt = None,
    as_of: AsOfOpt = None,
    no_color: NoColorOpt = False,
    quiet: Annotated[bool, quiet_option("No summary line after the chains.")] = False,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    version: VersionOpt = False,
) -> None:
    """Show every chain from a goal (or each of a person's goals) up to the vision.

    Each step shows level, owner, progress, expected progress and status; a chain that
    stops short says why: orphaned, unlinked, a loop, or through a dropped or draft goal.
    On a plan with errors it still traces what it can, lists the errors on standard
    error, and exits 1.

    Example: cascade trace SALES-1 --as-of 2026-11-15

    Example: cascade trace carol plans/ --format json
    """
    import sys

    from cascade.diagnostics import Severity
    from cascade.report.text import finding_line
    from cascade.session import Session, use_color, write_output
    from cascade.trace import Tracer

    session = Session.open(
        plan, config, parse_as_of(as_of), quiet=quiet, cache_dir=cache_dir, no_cache=no_cache
    )
    from cascade.rules import all_rules

    # Only errors matter here (they go to stderr); the gap rules would cost time unseen.
    result = session.run(select=[r.code for r in all_rules() if not r.gap])
    context = session.context
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    traced = Tracer(context.plan, context.hierarchy, context.progress).trace(ident.strip())
    if output_format is TraceFormat.json:
        text = json.dumps(as_json(traced, session.as_of.isoformat()), indent=2) + "\n"
    else:
        color = output is None and use_color(no_color)
        text = render_text(traced, color=color, quiet=quiet)
    write_output(text, output, protect=session.protected_paths())
    if errors:
        for diagnostic in errors:
            print(finding_line(diagnostic), file=sys.stderr)
        print(
            f"cascade: the plan has {len(errors)} error{'s' if len(errors) > 1 else ''}; "
            "the trace may be incomplete",
            file=sys.stderr,
        )
        raise typer.Exit(1)


# ------------------------------------------------------------------------------ text

_TRACKING_SGR = {"on track": "32", "at risk": "33", "off track": "31"}
_HEADERS = ("level", "id", "owner", "progress", "expected", "status")


def _style(text: str, sgr: str, color: bool) -> str:
    return f"\x1b[{sgr}m{text}\x1b[0m" if color and text else text


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{round(value * 100)}%"


def _status(step: Step) -> str:
    """The goal's own status when it is not active, else how its progress tracks."""
    if step.status != "active":
        return step.status
    return step.tracking or "-"


def _cells(step: Step) -> tuple[str, ...]:
    return (
        step.level,
        step.id,
        step.owner or "-",
        _percent(step.progress),
        _percent(step.expected),
        _status(step),
    )


def _clean(text: str) -> str:
    from cascade.controls import one_line

    return one_line(text)


def render_text(traced: Trace, *, color: bool, quiet: bool) -> str:
    """The trace for people: one block per goal, one aligned row per step of each chain."""
    lines: list[str] = []
    if traced.kind == "KPI":
        goal_id = traced.goals[0].step.id
        lines.append(f"KPI {traced.subject} ({_clean(traced.label)}) measures goal {goal_id}")
        lines.append("")
    elif traced.kind != "goal":
        count = len(traced.goals)
        noun = "goal" if count == 1 else "goals"
        lines.append(
            _style(f"{traced.kind} {traced.subject}", "1", color)
            + f" ({_clean(traced.label)}): {count} {noun}"
        )
        if traced.goals:
            lines.append("")
        else:
            lines.append(f"{traced.subject} has no goals: nothing to trace")
    rows = [_cells(chain_step) for chain in traced.chains for chain_step in chain.steps]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(_HEADERS)]
    vision = _clean(traced.vision) if traced.vision else "(no vision in `organization:`)"
    for number, goal in enumerate(traced.goals):
        if number:
            lines.append("")
        lines.extend(_goal_block(goal, widths, vision, color))
    if not quiet and traced.goals:
        lines.append("")
        lines.append(_summary(traced))
    return "".join(f"{line}\n" for line in lines)


def _goal_block(goal: GoalTrace, widths: list[int], vision: str, color: bool) -> list[str]:
    step = goal.step
    where = "objective" if step.unit is None else f"{step.level} goal of {step.unit}"
    owner = f", owner {step.owner}" if step.owner else ", no owner"
    lines = [_style(f"{step.id}  {_clean(step.title)}", "1", color) + f"  ({where}{owner})"]
    lines.extend(f"  note: {_clean(note)}" for note in goal.notes if not note.startswith("KPI "))
    total = len(goal.chains)
    for number, chain in enumerate(goal.chains, start=1):
        if chain.broken is None:
            verdict = _style("reaches the vision", "32", color)
        else:
            verdict = _style(_clean(chain.broken.message), "31", color)
        lines.append(f"  chain {number} of {total}: {verdict}")
        header = "  ".join(h.ljust(w) for h, w in zip(_HEADERS, widths, strict=True))
        lines.append(_style(f"    {header}  title", "2", color))
        for step in chain.steps:
            lines.append("    " + _row(step, widths, color))
        if chain.broken is None:
            pad = "  ".join(" " * w for w in widths[1:])
            lines.append(f"    {'vision'.ljust(widths[0])}  {pad}  {vision}")
    if goal.truncated:
        lines.append(f"  (only the first {total} chains are shown)")
    return lines


def _row(step: Step, widths: list[int], color: bool) -> str:
    cells = [cell.ljust(width) for cell, width in zip(_cells(step), widths, strict=True)]
    status = _status(step)
    cells[-1] = _style(cells[-1], _TRACKING_SGR.get(status, "2"), color and status != "-")
    return "  ".join(cells) + "  " + _clean(step.title)


def _summary(traced: Trace) -> str:
    chains = traced.chains
    goals = len(traced.goals)
    reached = sum(1 for c in chains if c.reaches_vision)
    kinds: dict[str, int] = {}
    for chain in chains:
        if chain.broken is not None:
            kinds[chain.broken.kind] = kinds.get(chain.broken.kind, 0) + 1
    text = (
        f"{goals} goal{'' if goals == 1 else 's'}, {len(chains)} "
        f"chain{'' if len(chains) == 1 else 's'}: {reached} "
        f"reach{'es' if reached == 1 else ''} the vision"
    )
    if kinds:
        detail = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        text += f", {len(chains) - reached} broken ({detail})"
    return text


# ------------------------------------------------------------------------------ json


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _step_json(step: Step) -> dict[str, Any]:
    return {
        "id": step.id,
        "title": step.title,
        "level": step.level,
        "unit": step.unit,
        "owner": step.owner,
        "status": step.status,
        "progress": _round(step.progress),
        "expected": _round(step.expected),
        "tracking": step.tracking,
    }


def _chain_json(chain: Chain) -> dict[str, Any]:
    broken = chain.broken
    return {
        "reaches_vision": chain.reaches_vision,
        "broken": None
        if broken is None
        else {"kind": broken.kind, "at": broken.at, "message": broken.message},
        "steps": [_step_json(s) for s in chain.steps],
    }


def as_json(traced: Trace, as_of: str) -> dict[str, Any]:
    """The trace as data; keys may be added in later versions, never removed."""
    chains = traced.chains
    return {
        "id": traced.subject,
        "kind": traced.kind,
        "label": traced.label,
        "as_of": as_of,
        "vision": traced.vision,
        "goals": [
            {
                **_step_json(goal.step),
                "notes": goal.notes,
                "truncated": goal.truncated,
                "chains": [_chain_json(c) for c in goal.chains],
            }
            for goal in traced.goals
        ],
        "summary": {
            "goals": len(traced.goals),
            "chains": len(chains),
            "reach_vision": sum(1 for c in chains if c.reaches_vision),
            "broken": sum(1 for c in chains if not c.reaches_vision),
        },
    }
