"""The goal hierarchy over networkx: supports edges, levels, membership, line of sight, cycles.

The one place that answers "what does this goal serve?"; every rule and output asks it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from cascade.model import Goal, Kpi, Plan, Unit

if TYPE_CHECKING:
    import networkx as nx


@dataclass(frozen=True, slots=True)
class Link:
    """One resolved `supports` link: child supports parent (via one of its KPIs if `kpi`)."""

    child: str
    parent: str
    weight: float
    kpi: str | None  # the KPI id named in `supports`, when the link goes through a KPI
    index: int  # position in the child's `supports` list, to point at it


class Hierarchy:
    """Goals as nodes (first definition of an id wins), `supports` edges child -> parent."""

    def __init__(self, plan: Plan) -> None:
        import networkx as nx  # lazy: ~0.2 s of start-up that `--version` should not pay

        self.plan = plan
        self.goals: dict[str, Goal] = {}
        self.kpis: dict[str, Kpi] = {}
        self.units: dict[str, Unit] = {}
        for goal in plan.goals():
            self.goals.setdefault(goal.id, goal)
        for goal in self.goals.values():
            for measure in goal.kpis:
                if measure.id:
                    self.kpis.setdefault(measure.id, measure)
        for unit in plan.units():
            self.units.setdefault(unit.id, unit)
        self.graph: nx.DiGraph[str] = nx.DiGraph()
        self.depends: nx.DiGraph[str] = nx.DiGraph()
        self.graph.add_nodes_from(self.goals)
        self.links: list[Link] = []
        for goal in self.goals.values():
            for index, support in enumerate(goal.supports):
                parent, via = self.resolve_target(support.goal)
                if parent is None:
                    continue
                self.links.append(Link(goal.id, parent, support.weight, via, index))
                if self.graph.has_edge(goal.id, parent):
                    self.graph[goal.id][parent]["weight"] += support.weight
                else:
                    self.graph.add_edge(goal.id, parent, weight=support.weight, kpi=via)
            for other in goal.depends_on:
                if other in self.goals:
                    self.depends.add_edge(goal.id, other)

    def resolve_target(self, ref: str) -> tuple[str | None, str | None]:
        """A `supports` target: (goal id, KPI id or None); (None, None) when unknown."""
        if ref in self.goals:
            return ref, None
        kpi = self.kpis.get(ref)
        if kpi is not None:
            return kpi.goal_id, ref
        return None, None

    def parents(self, goal_id: str) -> list[str]:
        """The goals `goal_id` supports directly, sorted."""
        return sorted(self.graph.successors(goal_id)) if goal_id in self.graph else []

    def children(self, goal_id: str) -> list[str]:
        """The goals that support `goal_id` directly, sorted."""
        return sorted(self.graph.predecessors(goal_id)) if goal_id in self.graph else []

    def weight(self, child: str, parent: str) -> float:
        return float(self.graph[child][parent]["weight"])

    def supporters(self, goal_id: str) -> set[str]:
        """Every goal that supports `goal_id`, directly or through others."""
        import networkx as nx

        return set(nx.ancestors(self.graph, goal_id)) if goal_id in self.graph else set()

    def served(self, goal_id: str) -> set[str]:
        """Every goal that `goal_id` supports, directly or through others (its line of sight)."""
        import networkx as nx

        return set(nx.descendants(self.graph, goal_id)) if goal_id in self.graph else set()

    @cached_property
    def objectives_reached(self) -> dict[str, frozenset[str]]:
        """For every goal, the objectives its `supports` chains reach (linear, memoised)."""
        import networkx as nx

        objectives = {g.id for g in self.plan.objectives if g.id in self.goals}
        condensed = nx.condensation(self.graph)
        members: dict[int, list[str]] = {
            node: sorted(data["members"]) for node, data in condensed.nodes(data=True)
        }
        reached: dict[int, frozenset[str]] = {}
        # Parents come after children in a topological order of child -> parent edges,
        # so walk it backwards: a component's parents are done before it.
        for node in reversed(list(nx.topological_sort(condensed))):
            found = {m for m in members[node] if m in objectives}
            for parent in condensed.successors(node):
                found |= reached[parent]
            reached[node] = frozenset(found)
        mapping: dict[Any, int] = condensed.graph["mapping"]
        return {goal: reached[mapping[goal]] for goal in self.goals}

    def reaches_objective(self, goal_id: str) -> bool:
        """True when some `supports` chain from the goal reaches an objective."""
        return bool(self.objectives_reached.get(goal_id))

    def line_of_sight(self, goal_id: str, limit: int = 100) -> list[list[str]]:
        """Every chain from the goal up to a goal that supports nothing (at most `limit`)."""
        chains: list[list[str]] = []
        stack: list[list[str]] = [[goal_id]]
        while stack and len(chains) < limit:
            chain = stack.pop()
            parents = [p for p in self.parents(chain[-1]) if p not in chain]
            if not parents:
                chains.append(chain)
            for parent in reversed(parents):
                stack.append([*chain, parent])
        return chains

    def cycles(self) -> list[list[str]]:
        """One loop per strongly connected component, from its smallest id: [a, b, ..., a]."""
        import networkx as nx

        loops: list[list[str]] = []
        for component in nx.strongly_connected_components(self.graph):
            if len(component) == 1:
                (only,) = component
                if self.graph.has_edge(only, only):
                    loops.append([only, only])
                continue
            start = min(component)
            loops.append(self._loop_through(start, component))
        return sorted(loops)

    def _loop_through(self, start: str, component: set[str]) -> list[str]:
        """The shortest loop from `start` back to itself inside one component."""
        previous: dict[str, str] = {}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            for parent in sorted(self.graph.successors(node)):
                if parent == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [*reversed(path), start]
                if parent in component and parent not in previous:
                    previous[parent] = node
                    queue.append(parent)
        return [start, start]  # unreachable for a real component

    def department_of(self, unit_id: str | None) -> str | None:
        """The department a unit belongs to (itself for a department)."""
        seen: set[str] = set()
        while unit_id is not None and unit_id not in seen:
            seen.add(unit_id)
            unit = self.units.get(unit_id)
            if unit is None:
                return None
            kind = type(unit).__name__
            if kind == "Department":
                return unit.id
            if kind == "Team":
                unit_id = getattr(unit, "department", None)
            else:
                unit_id = getattr(unit, "team", None) or getattr(unit, "department", None)
        return None

    def goals_of(self, unit_ids: Iterable[str]) -> list[Goal]:
        wanted = set(unit_ids)
        return [g for g in self.goals.values() if g.unit in wanted]
