"""The `cascade close` report: a data model built once (`model.build`), rendered as text,
Markdown or JSON."""

from __future__ import annotations

from collections.abc import Callable

from cascade.closereport import json_render, markdown, plain
from cascade.closereport.model import CloseReport, build

__all__ = ["RENDERERS", "CloseReport", "build"]

RENDERERS: dict[str, Callable[[CloseReport], str]] = {
    "text": plain.render,
    "markdown": markdown.render,
    "json": json_render.render,
}
