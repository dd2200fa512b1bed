"""Structural rules on in-memory plans, and graph properties with hypothesis."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cascade.config import Config, ConfigFile
from cascade.engine import Selection, run
from cascade.loader import LoadedPlan
from cascade.model import Department, Goal, Plan, place

AS_OF = datetime.date(2026, 11, 15)


def goal(ident: str, *supports: Any, **fields: Any) -> Goal:
    return Goal.model_validate({"id": ident, "title": ident, "supports": list(supports), **fields})


def findings(plan: Plan, code: str, config: Config | None = None) -> list[tuple[str, str]]:
    config = config or Config()
    loaded = LoadedPlan(place(plan))
    selection = Selection.build(config, select=[code])
    result = run(loaded, config, AS_OF, selection)
    return [(d.subject or "", d.message) for d in result.diagnostics]


def test_cycle_is_reported_once_naming_members_in_order() -> None:
    plan = Plan(objectives=[goal("C", "A"), goal("A", "B"), goal("B", "C")])
    assert findings(plan, "CAS006") == [("A", "supports links form a loop: A --> B --> C --> A")]


def test_cycle_through_a_kpi() -> None:
    top = goal("TOP", "LOW.k", kpis=[{"id": "TOP.k", "name": "k"}])
    low = goal("LOW", "TOP.k", kpis=[{"id": "LOW.k", "name": "k"}])
    plan = Plan(objectives=[top, low])
    assert findings(plan, "cycle") == [("LOW", "supports links form a loop: LOW --> TOP --> LOW")]


def test_level_inversion_and_allowed_same_level() -> None:
    plan = Plan(
        objectives=[goal("OBJ-1"), goal("OBJ-2", "OBJ-1")],
        departments=[Department(id="d", goals=[goal("D-1", "OBJ-1"), goal("D-2", "D-1")])],
    )
    assert findings(plan, "level-inversion") == []
    plan.objectives.append(goal("OBJ-3", "D-2"))
    assert findings(place(plan), "level-inversion") == [
        ("OBJ-3", "objective goal OBJ-3 supports department goal D-2, a lower level")
    ]


def test_multiple_parents_only_when_configured() -> None:
    plan = Plan(objectives=[goal("A"), goal("B"), goal("C", "A", "B")])
    assert findings(plan, "CAS009") == []
    strict = Config(ConfigFile.model_validate({"alignment": {"single_parent": True}}))
    assert [s for s, _ in findings(plan, "CAS009", strict)] == ["C"]


def test_unknown_reference_near_miss_hint() -> None:
    plan = Plan(objectives=[goal("OBJ-1"), goal("OBJ-2", "obj-1")])
    config = Config()
    loaded = LoadedPlan(place(plan))
    result = run(loaded, config, AS_OF, Selection.build(config, select=["CAS005"]))
    (diagnostic,) = result.diagnostics
    assert diagnostic.hint == "did you mean 'OBJ-1'?"


def test_supporting_the_vision_says_where_goals_hang() -> None:
    team = Department.model_validate(
        {"id": "ops", "name": "Ops", "goals": [goal("OPS-1", "vision")]}
    )
    plan = Plan(objectives=[goal("OBJ-1")], departments=[team])
    config = Config()
    result = run(LoadedPlan(place(plan)), config, AS_OF, Selection.build(config, select=["CAS005"]))
    (diagnostic,) = result.diagnostics
    assert diagnostic.hint is not None
    assert diagnostic.hint.startswith("only objectives hang from the vision: support an objective")


# ------------------------------------------------------------------ properties


@st.composite
def dag_plans(draw: st.DrawFn) -> tuple[Plan, list[tuple[int, int]]]:
    """A random DAG of objectives: edges only from a higher index to a lower one."""
    size = draw(st.integers(min_value=2, max_value=25))
    edges = draw(
        st.lists(
            st.tuples(st.integers(0, size - 1), st.integers(0, size - 1)).filter(
                lambda e: e[0] > e[1]
            ),
            max_size=60,
            unique=True,
        )
    )
    goals = [goal(f"G{i}", *[f"G{p}" for c, p in edges if c == i]) for i in range(size)]
    return Plan(objectives=goals), edges


@settings(max_examples=150, deadline=None)
@given(dag_plans())
def test_no_cycle_is_found_in_a_dag(case: tuple[Plan, list[tuple[int, int]]]) -> None:
    plan, _ = case
    assert findings(plan, "cycle") == []


@settings(max_examples=150, deadline=None)
@given(dag_plans(), st.data())
def test_one_back_edge_gives_exactly_one_cycle(
    case: tuple[Plan, list[tuple[int, int]]], data: st.DataObject
) -> None:
    plan, edges = case
    if not edges:
        return
    child, parent = data.draw(st.sampled_from(edges))
    # Close the loop with a back edge from the parent down to the child.
    back = next(g for g in plan.objectives if g.id == f"G{parent}")
    back.supports = [*back.supports, goal("x", f"G{child}").supports[0]]
    found = findings(place(plan), "cycle")
    assert len(found) == 1
    members = found[0][1].removeprefix("supports links form a loop: ").split(" --> ")
    assert members[0] == members[-1]
    assert {f"G{child}", f"G{parent}"} <= set(members)
    ids = {g.id: g for g in plan.objectives}
    for a, b in itertools.pairwise(members):  # every step is a real link
        assert b in [s.goal for s in ids[a].supports]


def test_an_unknown_initiative_owner_is_named_in_a_sentence() -> None:
    objective = goal("OBJ-1", initiatives=[{"title": "Pilot", "owner": "zed"}])
    plan = Plan(objectives=[objective])
    assert findings(plan, "CAS005") == [
        ("OBJ-1", "goal OBJ-1 has an initiative owned by 'zed', which is not defined")
    ]


def test_the_id_pattern_says_which_letters() -> None:
    import pydantic
    import pytest

    with pytest.raises(pydantic.ValidationError, match=r"a letter \(A-Z, a-z\) or digit"):
        goal("müller")


def test_an_id_ending_in_a_newline_breaks_the_id_pattern() -> None:
    import pydantic
    import pytest

    with pytest.raises(pydantic.ValidationError, match="breaks the id pattern"):
        goal("OBJ-1\n")
