"""The plan an import makes, as plain data, shared by the two readers (`model`, `own`)
and the writer: what every goal's keys are called and in which order they are written."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
# A goal's keys in the order they are written, as a person reads them.
GOAL_ORDER = ("id", "title", "description", "owner", "supports", "period", "start", "due",
              "status", "perspective", "confidence", "commitment", "kpis", "depends_on",
              "tags")  # fmt: skip


@dataclass
class Imported:
    """The plan made, and what was said about the source on the way."""

    organization: dict[str, Any]
    periods: list[dict[str, Any]] = field(default_factory=list)
    objectives: list[dict[str, Any]] = field(default_factory=list)
    departments: dict[str, dict[str, Any]] = field(default_factory=dict)
    teams: dict[str, dict[str, Any]] = field(default_factory=dict)
    people: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # rows left out: SOURCE:ROW: why
    notes: list[str] = field(default_factory=list)  # what else is worth saying
