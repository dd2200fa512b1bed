"""Strategic maps: the view model rendered as Markdown, Mermaid, HTML or JSON.

Never imports `report`, and the other way round; jinja2 is imported only when rendering.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from cascade.render.layout import Scope
from cascade.render.mermaid import Diagram, Spec, diagrams
from cascade.render.view import MapView, build

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


def format_for(output: Path | None) -> str:
    """The format an output file's suffix asks for; Markdown when it says nothing."""
    if output is None:
        return "markdown"
    return SUFFIX_FORMATS.get(output.suffix.lower(), "markdown")


def render(view: MapView, fmt: str, template_dir: Path | None = None) -> tuple[str, list[Diagram]]:
    """The whole text of the map in `fmt`, and the Mermaid diagrams drawn (for notices).

    A template that fails (a user's, most likely) is a one-line error naming it.
    """
    if fmt == "json":
        return json.dumps(view.to_json(), indent=2, ensure_ascii=False) + "\n", []
    import jinja2

    from cascade.render.env import template_error

    try:
        return _render(view, fmt, template_dir)
    except jinja2.TemplateError as exc:
        raise template_error(exc) from None


def _render(view: MapView, fmt: str, template_dir: Path | None) -> tuple[str, list[Diagram]]:
    from cascade.render.env import environment

    env = environment(template_dir)
    if fmt == "html":
        page = env.get_template("map.html.j2").render(view=view, index=search_index(view))
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
_TRAILING = re.compile(r"[ \t]+$", re.MULTILINE)


def _tidy(text: str) -> str:
    """No trailing spaces, at most one blank line in a row, one newline at the end."""
    return _BLANK_RUN.sub("\n\n", _TRAILING.sub("", text)).strip("\n") + "\n"


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
