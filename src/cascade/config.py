"""`cascade.yaml`: where the plan lives, which rules run at what severity, and thresholds.

Read with the same safe YAML reader as plans. A config that cannot be used stops the run
(exit 2) with every problem at once, each at `cascade.yaml:LINE:COL` in the words a plan's
schema errors use.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from cascade.errors import ConfigError
from cascade.sources import (  # noqa: F401  (find_config, CONFIG_NAME: re-exported)
    CONFIG_NAME,
    config_path,
    display_path,
    find_config,
    plan_root,
    read_config,
)
from cascade.yamlsrc import Document, locate


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class RulesConfig(_Strict):
    """Rule selection: codes or names switched off, and severities raised or lowered."""

    model_config = ConfigDict(title="rules")

    ignore: list[str] = Field(
        default_factory=list,
        description="Rule codes or names switched off (`cascade rules` lists them).",
        examples=[["level-skip"]],
    )
    severity: dict[str, Literal["error", "warning", "info"]] = Field(
        default_factory=dict,
        description="A rule code or name -> error, warning or info: raise or lower its level.",
        examples=[{"goal-without-kpi": "error"}],
    )


class AlignmentConfig(_Strict):
    """How goals link up and how progress rolls up."""

    model_config = ConfigDict(title="alignment")

    single_parent: bool = Field(
        default=False,
        description="true: a goal may support only one goal (CAS009).",
        examples=[True],
    )
    rollup: Literal["kpis", "children", "both"] = Field(
        default="both",
        description="A goal's progress from its own KPIs, its children, or both.",
        examples=["kpis"],
    )


class StaleAfter(_Strict):
    """How old a KPI's latest reading may be, in days, by how often it is measured."""

    model_config = ConfigDict(title="stale_after")

    weekly: int = Field(default=10, ge=1, description="Days, for a weekly KPI.", examples=[14])
    monthly: int = Field(default=38, ge=1, description="Days, for a monthly KPI.", examples=[45])
    quarterly: int = Field(
        default=100, ge=1, description="Days, for a quarterly KPI.", examples=[120]
    )
    yearly: int = Field(default=380, ge=1, description="Days, for a yearly KPI.", examples=[400])

    def days(self, frequency: str) -> int:
        value: int = getattr(self, frequency)
        return value


class Thresholds(_Strict):
    """The numbers behind the gap rules."""

    model_config = ConfigDict(title="thresholds")

    max_goals_per_owner: int = Field(
        default=7,
        ge=1,
        description="An owner or unit with more active goals than this is flagged "
        "(CAS110; EOS: at most seven Rocks).",
        examples=[5],
    )
    stale_after_days: int = Field(
        default=45,
        ge=1,
        description="A KPI without a `frequency` measured longer ago than this is stale (CAS115).",
        examples=[30],
    )
    stale_after: StaleAfter = Field(
        default_factory=lambda: StaleAfter(),
        description="Days after which a KPI of each `frequency` is stale (CAS115); a "
        "frequency not named keeps its default.",
        examples=[{"weekly": 10, "monthly": 38, "quarterly": 100, "yearly": 380}],
    )
    at_risk_margin: float = Field(
        default=0.1,
        ge=0,
        le=1,
        description="Behind expected progress by more than this: at risk (CAS114).",
        examples=[0.15],
    )
    off_track_margin: float = Field(
        default=0.25,
        ge=0,
        le=1,
        description="Behind expected progress by more than this: off track (CAS113); "
        "not below `at_risk_margin`.",
        examples=[0.3],
    )

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.at_risk_margin > self.off_track_margin:
            raise ValueError("at_risk_margin must not exceed off_track_margin")
        return self


Band = tuple[float, float]


class CloseBands(_Strict):
    """Where `cascade close` grades a score `met` and `partial`, by commitment."""

    model_config = ConfigDict(title="close")

    committed: Band = Field(
        default=(1.0, 0.7),
        description="[met, partial] for committed goals: met from the first, partial from "
        "the second.",
        examples=[[1.0, 0.7]],
    )
    aspirational: Band = Field(
        default=(0.7, 0.4),
        description="[met, partial] for aspirational goals.",
        examples=[[0.7, 0.4]],
    )

    @model_validator(mode="after")
    def _ordered(self) -> CloseBands:
        for name in ("committed", "aspirational"):
            met, partial = getattr(self, name)
            if not 0 <= partial <= met <= 1:
                raise ValueError(f"{name}: [met, partial] must be 0 <= partial <= met <= 1")
        return self


