"""The README shows what cascade really does: its examples are checked against the real
commands, and its quick start against what CI runs."""

from __future__ import annotations

import datetime
import json
import re

from typer.testing import CliRunner

from cascade.cli import app
from cascade.commands.init import scaffold
from tests.conftest import AS_OF, BUNDLED, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(after: str) -> list[str]:
    """The fenced blocks of the README's section whose heading is `after`."""
    section = README.split(after, 1)[1].split("\n#", 1)[0]
    return re.findall(r"```[a-z]*\n(.*?)```", section, re.S)


def test_the_quick_start_installs_cascade_alone_then_the_test_extras() -> None:
    first, second = _blocks("## Quick start")[:2]
    assert ".[test]" not in first and "pip install -e ." in first
    assert "cascade validate plans/" in first
    assert '".[test]"' in second and second.strip().endswith("python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ".venv/bin/python -m pytest\n" in ci and ".venv/bin/cascade validate plans/" in ci


def test_the_trace_example_is_what_trace_prints() -> None:
    shown = _blocks("### trace")[1]
    result = CliRunner().invoke(app, ["trace", "SALES-1", str(BUNDLED), "--as-of", AS_OF])
    assert result.exit_code == 0
    assert shown == result.stdout


def test_the_vs_code_snippet_names_files_init_writes() -> None:
    snippet = next(b for b in _blocks("### schema") if "yaml.schemas" in b)
    named = set(json.loads(snippet)["yaml.schemas"])
    written = set(scaffold(datetime.date(2026, 11, 15)))
    assert {name.removeprefix("./") for name in named} <= written
