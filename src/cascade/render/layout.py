"""Which goals a map shows and where each hangs: scope (--root, --unit, --depth) and the tree.

A goal may support several goals; the tree draws it once, under its heaviest link, and
shows a reference under each of the others, so a plan with many shared goals stays small.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from cascade.errors import CascadeError
from cascade.graph import Hierarchy

_DIGITS = re.compile(r"(\d+)")


@functools.lru_cache(maxsize=1 << 18)  # a big map sorts the same ids again and again
def natural_key(text: str) -> tuple[object, ...]:
    """Sort key that compares runs of digits as numbers: OBJ-2 before OBJ-10."""
    parts: list[object] = [int(p) if i % 2 else p for i, p in enumerate(_DIGITS.split(text))]
    return (*parts, text)


def natural_sorted(ids: Iterable[str]) -> list[str]:
    items = list(ids)
    if len(items) < 2:  # most lists of a big plan: no key to compute
        return items
    items.sort(key=natural_key)
    return items


@dataclass(frozen=True, slots=True)
class Scope:
    """What the user asked to see: everything, or under one goal, one unit, some levels."""

    root: str | None = None
    depth: int | None = None
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a drawn tree: a goal at a depth, or a reference to a goal drawn elsewhere.

    `kind` is "goal" (drawn here with its supporters), "ref" (drawn under another goal)
    or "section" (an objective that has its own section). `opens` is true when supporters
    follow; `closes` counts the levels that end after this row (for nested HTML lists).
    """

    goal: str
    depth: int
    kind: str
    opens: bool
    closes: int


@dataclass
class Layout:
    """The goals in view, their depth below the top, and the tree drawn through them."""

    goals: set[str]
    focus: set[str]
    depth: dict[str, int]
    tops: list[str]  # objectives at the top (or the --root goal)
    unlinked: list[str]  # tops of trees that reach no objective
    tree_parent: dict[str, str | None]
    tree_children: dict[str, list[str]] = field(default_factory=dict)
    ref_children: dict[str, list[str]] = field(default_factory=dict)

    def rows(
        self, tops: list[str], *, stop_at_objectives: frozenset[str] = frozenset()
    ) -> list[Row]:
        """The tree under `tops` in pre-order, not entering the objectives named to stop at."""
        flat: list[tuple[str, int, str]] = []
        stack: list[tuple[str, int, str]] = [(top, 0, "goal") for top in reversed(tops)]
        while stack:
            goal, depth, kind = stack.pop()
            if kind == "goal" and depth > 0 and goal in stop_at_objectives:
                kind = "section"
            flat.append((goal, depth, kind))
            if kind != "goal":
                continue
            below = [(c, "goal") for c in self.tree_children.get(goal, [])]
            below += [(c, "ref") for c in self.ref_children.get(goal, [])]
            if len(below) > 1:
                below.sort(key=lambda item: natural_key(item[0]))
            for child, child_kind in reversed(below):
                stack.append((child, depth + 1, child_kind))
        rows: list[Row] = []
        for index, (goal, depth, kind) in enumerate(flat):
            following = flat[index + 1][1] if index + 1 < len(flat) else 0
            opens = following > depth
            rows.append(Row(goal, depth, kind, opens, 0 if opens else depth - following))
        return rows


def suggest(value: str, choices: Iterable[str]) -> str:
    """`; did you mean 'X'?` for a near or case-insensitive match, else ''."""
    options = sorted(set(choices))
    near = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    if not near:
        lowered = {c.lower(): c for c in options}
        if value.lower() in lowered:
            near = [lowered[value.lower()]]
    return f"; did you mean {near[0]!r}?" if near else ""


def members(hierarchy: Hierarchy, unit_id: str) -> set[str]:
    """The unit and every unit inside it (a department's teams and people, a team's people)."""
    inside = {unit_id}
    changed = True
    while changed:
        changed = False
        for unit in hierarchy.units.values():
            home = [getattr(unit, name, None) for name in ("department", "team")]
            if unit.id not in inside and any(h in inside for h in home if h):
                inside.add(unit.id)
                changed = True
    return inside


def check_scope(hierarchy: Hierarchy, scope: Scope) -> None:
    """An unknown --root or --unit is a one-line error with a "did you mean" (exit 2)."""
    if scope.root is not None and scope.root not in hierarchy.goals:
        if scope.root in hierarchy.units:
            raise CascadeError(
                f"--root: {scope.root!r} is a unit, not a goal; use --unit {scope.root}"
            )
        if scope.root in hierarchy.kpis:
            goal = hierarchy.kpis[scope.root].goal_id
            raise CascadeError(f"--root: {scope.root!r} is a KPI; its goal is {goal!r}")
        hint = suggest(scope.root, hierarchy.goals)
        raise CascadeError(f"--root: no goal has the id {scope.root!r}{hint}")
    if scope.unit is not None and scope.unit not in hierarchy.units:
        if scope.unit in hierarchy.goals:
            raise CascadeError(
                f"--unit: {scope.unit!r} is a goal, not a unit; use --root {scope.unit}"
            )
        hint = suggest(scope.unit, hierarchy.units)
        raise CascadeError(f"--unit: no department, team or person has the id {scope.unit!r}{hint}")
    if scope.depth is not None and scope.depth < 0:
        raise CascadeError(f"--depth: expected 0 or more, got {scope.depth}")


