"""Start-up cost: plain output never imports rich, and the CLI imports no report machinery
until a command needs it."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT


def _modules_after(code: str) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    script = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def test_plain_gaps_report_never_imports_rich() -> None:
    modules = _modules_after(
        "from cascade.cli import main\n"
        "import contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['gaps', 'plans', '--as-of', '2026-11-15'])"
    )
    assert "cascade.gapreport.plain" in modules
    assert not any(name == "rich" or name.startswith("rich.") for name in modules)


def test_loading_the_cli_imports_neither_networkx_nor_the_report() -> None:
    modules = _modules_after("import cascade.cli")
    for heavy in ("networkx", "rich", "cascade.gapreport"):
        assert heavy not in modules, heavy
