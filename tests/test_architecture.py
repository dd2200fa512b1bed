"""The shape of the code: import direction, and a light start-up path."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

SRC = ROOT / "src" / "cascade"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_nothing_imports_cli() -> None:
    for path in SRC.rglob("*.py"):
        if path.name not in ("__main__.py", "cli.py"):
            assert "cascade.cli" not in _imports(path), path


def test_report_and_render_never_import_each_other() -> None:
    for path in (SRC / "report").rglob("*.py"):
        assert not any(m.startswith("cascade.render") for m in _imports(path)), path
    for path in (SRC / "render").rglob("*.py") if (SRC / "render").exists() else []:
        assert not any(m.startswith("cascade.report") for m in _imports(path)), path


def test_lower_layers_do_not_import_upper_ones() -> None:
    layers = ["diagnostics", "yamlsrc", "model", "loader", "config", "graph", "progress"]
    for rank, name in enumerate(layers):
        above = {f"cascade.{upper}" for upper in layers[rank + 1 :]}
        above |= {"cascade.rules", "cascade.engine", "cascade.session", "cascade.commands"}
        assert not (_imports(SRC / f"{name}.py") & above), name


def test_version_does_not_import_heavy_modules() -> None:
    code = (
        "import sys; from cascade.cli import main; "
        "assert main(['--version']) == 0; "
        "print(sorted(m for m in ('networkx', 'jinja2', 'pydantic', 'rich') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert out.strip().splitlines()[-1] == "[]"
