"""A map of a plan whose `supports` links loop (an error, CAS006, but still drawn): every
goal drawn once, under a goal it supports unless it starts a loop's tree, and every
reference saying where the goal it names is drawn."""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from maphelp import AS_OF, run, write

from cascade.config import Config
from cascade.engine import context_for
from cascade.engine import run as run_rules
from cascade.graph import Hierarchy
from cascade.loader import LoadedPlan, load
from cascade.model import Department, Goal, Plan, place
from cascade.render import Scope, build, env, render
from cascade.render.layout import Layout, lay_out
from cascade.render.view import MapView

KPI = "kpis: [{name: k, baseline: 0, target: 10, current: 9, as_of: 2026-11-10}]"
# M1 -> M2 -> M3 -> M1 loop; A0 supports M1 and sorts before it.
BELOW_A_LOOP = f"""
    organization: {{name: R, vision: V, period: Y}}
    periods: [{{id: Y, start: 2026-01-01, end: 2026-12-31}}]
    objectives:
      - {{id: O1, title: O, owner: p, {KPI}}}
    departments:
      - id: d
        name: D
        lead: p
        goals:
          - {{id: E, title: e, supports: O1, {KPI}}}
      - id: m
        name: M
        lead: p
        goals:
          - {{id: M1, title: m1, supports: M2, {KPI}}}
          - {{id: M2, title: m2, supports: M3, {KPI}}}
          - {{id: M3, title: m3, supports: M1, {KPI}}}
    teams:
      - id: t
        name: T
        department: m
        lead: p
        goals:
          - {{id: A0, title: a0, supports: M1, {KPI}}}
    people: [{{id: p, name: P, department: d}}]
"""