class ConfigFile(_Strict):
    """The whole of `cascade.yaml`; every key is optional."""

    model_config = ConfigDict(title="cascade.yaml")

    schema_: str | None = Field(
        default=None,
        alias="$schema",
        title="$schema",
        description="The JSON Schema for editors; ignored by cascade.",
        examples=["cascade.config.schema.json"],
    )
    plans: str | None = Field(
        default=None,
        description="The plan directory or file, relative to this file (default: plans/).",
        examples=["plans/"],
    )
    rules: RulesConfig = Field(
        default_factory=RulesConfig,
        description="Which rules run, and at what severity.",
        examples=[{"ignore": ["level-skip"], "severity": {"goal-without-kpi": "error"}}],
    )
    alignment: AlignmentConfig = Field(
        default_factory=AlignmentConfig,
        description="Whether a goal may support several goals, and where a goal's progress "
        "comes from.",
        examples=[{"single_parent": False, "rollup": "both"}],
    )
    thresholds: Thresholds = Field(
        default_factory=Thresholds,
        description="Limits and margins: goals per owner, KPI staleness, at risk and off track.",
        examples=[{"max_goals_per_owner": 7, "stale_after_days": 45}],
    )
    readings: str | None = Field(
        default=None,
        description="The folder of CSV files of KPI readings, relative to this file "
        "(default: readings/).",
        examples=["readings/"],
    )
    close: CloseBands = Field(
        default_factory=lambda: CloseBands(),
        description="The grade bands of `cascade close`, [met, partial], by commitment.",
        examples=[{"committed": [1.0, 0.7], "aspirational": [0.7, 0.4]}],
    )
    as_of: datetime.date | None = Field(
        default=None,
        description="The date used when `--as-of` is not given (default: today): for an "
        "example or a training plan that must not age.",
        examples=["2026-11-30"],
    )


@dataclass
class Config:
    """The effective configuration: the file's settings and where it was found."""

    settings: ConfigFile = field(default_factory=ConfigFile)
    path: Path | None = None
    document: Document | None = None  # where each setting is written

    def where(self, *path: Any, key: bool = False) -> str:
        """`cascade.yaml:LINE:COL` of a setting (of its key with `key`), for a problem."""
        file = display_path(self.path) if self.path else "cascade.yaml"
        if self.document is None or self.document.pos is None:
            return f"{file}:1:1"
        line, column = locate(self.document.pos, path, key=key)
        return f"{file}:{line}:{column}"

    @property
    def thresholds(self) -> Thresholds:
        return self.settings.thresholds

    @property
    def alignment(self) -> AlignmentConfig:
        return self.settings.alignment

    def plan_path(self) -> Path:
        """The config's `plans` (relative to the config file), else `./plans`."""
        return plan_root(self.path, self.settings.plans)


def load_config(explicit: Path | None, document: Document | None = None) -> Config:
    """Read the given config, else the nearest one; raise `CascadeError` when it is bad.

    `document` is the config already read by `sources.read_config`, to read it only once.
    """
    path = config_path(explicit)
    if path is None:
        return Config()
    if document is None:
        document = read_config(path)
    return config_of(document, path)


def config_of(document: Document, path: Path) -> Config:
    """The config a read `cascade.yaml` holds (from disk, or from a revision: `path` then
    names it for messages); `CascadeError` when it is invalid."""
    data: Any = document.data if document.data is not None else {}
    try:
        settings = ConfigFile.model_validate(data)
    except ValidationError as exc:
        from cascade.loader import schema_diagnostic  # the plan models: only for a bad config

        assert document.pos is not None  # data that fails validation was read from the file
        file = display_path(path)
        found = [
            schema_diagnostic(problem, data, document.pos, file, root=ConfigFile)
            for problem in exc.errors(include_url=False)
        ]
        raise ConfigError.of(found) from None
    return Config(settings, path, document)
