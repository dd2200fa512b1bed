"""Fixtures shared by the export and import tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled example as a user unpacks it: plan, readings and pinned config."""
    root = tmp_path_factory.mktemp("example")
    shutil.copytree(ROOT / "plans", root / "plans")
    shutil.copytree(ROOT / "readings", root / "readings")
    shutil.copy(ROOT / "cascade.yaml", root / "cascade.yaml")
    return root
