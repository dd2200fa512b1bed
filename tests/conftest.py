"""Shared test helpers: paths, the CLI runner, and golden-file comparison."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"
BUNDLED = ROOT / "plans"
AS_OF = "2026-11-15"  # the date the bundled plan's check-ins were written for


def update_golden() -> bool:
    return os.environ.get("UPDATE_GOLDEN") == "1"


def check_golden(path: Path, actual: str) -> None:
    """Compare with a golden file byte for byte; UPDATE_GOLDEN=1 rewrites it."""
    if update_golden():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="")
        return
    assert path.exists(), f"missing golden file {path}; run with UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8"), f"output differs from {path}"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(autouse=True)
def _away_from_the_example(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test starts in an empty folder of its own, as a user in a repository of their
    own would: never under this repository's example config (its pinned date, its
    readings folder). A test about the bundled example changes to `ROOT` itself."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


@pytest.fixture(autouse=True)
def _cache_in_temp(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runs share one cache for the whole session, never the user's own cache folder."""
    monkeypatch.setenv("CASCADE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cascade-cache"))
