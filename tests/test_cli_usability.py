"""What makes the command line pleasant: examples in --help, errors that name the flag and
its accepted values, and shell completion through typer's own protocol."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from cascade.cli import app, main
from tests.conftest import ROOT

COMMANDS = sorted(command.name or "" for command in app.registered_commands)


def test_the_spec_commands_are_registered() -> None:
    assert {"validate", "init", "schema", "rules", "trace"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_has_an_example(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert f"Example: cascade {command}" in result.stdout
    assert "list[str]" not in result.stdout  # metavars read as words, not Python types


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_takes_the_shared_options(command: str) -> None:
    # --version is eager: the run stops there, after every option has been parsed.
    shared = ["--no-color", "-q", "--as-of", "2026-11-15", "--version"]
    result = CliRunner().invoke(app, [command, *shared])
    assert result.exit_code == 0, result.output


def test_the_command_list_says_each_summary_whole() -> None:
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "100"})
    listed = result.stdout.split("Commands:")[1]
    assert "..." not in listed and "…" not in listed
    for command in app.registered_commands:
        first = (command.callback.__doc__ or "").strip().split("\n\n")[0]
        assert "".join(first.split()) in "".join(listed.split()), command.name  # wrapped


@pytest.mark.parametrize("command", COMMANDS)
def test_every_help_lists_the_shared_options_and_says_what_they_do_here(command: str) -> None:
    text = " ".join(CliRunner().invoke(app, [command, "--help"]).stdout.split())
    for option in ("--as-of", "--no-color", "-q, --quiet", "--version"):
        assert option in text, (command, option)
    quiet = text.split("-q, --quiet")[1].split(" --")[0]
    if command not in ("validate", "gaps"):
        assert "findings" not in quiet, (command, quiet)  # there are none to show


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["trace", "X", "--format", "yaml"], ["--format", "'yaml'", "'text'", "'json'"]),
        (["rules", "--format", "html"], ["--format", "'text'", "'markdown'", "'json'"]),
        (["validate", "--format", "xml"], ["--format", "'sarif'", "'junit'"]),
        (["init", "--as-of", "tomorrow"], ["--as-of", "YYYY-MM-DD"]),
        (["schema", "--confg"], ["--confg", "--config"]),
        (["trace"], ["Missing argument 'ID'", "cascade trace --help"]),
    ],
)
def test_command_line_errors_name_the_flag_and_accepted_values(
    args: list[str], words: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cascade: error: "), captured.err
    for word in words:
        assert word in lines[0]
    assert "Value error" not in lines[0]


def test_show_completion_prints_a_script(monkeypatch: pytest.MonkeyPatch) -> None:
    # Name the shell rather than have typer look for it among the parent processes: a test
    # run started by no shell at all (a CI service, a background job) has none to find.
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = CliRunner().invoke(app, ["--show-completion", "bash"])
    assert result.exit_code == 0
    assert "_CASCADE_COMPLETE=complete_bash" in result.stdout
    assert "complete -o default -F _cascade_completion cascade" in result.stdout


def _complete(words: str) -> list[str]:
    """Ask for completions the way the bash script installed by --install-completion does."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "_CASCADE_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    done = subprocess.run(
        [sys.executable, "-m", "cascade"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,  # the bundled plan is the default plan there
    )
    return done.stdout.split()


def test_completion_through_main() -> None:
    assert "validate" in _complete("cascade va")
    assert set(_complete("cascade trace --format ")) == {"text", "json"}
    assert "cycle" in _complete("cascade rules cyc")
    assert "CAS006" in _complete("cascade rules CAS00")
    assert {"SALES-1", "SALES-2", "SALES-1.deal-size"} <= set(_complete("cascade trace SAL"))


def test_bare_cascade_shows_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Usage: cascade") and "cascade: error" not in err
