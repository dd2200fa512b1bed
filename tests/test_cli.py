"""The validate command through typer's CliRunner: exit codes, options, outputs."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cascade import __version__
from cascade.cli import app, main
from tests.conftest import AS_OF, BUNDLED, CASES

BROKEN = CASES / "unknown-reference"
CLEAN = CASES / "clean-plan"


@pytest.fixture
def in_case(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def enter(case: Path) -> None:
        monkeypatch.chdir(case)

    return enter


def invoke(*args: str, env: dict[str, str] | None = None) -> object:
    return CliRunner().invoke(app, list(args), env=env)


def test_exit_0_on_a_clean_plan(runner: CliRunner, in_case) -> None:  # type: ignore[no-untyped-def]
    in_case(CLEAN)
    result = runner.invoke(app, ["validate", "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    assert result.stdout == "No problems found in 1 file\n"


def test_exit_1_on_errors_and_one_line_per_finding(runner: CliRunner, in_case) -> None:  # type: ignore[no-untyped-def]
    in_case(BROKEN)
    result = runner.invoke(app, ["validate", "--as-of", AS_OF])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[-1].startswith("10 errors")
    assert all(line.startswith("plans/a.yaml:") for line in lines[:-1])
    assert "\x1b" not in result.stdout  # not a terminal: no colour


def test_bundled_plan_has_no_errors(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", str(BUNDLED), "--as-of", AS_OF])
    assert result.exit_code == 0, result.stdout


def test_strict_fails_on_warnings(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "plans"
    plan.mkdir()
    (plan / "a.yaml").write_text("objectives:\n  - id: OBJ-1\n    title: Grow\n")
    (tmp_path / "cascade.yaml").write_text("rules:\n  severity: {level-inversion: warning}\n")
    (plan / "b.yaml").write_text(
        "departments:\n  - id: d\n    goals:\n      - {id: D-1, title: x, supports: OBJ-1}\n"
        "objectives:\n  - {id: OBJ-2, title: y, supports: D-1}\n"
    )
    monkeypatch.chdir(tmp_path)
    relaxed = runner.invoke(app, ["validate", "--select", "CAS007"])
    strict = runner.invoke(app, ["validate", "--select", "CAS007", "--strict"])
    assert "warning[CAS007 level-inversion]" in relaxed.stdout
    assert (relaxed.exit_code, strict.exit_code) == (0, 1)


def test_select_and_ignore_take_codes_and_names(runner: CliRunner, in_case) -> None:  # type: ignore[no-untyped-def]
    in_case(BROKEN)
    selected = runner.invoke(app, ["validate", "-f", "json", "--select", "unknown-reference"])
    assert {f["rule"] for f in json.loads(selected.stdout)} == {"CAS005"}
    ignored = runner.invoke(app, ["validate", "-f", "json", "--ignore", "CAS005,schema"])
    assert not {f["rule"] for f in json.loads(ignored.stdout)} & {"CAS005", "CAS002"}
    assert ignored.exit_code == 0  # what remains are gap warnings


def test_select_runs_a_rule_the_config_ignores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(BROKEN / "plans", tmp_path / "plans")
    (tmp_path / "cascade.yaml").write_text("rules:\n  ignore: [unknown-reference]\n")
    monkeypatch.chdir(tmp_path)
    quiet = invoke("validate", "-f", "json", "--as-of", AS_OF)
    assert "CAS005" not in {f["rule"] for f in json.loads(quiet.stdout)}  # type: ignore[attr-defined]
    asked = invoke("validate", "-f", "json", "--as-of", AS_OF, "--select", "unknown-reference")
    assert {f["rule"] for f in json.loads(asked.stdout)} == {"CAS005"}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate", "--select", "unknwn-reference"], "did you mean 'unknown-reference'"),
        (["validate", "--ignore", "CAS999"], "unknown rule 'CAS999'"),
        (["validate", "--format", "xml"], "--format"),
        (["validate", "--as-of", "15/11/2026"], "--as-of"),
        (["validate", "no/such/plan"], "does not exist"),
        (["validate", "--frobnicate"], "--frobnicate"),
    ],
)
def test_exit_2_with_one_line_error(
    args: list[str],
    message: str,
    in_case,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    in_case(CLEAN)
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cascade: error:"), captured.err
    assert message in lines[0]


def test_invalid_config_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(CLEAN / "plans", tmp_path / "plans")
    (tmp_path / "cascade.yaml").write_text("thresholds:\n  max_goals_per_owner: many\n")
    monkeypatch.chdir(tmp_path)
    assert main(["validate"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "cascade.yaml:2:" in err and "max_goals_per_owner" in err


def test_config_unknown_rule_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(CLEAN / "plans", tmp_path / "plans")
    (tmp_path / "cascade.yaml").write_text("rules:\n  ignore: [cycles]\n")
    monkeypatch.chdir(tmp_path)
    assert main(["validate"]) == 2
    assert "did you mean 'cycle'" in capsys.readouterr().err


def test_config_plans_setting_and_explicit_config(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(BROKEN / "plans", tmp_path / "strategy")
    (tmp_path / "cascade.yaml").write_text("plans: strategy\n")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")  # the config is found in a parent folder
    result = runner.invoke(app, ["validate", "-q"])
    assert result.exit_code == 1
    assert result.stdout.startswith("../strategy/a.yaml:") or "strategy/a.yaml" in result.stdout
    other = tmp_path / "other.yaml"
    other.write_text("rules:\n  ignore: [CAS005]\n")
    quiet = runner.invoke(app, ["validate", str(tmp_path / "strategy"), "--config", str(other)])
    assert quiet.exit_code == 0, quiet.stdout


def test_version(runner: CliRunner) -> None:
    for args in (["--version"], ["validate", "--version"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0
        assert result.stdout == f"cascade {__version__}\n"


def test_output_file_is_written_whole_and_parents_created(
    tmp_path: Path,
    runner: CliRunner,
    in_case,  # type: ignore[no-untyped-def]
) -> None:
    in_case(BROKEN)
    target = tmp_path / "reports" / "deep" / "cascade.sarif"
    result = runner.invoke(app, ["validate", "-f", "sarif", "-o", str(target)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert json.loads(target.read_text())["version"] == "2.1.0"
    assert [p.name for p in target.parent.iterdir()] == ["cascade.sarif"]  # no temp left


def test_output_never_overwrites_a_plan_file(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(CLEAN / "plans", tmp_path / "plans")
    monkeypatch.chdir(tmp_path)
    before = (tmp_path / "plans" / "a.yaml").read_bytes()
    result = runner.invoke(app, ["validate", "-o", "plans/a.yaml"])
    assert result.exit_code == 2
    assert (tmp_path / "plans" / "a.yaml").read_bytes() == before


@pytest.mark.parametrize(
    "command",
    [
        ["validate"],
        ["gaps"],
        ["map", "-f", "markdown"],
        ["schema"],
        ["schema", "--config"],
        ["rules"],
    ],
)
def test_output_never_lands_in_a_folder_linked_into_the_plan(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    shutil.copytree(CLEAN / "plans", tmp_path / "plans")
    (tmp_path / "shared-goals").mkdir()
    (tmp_path / "shared-goals" / "people.yaml").write_text("people: []\n", encoding="utf-8")
    (tmp_path / "plans" / "shared").symlink_to("../shared-goals")
    monkeypatch.chdir(tmp_path)
    for target in ("shared-goals/report.yaml", "plans/a.yaml", "shared-goals/people.yaml"):
        before = sorted(p.name for p in (tmp_path / "shared-goals").iterdir())
        result = runner.invoke(app, [*command, "-o", target])
        assert result.exit_code == 2, (target, result.output)
        assert "refusing to" in result.output
        assert sorted(p.name for p in (tmp_path / "shared-goals").iterdir()) == before
    assert runner.invoke(app, [*command, "-o", "out/report.yaml"]).exit_code in (0, 1)


def test_unwritable_output_is_exit_2(tmp_path: Path, runner: CliRunner, in_case) -> None:  # type: ignore[no-untyped-def]
    in_case(CLEAN)
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = runner.invoke(app, ["validate", "-o", str(blocker / "out.txt")])
    assert result.exit_code == 2
    assert "cannot write" in result.output


def test_colour_only_when_asked_and_allowed(in_case, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from cascade import session

    in_case(BROKEN)
    monkeypatch.setattr(session.sys.stdout, "isatty", lambda: True, raising=False)
    assert session.use_color(False) is True
    assert session.use_color(True) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert session.use_color(False) is False


def test_same_input_gives_identical_bytes(runner: CliRunner, in_case) -> None:  # type: ignore[no-untyped-def]
    in_case(BROKEN)
    for fmt in ("text", "json", "github", "sarif", "junit"):
        first = runner.invoke(app, ["validate", "-f", fmt, "--as-of", AS_OF]).stdout
        second = runner.invoke(app, ["validate", "-f", fmt, "--as-of", AS_OF]).stdout
        assert first == second and first


def test_empty_plan_directory_is_exit_2(tmp_path: Path, runner: CliRunner) -> None:
    (tmp_path / "plans").mkdir()
    result = runner.invoke(app, ["validate", str(tmp_path / "plans")])
    assert result.exit_code == 2
    assert "no plan files" in result.output


def test_quiet_drops_the_summary(runner: CliRunner, in_case) -> None:  # type: ignore[no-untyped-def]
    in_case(CLEAN)
    assert runner.invoke(app, ["validate", "-q"]).stdout == ""


def test_output_to_dev_stdout_is_standard_output(in_case) -> None:  # type: ignore[no-untyped-def]
    in_case(CLEAN)
    result = invoke("validate", "--as-of", AS_OF, "-o", "/dev/stdout")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert result.stdout.startswith("No problems found")  # type: ignore[attr-defined]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_output_to_a_pipe_writes_to_it_and_keeps_it(tmp_path: Path, in_case) -> None:  # type: ignore[no-untyped-def]
    import stat
    import threading

    pipe = tmp_path / "report.pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    in_case(CLEAN)
    result = invoke("validate", "--as-of", AS_OF, "-o", str(pipe))
    reader.join(10)
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert received == [b"No problems found in 1 file\n"]
    assert stat.S_ISFIFO(pipe.stat().st_mode)  # not replaced by a regular file


def test_output_is_never_a_new_plan_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(CLEAN / "plans", tmp_path / "plans")
    monkeypatch.chdir(tmp_path)
    refused = invoke("validate", "--as-of", AS_OF, "-f", "json", "-o", "plans/report.yaml")
    assert refused.exit_code == 2  # type: ignore[attr-defined]
    assert "refusing to write plans/report.yaml: the next run would read it as a plan file" in (
        refused.stderr  # type: ignore[attr-defined]
    )
    assert not (tmp_path / "plans" / "report.yaml").exists()
    fine = invoke("validate", "--as-of", AS_OF, "-f", "json", "-o", "plans/report.json")
    assert fine.exit_code == 0  # type: ignore[attr-defined]


def test_every_config_problem_is_reported_at_its_line_in_plain_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(CLEAN / "plans", tmp_path / "plans")
    (tmp_path / "cascade.yaml").write_text(
        "rules:\n"
        "  ignore: [level-skip, cycles]\n"
        "thresholds:\n"
        "  stale_after_day: 30\n"
        "  max_goals_per_owner: seven\n"
        "  stale_after: {weekly: 0}\n"
        "alignment:\n"
        "  rollup: kid\n"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["validate"]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "cascade.yaml:4:3: unknown field 'stale_after_day' (hint: did you mean "
        "'stale_after_days'?)",
        "cascade.yaml:5:24: max_goals_per_owner: expected a whole number, got 'seven' "
        "(hint: write a whole number such as 7)",
        "cascade.yaml:6:25: weekly: must be at least 1, got 0 (hint: use a number of at least 1)",
        "cascade.yaml:8:11: rollup: 'kid' is not one of kpis, children, both (hint: use one "
        "of: kpis, children, both)",
    ]
    assert not any("Input should" in line or "Extra inputs" in line for line in lines)


def test_unknown_rules_in_the_config_are_reported_where_they_are_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(CLEAN / "plans", tmp_path / "plans")
    (tmp_path / "cascade.yaml").write_text(
        "rules:\n  ignore: [level-skip, cycles]\n  severity: {goal-without-kpis: error}\n"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["gaps"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "cascade.yaml:2:24: unknown rule 'cycles' (hint: did you mean 'cycle'?)",
        "cascade.yaml:3:14: unknown rule 'goal-without-kpis' (hint: did you mean "
        "'goal-without-kpi'?)",
    ]


def test_the_config_as_of_pins_the_date_and_the_option_overrides_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(BUNDLED, tmp_path / "plans")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cascade.yaml").write_text(f"as_of: {AS_OF}\n")
    main(["gaps", "--format", "json", "--no-cache"])
    pinned = json.loads(capsys.readouterr().out)
    main(["gaps", "--format", "json", "--no-cache", "--as-of", "2026-03-01"])
    early = json.loads(capsys.readouterr().out)
    (tmp_path / "cascade.yaml").unlink()
    main(["gaps", "--format", "json", "--no-cache", "--as-of", AS_OF])
    assert pinned == json.loads(capsys.readouterr().out)
    assert early["as_of"] == "2026-03-01" and pinned["as_of"] == AS_OF


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGHUP"])
def test_a_stopping_signal_while_writing_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signal_name: str
) -> None:
    import signal

    from cascade import session

    def stopped_half_way(stream: object, text: str, size: int = 1) -> None:
        stream.write(text[:10])  # type: ignore[attr-defined]
        os.kill(os.getpid(), getattr(signal, signal_name))

    monkeypatch.setattr(session, "_write_chunks", stopped_half_way)
    shutil.copytree(CLEAN / "plans", tmp_path / "plans")
    monkeypatch.chdir(tmp_path)
    code = main(["map", "-o", "out/map.md", "--no-cache"])
    assert code == 128 + getattr(signal, signal_name)
    assert list((tmp_path / "out").iterdir()) == []
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
