"""The `cascade log` report: the history of one item (`history.walk`), rendered as text,
Markdown or JSON, one renderer per format; a change reads as it does in `diff`."""

from __future__ import annotations

from collections.abc import Callable

from cascade.history import History
from cascade.logreport import json_render, markdown, plain

__all__ = ["RENDERERS"]

RENDERERS: dict[str, Callable[[History], str]] = {
    "text": plain.render,
    "markdown": markdown.render,
    "json": json_render.render,
}
