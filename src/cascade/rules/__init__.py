"""The rule registry: every rule's code, name, default severity, check and documentation.

A rule is a pure function of a `Context` yielding `Finding`s about ids and key paths;
the engine, not the rule, decides severity, selection, waivers and file positions.
"""

from __future__ import annotations

import datetime
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from cascade.config import Config
from cascade.diagnostics import Location, RuleInfo, Severity
from cascade.graph import Hierarchy
from cascade.model import Origin, Plan
from cascade.progress import ProgressModel


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule found: about which item (id and origin), where inside it, and why."""

    subject: str | None
    message: str
    origin: Origin | None
    path: tuple[Any, ...] = ()
    key: bool = False  # point at the key of `path` rather than its value
    hint: str | None = None


class Context:
    """Everything a rule may look at; the hierarchy and progress are built on first use."""

    def __init__(
        self,
        plan: Plan,
        config: Config,
        as_of: datetime.date,
        where: Callable[[Origin | None], Location] | None = None,
    ) -> None:
        self.plan = plan
        self.config = config
        self.as_of = as_of
        self._where = where

    def where(self, origin: Origin | None) -> Location:
        """Where an item is written, for messages that name another place (`file:line`)."""
        if self._where is not None:
            return self._where(origin)
        return Location(origin.file if origin else "<plan>", 0, 0)

    @cached_property
    def hierarchy(self) -> Hierarchy:
        return Hierarchy(self.plan)

    @cached_property
    def progress(self) -> ProgressModel:
        return ProgressModel(
            self.hierarchy, self.as_of, self.config.thresholds, self.config.alignment
        )


Check = Callable[[Context], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """A registered rule. `check` is None for the loader's own codes (CAS001-CAS003)."""

    code: str
    name: str
    severity: Severity
    summary: str
    check: Check | None
    doc: str
    gap: bool  # gap rules (CAS1xx) can be waived on a goal; errors cannot

    @property
    def info(self) -> RuleInfo:
        return RuleInfo(self.code, self.name, self.severity, self.summary)


REGISTRY: dict[str, Rule] = {}


def rule(
    code: str, name: str, severity: Severity, summary: str, *, loader: bool = False
) -> Callable[[Check], Check]:
    """Register a check; its docstring is the rule's user documentation.

    `loader=True` documents a code the loader emits itself: the function never runs.
    """

    def register(check: Check) -> Check:
        if code in REGISTRY or any(r.name == name for r in REGISTRY.values()):
            raise ValueError(f"rule {code} {name} registered twice")
        doc = inspect.cleandoc(check.__doc__ or summary)
        gap = code >= "CAS100"
        REGISTRY[code] = Rule(code, name, severity, summary, None if loader else check, doc, gap)
        return check

    return register


def all_rules() -> list[Rule]:
    """Every rule, sorted by code (imports the rule modules on first call)."""
    from cascade.rules import alignment, kpis, loading, ownership, planning, structure, timing

    del alignment, kpis, loading, ownership, planning, structure, timing
    return [REGISTRY[code] for code in sorted(REGISTRY)]


def find_rule(code_or_name: str) -> Rule | None:
    """A rule by code (case-insensitive) or name."""
    wanted = code_or_name.strip()
    for registered in all_rules():
        if wanted.upper() == registered.code or wanted.lower() == registered.name:
            return registered
    return None


def markdown_table() -> str:
    """The rule reference as a Markdown table (the README's table is checked against it)."""
    lines = ["| code | name | default | fires when |", "|---|---|---|---|"]
    for registered in all_rules():
        lines.append(
            f"| {registered.code} | {registered.name} | {registered.severity.value} "
            f"| {registered.summary} |"
        )
    return "\n".join(lines) + "\n"
