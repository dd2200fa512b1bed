"""The hierarchy walks its own dicts; on any graph (loops, self-loops, repeated links) they
answer exactly what networkx answers on the same links."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from cascade.graph import Hierarchy
from cascade.model import Department, Goal, Plan, place


@st.composite
def hierarchies(draw: st.DrawFn) -> Hierarchy:
    n = draw(st.integers(1, 14))
    links = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=30))
    goals = [
        Goal(
            id=f"G{i}",
            title=f"Goal {i}",
            supports=[{"goal": f"G{p}", "weight": 1 + (c + p) % 3} for c, p in links if c == i],
            depends_on=[f"G{(i + 1) % n}"],
        )
        for i in range(n)
    ]
    plan = Plan(objectives=goals[:1], departments=[Department(id="d", goals=goals[1:])])
    return Hierarchy(place(plan))


@settings(max_examples=300, deadline=None)
@given(hierarchies())
def test_plain_walks_agree_with_networkx(hierarchy: Hierarchy) -> None:
    graph = hierarchy.graph
    for goal in hierarchy.goals:
        assert hierarchy.parents(goal) == sorted(graph.successors(goal))
        assert hierarchy.children(goal) == sorted(graph.predecessors(goal))
        assert hierarchy.supporters(goal) == nx.ancestors(graph, goal)
        assert hierarchy.served(goal) == nx.descendants(graph, goal)
        for parent in graph.successors(goal):
            assert hierarchy.weight(goal, parent) == graph[goal][parent]["weight"]
    loops = [
        c
        for c in nx.strongly_connected_components(graph)
        if len(c) > 1 or graph.has_edge(next(iter(c)), next(iter(c)))
    ]
    assert sorted(map(sorted, hierarchy._components)) == sorted(map(sorted, loops))
    depends: nx.DiGraph[str] = nx.DiGraph()
    depends.add_edges_from(
        (g.id, other)
        for g in hierarchy.goals.values()
        for other in g.depends_on
        if other in hierarchy.goals
    )
    waits = [
        c
        for c in nx.strongly_connected_components(depends)
        if len(c) > 1 or depends.has_edge(next(iter(c)), next(iter(c)))
    ]
    assert sorted(sorted(set(loop)) for loop in hierarchy.dependency_cycles()) == sorted(
        map(sorted, waits)
    )


def test_a_plan_without_loops_never_imports_networkx() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from cascade.loader import load; "
        "from cascade.graph import Hierarchy; h = Hierarchy(load(Path('plans')).plan); "
        "h.cycles(); h.alignment; h.objectives_reached; h.line_of_sight('SALES-1'); "
        "print('networkx' in sys.modules)"
    )
    from tests.conftest import ROOT

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "False", out.stderr
