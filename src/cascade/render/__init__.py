"""Strategic maps: the view model rendered as Markdown, Mermaid, HTML or JSON.

Never imports `report`, and the other way round; jinja2 is imported only when rendering.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cascade.errors import CascadeError
from cascade.render.compact import is_compact
from cascade.render.layout import Scope
from cascade.render.mermaid import Diagram, Spec, diagrams
from cascade.render.view import MapView, ViewBuilder

if TYPE_CHECKING:
    from cascade.meter import Meter
    from cascade.result import Result
    from cascade.rules import Context

__all__ = ["FORMATS", "MapView", "Scope", "build", "format_for", "render"]

FORMATS = ("html", "markdown", "mermaid", "json")
SUFFIX_FORMATS = {
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
    ".json": "json",
}


def build(
    result: Result,
    context: Context,
    scope: Scope,
    *,
    fmt: str = "json",
    layout: str = "auto",
    meter: Meter | None = None,
) -> MapView:
    """The view model of the map. For an HTML page that will be packed (see `render`),
    each goal is packed as it is built and only what the page's template reads is kept:
    a big plan's records never all live at once."""
    builder = ViewBuilder.of(result, context, scope)
    if fmt == "html" and is_compact(builder.size, layout):
        from cascade.render.compact import Packer

        packer = Packer()
        view = builder.build(each=packer.add, meter=meter)
        view.packed = packer.finish(view)
        return view
    return builder.build(meter=meter)


def format_for(output: Path | None) -> str:
    """The format an output file's suffix asks for; Markdown when it has none. A suffix
    that names no format (`-o map.pdf`) is refused: writing Markdown into it would look
    like success."""
    if output is None or not output.suffix:
        return "markdown"
    found = SUFFIX_FORMATS.get(output.suffix.lower())
    if found is None:
        known = ", ".join(sorted(SUFFIX_FORMATS))
        raise CascadeError(
            f"-o {output}: the suffix {output.suffix} names no map format ({known}); "
            "say what to write with --format"
        )
    return found


def render(
    view: MapView,
    fmt: str,
    template_dir: Path | None = None,
    *,
    layout: str = "auto",
) -> tuple[str, list[Diagram]]:
    """The whole text of the map in `fmt`, and the Mermaid diagrams drawn (for notices).

    `layout` is how an HTML page holds its goals: `full` (every goal drawn, works
    without JavaScript), `compact` (packed data, drawn as it is opened) or `auto`
    (compact above `compact.FULL_LIMIT` goals); a view built packed is drawn packed.
    A template that fails (a user's, most likely) is a one-line error naming it.
    """
    if fmt == "json":
        return json.dumps(view.to_json(), indent=2, ensure_ascii=False) + "\n", []
    from cascade.render.env import template_error

    try:
        return _render(view, fmt, template_dir, layout)
    except Exception as exc:
        problem = template_error(exc)
        if problem is None:
            raise
        raise problem from None


def _render(
    view: MapView, fmt: str, template_dir: Path | None, layout: str
) -> tuple[str, list[Diagram]]:
    from cascade.render.env import environment

    env = environment(template_dir)
    if fmt == "html":
        template = env.get_template("map.html.j2")
        if view.packed is not None or is_compact(len(view.goals), layout):
            from cascade.render.compact import pack

            packed = view.packed if view.packed is not None else pack(view)
            page = template.render(view=view, index=None, packed=packed)
        else:
            page = template.render(view=view, index=search_index(view), packed=None)
        return page, []
    flowchart = env.get_template("mermaid.mmd.j2")

    def draw(spec: Spec) -> str:
        return _tidy(flowchart.render(diagram=spec))

    drawn = diagrams(view, draw)
    if fmt == "mermaid":
        return "\n".join(d.text for d in drawn), drawn
    text = env.get_template("map.md.j2").render(view=view, diagrams=drawn)
    return _tidy(text), drawn


_BLANK_RUN = re.compile(r"\n{3,}")


def _tidy(text: str) -> str:
    """No trailing spaces, at most one blank line in a row, one newline at the end."""
    # Line by line: a `[ \t]+$` pattern rescans every run of indentation from each of its
    # spaces, and the lists of a deep `supports` chain are indented by thousands of them.
    trimmed = "\n".join(line.rstrip(" \t") for line in text.split("\n"))
    return _BLANK_RUN.sub("\n\n", trimmed).strip("\n") + "\n"


def search_index(view: MapView) -> dict[str, Any]:
    """What the HTML map's script filters on, per goal: search text and facets."""
    goals: dict[str, Any] = {}
    for goal in view.goals:
        unit = view.units_by_id.get(goal.unit or "")
        words = [
            goal.id,
            goal.title,
            goal.description or "",
            goal.owner_name or "",
            goal.unit_name or "",
            unit.name if unit is not None else "",
            *(k.name for k in goal.kpis),
            *(k.id for k in goal.kpis),
            *goal.tags,
            *(i.title for i in goal.initiatives),
        ]
        homes = [goal.unit] if goal.unit else []
        while homes and (parent := view.units_by_id.get(homes[-1])) and parent.parent:
            if parent.parent in homes:
                break
            homes.append(parent.parent)
        if goal.department and goal.department not in homes:
            homes.append(goal.department)
        goals[goal.id] = {
            "text": " ".join(w for w in words if w),
            "units": homes,
            "owner": goal.owner or "",
            "state": goal.state,
        }
    return {"goals": goals}
