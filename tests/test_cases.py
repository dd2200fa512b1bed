"""Every folder in tests/cases is a plan with its expected findings (code file:line:col).

`expected.txt` holds a `select:` line (the rules the case is about) and one finding per
line; the case runs from its own folder, as a user in that repository would.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cascade.cli import app
from tests.conftest import AS_OF, CASES, update_golden

CASE_DIRS = sorted(p for p in CASES.iterdir() if (p / "expected.txt").exists())


def _read_expected(path: Path) -> tuple[str, list[str]]:
    select, findings = "", []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("select:"):
            select = line.removeprefix("select:").strip()
        elif line.strip() and not line.startswith("#"):
            findings.append(line.strip())
    return select, findings


def run_case(case: Path, *extra: str) -> tuple[int, list[dict[str, object]]]:
    select, _ = _read_expected(case / "expected.txt")
    old = Path.cwd()
    os.chdir(case)
    try:
        args = ["validate", "--format", "json", "--as-of", AS_OF, *extra]
        if select:
            args += ["--select", select]
        result = CliRunner().invoke(app, args)
    finally:
        os.chdir(old)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize("case", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_case(case: Path) -> None:
    expected_file = case / "expected.txt"
    select, expected = _read_expected(expected_file)
    code, findings = run_case(case)
    actual = [f"{f['rule']} {f['file']}:{f['line']}:{f['column']}" for f in findings]
    if update_golden():
        header = "# code file:line:col of each finding of `cascade validate --select ...`\n"
        body = "".join(f"{line}\n" for line in actual)
        expected_file.write_text(f"{header}select: {select}\n{body}", encoding="utf-8")
        return
    assert actual == expected
    has_errors = any(f["severity"] == "error" for f in findings)
    assert code == (1 if has_errors else 0)
    for finding in findings:  # every finding says how to fix it
        assert finding["hint"], finding


def test_every_case_folder_has_expectations() -> None:
    folders = sorted(p.name for p in CASES.iterdir() if p.is_dir())
    assert folders == [p.name for p in CASE_DIRS]


def test_plan_files_are_never_modified() -> None:
    before = {p: p.read_bytes() for p in CASES.rglob("*") if p.is_file()}
    for case in CASE_DIRS:
        run_case(case)
    after = {p: p.read_bytes() for p in CASES.rglob("*") if p.is_file()}
    assert before == after
