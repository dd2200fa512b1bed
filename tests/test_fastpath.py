"""`cascade validate` read without typer (`fastpath`) means what the typer CLI means: every
command line it takes is read as typer reads it, runs the same, and anything else it
leaves to typer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cascade import fastpath
from cascade.cli import app
from cascade.commands.validate import ValidateFormat
from cascade.fastpath import ValidateArgs
from tests.conftest import AS_OF, BUNDLED, CASES


def typer_reads(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> ValidateArgs | None:
    """What the typer command hands to `run_validate` for `argv`; None if it refuses it."""
    seen: list[ValidateArgs] = []

    def capture(args: ValidateArgs) -> int:
        seen.append(args)
        return 0

    with monkeypatch.context() as patch:
        patch.setattr(fastpath, "run_validate", capture)
        result = CliRunner().invoke(app, argv)
    if result.exit_code != 0 or not seen:
        return None
    return seen[0]


def test_formats_are_the_commands_formats() -> None:
    assert tuple(f.value for f in ValidateFormat) == fastpath.FORMATS


ACCEPTED = [
    ["validate"],
    ["validate", "plans"],
    ["validate", "plans", "--as-of", AS_OF],
    ["validate", "--as-of=2026-01-31", "plans/x.yaml"],
    ["validate", "--format", "github", "--strict", "-q"],
    ["validate", "-f", "sarif", "-o", "out/report.sarif", "--no-color"],
    ["validate", "--format=junit", "--output=report.xml", "--quiet", "--strict"],
    ["validate", "--select", "CAS101,orphan-goal", "--select", "CAS005", "--ignore=CAS107"],
    ["validate", "--config", "cfg/cascade.yaml", "--cache-dir", ".cache", "--no-cache"],
    ["validate", "--strict", "--strict", "plans", "-o", "a.txt", "-o", "b.txt"],
]


@pytest.mark.parametrize("argv", ACCEPTED, ids=" ".join)
def test_a_plain_command_line_is_read_as_typer_reads_it(
    argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    read = fastpath.parse(argv)
    assert read is not None
    assert read == typer_reads(argv, monkeypatch)


LEFT_TO_TYPER = [
    ["gaps"],
    ["validate", "--help"],
    ["validate", "--version"],
    ["validate", "-fjson"],  # a short option glued to its value
    ["validate", "--format", "yaml"],
    ["validate", "--format"],
    ["validate", "--as-of", "15/11/2026"],
    ["validate", "--as-of", "20261115"],  # ISO, but not the YYYY-MM-DD the option promises
    ["validate", "--as-of", "2026-W46-7"],
    ["validate", "--as-of", "2026-02-30"],
    ["validate", "--as-of="],
    ["validate", "plans", "more-plans"],
    ["validate", "--strict=true"],
    ["validate", "--", "plans"],
    ["validate", ""],
    ["validate", "-o", "-"],
    ["validate", "--output", "--strict"],
    ["validate", "--frmat", "json"],
    ["validate", "-qs"],
]


@pytest.mark.parametrize("argv", LEFT_TO_TYPER, ids=" ".join)
def test_anything_else_is_left_to_typer(argv: list[str]) -> None:
    assert fastpath.parse(argv) is None


def test_a_shell_asking_for_completions_is_left_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_CASCADE_COMPLETE", "complete_bash")
    assert fastpath.parse(["validate"]) is None


WORDS = [
    "plans",
    "x.yaml",
    "--format",
    "-f",
    "json",
    "text",
    "sarif",
    "--format=github",
    "--strict",
    "-q",
    "--quiet",
    "--no-color",
    "--no-cache",
    "--select",
    "--ignore=CAS101",
    "CAS101",
    "-o",
    "--output=r.txt",
    "--as-of",
    AS_OF,
    "--as-of=2026-02-30",
    "--config",
    "--cache-dir",
    "--help",
    "-x",
    "",
]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(words=st.lists(st.sampled_from(WORDS), max_size=7))
def test_whatever_it_takes_typer_takes_the_same_way(
    words: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    argv = ["validate", *words]
    read = fastpath.parse(argv)
    if read is not None:
        assert read == typer_reads(argv, monkeypatch)


def run_both(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[tuple[int | None, str, str], tuple[int, str, str]]:
    """(exit code, stdout, stderr) of `argv` through the fast path, then through typer."""
    capsys.readouterr()
    code = fastpath.main(argv)
    out, err = capsys.readouterr()
    result = CliRunner().invoke(app, argv)
    return (code, out, err), (result.exit_code, result.stdout, result.stderr)


RUNS = [
    ["validate", str(BUNDLED), "--as-of", AS_OF],
    ["validate", str(BUNDLED), "--as-of", AS_OF, "--strict", "--format", "json"],
    ["validate", str(BUNDLED), "--as-of", AS_OF, "-f", "github", "--select", "CAS105,CAS107"],
    ["validate", str(BUNDLED), "--as-of", AS_OF, "--format", "sarif", "--ignore", "CAS105"],
    ["validate", str(BUNDLED), "--as-of", AS_OF, "-q", "--no-cache", "--format", "junit"],
    ["validate", str(CASES / "unknown-reference" / "plans"), "--as-of", AS_OF],
    ["validate", str(CASES / "yaml-tab" / "plans"), "--as-of", AS_OF, "--no-cache"],
    ["validate", "no-such-plan"],
    ["validate", str(BUNDLED), "--select", "CAS999"],
    ["validate", str(BUNDLED), "--config", "no-such-config.yaml"],
]


@pytest.mark.parametrize("argv", RUNS, ids=lambda argv: " ".join(argv[2:]) or argv[1])
def test_it_runs_as_the_typer_command_runs(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    fast, full = run_both(argv, capsys)
    assert fast == full
    fast_again, _ = run_both(argv, capsys)  # now answered from the cache
    assert fast_again == full


def test_an_output_file_is_written_the_same(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "plans"
    shutil.copytree(BUNDLED, plan)
    monkeypatch.chdir(tmp_path)  # names in the report are relative to here
    argv = ["validate", "plans", "--as-of", AS_OF, "-f", "sarif", "-o", "out/fast.sarif"]
    assert fastpath.main(argv) == 0
    CliRunner().invoke(app, [*argv[:-1], "out/full.sarif"])
    assert (tmp_path / "out/fast.sarif").read_bytes() == (tmp_path / "out/full.sarif").read_bytes()
    fast, full = run_both(["validate", "plans", "-o", "plans/organization.yaml"], capsys)
    assert fast == full
    assert fast[0] == 2 and "refusing to overwrite" in fast[2]


def test_a_bug_is_one_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(args: ValidateArgs) -> int:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(fastpath, "run_validate", broken)
    assert fastpath.main(["validate"]) == 2
    assert capsys.readouterr().err == (
        "cascade: internal error: ZeroDivisionError: division by zero\n"
    )


@pytest.mark.parametrize("date", ["20261115", "2026-W46-7", "2026-11-15T00:00"])
def test_as_of_is_yyyy_mm_dd_only(date: str) -> None:
    result = CliRunner().invoke(app, ["validate", str(BUNDLED), "--as-of", date])
    assert result.exit_code == 2
    assert f"expected a date YYYY-MM-DD, got {date!r}" in result.stderr


def test_the_fast_reader_knows_exactly_the_options_of_the_typer_command() -> None:
    # One definition of each option: the fast path's table must be the typer command's,
    # name for name, flag for flag, so the two cannot drift apart unseen.
    import typer.main

    from cascade import fastpath
    from cascade.cli import app
    from cascade.commands.validate import ValidateFormat

    command = typer.main.get_command(app).commands["validate"]  # type: ignore[attr-defined]
    valued: dict[str, str] = {}
    flags: dict[str, str] = {}
    for param in command.params:
        if param.param_type_name != "option" or param.name in ("version", "help"):
            continue
        for opt in param.opts:
            (flags if param.is_flag else valued)[opt] = param.name
    assert valued == fastpath._VALUES
    assert flags == fastpath._FLAGS
    assert tuple(f.value for f in ValidateFormat) == fastpath.FORMATS
