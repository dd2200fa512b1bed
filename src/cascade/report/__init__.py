"""Output formats of diagnostics, registered by name: text, json, github, sarif, junit.

Each format's module is imported when it is first asked for: a run answered from the
cache needs none of them, and a run needs only its own.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping

from cascade.report.base import Reporter, ReportOptions

__all__ = ["REPORTERS", "ReportOptions", "Reporter"]


class _Formats(Mapping[str, Reporter]):
    """Format name -> its `render`, importing the module on first use."""

    def __init__(self, modules: dict[str, str]) -> None:
        self._modules = modules

    def __getitem__(self, name: str) -> Reporter:
        module = importlib.import_module(f"cascade.report.{self._modules[name]}")
        render: Reporter = module.render
        return render

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __len__(self) -> int:
        return len(self._modules)


REPORTERS: Mapping[str, Reporter] = _Formats(
    {"text": "text", "json": "json_report", "github": "github", "sarif": "sarif", "junit": "junit"}
)