def lay_out(hierarchy: Hierarchy, scope: Scope) -> Layout:
    """Select the goals in scope, measure their depth from the top, and build the tree."""
    check_scope(hierarchy, scope)
    h = hierarchy
    objectives = {g.id for g in h.plan.objectives if g.id in h.goals}
    chosen = set(h.goals)
    focus = set(h.goals)
    if scope.root is not None:
        chosen = h.supporters(scope.root) | {scope.root}
    if scope.unit is not None:
        focus = {g.id for g in h.goals_of(members(h, scope.unit))}
        sight: set[str] = set(focus)
        for goal in focus:
            sight |= h.served(goal)
        chosen &= sight
    focus &= chosen

    def parents_in(goal: str) -> list[str]:
        return [p for p in h.parents(goal) if p in chosen and p != goal]

    def children_in(goal: str) -> list[str]:
        return [c for c in h.children(goal) if c in chosen and c != goal]

    if scope.root is not None:
        tops = [scope.root]
        unlinked: list[str] = []
    else:
        heads = natural_sorted(g for g in chosen if not parents_in(g))
        tops = [g for g in heads if g in objectives]
        unlinked = [g for g in heads if g not in objectives]
    start = 0 if scope.root is not None else 1
    depth: dict[str, int] = {}

    def walk(sources: list[str]) -> None:
        queue = deque(sources)
        for source in sources:
            depth[source] = start
        while queue:
            goal = queue.popleft()
            for child in natural_sorted(children_in(goal)):
                if child not in depth:
                    depth[child] = depth[goal] + 1
                    queue.append(child)

    walk([*tops, *unlinked])
    if len(depth) < len(chosen):
        # What is left hangs from a `supports` loop (an error, CAS006) and from no top.
        # Only a goal on such a loop may start a tree: any other has a parent to be
        # drawn under.
        starts = _loop_starts(chosen - depth.keys(), parents_in, objectives)
        tops = natural_sorted([*tops, *(g for g in starts if g in objectives)])
        unlinked += [g for g in starts if g not in objectives]
        walk(starts)
    if scope.depth is not None:
        chosen = {g for g in chosen if depth[g] <= scope.depth}
        focus &= chosen
        depth = {g: d for g, d in depth.items() if g in chosen}
        tops = [g for g in tops if g in chosen]
        unlinked = [g for g in unlinked if g in chosen]

    order = _link_order(h)
    acyclic = not h.cycles()
    heads_set = {*tops, *unlinked}
    tree_parent: dict[str, str | None] = {}
    for goal in chosen:
        if goal in heads_set:
            tree_parent[goal] = None
            continue
        candidates = parents_in(goal)
        if not acyclic:
            # Only parents nearer the top: the tree can then never loop.
            candidates = [p for p in candidates if depth[p] < depth[goal]]
        tree_parent[goal] = min(candidates, key=_preference(h, goal, order))
    layout = Layout(chosen, focus, depth, tops, unlinked, tree_parent)
    for goal in natural_sorted(chosen):
        parent = tree_parent[goal]
        if parent is not None:
            layout.tree_children.setdefault(parent, []).append(goal)
        for other in parents_in(goal):
            if other != parent:
                layout.ref_children.setdefault(other, []).append(goal)
    return layout


def _loop_starts(
    rest: set[str], parents_in: Callable[[str], list[str]], objectives: set[str]
) -> list[str]:
    """One goal of each loop that `rest` hangs from: its first objective, else its smallest id.

    `rest` holds every parent of its goals, so the loops that support nothing outside
    themselves are the strongly connected components with no link leaving them.
    """
    import networkx as nx

    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(rest)
    graph.add_edges_from((goal, parent) for goal in rest for parent in parents_in(goal))
    condensed = nx.condensation(graph)
    starts = []
    for node, data in condensed.nodes(data=True):
        if condensed.out_degree(node) == 0:
            loop: set[str] = data["members"]
            starts.append(min(loop, key=lambda g: (g not in objectives, natural_key(g))))
    return natural_sorted(starts)


def _preference(
    hierarchy: Hierarchy, goal: str, order: dict[tuple[str, str], int]
) -> Callable[[str], tuple[float, int, tuple[object, ...]]]:
    """Where a goal is drawn: under its heaviest link, then the first it names."""

    def key(parent: str) -> tuple[float, int, tuple[object, ...]]:
        return (-hierarchy.weight(goal, parent), order.get((goal, parent), 0), natural_key(parent))

    return key


def _link_order(hierarchy: Hierarchy) -> dict[tuple[str, str], int]:
    """Where each link first appears in its goal's `supports` list (ties go to the first)."""
    order: dict[tuple[str, str], int] = {}
    for link in hierarchy.links:
        order.setdefault((link.child, link.parent), link.index)
    return order
