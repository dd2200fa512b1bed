"""The three formats of `cascade gaps` on the bundled plan at 2026-11-15, byte for byte
(UPDATE_GOLDEN=1 rewrites them; read the diff before committing it)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cascade.cli import app
from tests.conftest import AS_OF, ROOT, check_golden

GOLDEN = ROOT / "tests" / "golden" / "gaps"
CASES = {
    "bundled.txt": ["--format", "text"],
    "bundled.md": ["--format", "markdown"],
    "bundled.json": ["--format", "json"],
    "sales-waived.txt": ["--unit", "sales", "--show-waived"],
    "sales-waived.md": ["--format", "markdown", "--unit", "sales", "--show-waived"],
    "sales-waived.json": ["--format", "json", "--unit", "sales", "--show-waived"],
    "owner-bob.md": ["--format", "markdown", "--owner", "bob"],
}


def gaps(*args: str) -> str:
    result = CliRunner().invoke(app, ["gaps", "plans", "--as-of", AS_OF, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    # From the repository root files show as `plans/...`, and no cascade.yaml is found.
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_golden_file(name: str) -> None:
    check_golden(GOLDEN / name, gaps(*CASES[name]))


def test_golden_files_all_belong_to_a_case() -> None:
    assert {path.name for path in GOLDEN.iterdir()} == set(CASES)


def test_output_is_identical_run_after_run() -> None:
    for args in CASES.values():
        assert gaps(*args) == gaps(*args)
