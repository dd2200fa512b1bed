"""`cascade trace`: every chain up to the vision, and plain words where a chain breaks."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cascade.cli import app, main
from cascade.config import Config
from cascade.graph import Hierarchy
from cascade.loader import load
from cascade.progress import ProgressModel
from tests.conftest import AS_OF, BUNDLED, ROOT, check_golden

FIXTURE = ROOT / "tests" / "fixtures" / "trace"
GOLDEN = ROOT / "tests" / "golden" / "trace"
TRACE_DATE = "2026-07-02"  # half-way through the fixture's FY2026


@pytest.fixture
def in_fixture(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURE)


def _trace(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["trace", *args, "--as-of", TRACE_DATE])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("ident", ["pat", "T-1", "floor", "OPS-3", "OPS-6", "T-2", "T-1.errors"])
@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.usefixtures("in_fixture")
def test_golden(ident: str, fmt: str) -> None:
    code, out, err = _trace(ident, "--format", fmt)
    # The fixture has a broken reference and a loop: the trace is still written, the
    # errors go to stderr, and the exit code says the plan is not clean.
    assert code == 1
    assert "CAS005" in err and "CAS006" in err
    assert "\x1b" not in out
    check_golden(GOLDEN / f"{ident}.{'txt' if fmt == 'text' else 'json'}", out)


@pytest.mark.usefixtures("in_fixture")
def test_every_kind_of_break_is_named() -> None:
    kinds = {}
    for ident in ("OPS-2", "OPS-3", "T-2", "T-1", "OPS-6"):
        _, out, _ = _trace(ident, "-f", "json")
        for goal in json.loads(out)["goals"]:
            for chain in goal["chains"]:
                if chain["broken"]:
                    kinds[chain["broken"]["kind"]] = chain["broken"]["message"]
    assert kinds["orphaned"].startswith("orphaned: OPS-2 supports no goal")
    assert kinds["unlinked"].startswith("unlinked: the chain ends at OPS-4")
    assert kinds["cycle"] == "broken by a loop: T-2 --> T-3 --> T-2"
    assert "T-1 supports OPS-5, a dropped goal" in kinds["inactive"]
    assert "OBJ-9" in kinds["unknown-reference"]


@pytest.mark.usefixtures("in_fixture")
def test_a_person_is_traced_through_every_goal_they_own_or_hold() -> None:
    _, out, _ = _trace("pat", "-f", "json")
    data = json.loads(out)
    assert data["kind"] == "person"
    # PAT-1 is written under pat; OPS-2 is a department goal that names pat as owner.
    assert [g["id"] for g in data["goals"]] == ["OPS-2", "PAT-1"]
    full = data["goals"][1]["chains"][0]
    assert [s["id"] for s in full["steps"]] == ["PAT-1", "T-1", "OPS-1", "OBJ-1"]
    assert full["reaches_vision"] is True
    assert [s["level"] for s in full["steps"]] == ["individual", "team", "department", "objective"]
    assert full["steps"][1]["owner"] == "tom"  # no owner: the team's lead
    assert full["steps"][0]["progress"] == 1.0 and full["steps"][0]["expected"] == 0.5


@pytest.mark.usefixtures("in_fixture")
def test_someone_without_goals() -> None:
    code, out, _ = _trace("nogoals")
    assert code == 1  # the fixture's errors
    assert out == "person nogoals (No Goals): 0 goals\nnogoals has no goals: nothing to trace\n"


@pytest.mark.parametrize(
    ("ident", "message"),
    [
        ("PAT-2", "did you mean 'PAT-1'?"),
        ("ops-1", "did you mean 'OPS-1'?"),
        ("FY2026", "is a period"),
        ("zzz", "unknown id 'zzz'"),
    ],
)
@pytest.mark.usefixtures("in_fixture")
def test_unknown_id_is_one_line_and_exit_2(
    ident: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["trace", ident]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cascade: error:"), captured.err
    assert message in lines[0]


def test_clean_plan_exits_0_and_reaches_the_vision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "a.yaml").write_text(
        "organization: {name: Co, vision: Be useful}\n"
        "objectives:\n  - {id: OBJ-1, title: Grow}\n"
        "departments:\n  - id: d\n    goals:\n      - {id: D-1, title: Sell, supports: OBJ-1}\n"
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["trace", "D-1", "--as-of", AS_OF, "--no-color"])
    assert result.exit_code == 0, result.output
    assert "chain 1 of 1: reaches the vision" in result.stdout
    assert result.stdout.splitlines()[-3].split() == ["vision", "Be", "useful"]
    assert result.stdout.endswith("1 goal, 1 chain: 1 reaches the vision\n")
    quiet = CliRunner().invoke(app, ["trace", "D-1", "-q"])
    assert "reaches the vision\n" not in quiet.stdout.splitlines()[-1]


def test_colour_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    from cascade.commands.trace import render_text
    from cascade.trace import Tracer

    monkeypatch.chdir(FIXTURE)
    from cascade.session import Session

    session = Session.open(None, None, None, quiet=True)
    session.run()
    context = session.context
    traced = Tracer(context.plan, context.hierarchy, context.progress).trace("T-1")
    assert "\x1b[" in render_text(traced, color=True, quiet=False)
    assert "\x1b" not in render_text(traced, color=False, quiet=False)


def test_bundled_plan_person_trace_is_deterministic() -> None:
    first = CliRunner().invoke(app, ["trace", "alice", str(BUNDLED), "--as-of", AS_OF])
    second = CliRunner().invoke(app, ["trace", "alice", str(BUNDLED), "--as-of", AS_OF])
    assert first.stdout == second.stdout
    assert "SALES-1" in first.stdout


def test_output_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURE)
    target = tmp_path / "out" / "trace.json"
    result = CliRunner().invoke(app, ["trace", "T-1", "-f", "json", "-o", str(target)])
    assert result.stdout == ""
    assert json.loads(target.read_text())["id"] == "T-1"


LOOPED = """\
organization: {name: R, vision: V, period: Y}
periods: [{id: Y, start: 2026-01-01, end: 2026-12-31}]
objectives:
  - {id: O1, title: O, kpis: [{name: k, baseline: 0, target: 10, current: 9}]}
