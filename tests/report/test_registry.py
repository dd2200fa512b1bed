"""The format registry: the names the CLI offers, and an import that stays light."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cascade.report import REPORTERS


def test_every_format_of_the_spec_is_registered() -> None:
    assert set(REPORTERS) == {"text", "json", "github", "sarif", "junit"}


def test_import_is_light() -> None:
    src = Path(__file__).resolve().parents[2] / "src"
    code = (
        "import sys, cascade.report\n"
        "heavy = {'rich', 'yaml', 'pydantic', 'jinja2', 'xml.etree.ElementTree'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(src)}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
