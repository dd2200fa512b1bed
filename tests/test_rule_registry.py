"""A rule declares everything about itself where it is defined: a rule added here, with no
other edit, is run by validate, asked about in the gaps report and listed by `rules`."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

import pytest
from typer.testing import CliRunner

from cascade.cli import app
from cascade.diagnostics import Severity
from cascade.rules import REGISTRY, Asking, Context, Finding, GapFacts, gap_rule
from tests.conftest import AS_OF, BUNDLED


def _ask(ask: Asking, gap: GapFacts, label: str) -> str:
    return f"Does {label} really need a title this long?"


@pytest.fixture
def long_titles() -> Iterator[None]:
    @gap_rule(
        "CAS199",
        "long-title",
        Severity.WARNING,
        "a goal's title is longer than 60 characters",
        rank=5,
        question=_ask,
    )
    def long_title(ctx: Context) -> Iterable[Finding]:
        """A long title is a paragraph in disguise.

        Bad: a title of 70 characters. Good: a short title, the rest in `description`.
        """
        for goal in ctx.hierarchy.goals.values():
            if len(goal.title) > 60:
                yield Finding(goal.id, f"goal {goal.id} has a long title", goal.origin)

    yield
    del REGISTRY["CAS199"]


def test_a_rule_declared_in_one_place_reaches_every_command(long_titles: None) -> None:
    runner = CliRunner()
    base = [str(BUNDLED), "--as-of", AS_OF, "--no-cache"]
    found = json.loads(runner.invoke(app, ["validate", *base, "-f", "json"]).stdout)
    subjects = {f["subject"] for f in found if f["rule"] == "CAS199"}
    assert "OBJ-1" in subjects  # "Increase market share in the Northeast region by 8% ..."
    report = json.loads(runner.invoke(app, ["gaps", *base, "-f", "json"]).stdout)
    asked = [q for q in report["questions"] if q["rule"] == "CAS199"]
    assert any(q["text"].startswith("Does OBJ-1 ") for q in asked)
    # Its rank (5) puts it between unsupported-objective (0) and department-not-aligned (10).
    kinds = [g["rule"] for g in report["gaps_by_kind"] if g["severity"] == "warning"]
    assert kinds.index("CAS199") == kinds.index("CAS103") + 1
    listed = runner.invoke(app, ["rules"]).stdout
    assert "CAS199  long-title" in listed
    assert "A long title is a paragraph" in runner.invoke(app, ["rules", "long-title"]).stdout
    waived = runner.invoke(app, ["schema"]).stdout
    assert "long-title" in waived  # `waive:` accepts it
