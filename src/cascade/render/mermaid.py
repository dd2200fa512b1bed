"""Mermaid flowcharts of the map that GitHub renders: escaped labels, safe node ids, one
subgraph per department, status classes, and a split into several diagrams when one
would pass GitHub's (and Mermaid's default) limits of 500 edges or 50,000 characters."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from cascade.render.layout import natural_key
from cascade.render.view import GoalView, MapView

MAX_EDGES = 500
MAX_CHARS = 50_000
TITLE_CHARS = 60
TIMES = "\u00d7"  # the multiplication sign of a link's weight: x2

# Mermaid's own entity escapes (`#name;` / `#code;`), decoded after parsing. The backtick
# is escaped too: it could start a Markdown string.
_ESCAPES = {
    "#": "#35;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
    "`": "#96;",
    "|": "#124;",
    "%": "#37;",
}
# `%%` anywhere could open a directive (`%%{init: ...}%%`); a lone `%` is harmless.
_ESCAPE_RE = re.compile(r'[#"<>&`|]|%(?=%)')
_SPACE_RE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")


def escape(text: str) -> str:
    """Plan text as the inside of a quoted Mermaid label: one line, entity-escaped."""
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group()], _SPACE_RE.sub(" ", text).strip())


def shorten(text: str, limit: int = TITLE_CHARS) -> str:
    text = _SPACE_RE.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def size(text: str) -> int:
    """Length as Mermaid (JavaScript) counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True, slots=True)
class Node:
    key: str  # the generated Mermaid id: n0, n1, ... (never a keyword, never o/x first)
    goal: str | None  # None for the vision
    label: str  # escaped, ready to go between quotes
    open: str  # the shape's brackets
    close: str
    css: str  # the status class


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    label: str | None
    dashed: bool


@dataclass(frozen=True, slots=True)
class Subgraph:
    key: str
    label: str
    nodes: list[Node]


@dataclass
class Spec:
    """One diagram, ready for the `mermaid.mmd.j2` template."""

    title: str
    nodes: list[Node] = field(default_factory=list)  # outside any department
    subgraphs: list[Subgraph] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    classes: dict[str, list[str]] = field(default_factory=dict)

    @property
    def comment(self) -> str:
        """The title for a `%%` comment line: escaped too, as `%%{` opens a directive."""
        return escape(self.title)


@dataclass(frozen=True, slots=True)
class Diagram:
    """A rendered diagram: its title (for a heading), text, and what it counts."""

    title: str
    text: str
    edges: int
    chars: int


Render = Callable[[Spec], str]

_CLASS = {
    "on track": "onTrack",
    "at risk": "atRisk",
    "off track": "offTrack",
}


def _css(goal: GoalView) -> str:
    if goal.status == "achieved":
        return "achieved"
    if goal.status in ("draft", "dropped", "missed"):
        return "inactive"
    return _CLASS.get(goal.health or "", "noData")


def _state(goal: GoalView) -> str:
    progress = "—" if goal.progress is None else f"{int(goal.progress * 100 + 1e-9)}%"
    if goal.status != "active":
        return f"{progress} · {goal.status}"
    return f"{progress} · {goal.health or 'no data'}"


def goal_label(goal: GoalView) -> str:
    return f"{escape(goal.id)} · {escape(shorten(goal.title))}<br/>{escape(_state(goal))}"


class _Builder:
    def __init__(self, view: MapView) -> None:
        self.view = view
        self.departments = {u.id: u.name for u in view.units if u.kind == "department"}

    def spec(self, title: str, goals: Iterable[str], *, vision: bool) -> Spec:
        view = self.view
        chosen = sorted(set(goals), key=lambda g: self._order(g))
        inside = set(chosen)
        spec = Spec(shorten(title, 200))
        keys: dict[str, str] = {}
        if vision:
            organization = view.organization
            text = (organization.vision if organization else None) or "Vision"
            name = organization.name if organization else "Vision"
            label = f"{escape(shorten(name))}<br/>{escape(shorten(text, 90))}"
            spec.nodes.append(Node("n0", None, label, "([", "])", "vision"))
            spec.classes["vision"] = ["n0"]
        stubs: list[str] = []
        for goal_id in chosen:
            for link in view.goal(goal_id).parents:
                if view.has(link.goal) and link.goal not in inside and link.goal not in stubs:
                    stubs.append(link.goal)
        stubs.sort(key=self._order)
        for number, goal_id in enumerate([*chosen, *stubs], start=1):
            keys[goal_id] = f"n{number}"
        groups: dict[str, list[Node]] = {}  # "" holds the goals outside any department
        for goal_id in chosen:
            goal = view.goal(goal_id)
            shape = ("{{", "}}") if goal.level == "objective" else ("(", ")")
            node = Node(keys[goal_id], goal_id, goal_label(goal), *shape, _css(goal))
            home = goal.department if goal.department in self.departments else ""
            groups.setdefault(home, []).append(node)
            spec.classes.setdefault(node.css, []).append(node.key)
        spec.nodes.extend(groups.pop("", []))
        for number, department in enumerate(sorted(groups, key=natural_key), start=1):
            label = escape(self.departments[department])
            spec.subgraphs.append(Subgraph(f"s{number}", label, groups[department]))
        for goal_id in stubs:
            goal = view.goal(goal_id)
            label = f"{escape(goal.id)} · {escape(shorten(goal.title, 40))}<br/>see its own diagram"
            spec.nodes.append(Node(keys[goal_id], goal_id, label, "[", "]", "elsewhere"))
            spec.classes.setdefault("elsewhere", []).append(keys[goal_id])
        for goal_id in chosen:
            goal = view.goal(goal_id)
            dashed = goal.status in ("draft", "dropped")
            for link in goal.parents:
                if link.goal not in keys:
                    continue
                parts = [] if link.weight == 1 else [f"{TIMES}{link.weight:g}"]
                parts += link.kpis
                caption = escape(" · ".join(parts)) if parts else None
                spec.edges.append(Edge(keys[goal_id], keys[link.goal], caption, dashed))
        if vision:
            for top in view.roots:
                if top in inside and view.goal(top).level == "objective":
                    spec.edges.append(Edge(keys[top], "n0", None, False))
        return spec

    def _order(self, goal_id: str) -> tuple[object, ...]:
        goal = self.view.goal(goal_id)
        level = ("objective", "department", "team", "individual").index(goal.level)
        return (level, *natural_key(goal_id))


