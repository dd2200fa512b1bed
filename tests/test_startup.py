"""Start-up stays light: `--version` before the CLI is imported, and a validate run that the
cache answers imports neither typer, pydantic, the models, the rules, networkx nor rich."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cascade.cli import app
from tests.conftest import AS_OF, BUNDLED, ROOT

PROBE = """
import sys
sys.argv = ["cascade", *{args!r}]
from cascade.__main__ import main
code = main()
heavy = ("typer", "pydantic", "yaml", "networkx", "rich", "cascade.model", "cascade.rules")
print(sorted(m for m in heavy if m in sys.modules), code, file=sys.stderr)
"""


def probe(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[str, str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        check=True,
    )
    return done.stdout, done.stderr.strip().splitlines()[-1]


def test_version_needs_no_cli() -> None:
    out, loaded = probe(["--version"], ROOT)
    assert out == CliRunner().invoke(app, ["--version"]).stdout
    assert loaded == "[] 0"


def test_a_cached_validate_run_stays_light(tmp_path: Path) -> None:
    import os

    env = {**os.environ, "CASCADE_CACHE_DIR": str(tmp_path / "cache")}
    args = ["validate", str(BUNDLED), "--as-of", AS_OF]
    first, _ = probe(args, ROOT, env)
    again, loaded = probe(args, ROOT, env)
    assert again == first
    for heavy in ("typer", "pydantic", "networkx", "rich", "cascade.model", "cascade.rules"):
        assert heavy not in loaded, loaded


def test_the_command_leaves_at_once_with_everything_said(monkeypatch: pytest.MonkeyPatch) -> None:
    # `python -m cascade` and the console script skip Python's slow tear-down: the
    # output must still be whole and the exit code the command's.
    args = ["validate", str(BUNDLED), "--as-of", AS_OF, "--strict"]
    done = subprocess.run(
        [sys.executable, "-m", "cascade", *args], capture_output=True, text=True, cwd=ROOT
    )
    monkeypatch.chdir(ROOT)  # the same folder as the subprocess: the same config
    expected = CliRunner().invoke(app, args)
    assert (done.returncode, done.stdout) == (1, expected.stdout)
    missing = subprocess.run(
        [sys.executable, "-m", "cascade", "validate", "no-such-plan"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert missing.returncode == 2
    assert missing.stderr == "cascade: error: plan path no-such-plan does not exist\n"
