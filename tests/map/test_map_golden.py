"""Every map format of the bundled plan, byte for byte (UPDATE_GOLDEN=1 rewrites them)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from maphelp import AS_OF, BUNDLED, REPO, run

GOLDEN = Path(__file__).parent / "golden"
FORMATS = {"markdown": "md", "mermaid": "mmd", "json": "json", "html": "html"}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_bundled_plan_matches_golden_file(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # file names in findings are relative to the current directory
    result = run("map", "plans", "--format", fmt, "--as-of", AS_OF)
    assert result.code in (0, 1), result.stderr
    path = GOLDEN / f"bundled.{FORMATS[fmt]}"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_bytes(result.stdout.encode("utf-8"))
    assert path.exists(), f"{path.name} is missing: run with UPDATE_GOLDEN=1 to write it"
    assert result.stdout == path.read_bytes().decode("utf-8")


def test_golden_files_all_belong_to_a_format() -> None:
    assert {p.name for p in GOLDEN.iterdir()} == {f"bundled.{s}" for s in FORMATS.values()}


def test_bundled_plan_is_the_default_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    assert run("map", "--as-of", AS_OF).stdout == run("map", BUNDLED, "--as-of", AS_OF).stdout