def diagrams(view: MapView, render: Render) -> list[Diagram]:
    """The map as one diagram when it fits GitHub's limits, else split per objective, then
    per department, then into parts of whole subtrees; never a diagram that will not render."""
    builder = _Builder(view)
    name = view.organization.name if view.organization else "Strategy"
    goals = [g.id for g in view.goals]
    whole = _try(builder.spec(shorten(name), goals, vision=view.scope.root is None), render)
    if whole is not None:
        return [whole]
    out: list[Diagram] = []
    covered: set[str] = set()
    for top in view.roots:
        below = _subtree(view, top)
        covered |= below
        title = f"{top} · {shorten(view.goal(top).title)}"
        out.extend(_by_department(builder, view, render, title, top, below))
    rest = [g for g in goals if g not in covered]
    if rest:
        title = "Goals that reach no objective"
        out.extend(_by_department(builder, view, render, title, None, set(rest)))
    return out


def _subtree(view: MapView, top: str) -> set[str]:
    found = {top}
    stack = [top]
    while stack:
        for child in view.goal(stack.pop()).children:
            if view.has(child) and child not in found:
                found.add(child)
                stack.append(child)
    return found


def _try(spec: Spec, render: Render) -> Diagram | None:
    text = render(spec)
    if len(spec.edges) <= MAX_EDGES and size(text) <= MAX_CHARS:
        return Diagram(spec.title, text, len(spec.edges), size(text))
    return None


def _by_department(
    builder: _Builder,
    view: MapView,
    render: Render,
    title: str,
    top: str | None,
    goals: set[str],
) -> list[Diagram]:
    whole = _try(builder.spec(title, goals, vision=False), render)
    if whole is not None:
        return [whole]
    groups: dict[str, set[str]] = {}
    for goal_id in goals:
        if goal_id == top:
            continue
        goal = view.goal(goal_id)
        groups.setdefault(goal.department or "", set()).add(goal_id)
    out: list[Diagram] = []
    for department in sorted(groups, key=natural_key):
        unit = view.units_by_id.get(department)
        label = unit.name if unit is not None else "outside any department"
        members = groups[department] | ({top} if top else set())
        out.extend(_parts(builder, view, render, f"{title} · {label}", top, members))
    return out


def _parts(
    builder: _Builder,
    view: MapView,
    render: Render,
    title: str,
    top: str | None,
    goals: set[str],
) -> list[Diagram]:
    """The goals in tree order, halved until each part fits (subtrees stay mostly whole)."""
    order = [row.goal for row in view.tree + view.unlinked_tree if row.kind == "goal"]
    ranked = [g for g in order if g in goals and g != top]
    chunks = _halves(builder, render, title, top, ranked)
    if len(chunks) == 1:
        return chunks
    return [
        Diagram(f"{c.title} (part {n} of {len(chunks)})", c.text, c.edges, c.chars)
        for n, c in enumerate(chunks, start=1)
    ]


def _halves(
    builder: _Builder, render: Render, title: str, top: str | None, ranked: list[str]
) -> list[Diagram]:
    members = [*ranked, *([top] if top else [])]
    spec = builder.spec(title, members, vision=False)
    done = _try(spec, render)
    if done is not None:
        return [done]
    if len(ranked) <= 1:
        # One goal with more links than a diagram may hold: keep what fits, say so.
        spec.edges = spec.edges[:MAX_EDGES]
        text = render(spec)
        while size(text) > MAX_CHARS and spec.edges:
            spec.edges = spec.edges[: len(spec.edges) // 2]
            text = render(spec)
        return [Diagram(f"{title} (links cut to fit)", text, len(spec.edges), size(text))]
    middle = len(ranked) // 2
    return [
        *_halves(builder, render, title, top, ranked[:middle]),
        *_halves(builder, render, title, top, ranked[middle:]),
    ]