departments:
  - id: d
    goals:
      - {id: A, title: a, supports: B, kpis: [{name: k, baseline: 0, target: 10, current: 8}]}
      - {id: B, title: b, supports: A, kpis: [{name: k, baseline: 0, target: 10, current: 2}]}
      - {id: C, title: c, supports: A, kpis: [{name: k, baseline: 0, target: 10, current: 9}]}
      - {id: E, title: e, supports: O1, kpis: [{name: k, baseline: 0, target: 10, current: 9}]}
"""


def test_progress_on_a_loop_is_the_same_in_trace_as_everywhere_else(tmp_path: Path) -> None:
    # A and B support each other: where the roll-up cuts the loop decided the numbers,
    # and trace, asking about its goal first, used to cut it elsewhere (B 52%, A 85%).
    plan = tmp_path / "plan.yaml"
    plan.write_text(LOOPED, encoding="utf-8")
    config = Config()
    model = ProgressModel(
        Hierarchy(load(plan).plan),
        datetime.date.fromisoformat(AS_OF),
        config.thresholds,
        config.alignment,
    )
    runner = CliRunner()
    shown = json.loads(
        runner.invoke(app, ["map", str(plan), "-f", "json", "--as-of", AS_OF]).stdout
    )
    on_map = {goal["id"]: goal["progress"] for goal in shown["goals"]}
    assert (on_map["A"], on_map["B"]) == (0.6333, 0.2)
    gaps = runner.invoke(app, ["gaps", str(plan), "--as-of", AS_OF, "-f", "markdown"]).stdout
    assert "63% done" in gaps and "20% done" in gaps
    for ident in ("B", "A", "C"):
        result = runner.invoke(app, ["trace", ident, str(plan), "-f", "json", "--as-of", AS_OF])
        chains = json.loads(result.stdout)["goals"][0]["chains"]
        steps = [step for chain in chains for step in chain["steps"]]
        assert steps
        for step in steps:
            wanted = model.progress(step["id"])
            assert wanted is not None
            assert step["progress"] == round(wanted, 4) == on_map[step["id"]], (ident, step)
