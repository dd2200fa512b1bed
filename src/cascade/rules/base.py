"""The rule registry: every rule's code, name, default severity, check and documentation,
and for a gap rule its rank in the gaps report, meeting question and turn in the helper.

A rule is a pure function of a `Context` yielding `Finding`s about ids and key paths;
the engine, not the rule, decides severity, selection, waivers and file positions.
"""

from __future__ import annotations

import datetime
import inspect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

from cascade.config import Config
from cascade.diagnostics import Location, RuleInfo, Severity
from cascade.graph import Hierarchy
from cascade.model import Origin, Plan
from cascade.progress import ProgressModel
from cascade.readings import Readings
from cascade.sources import ReadingsFile


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule found: about which item (id and origin), where inside it, and why."""

    subject: str | None
    message: str
    origin: Origin | None
    path: tuple[Any, ...] = ()
    key: bool = False  # point at the key of `path` rather than its value
    hint: str | None = None
    at: Location | None = None  # a place outside the plan files (a readings file's cell)


class Context:
    """Everything a rule may look at; the hierarchy and progress are built on first use."""

    def __init__(
        self,
        plan: Plan,
        config: Config,
        as_of: datetime.date,
        where: Callable[[Origin | None, tuple[Any, ...]], Location] | None = None,
        readings_files: Sequence[ReadingsFile] = (),
    ) -> None:
        self.plan = plan
        self.config = config
        self.as_of = as_of
        self._where = where
        self.readings_files = readings_files

    def where(self, origin: Origin | None, path: tuple[Any, ...] = ()) -> Location:
        """Where an item (or a key path inside it) is written, for messages that name
        another place (`file:line`) and for the exported tables' `file` and `line`."""
        if self._where is not None:
            return self._where(origin, path)
        return Location(origin.file if origin else "<plan>", 0, 0)

    @cached_property
    def hierarchy(self) -> Hierarchy:
        return Hierarchy(self.plan)

    @cached_property
    def readings(self) -> Readings:
        """Every KPI's readings, the readings files' among them (read once)."""
        return Readings(self.plan, self.readings_files)

    @cached_property
    def progress(self) -> ProgressModel:
        return ProgressModel(
            self.hierarchy,
            self.as_of,
            self.config.thresholds,
            self.config.alignment,
            self.readings,
        )


Check = Callable[[Context], Iterable[Finding]]


class GapFacts(Protocol):
    """What a meeting question may read of one gap (the gaps report's record of it)."""

    @property
    def rule(self) -> str: ...

    @property
    def subject(self) -> str | None: ...

    @property
    def kind(self) -> str | None: ...

    @property
    def title(self) -> str | None: ...

    @property
    def goal(self) -> str | None: ...

    @property
    def owner(self) -> str | None: ...

    @property
    def owner_name(self) -> str | None: ...

    @property
    def message(self) -> str: ...

    @property
    def detail(self) -> str: ...


class Asking(Protocol):
    """What a meeting question may look at besides its gap: the plan as judged, and what
    the report has seen (so that one root cause is asked once)."""

    hierarchy: Hierarchy
    progress: ProgressModel
    config: Config
    departments: list[str]  # the departments' labels, for "which department takes it on"

    def numbers(self, goal_id: str | None) -> str:
        """` (57% done, 87% expected)`, or nothing when either is unknown."""

    def first(self, key: str) -> bool:
        """True the first time `key` is asked about in this report, then False."""

    def gaps_of(self, rule: str) -> list[GapFacts]:
        """Every gap of `rule` in the report, most serious first."""


# A gap's meeting question, from the gap and how the report names its subject
# (`SALES-3 "Launch partner program"`); None: nothing more to ask (asked already).
Question = Callable[[Asking, GapFacts, str], str | None]


@dataclass(frozen=True)
class Rule:
    """A registered rule: everything cascade knows about it is declared with it.

    `check` is None for the loader's own codes (CAS001-CAS003). Gap rules (waivable, in
    the gaps report) carry their `rank` among the gaps of one severity (lower first: the
    kinds a planning meeting should see first), their meeting `question`, whether an info
    finding still deserves one (`ask_info`), and `helper`: their turn in the forked helper
    that takes the heavy progress and KPI rules off a big plan's main process.
    """

    code: str
    name: str
    severity: Severity
    summary: str
    check: Check | None
    doc: str
    gap: bool = False
    rank: int = 0
    question: Question | None = None
    ask_info: bool = False
    helper: int | None = None

    @property
    def info(self) -> RuleInfo:
        return RuleInfo(self.code, self.name, self.severity, self.summary)


REGISTRY: dict[str, Rule] = {}


def _register(check: Check | None, rule_: Rule) -> None:
    if rule_.code in REGISTRY or any(r.name == rule_.name for r in REGISTRY.values()):
        raise ValueError(f"rule {rule_.code} {rule_.name} registered twice")
    REGISTRY[rule_.code] = rule_


def rule(
    code: str, name: str, severity: Severity, summary: str, *, loader: bool = False
) -> Callable[[Check], Check]:
    """Register an error rule; its docstring is the rule's user documentation.

    `loader=True` documents a code the loader emits itself: the function never runs.
    """

    def register(check: Check) -> Check:
        doc = inspect.cleandoc(check.__doc__ or summary)
        _register(check, Rule(code, name, severity, summary, None if loader else check, doc))
        return check

    return register


def gap_rule(
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    *,
    rank: int,
    question: Question,
    ask_info: bool = False,
    helper: int | None = None,
) -> Callable[[Check], Check]:
    """Register a gap rule with its place in the gaps report and its meeting question."""

    def register(check: Check) -> Check:
        doc = inspect.cleandoc(check.__doc__ or summary)
        _register(
            check,
            Rule(code, name, severity, summary, check, doc, True, rank, question, ask_info, helper),
        )
        return check

    return register
