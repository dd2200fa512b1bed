"""The goal hierarchy: supports edges, levels, membership, line of sight, cycles.

The one place that answers "what does this goal serve?"; every rule and output asks it.
Plain dicts carry the walks every run makes; networkx (a fifth of a second to import) is
loaded only for a plan whose links loop, or for code that asks for `graph` itself.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from cascade.model import Department, Goal, Item, Kpi, Person, Plan, Team, Unit

ItemT = TypeVar("ItemT", bound=Item)

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


@dataclass(frozen=True, slots=True)
class Reach:
    """Which objectives each goal's chains reach, and for a goal that reaches none, one
    goal where its chain stops (itself when it supports nothing; the smallest id of all)."""

    reached: dict[str, frozenset[str]]
    ends: dict[str, str]


def _keep_first(found: dict[str, ItemT], ident: str, item: ItemT) -> None:
    """`item`, whose id `found` holds already, takes its place if written in an earlier file.

    An id defined twice is `duplicate-id`, reported at the later definition: the rest of
    the checks, the map and trace go by the first, as that message says. The plan lists
    its sections one after the other (objectives, then departments...), so the first by
    section may well be the later by file.
    """
    held = found[ident]
    if item.origin and held.origin and item.origin.file < held.origin.file:
        found[ident] = item


def _reachable(edges: dict[str, list[str]], start: str) -> set[str]:
    """Every node a walk along `edges` reaches from `start`, never `start` itself (as
    networkx's ancestors and descendants)."""
    found: set[str] = set()
    todo = list(edges.get(start, ()))
    while todo:
        node = todo.pop()
        if node not in found:
            found.add(node)
            todo.extend(edges[node])
    found.discard(start)
    return found


def _parents_first(up: dict[str, list[str]]) -> list[str] | None:
    """Every node after all of its parents (Kahn's algorithm), or None when there is a loop."""
    waiting = {node: len(parents) for node, parents in up.items()}
    down: dict[str, list[str]] = {node: [] for node in up}
    for node, parents in up.items():
        for parent in parents:
            down[parent].append(node)
    ready = [node for node, count in waiting.items() if count == 0]
    order: list[str] = []
    while ready:
        node = ready.pop()
        order.append(node)
        for child in down[node]:
            waiting[child] -= 1
            if waiting[child] == 0:
                ready.append(child)
    return order if len(order) == len(up) else None


class Hierarchy:
    """Goals as nodes (first definition of an id wins), `supports` edges child -> parent."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.goals: dict[str, Goal] = {}
        self.kpis: dict[str, Kpi] = {}
        self.units: dict[str, Unit] = {}
        # A million items on a big plan: the usual case (a new id) stays one dict call.
        for goal in plan.goals():
            if self.goals.setdefault(goal.id, goal) is not goal:
                _keep_first(self.goals, goal.id, goal)
        for goal in self.goals.values():
            for measure in goal.kpis:
                if measure.id and self.kpis.setdefault(measure.id, measure) is not measure:
                    _keep_first(self.kpis, measure.id, measure)
        for unit in plan.units():
            if self.units.setdefault(unit.id, unit) is not unit:
                _keep_first(self.units, unit.id, unit)
        # child -> parent -> summed weight, and the KPI the first link went through.
        self._weights: dict[str, dict[str, float]] = {goal: {} for goal in self.goals}
        self._via: dict[tuple[str, str], str | None] = {}
        self._depends: list[tuple[str, str]] = []
        self.links: list[Link] = []
        for goal in self.goals.values():
            weights = self._weights[goal.id]
            for index, support in enumerate(goal.supports):
                parent, via = self.resolve_target(support.goal)
                if parent is None:
                    continue
                self.links.append(Link(goal.id, parent, support.weight, via, index))
                if parent in weights:
                    weights[parent] += support.weight
                else:
                    weights[parent] = support.weight
                    self._via[goal.id, parent] = via
            for other in goal.depends_on:
                if other in self.goals:
                    self._depends.append((goal.id, other))

    @cached_property
    def graph(self) -> nx.DiGraph[str]:
        """The supports links as a networkx graph (child -> parent, with `weight`, `kpi`)."""
        import networkx as nx

        graph: nx.DiGraph[str] = nx.DiGraph()
        graph.add_nodes_from(self.goals)
        for child, parents in self._weights.items():
            for parent, weight in parents.items():
                graph.add_edge(child, parent, weight=weight, kpi=self._via[child, parent])
        return graph

    def resolve_target(self, ref: str) -> tuple[str | None, str | None]:
        """A `supports` target: (goal id, KPI id or None); (None, None) when unknown."""
        if ref in self.goals:
            return ref, None
        kpi = self.kpis.get(ref)
        if kpi is not None:
            return kpi.goal_id, ref
        return None, None

    @cached_property
    def _up(self) -> dict[str, list[str]]:
        return {goal: sorted(parents) for goal, parents in self._weights.items()}

    @cached_property
    def _down(self) -> dict[str, list[str]]:
        down: dict[str, list[str]] = {goal: [] for goal in self.goals}
        for child, parents in self._weights.items():
            for parent in parents:
                down[parent].append(child)
        for children in down.values():
            children.sort()
        return down

    def parents(self, goal_id: str) -> list[str]:
        """The goals `goal_id` supports directly, sorted."""
        return self._up.get(goal_id, [])

    def children(self, goal_id: str) -> list[str]:
        """The goals that support `goal_id` directly, sorted."""
        return self._down.get(goal_id, [])

    def weight(self, child: str, parent: str) -> float:
        return float(self._weights[child][parent])

    def supporters(self, goal_id: str) -> set[str]:
        """Every goal that supports `goal_id`, directly or through others."""
        return _reachable(self._down, goal_id)

    def served(self, goal_id: str) -> set[str]:
        """Every goal that `goal_id` supports, directly or through others (its line of sight)."""
        return _reachable(self._up, goal_id)

    @cached_property
    def live(self) -> frozenset[str]:
        """The goals that take part in alignment and progress (not draft, not dropped)."""
        return frozenset(g for g, goal in self.goals.items() if goal.takes_part)

    @cached_property
    def objectives_reached(self) -> dict[str, frozenset[str]]:
        """For every goal, the objectives its `supports` chains reach, through any goal.

        Draft and dropped goals count here: it is where a goal would hang (the map).
        """
        return self._reach(live=False).reached

    @cached_property
    def alignment(self) -> Reach:
        """Objectives reached through goals that take part only: what the gap rules use.

        A goal that takes no part reaches nothing; a chain through one stops there.
        """
        return self._reach(live=True)

    def reaches_objective(self, goal_id: str, *, live: bool = True) -> bool:
        """True when some `supports` chain from the goal reaches an objective."""
        reached = self.alignment.reached if live else self.objectives_reached
        return bool(reached.get(goal_id))

    def is_supported(self, goal_id: str) -> bool:
        """True when a goal that takes part supports this goal directly: for an objective,
        that it was cascaded."""
        return any(child in self.live for child in self.children(goal_id))

    def _reach(self, *, live: bool) -> Reach:
        """Objectives reached and chain ends, parents before children: linear in goals and
        links (the sets hold objectives only, and equal ones are shared)."""
        keep = self.live if live else frozenset(self.goals)
        up = {g: [p for p in self._up[g] if p in keep] if g in keep else [] for g in self.goals}
        order = _parents_first(up)
        if order is None:  # a loop: only the condensation gives an order
            return self._reach_condensed(up, keep)
        objectives = {g.id for g in self.plan.objectives if g.id in keep}
        interned: dict[frozenset[str], frozenset[str]] = {}
        reached: dict[str, frozenset[str]] = {}
        ends: dict[str, str] = {}
        for goal in order:
            found: set[str] = {goal} if goal in objectives else set()
            for parent in up[goal]:
                found |= reached[parent]
            frozen = frozenset(found)
            reached[goal] = interned.setdefault(frozen, frozen)
            if not found:
                ends[goal] = min((ends[p] for p in up[goal]), default=goal)
        return Reach(reached, ends)

    def _reach_condensed(self, up: dict[str, list[str]], keep: frozenset[str]) -> Reach:
        """`_reach` over the strongly connected components, for a graph with loops."""
        import networkx as nx

        graph: nx.DiGraph[str] = nx.DiGraph()
        graph.add_nodes_from(self.goals)
        graph.add_edges_from((child, parent) for child, parents in up.items() for parent in parents)
        objectives = {g.id for g in self.plan.objectives if g.id in keep}
        condensed = nx.condensation(graph)
        members: dict[int, list[str]] = {
            node: sorted(data["members"]) for node, data in condensed.nodes(data=True)
        }
        interned: dict[frozenset[str], frozenset[str]] = {}
        reached: dict[int, frozenset[str]] = {}
        ends: dict[int, str] = {}
        # Parents come after children in a topological order of child -> parent edges,
        # so walk it backwards: a component's parents are done before it.
        for node in reversed(list(nx.topological_sort(condensed))):
            found = {m for m in members[node] if m in objectives}
            parents = list(condensed.successors(node))
            for parent in parents:
                found |= reached[parent]
            frozen = frozenset(found)
            reached[node] = interned.setdefault(frozen, frozen)
            if not found:
                # Where the chain stops: the component itself when it has nowhere to go
                # (or loops), else the first end among its parents.
                ends[node] = min((ends[p] for p in parents), default=members[node][0])
        mapping: dict[Any, int] = condensed.graph["mapping"]
        return Reach(
            {goal: reached[mapping[goal]] for goal in self.goals},
            {goal: ends[mapping[goal]] for goal in self.goals if mapping[goal] in ends},
        )

    def line_of_sight(self, goal_id: str, limit: int = 100) -> list[list[str]]:
        """Every chain from the goal up to a goal that supports nothing (at most `limit`).

        Depth-first over one shared path, so each chain costs its own length; a loop is
        cut where it would come back to a goal already on the path.
        """
        if goal_id not in self.goals:
            return []
        chains: list[list[str]] = []
        path: list[str] = [goal_id]
        on_path: set[str] = {goal_id}
        # Each frame: the parents of path[i] still to visit, in reverse sorted order.
        todo: list[list[str]] = [self._open_parents(goal_id, on_path)]
        if not todo[-1]:
            return [[goal_id]]
        while todo and len(chains) < limit:
            if not todo[-1]:
                todo.pop()
                on_path.discard(path.pop())
                continue
            parent = todo[-1].pop()
            path.append(parent)
            on_path.add(parent)
            parents = self._open_parents(parent, on_path)
            if parents:
                todo.append(parents)
            else:
                chains.append(list(path))
                on_path.discard(path.pop())
        return chains

    def _open_parents(self, goal_id: str, on_path: set[str]) -> list[str]:
        return [p for p in reversed(self.parents(goal_id)) if p not in on_path]

    @cached_property
    def _components(self) -> list[set[str]]:
        """Strongly connected components that form a loop (two goals or more, or a goal
        supporting itself)."""
        return _loop_components(self._up)

    @cached_property
    def looped(self) -> frozenset[str]:
        """Every goal that lies on a loop of `supports` links."""
        return frozenset(goal for component in self._components for goal in component)

    def cycles(self) -> list[list[str]]:
        """One loop per strongly connected component, from its smallest id: [a, b, ..., a]."""
        return _loops(self._up, self._components)

    def dependency_cycles(self) -> list[list[str]]:
        """The loops of `depends_on` links, as `cycles` gives those of `supports`."""
        after: dict[str, list[str]] = {goal: [] for goal in self.goals}
        for goal, other in self._depends:
            if other not in after[goal]:
                after[goal].append(other)
        return _loops(after, _loop_components(after))

    @cached_property
    def _homes(self) -> dict[str, str]:
        """Unit id -> the unit it belongs to: team -> department, person -> team or department."""
        homes: dict[str, str] = {}
        for unit in self.units.values():
            home: str | None = None
            if isinstance(unit, Team):
                home = unit.department
            elif isinstance(unit, Person):
                home = unit.team or unit.department
            if home is not None and home in self.units and home != unit.id:
                homes[unit.id] = home
        return homes

    @cached_property
    def _departments(self) -> dict[str, str | None]:
        """Unit id -> its department (itself for a department); None when it has none."""
        found: dict[str, str | None] = {}
        for start in self.units:
            chain: list[str] = []
            unit_id: str | None = start
            # Units nest at most three deep; the `chain` check stops a broken loop.
            while unit_id is not None and unit_id not in found and unit_id not in chain:
                chain.append(unit_id)
                if isinstance(self.units[unit_id], Department):
                    break
                unit_id = self._homes.get(unit_id)
            department: str | None = None
            if unit_id is not None:
                if unit_id in found:
                    department = found[unit_id]
                elif isinstance(self.units[unit_id], Department):
                    department = unit_id
            for member in chain:
                found[member] = department
        return found

    def matrix(self, goal_ids: Iterable[str]) -> dict[str, dict[str, list[str]]]:
        """The alignment matrix, the one both the gaps report and the map show: department
        -> objective -> those of `goal_ids` (in their order) written in the department, its
        teams or its people, that take part and reach the objective through goals that do."""
        cells: dict[str, dict[str, list[str]]] = {}
        reached = self.alignment.reached
        live = self.live
        for goal_id in goal_ids:
            goal = self.goals.get(goal_id)
            if goal is None or goal_id not in live or goal.level == "objective":
                continue
            department = self.department_of(goal.unit)
            if department is None:
                continue
            row = cells.setdefault(department, {})
            for objective in reached.get(goal_id, ()):
                row.setdefault(objective, []).append(goal_id)
        return cells

    def department_of(self, unit_id: str | None) -> str | None:
        """The department a unit belongs to (itself for a department)."""
        if unit_id is None:
            return None
        return self._departments.get(unit_id)

    def home_of(self, unit_id: str) -> str | None:
        """The unit a team or person belongs to directly (None for a department)."""
        return self._homes.get(unit_id)

    @cached_property
    def members(self) -> dict[str, list[str]]:
        """Unit id -> the units that belong to it directly (teams, people), sorted."""
        members: dict[str, list[str]] = {unit: [] for unit in self.units}
        for unit, home in self._homes.items():
            members[home].append(unit)
        for listed in members.values():
            listed.sort()
        return members

    def units_within(self, unit_id: str) -> set[str]:
        """The unit and every unit below it: a department's teams and people, a team's people."""
        found: set[str] = set()
        stack = [unit_id]
        while stack:
            unit = stack.pop()
            if unit in found:
                continue
            found.add(unit)
            stack.extend(self.members.get(unit, ()))
        return found

    @cached_property
    def _unit_reach(self) -> dict[str, frozenset[str]]:
        reach: dict[str, set[str]] = {unit: set() for unit in self.units}
        reached = self.alignment.reached
        for goal in self.goals.values():
            if goal.unit is None or goal.id not in self.live or not reached[goal.id]:
                continue
            unit: str | None = goal.unit
            for _ in range(4):  # the unit, its team, its department: never more
                if unit is None or unit not in reach:
                    break
                reach[unit] |= reached[goal.id]
                unit = self._homes.get(unit)
        return {unit: frozenset(found) for unit, found in reach.items()}

    def unit_objectives(self, unit_id: str) -> frozenset[str]:
        """The objectives reached by the goals of a unit and the units below it (taking
        part only)."""
        return self._unit_reach.get(unit_id, frozenset())

    def owner_of(self, goal: Goal) -> str | None:
        """The accountable person: `owner`, else the unit's lead (a personal goal: the person)."""
        if goal.owner:
            return goal.owner
        unit = self.units.get(goal.unit or "")
        if isinstance(unit, Person):
            return unit.id
        if isinstance(unit, Department | Team):
            return unit.lead
        return None

    @cached_property
    def person_holdings(self) -> dict[str, list[str]]:
        """Person id -> the active goals they hold: their personal goals and every goal whose
        owner they are (explicitly, or as the lead of its unit). Read, never changed."""
        owned: dict[str, list[str]] = {}
        for goal in self.goals.values():
            if goal.status != "active":
                continue
            holders = {self.owner_of(goal)}
            if goal.level == "individual":
                holders.add(goal.unit)
            for holder in holders:
                if holder is not None and isinstance(self.units.get(holder), Person):
                    owned.setdefault(holder, []).append(goal.id)
        return owned

    @cached_property
    def unit_holdings(self) -> dict[str, list[str]]:
        """Department or team id -> the active goals written under it (not its members').
        Read, never changed."""
        written: dict[str, list[str]] = {}
        for goal in self.goals.values():
            if goal.status == "active" and isinstance(
                self.units.get(goal.unit or ""), Department | Team
            ):
                written.setdefault(goal.unit or "", []).append(goal.id)
        return written

    def goals_of(self, unit_ids: Iterable[str]) -> list[Goal]:
        wanted = set(unit_ids)
        return [g for g in self.goals.values() if g.unit in wanted]


def _loop_components(up: dict[str, list[str]]) -> list[set[str]]:
    """The strongly connected components of `up` that loop (a node linked to itself too)."""
    if _parents_first(up) is not None:
        return []  # an order exists, so nothing loops (the usual plan)
    import networkx as nx

    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(up)
    graph.add_edges_from((node, other) for node, others in up.items() for other in others)
    return [
        component
        for component in nx.strongly_connected_components(graph)
        if len(component) > 1 or graph.has_edge(*component, *component)
    ]


def _loops(up: dict[str, list[str]], components: list[set[str]]) -> list[list[str]]:
    """One loop per component, the shortest from its smallest id back to it: [a, ..., a]."""
    loops: list[list[str]] = []
    for component in components:
        start = min(component)
        previous: dict[str, str] = {}
        queue = deque([start])
        loop = [start, start]  # a node linked to itself
        while queue and len(component) > 1:
            node = queue.popleft()
            if start in up[node]:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                loop = [*reversed(path), start]
                break
            for other in up[node]:
                if other in component and other not in previous:
                    previous[other] = node
                    queue.append(other)
        loops.append(loop)
    return sorted(loops)
