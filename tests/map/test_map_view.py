"""The view model (`--format json`): its stable shape, and that it tells the plan's truth."""

from __future__ import annotations

import datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from maphelp import AS_OF, BUNDLED, map_json, write

from cascade.config import Config
from cascade.diagnostics import Diagnostic, Location, Severity
from cascade.engine import Result, Selection, Waived, context_for, run
from cascade.graph import Hierarchy
from cascade.loader import load
from cascade.model import Goal, Plan, place
from cascade.progress import ProgressModel
from cascade.render import Scope, build, render
from cascade.render.layout import lay_out, natural_sorted
from cascade.rules import Context

TOP_KEYS = [
    "version",
    "as_of",
    "organization",
    "scope",
    "roots",
    "unlinked",
    "goals",
    "units",
    "perspectives",
    "matrix",
    "counts",
    "gaps",
]
GOAL_KEYS = {
    "id", "title", "description", "level", "unit", "unit_name", "department", "owner",
    "owner_name", "status", "perspective", "commitment", "confidence", "period", "start",
    "due", "progress", "expected", "health", "parents", "children", "objectives", "depth",
    "focus", "tree_parent", "kpis", "initiatives", "assumptions", "risks", "depends_on",
    "tags", "waived", "gaps",
}  # fmt: skip
KPI_KEYS = {
    "id", "name", "kind", "unit", "baseline", "target", "current", "direction", "range",
    "done", "as_of", "owner", "owner_name", "source", "frequency", "history", "progress",
    "health", "supported_by", "gaps",
}  # fmt: skip


def result_for(plan: Path, as_of: str = AS_OF, *, rules: bool = True) -> tuple[Result, Context]:
    """The engine's run and what it looked at; without `rules`, only what the loader found."""
    selection = None if rules else Selection(frozenset(), {})
    loaded, date = load(plan), datetime.date.fromisoformat(as_of)
    context = context_for(loaded, Config(), date)
    return run(loaded, Config(), date, selection, context=context), context


def test_the_documented_shape() -> None:
    data = map_json(BUNDLED)
    assert list(data) == TOP_KEYS
    assert data["version"] == 1
    goals = data["goals"]
    assert isinstance(goals, list) and len(goals) == 44
    for goal in goals:
        assert set(goal) == GOAL_KEYS
        for kpi in goal["kpis"]:
            assert set(kpi) == KPI_KEYS
    assert set(data["organization"]) == {"name", "vision", "mission", "values", "period"}  # type: ignore[arg-type]
    assert set(data["counts"]) == {  # type: ignore[arg-type]
        "goals", "objectives", "active", "on_track", "at_risk", "off_track", "unknown"
    }  # fmt: skip
    assert set(data["gaps"]) == {"errors", "warnings", "info", "waived", "rules"}  # type: ignore[arg-type]
    assert list(data["perspectives"]) == [  # type: ignore[arg-type]
        "financial", "customer", "internal", "learning", "none"
    ]  # fmt: skip


def test_progress_is_the_progress_model_s(small_plan: Path) -> None:
    loaded = load(small_plan)
    hierarchy = Hierarchy(loaded.plan)
    config = Config()
    model = ProgressModel(
        hierarchy,
        datetime.date.fromisoformat(AS_OF),
        config.thresholds,
        config.alignment,
    )
    data = map_json(small_plan)
    for goal in data["goals"]:  # type: ignore[union-attr]
        real = hierarchy.goals[goal["id"]]  # type: ignore[index]
        wanted = model.progress(real.id)
        assert goal["progress"] == (None if wanted is None else round(wanted, 4))  # type: ignore[index]
        assert goal["health"] == model.status(real)  # type: ignore[index]
        for kpi, source in zip(goal["kpis"], real.kpis, strict=True):  # type: ignore[index]
            value = model.kpi_progress(source)
            assert kpi["progress"] == (None if value is None else round(value, 4))


