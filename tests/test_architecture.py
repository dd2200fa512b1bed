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


# The import contract, bottom to top (ARCHITECTURE.md says the same in words): a module
# imports only from layers below its own, or from its own package. Every import counts:
# at the top, inside functions, and the type-only ones.
LAYERS: list[set[str]] = [
    {"speed"},
    {"cascade", "diagnostics", "collector", "controls", "helper", "meter", "model"},
    {"errors", "result", "page", "page.*"},
    {"yamlsrc", "git"},
    {"yamlfast"},
    {"salvage"},
    {"cache"},
    {"sources"},
    {"loader"},
    {"config"},
    {"readings"},
    {"graph"},
    {"progress"},
    {"changes"},
    {"trace", "rules.base", "rules.common"},
    {"rules.*"},
    {"rules"},
    {"schema"},
    {"engine"},
    {"session"},
    {"sides"},
    {"history"},
    {"report", "report.*", "gapreport", "gapreport.*", "render", "render.*"},
    {"diffreport", "diffreport.*"},
    {"logreport", "logreport.*"},
    {"closereport", "closereport.*"},
    {"exporting", "exporting.*"},
    {"importing", "importing.*"},
    {"fastpath"},
    {"commands", "commands.*"},
    {"cli"},
    {"__main__"},
]


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts) or "cascade"] = path
    return found


def _layer(module: str) -> int:
    package = module.rsplit(".", 1)[0] + ".*" if "." in module else None
    for rank, names in enumerate(LAYERS):
        if module in names or (package in names and module not in _EXACT):
            return rank
    raise AssertionError(f"{module} is in no layer: add it to LAYERS and ARCHITECTURE.md")


_EXACT = {name for names in LAYERS for name in names if not name.endswith("*")}


def _edges() -> dict[str, set[str]]:
    modules = _modules()
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([p for p in [*up, base] if p and p != "cascade"])
                    base = f"cascade.{base}" if base else "cascade"
                targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            for target in targets:
                if target == "cascade" or target.startswith("cascade."):
                    short = target.removeprefix("cascade.") if target != "cascade" else "cascade"
                    if short in modules and short != name:
                        found.add(short)
                        break
        edges[name] = found
    return edges


def test_every_module_keeps_the_import_contract() -> None:
    broken = []
    for module, imports in _edges().items():
        for target in imports:
            same_package = module.split(".")[0] == target.split(".")[0] and "." in module + target
            if _layer(target) >= _layer(module) and not same_package:
                broken.append(f"{module} -> {target}")
    assert broken == []


def test_no_import_circles_remain() -> None:
    import networkx as nx

    graph: nx.DiGraph[str] = nx.DiGraph()
    for module, imports in _edges().items():
        graph.add_edges_from((module, target) for target in imports)
    assert [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1] == []


def test_only_the_commands_import_trace_and_schema() -> None:
    for module, imports in _edges().items():
        if not module.startswith("commands"):
            assert not imports & {"trace", "schema"}, module


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


def test_architecture_md_has_a_line_for_every_module() -> None:
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    missing = [
        path.relative_to(SRC).as_posix()
        for path in sorted(SRC.rglob("*.py"))
        if f"| `{path.relative_to(SRC).as_posix()}` |" not in text
    ]
    assert missing == []
