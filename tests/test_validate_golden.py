"""Golden files: `cascade validate` in every format on a broken plan, byte for byte."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cascade.cli import app
from tests.conftest import AS_OF, CASES, ROOT, check_golden

FORMATS = {"text": "txt", "json": "json", "github": "txt", "sarif": "sarif", "junit": "xml"}
CASE = "unknown-reference"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_validate_golden(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASES / CASE)
    result = CliRunner().invoke(app, ["validate", "--format", fmt, "--as-of", AS_OF])
    assert result.exit_code == 1
    golden = ROOT / "tests" / "golden" / "validate" / f"{CASE}.{fmt}.{FORMATS[fmt]}"
    check_golden(golden, result.stdout)
