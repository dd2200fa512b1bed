"""The `cascade diff` report: a data model built once (`model.build`) from two sides, then
rendered as text, Markdown or JSON, one renderer per format (as the gaps report is)."""

from __future__ import annotations

from typing import Protocol

from cascade.collector import collector_paused
from cascade.diffreport import json_render, markdown, plain
from cascade.diffreport.model import DiffReport, build
from cascade.sides import Side

__all__ = ["RENDERERS", "DiffReport", "build", "report"]


class Renderer(Protocol):
    def __call__(
        self, report: DiffReport, *, color: bool = ..., width: int | None = ..., quiet: bool = ...
    ) -> str: ...


RENDERERS: dict[str, Renderer] = {
    "text": plain.render,
    "markdown": markdown.render,
    "json": json_render.render,
}


def report(base: Side, head: Side, output_format: str) -> tuple[str, list[str]]:
    """The diff in `output_format`, and the levels (`error`, `warning`) at which it fails
    `--fail-on`; from the cache when the same two sides were compared before (the key
    holds everything the report depends on)."""
    cache = head.session.cache or base.session.cache
    key = cache.key("diff", base.fingerprint(), head.fingerprint(), output_format) if cache else ""
    found = cache.get("diff", key) if cache is not None else None
    if isinstance(found, dict) and isinstance(found.get("text"), str):
        failing = found.get("failing")
        if isinstance(failing, list) and all(isinstance(level, str) for level in failing):
            return found["text"], failing
    with collector_paused():
        made = build(base, head)
        text = RENDERERS[output_format](made)
    failing = [level for level in ("error", "warning") if made.failed(level)]
    if cache is not None:
        cache.put("diff", key, {"text": text, "failing": failing})
    return text, failing
