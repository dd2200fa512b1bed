"""`cascade rules`: the rule reference, and the README's table generated from the registry."""

from __future__ import annotations

import json
import os
import re

import pytest
from typer.testing import CliRunner

from cascade.cli import app, main
from cascade.rules import all_rules, markdown_table
from tests.conftest import ROOT

README = ROOT / "README.md"
_TABLE = re.compile(r"(<!-- rules:start -->\n)(.*?)(<!-- rules:end -->)", re.DOTALL)


def test_readme_rule_table_matches_the_registry() -> None:
    """The README's table is generated: `UPDATE_README=1 pytest tests/test_rules_command.py`."""
    text = README.read_text(encoding="utf-8")
    match = _TABLE.search(text)
    assert match, "README.md lacks the <!-- rules:start --> ... <!-- rules:end --> markers"
    if os.environ.get("UPDATE_README") == "1":
        updated = text[: match.start(2)] + markdown_table() + text[match.end(2) :]
        README.write_text(updated, encoding="utf-8", newline="")
        return
    assert match.group(2) == markdown_table(), (
        "README.md's rule table differs from the registry; "
        "run `UPDATE_README=1 python -m pytest tests/test_rules_command.py`"
    )


def test_listing_names_every_rule_once() -> None:
    result = CliRunner().invoke(app, ["rules"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    for registered in all_rules():
        (line,) = [line for line in lines if line.startswith(registered.code + " ")]
        assert registered.name in line
        assert registered.severity.value in line
        assert registered.summary in line
    assert "\x1b" not in result.stdout


@pytest.mark.parametrize("key", ["CAS006", "cas006", "cycle", " Cycle "])
def test_one_rule_by_code_or_name_prints_its_docstring(key: str) -> None:
    result = CliRunner().invoke(app, ["rules", key])
    assert result.exit_code == 0, result.output
    cycle = next(r for r in all_rules() if r.code == "CAS006")
    assert result.stdout.startswith("CAS006 cycle\n")
    assert cycle.doc in result.stdout
    assert "default severity: error" in result.stdout


def test_every_rule_has_real_documentation() -> None:
    for registered in all_rules():
        result = CliRunner().invoke(app, ["rules", registered.name])
        assert result.exit_code == 0
        assert len(registered.doc) > len(registered.summary), registered.code
        assert registered.doc in result.stdout


def test_json_and_markdown_formats() -> None:
    runner = CliRunner()
    listed = json.loads(runner.invoke(app, ["rules", "--format", "json"]).stdout)
    assert [r["code"] for r in listed] == [r.code for r in all_rules()]
    assert set(listed[0]) >= {"code", "name", "severity", "summary", "waivable", "doc"}
    one = json.loads(runner.invoke(app, ["rules", "cycle", "-f", "json"]).stdout)
    assert one["code"] == "CAS006" and one["waivable"] is False
    assert runner.invoke(app, ["rules", "-f", "markdown"]).stdout == markdown_table()


@pytest.mark.parametrize(
    ("key", "hint"),
    [("cycel", "did you mean 'cycle'?"), ("CAS0066", "did you mean"), ("zzzz", "cascade rules")],
)
def test_unknown_rule_is_one_line_and_exit_2(
    key: str, hint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rules", key]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("cascade: error: unknown rule")
    assert hint in err
