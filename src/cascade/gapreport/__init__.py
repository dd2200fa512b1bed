"""The `cascade gaps` report: a data model built once (`model.build`), then rendered as text,
Markdown or JSON. Separate from `report/`, which formats `validate`'s diagnostics."""

from __future__ import annotations

from typing import Protocol

from cascade.gapreport import json_render, markdown, text
from cascade.gapreport.model import GapReport, build

__all__ = ["RENDERERS", "GapReport", "build"]


class Renderer(Protocol):
    """A whole report as one string; `color` and `width` matter to text only."""

    def __call__(
        self, report: GapReport, *, color: bool = ..., width: int | None = ..., quiet: bool = ...
    ) -> str: ...


RENDERERS: dict[str, Renderer] = {
    "text": text.render,
    "markdown": markdown.render,
    "json": json_render.render,
}
