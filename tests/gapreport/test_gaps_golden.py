"""The three formats of `cascade gaps` on the bundled plan at 2026-11-15, byte for byte
(UPDATE_GOLDEN=1 rewrites the files; read the diff before committing it)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

AS_OF = "2026-11-15"
Cascade = Callable[..., Result]

GOLDEN = Path(__file__).parent / "golden"
CASES = {
    "bundled.txt": ["--format", "text"],
    "bundled.md": ["--format", "markdown"],
    "bundled.json": ["--format", "json"],
    "sales-waived.txt": ["--unit", "sales", "--show-waived"],
    "sales-waived.md": ["--format", "markdown", "--unit", "sales", "--show-waived"],
    "sales-waived.json": ["--format", "json", "--unit", "sales", "--show-waived"],
    "owner-bob.md": ["--format", "markdown", "--owner", "bob"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_golden_file(name: str, in_repo: Path, cascade: Cascade) -> None:
    result = cascade("gaps", "plans", "--as-of", AS_OF, *CASES[name])
    assert result.exit_code == 0, result.output
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_bytes(result.stdout.encode("utf-8"))
    assert path.exists(), f"{name} is missing: run with UPDATE_GOLDEN=1 to write it"
    assert result.stdout == path.read_bytes().decode("utf-8")


def test_golden_files_all_belong_to_a_case() -> None:
    assert {path.name for path in GOLDEN.iterdir()} == set(CASES)


def test_output_is_identical_run_after_run(in_repo: Path, cascade: Cascade) -> None:
    for args in CASES.values():
        first = cascade("gaps", "plans", "--as-of", AS_OF, *args).stdout
        assert cascade("gaps", "plans", "--as-of", AS_OF, *args).stdout == first
