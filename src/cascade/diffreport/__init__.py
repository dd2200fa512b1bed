"""The `cascade diff` report: a data model built once (`model.build`) from two sides, then
rendered as text, Markdown or JSON, one renderer per format (as the gaps report is)."""

from __future__ import annotations

from typing import Protocol

from cascade.diffreport import json_render, markdown, plain
from cascade.diffreport.model import DiffReport, build

__all__ = ["RENDERERS", "DiffReport", "build"]


class Renderer(Protocol):
    def __call__(
        self, report: DiffReport, *, color: bool = ..., width: int | None = ..., quiet: bool = ...
    ) -> str: ...


RENDERERS: dict[str, Renderer] = {
    "text": plain.render,
    "markdown": markdown.render,
    "json": json_render.render,
}
