"""A repository holding the bundled plan, then the same plan with one change of every kind
(`edits.py`), committed by two people on fixed dates."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cascade.cli import app
from tests.diff import edits
from tests.diff.gitrepo import CONFIG_AFTER, GitRepo


def build_reviewed(root: Path) -> GitRepo:
    repo = GitRepo(root).with_bundled_plan()
    repo.commit("The 2026 plan")
    edits.apply(root / "plans")
    repo.write("cascade.yaml", CONFIG_AFTER)
    repo.commit("Mid-year review", author="Bo Builder", date="2026-07-01T10:00:00+00:00")
    return repo


@pytest.fixture(scope="session")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> GitRepo:
    return build_reviewed(tmp_path_factory.mktemp("reviewed") / "repo")


def cascade(folder: Path, *args: str, code: int | None = 0) -> tuple[int, str, str]:
    """Run `cascade ARGS` in `folder`: (exit code, standard output, standard error)."""
    import os

    before = Path.cwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(app, list(args))
    finally:
        os.chdir(before)
    if code is not None:
        assert result.exit_code == code, result.output + result.stderr
    return result.exit_code, result.stdout, result.stderr
