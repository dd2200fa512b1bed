"""Shared helpers for the gaps report tests: run `cascade` on the bundled plan at a fixed date."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cascade.cli import app

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-15"


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repository root, so files show as `plans/...` and no config is found."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return ROOT


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def cascade() -> Callable[..., Result]:
    """`cascade(*args)` runs the command line in-process and returns click's result."""
    return _invoke
