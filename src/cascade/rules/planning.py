"""CAS116: the thinking behind an objective, written down where it can be challenged."""

from __future__ import annotations

from collections.abc import Iterable

from cascade.diagnostics import Severity
from cascade.rules.base import Asking, Context, Finding, GapFacts, gap_rule
from cascade.rules.common import goal_label, live_goals


def _ask_assumptions(ask: Asking, gap: GapFacts, label: str) -> str:
    return f"What must hold true for {label} to succeed?"


@gap_rule(
    "CAS116",
    "no-assumptions",
    Severity.INFO,
    "an objective states no assumptions",
    rank=160,
    question=_ask_assumptions,
    ask_info=True,
)
def no_assumptions(ctx: Context) -> Iterable[Finding]:
    """An objective rests on beliefs about customers, markets and the organisation; if
    they are not written down, nobody notices when one stops being true.

    Hypothesis-driven planning (Lean strategy, discovery-driven planning) writes the
    assumptions next to the objective and reviews them at each planning meeting. Draft
    and dropped objectives are not checked.

    Bad:

        objectives:
          - id: OBJ-4
            title: Every employee completes 40 hours of training

    Good:

        objectives:
          - id: OBJ-4
            title: Every employee completes 40 hours of training
            assumptions:
              - Managers release four hours a month for training, even in peak season
    """
    for goal in live_goals(ctx.hierarchy):
        if goal.level == "objective" and not goal.assumptions:
            yield Finding(
                goal.id,
                f"{goal_label(goal)} states no assumptions",
                goal.origin,
                hint="list under `assumptions:` what must hold true for it to succeed",
            )