def test_links_weights_and_key_results(small_plan: Path) -> None:
    goals = {g["id"]: g for g in map_json(small_plan)["goals"]}  # type: ignore[union-attr, index]
    assert goals["S-1"]["parents"] == [
        {"goal": "OBJ-1", "weight": 1.0, "kpis": []},
        {"goal": "OBJ-2", "weight": 3.0, "kpis": []},
    ]
    assert goals["T-1"]["parents"] == [{"goal": "OBJ-1", "weight": 1.0, "kpis": ["OBJ-1.rev"]}]
    assert goals["OBJ-1"]["kpis"][0]["supported_by"] == ["T-1"]
    assert goals["OBJ-1"]["children"] == ["S-1", "T-1"]
    assert goals["B-1"]["objectives"] == ["OBJ-1"]
    # Drawn under its heaviest link; the other parent shows a reference.
    assert goals["S-1"]["tree_parent"] == "OBJ-2"
    assert goals["B-1"]["owner"] == "bob" and goals["B-1"]["owner_name"] == "Bob Roe"
    assert goals["S-1"]["owner"] == "ann"  # the department's lead
    assert goals["OBJ-2"]["kpis"][0]["id"] == "OBJ-2.k1"


def test_unlinked_goals_and_the_matrix(small_plan: Path) -> None:
    data = map_json(small_plan)
    assert data["roots"] == ["OBJ-1", "OBJ-2"]
    assert data["unlinked"] == ["S-2"]
    assert data["matrix"] == {
        "objectives": ["OBJ-1", "OBJ-2"],
        "rows": [
            {
                "department": "sales",
                "name": "Sales",
                "cells": [
                    {"objective": "OBJ-1", "goals": ["B-1", "S-1", "T-1"]},
                    {"objective": "OBJ-2", "goals": ["S-1"]},
                ],
            }
        ],
    }


def test_ids_sort_naturally(tmp_path: Path) -> None:
    plan = write(
        tmp_path,
        {
            "p.yaml": """
                objectives:
                  - {id: OBJ-10, title: Ten}
                  - {id: OBJ-2, title: Two}
                  - {id: OBJ-1, title: One}
            """
        },
    )
    assert map_json(plan)["roots"] == ["OBJ-1", "OBJ-2", "OBJ-10"]


def test_findings_attach_to_goals_kpis_and_units(small_plan: Path) -> None:
    result, context = result_for(small_plan, rules=False)

    def finding(code: str, name: str, subject: str, severity: Severity) -> Diagnostic:
        where = Location("p", 1, 1)
        return Diagnostic(code, name, severity, f"{name} on {subject}", where, subject)

    result.diagnostics += [
        finding("CAS105", "goal-without-kpi", "S-1", Severity.WARNING),
        finding("CAS115", "stale-kpi", "OBJ-1.rev", Severity.WARNING),
        finding("CAS104", "unit-without-goals", "ann", Severity.WARNING),
        finding("CAS112", "level-skip", "S-1", Severity.INFO),
    ]
    result.waived.append(
        Waived(finding("CAS106", "kpi-without-target", "B-1", Severity.WARNING), "later")
    )
    view = build(result, context, Scope())
    assert [g.name for g in view.goal("S-1").gaps] == ["goal-without-kpi", "level-skip"]
    assert [g.name for g in view.goal("S-1").all_gaps] == ["goal-without-kpi", "level-skip"]
    assert [g.name for g in view.goal("OBJ-1").kpis[0].gaps] == ["stale-kpi"]
    assert [g.name for g in view.goal("OBJ-1").all_gaps] == ["stale-kpi"]
    assert [g.name for g in view.units_by_id["ann"].gaps] == ["unit-without-goals"]
    assert [(w.rule, w.reason) for w in view.goal("B-1").waived] == [("CAS106", "later")]
    assert view.gaps.warnings == 3 and view.gaps.info == 1 and view.gaps.waived == 1
    # Every format shows them: on the goal, on the KPI, and about the unit.
    markdown, _ = render(view, "markdown")
    assert "- **S-1** Sell more — department · Sales · Ann Lee" in markdown
    assert "· ⚠ goal-without-kpi, \u2139 level-skip" in markdown
    assert "| Revenue | USD | 100 | 150 | 200 | `█████░░░░░` 50% | off track · ⚠ stale-kpi |" in (
        markdown
    )
    assert "- ⚠ unit-without-goals: **Ann Lee** (person) — unit-without-goals on ann" in markdown
    page, _ = render(view, "html")
    assert '<span class="badge sev-warning" title="CAS105 goal-without-kpi:' in page
    assert '<strong>Ann Lee</strong> <span class="muted">(person)</span>' in page
    # With a scope, only the findings about what is shown are counted.
    scoped = build(result, context, Scope(root="T-1"))
    assert scoped.gaps.warnings == 0 and scoped.gaps.waived == 1