@pytest.fixture(autouse=True, scope="module")
def templates_compiled_once() -> Iterator[None]:
    """One jinja2 environment for the module: compiling the templates for every render
    would make each generated plan cost most of a second."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(env, "environment", functools.lru_cache(env.environment))
        yield


def drawn_in_markdown(text: str, goal: str) -> int:
    """How often the Markdown map draws a goal: its section heading, or a tree line."""
    name = re.escape(goal)
    headings = re.findall(rf"^### {name} · ", text, re.MULTILINE)
    lines = re.findall(rf"^ *- \*\*{name}\*\* .*$", text, re.MULTILINE)
    return len(headings) + sum(1 for line in lines if not line.endswith("see its own section"))


def test_a_goal_below_a_loop_is_drawn_once_under_it(tmp_path: Path) -> None:
    plan = write(tmp_path, {"p.yaml": BELOW_A_LOOP})
    layout = lay_out(Hierarchy(load(plan).plan), Scope())
    assert layout.unlinked == ["M1"]  # the loop starts its tree, not the goal below it
    assert layout.tree_parent["A0"] == "M1"
    text = run("map", plan, "--as-of", AS_OF).stdout
    assert "None" not in text
    assert all(drawn_in_markdown(text, g) == 1 for g in ("O1", "E", "M1", "M2", "M3", "A0"))
    assert "↳ **A0**" not in text
    assert "- ↳ **M1** m1 — drawn among the goals that reach no objective" in text
    page = run("map", plan, "--as-of", AS_OF, "--format", "html").stdout
    assert "None" not in page
    assert len(re.findall(r'<li class="node [^"]*" data-goal="A0"', page)) == 1
    assert 'data-ref="A0"' not in page
    assert "also supports this; drawn among the goals that reach no objective" in page


def test_a_loop_of_objectives_is_drawn_among_the_objectives(tmp_path: Path) -> None:
    plan = write(
        tmp_path,
        {
            "p.yaml": """
                objectives:
                  - {id: O1, title: o1, supports: O2}
                  - {id: O2, title: o2, supports: O1}
                departments:
                  - id: d
                    goals:
                      - {id: A, title: a, supports: O1}
                      - {id: B, title: b, supports: O2}
            """
        },
    )
    layout = lay_out(Hierarchy(load(plan).plan), Scope())
    assert (layout.tops, layout.unlinked) == (["O1"], [])
    text = run("map", plan, "--as-of", AS_OF).stdout
    assert "None" not in text and "Goals that reach no objective" not in text
    assert all(drawn_in_markdown(text, g) == 1 for g in ("O1", "O2", "A", "B"))
    assert "- ↳ **O1** o1 — drawn at the top" in text


def test_a_root_on_a_loop_is_named_at_the_top(tmp_path: Path) -> None:
    plan = write(tmp_path, {"p.yaml": BELOW_A_LOOP})
    text = run("map", plan, "--as-of", AS_OF, "--root", "M2").stdout
    assert "    - ↳ **M2** m2 — drawn at the top" in text
    page = run("map", plan, "--as-of", AS_OF, "--root", "M2", "--format", "html").stdout
    assert "None" not in page and "also supports this; drawn at the top" in page


def _plan(objectives: int, goals: int, edges: list[tuple[int, int]]) -> Plan:
    """Objectives O0.. then goals G0.. of one department; an edge (child, parent) is a link
    between any two of them (objectives too, so loops may run through objectives)."""
    names = [f"O{n}" for n in range(objectives)] + [f"G{n}" for n in range(goals)]
    supports: dict[str, list[str]] = {}
    for child, parent in edges:
        supports.setdefault(names[child], []).append(names[parent])

    def goal(name: str) -> Goal:
        return Goal.model_validate(
            {"id": name, "title": name.lower(), "supports": supports.get(name, [])}
        )

    plan = Plan()
    plan.objectives.extend(goal(n) for n in names[:objectives])
    plan.departments.append(Department(id="d", goals=[goal(n) for n in names[objectives:]]))
    return place(plan)


def _check_layout(hierarchy: Hierarchy, layout: Layout) -> None:
    rows = layout.rows(layout.tops) + layout.rows(layout.unlinked)
    drawn = [r.goal for r in rows if r.kind == "goal"]
    assert sorted(drawn) == sorted(layout.goals)  # each exactly once
    for goal in layout.goals:
        parents = [p for p in hierarchy.parents(goal) if p in layout.goals and p != goal]
        if layout.tree_parent[goal] is None and parents:
            # Drawn at the top though it supports a goal in view: only a loop has no
            # goal to hang from.
            assert goal in hierarchy.looped
    for row in rows:
        if row.kind == "ref":
            assert row.goal in layout.goals


def _check_outputs(view: MapView) -> None:
    texts = {fmt: render(view, fmt)[0] for fmt in ("markdown", "html", "json", "mermaid")}
    for fmt, text in texts.items():
        assert "None" not in text, fmt
    for goal in view.goals:
        assert drawn_in_markdown(texts["markdown"], goal.id) == 1, goal.id


@settings(max_examples=60, deadline=None)
@given(
    objectives=st.integers(1, 3),
    goals=st.integers(1, 7),
    data=st.data(),
)
def test_with_loops_every_goal_is_drawn_once_and_every_reference_says_where(
    objectives: int, goals: int, data: st.DataObject
) -> None:
    count = objectives + goals
    node = st.integers(0, count - 1)
    loop = data.draw(st.lists(node, min_size=2, max_size=4, unique=True))
    edges = list(zip(loop, [*loop[1:], loop[0]], strict=True))
    edges += data.draw(st.lists(st.tuples(node, node), max_size=10))
    plan = _plan(objectives, goals, edges)
    ids = [g.id for g in plan.goals()]
    scope = data.draw(
        st.one_of(
            st.just(Scope()),
            st.builds(Scope, root=st.sampled_from(ids)),
            st.builds(Scope, depth=st.integers(0, 3)),
            st.just(Scope(unit="d")),
        )
    )
    loaded = LoadedPlan(plan)
    context = context_for(loaded, Config(), datetime.date.fromisoformat(AS_OF))
    result = run_rules(loaded, Config(), context.as_of, context=context)
    hierarchy = context.hierarchy
    assert hierarchy.looped
    _check_layout(hierarchy, lay_out(hierarchy, scope))
    _check_outputs(build(result, context, scope))
