"""Fixtures of the map tests (the helpers themselves are in maphelp.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from maphelp import SMALL, write


@pytest.fixture
def small_plan(tmp_path: Path) -> Path:
    return write(tmp_path / "plans", SMALL)