def test_a_supports_loop_still_draws_every_goal_once(tmp_path: Path) -> None:
    plan = write(
        tmp_path,
        {
            "p.yaml": """
                objectives:
                  - {id: OBJ-1, title: Grow}
                departments:
                  - id: d
                    goals:
                      - {id: A, title: A, supports: B}
                      - {id: B, title: B, supports: C}
                      - {id: C, title: C, supports: A}
                      - {id: D, title: D, supports: [A, OBJ-1]}
            """
        },
    )
    view = build(*result_for(plan), Scope())
    drawn = [r.goal for r in view.tree + view.unlinked_tree if r.kind == "goal"]
    assert sorted(drawn) == ["A", "B", "C", "D", "OBJ-1"]
    assert view.unlinked == ["A"]


def _plan(edges: list[tuple[int, int]], objectives: int, goals: int) -> Plan:
    plan = Plan()
    for n in range(objectives):
        plan.objectives.append(Goal(id=f"O{n}", title="o"))
    links: dict[int, list[str]] = {}
    for child, parent in edges:
        links.setdefault(child, []).append(
            f"O{parent}" if parent < objectives else f"G{parent - objectives}"
        )
    from cascade.model import Department

    department = Department(id="d", goals=[])
    for n in range(goals):
        department.goals.append(
            Goal.model_validate({"id": f"G{n}", "title": "g", "supports": links.get(n, [])})
        )
    plan.departments.append(department)
    return place(plan)


@settings(max_examples=60, deadline=None)
@given(
    objectives=st.integers(1, 3),
    goals=st.integers(0, 12),
    data=st.data(),
    depth=st.one_of(st.none(), st.integers(0, 4)),
)
def test_every_goal_in_view_is_drawn_once_under_one_of_its_parents(
    objectives: int, goals: int, data: st.DataObject, depth: int | None
) -> None:
    parents = objectives + goals
    edges = data.draw(
        st.lists(st.tuples(st.integers(0, max(goals - 1, 0)), st.integers(0, parents - 1)))
        if goals
        else st.just([])
    )
    hierarchy = Hierarchy(_plan(edges, objectives, goals))
    layout = lay_out(hierarchy, Scope(depth=depth))
    rows = layout.rows(layout.tops) + layout.rows(layout.unlinked)
    drawn = [r.goal for r in rows if r.kind == "goal"]
    assert sorted(drawn) == sorted(layout.goals)  # each exactly once
    for goal in layout.goals:
        parent = layout.tree_parent[goal]
        assert parent is None or parent in hierarchy.parents(goal)
        assert parent is None or parent in layout.goals
        if depth is not None:
            assert layout.depth[goal] <= depth
    # Nested-list bookkeeping: every opened level is closed again.
    for tree in (layout.rows(layout.tops), layout.rows(layout.unlinked)):
        opened = sum(1 for r in tree if r.opens)
        assert opened == sum(r.closes for r in tree)
    if depth is None:
        assert layout.goals == set(hierarchy.goals)
    assert natural_sorted(layout.tops) == layout.tops
