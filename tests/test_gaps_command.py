"""`cascade gaps` from the command line: exit codes, options, files, colour, and what the
bundled plan is meant to show."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cascade.cli import app
from tests.conftest import AS_OF, BUNDLED, CASES, ROOT

Cascade = Callable[..., Result]
ESC = "\x1b"


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repository root, so files show as `plans/...` and no config is found."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return ROOT


@pytest.fixture
def cascade() -> Cascade:
    """`cascade(*args)` runs the command line in-process."""

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(app, list(args))

    return invoke


# What the bundled example plan was written to show at 2026-11-15 (see its comments).
INTENDED = {
    ("CAS101", "OPS-3"),
    ("CAS103", "OBJ-4"),
    ("CAS105", "MATEO-1"),
    ("CAS106", "KA-2.nps"),
    ("CAS112", "DANA-1"),
    ("CAS113", "IS-2"),
    ("CAS114", "FLEET-1"),
    ("CAS115", "SALES-3.churn"),
    ("CAS115", "WH-1.pick-accuracy"),
    ("CAS116", "OBJ-4"),
    ("CAS118", "MARCUS-1"),
    ("CAS118", "NADIA-1"),
    ("CAS118", "PLAT-2"),
    ("CAS118", "RND-1"),
}


def gaps_json(cascade: Cascade, *args: str) -> dict[str, object]:
    result = cascade("gaps", "plans", "--as-of", AS_OF, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def found(data: dict[str, object]) -> set[tuple[str, str]]:
    groups = data["gaps_by_kind"]
    assert isinstance(groups, list)
    return {(gap["rule"], gap["subject"]) for group in groups for gap in group["gaps"]}


def test_bundled_plan_shows_exactly_its_intended_gaps(in_repo: Path, cascade: Cascade) -> None:
    data = gaps_json(cascade, "--show-waived")
    assert found(data) == INTENDED
    assert [(w["rule"], w["subject"], w["reason"][:11]) for w in data["waived"]] == [
        ("CAS105", "ALICE-1", "Measured th")
    ]
    assert data["counts"] == {"error": 0, "warning": 11, "info": 3, "waived": 1}


def test_validate_shows_the_gap_rules_without_failing(in_repo: Path, cascade: Cascade) -> None:
    result = cascade("validate", "plans", "--as-of", AS_OF, "-q")
    assert result.exit_code == 0
    shown = set(re.findall(r"\[(CAS\d{3}) [a-z-]+\] \w+ (\S+)", result.stdout))
    assert {rule for rule, _ in shown} == {rule for rule, _ in INTENDED}
    assert "ALICE-1" not in result.stdout  # waived
    assert cascade("validate", "plans", "--as-of", AS_OF, "--strict").exit_code == 1


def test_health_numbers_of_the_bundled_plan(in_repo: Path, cascade: Cascade) -> None:
    health = gaps_json(cascade)["health"]
    assert isinstance(health, dict)
    assert (health["objectives"]["count"], health["objectives"]["total"]) == (3, 4)
    assert (health["line_of_sight"]["count"], health["line_of_sight"]["total"]) == (37, 38)
    assert health["status"] == {"on_track": 38, "at_risk": 1, "off_track": 1, "unknown": 2}
    assert health["kpis_fresh"]["days"] == 45


def test_matrix_calls_out_the_objective_nobody_serves(in_repo: Path, cascade: Cascade) -> None:
    matrix = gaps_json(cascade)["matrix"]
    assert isinstance(matrix, dict)
    assert matrix["empty_objectives"] == ["OBJ-4"]
    assert matrix["empty_departments"] == []
    assert [d["id"] for d in matrix["departments"]] == [
        "marketing",
        "operations",
        "rnd",
        "sales",
        "exec",
    ]


def test_questions_name_the_goal_and_what_to_decide(in_repo: Path, cascade: Cascade) -> None:
    questions = [q["text"] for q in gaps_json(cascade)["questions"]]
    assert questions[0].startswith('Who owns OBJ-4 "Build a learning organisation')
    assert (
        "Marketing, Operations, Research & Development, Sales or Executive Office?"
        in (questions[0])
    )
    assert any(
        q.startswith('OPS-3 "Consolidate')
        and "which objective does it serve, or should it be dropped?" in q
        for q in questions
    )


def test_exit_1_with_errors_on_stderr_and_the_report_still_written(
    tmp_path: Path, cascade: Cascade, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.yaml").write_text(
        "objectives:\n"
        "  - {id: O1, title: Grow, owner: ann}\n"
        "departments:\n"
        "  - id: d\n"
        "    lead: ann\n"
        "    goals:\n"
        "      - {id: A, title: Loop, supports: B}\n"
        "      - {id: B, title: Loop, supports: A}\n"
        "      - {id: C, title: Typo, supports: O-1}\n"
        "people:\n"
        "  - {id: ann, department: d}\n",
        encoding="utf-8",
    )
    result = cascade("gaps", "plan.yaml", "--as-of", AS_OF, "-o", "out/report.md", "-f", "markdown")
    assert result.exit_code == 1
    assert "plan.yaml:7:" in result.stderr and "CAS006 cycle" in result.stderr
    assert "CAS005 unknown-reference" in result.stderr and "did you mean 'O1'" in result.stderr
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "the plan has 2 errors" in report
    assert "CAS103 unsupported-objective" in report  # the gaps are still reported


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--unit", "sale"],
            "--unit: 'sale' is not a department, team or person of the plan; did you mean 'sales'?",
        ),
        (["--unit", "IS-2"], "--unit: 'IS-2' is a goal, not a department, team or person"),
        (["--owner", "Bob"], "--owner: 'Bob' is not a person of the plan; did you mean 'bob'?"),
        (["--owner", "sales"], "--owner: 'sales' is not a person"),
    ],
)
def test_unknown_ids_are_one_line_errors(
    args: list[str], message: str, in_repo: Path, cascade: Cascade
) -> None:
    result = cascade("gaps", "plans", "--as-of", AS_OF, *args)
    assert result.exit_code == 2
    assert result.stderr == f"cascade: error: {message}\n"
    assert result.stdout == ""


def test_bad_format_and_missing_plan_exit_2(in_repo: Path, cascade: Cascade) -> None:
    assert cascade("gaps", "plans", "--format", "html").exit_code == 2
    assert cascade("gaps", "no-such-dir").exit_code == 2


def test_unit_filter_includes_the_units_below(in_repo: Path, cascade: Cascade) -> None:
    operations = found(gaps_json(cascade, "--unit", "operations"))
    assert operations == {
        ("CAS101", "OPS-3"),
        ("CAS115", "WH-1.pick-accuracy"),  # the warehouse team's KPI
        ("CAS114", "FLEET-1"),  # the fleet team's goal
        ("CAS118", "MARCUS-1"),  # the department's person's goal
    }
    assert found(gaps_json(cascade, "--unit", "fleet")) == {("CAS114", "FLEET-1")}
    assert found(gaps_json(cascade, "--unit", "mateo")) == {("CAS105", "MATEO-1")}


def test_owner_filter(in_repo: Path, cascade: Cascade) -> None:
    assert found(gaps_json(cascade, "--owner", "bob")) == {
        ("CAS106", "KA-2.nps"),
        ("CAS115", "SALES-3.churn"),
    }
    assert found(gaps_json(cascade, "--owner", "dana")) == {
        ("CAS103", "OBJ-4"),
        ("CAS116", "OBJ-4"),
        ("CAS112", "DANA-1"),
    }


def test_waived_gaps_are_counted_and_listed_only_on_request(
    in_repo: Path, cascade: Cascade
) -> None:
    plain = cascade("gaps", "plans", "--as-of", AS_OF).stdout
    assert "1 waived (`--show-waived` lists them)" in plain
    assert "ALICE-1" not in plain
    shown = cascade("gaps", "plans", "--as-of", AS_OF, "--show-waived").stdout
    assert "waived: Measured through KA-1's share-of-wallet KPI" in shown
    assert gaps_json(cascade)["waived"] == []


def test_output_file_is_written_whole_and_parents_created(
    in_repo: Path, cascade: Cascade, tmp_path: Path
) -> None:
    target = tmp_path / "deep" / "er" / "gaps.json"
    result = cascade("gaps", "plans", "--as-of", AS_OF, "-f", "json", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["as_of"] == AS_OF


def test_never_overwrites_a_plan_file(in_repo: Path, cascade: Cascade) -> None:
    before = (in_repo / "plans" / "organization.yaml").read_bytes()
    result = cascade("gaps", "plans", "-o", "plans/organization.yaml")
    assert result.exit_code == 2
    assert (in_repo / "plans" / "organization.yaml").read_bytes() == before


def test_no_escape_sequences_off_a_terminal(in_repo: Path, cascade: Cascade) -> None:
    for fmt in ("text", "markdown", "json"):
        assert ESC not in cascade("gaps", "plans", "--as-of", AS_OF, "-f", fmt).stdout


class _Terminal:
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_and_never_against_the_users_wish(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cascade.session import use_color

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr("sys.stdout", _Terminal())
    assert use_color(no_color=False)
    assert not use_color(no_color=True)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color(no_color=False)


def test_terminal_report_uses_colour_and_says_the_same(
    in_repo: Path, cascade: Cascade, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cascade.session.use_color", lambda no_color: not no_color)
    monkeypatch.setenv("COLUMNS", "120")
    coloured = cascade("gaps", "plans", "--as-of", AS_OF).stdout
    assert ESC in coloured
    visible = re.sub(r"\x1b\[[0-9;]*m", "", coloured)
    for needle in ("OBJ-4", "Build a learning", "plans/organization.yaml:165", "Ines Kowalski"):
        assert needle in visible
    assert "Questions for the meeting" in visible
    assert visible.rstrip().endswith("11 warnings, 3 info, 1 waived in 6 files")
    # -o writes plain text even from a terminal.
    plain = cascade("gaps", "plans", "--as-of", AS_OF, "-o", "-").stdout
    assert ESC not in plain


def test_quiet_drops_the_summary_line(in_repo: Path, cascade: Cascade) -> None:
    loud = cascade("gaps", "plans", "--as-of", AS_OF).stdout
    quiet = cascade("gaps", "plans", "--as-of", AS_OF, "-q").stdout
    assert loud.endswith("11 warnings, 3 info, 1 waived in 6 files\n")
    assert loud.startswith(quiet.rstrip("\n"))
    assert "in 6 files" not in quiet


def test_config_ignores_and_thresholds_apply(
    in_repo: Path, cascade: Cascade, tmp_path: Path
) -> None:
    config = tmp_path / "cascade.yaml"
    config.write_text(
        "rules:\n  ignore: [stale-kpi, CAS116]\nthresholds:\n  max_goals_per_owner: 3\n",
        encoding="utf-8",
    )
    data = gaps_json(cascade, "--config", str(config))
    rules = {rule for rule, _ in found(data)}
    assert "CAS115" not in rules and "CAS116" not in rules
    overloaded = {o["id"]: o["count"] for o in data["overloaded"]}
    assert overloaded["dana"] == 4 and "nadia" not in overloaded
    assert all(o["limit"] == 3 for o in data["overloaded"])


def test_waiving_a_goal_waives_its_kpis_and_is_counted(
    tmp_path: Path, cascade: Cascade, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.yaml").write_text(
        "organization: {name: Org, period: FY}\n"
        "periods: [{id: FY, start: 2026-01-01, end: 2026-12-31}]\n"
        "objectives:\n"
        "  - id: O1\n"
        "    title: Grow\n"
        "    owner: ann\n"
        "    assumptions: [Demand holds]\n"
        "    waive: {kpi-without-target: Set at the Q1 review, CAS115: Measured yearly}\n"
        "    kpis:\n"
        "      - {id: O1.nps, name: NPS, baseline: 40, current: 45, as_of: 2026-01-31}\n"
        "      - {id: O1.other, name: Other, baseline: 1}\n"
        "departments:\n"
        "  - id: d\n"
        "    lead: ann\n"
        "    goals:\n"
        "      - id: D1\n"
        "        title: Serve\n"
        "        supports: O1\n"
        "        waive: {orphan-goal: Not an orphan anyway}\n"
        "        kpis: [{name: Done, kind: milestone, done: true}]\n"
        "people:\n"
        "  - {id: ann, department: d}\n",
        encoding="utf-8",
    )
    result = cascade("gaps", "plan.yaml", "--as-of", AS_OF, "-f", "json", "--show-waived")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert found(data) == set()
    waived = sorted((w["rule"], w["subject"], w["reason"]) for w in data["waived"])
    assert waived == [
        ("CAS106", "O1.nps", "Set at the Q1 review"),
        ("CAS106", "O1.other", "Set at the Q1 review"),
        ("CAS115", "O1.nps", "Measured yearly"),
        ("CAS115", "O1.other", "Measured yearly"),
    ]
    assert data["counts"]["waived"] == 4
    validate = cascade("validate", "plan.yaml", "--as-of", AS_OF, "--strict")
    assert validate.exit_code == 0, validate.output


@pytest.fixture
def plan_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """`plan_here(text)`: run from a fresh folder whose `plans/plan.yaml` holds `text`."""

    def write(text: str) -> None:
        monkeypatch.chdir(tmp_path)
        (tmp_path / "plans").mkdir()
        (tmp_path / "plans" / "plan.yaml").write_text(text, encoding="utf-8")

    return write


def test_a_person_without_goals_is_asked_about_as_they(
    plan_here: Callable[[str], None], cascade: Cascade
) -> None:
    plan_here(
        "objectives: [{id: OBJ-1, title: Grow, owner: ann}]\n"
        "departments: [{id: eng, name: Engineering}]\n"
        "teams: [{id: ops, name: Ops, department: eng, lead: ann}]\n"
        "people: [{id: ann, name: Ann Lee, team: ops}, {id: bo, name: Bo Li, team: ops}]\n"
    )
    questions = [q["text"] for q in gaps_json(cascade)["questions"]]  # type: ignore[index]
    assert "What will Bo Li deliver this period? They have no active goal." in questions
    assert "What will Ops deliver this period? It has no active goal." in questions


def test_markdown_of_a_plan_without_gaps_keeps_its_headings_apart(
    cascade: Cascade, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(CASES / "clean-plan")
    result = cascade("gaps", "plans", "--as-of", AS_OF, "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert "No gaps found.\n\n## Gaps by unit" in result.stdout


def test_freshness_counts_only_the_kpis_stale_kpi_judges(
    plan_here: Callable[[str], None], cascade: Cascade
) -> None:
    plan_here(
        "organization: {name: R, vision: V, period: Y}\n"
        "periods: [{id: Y, start: 2026-01-01, end: 2026-12-31}]\n"
        "objectives:\n"
        "  - id: O1\n    title: Launch\n    owner: p\n    kpis:\n"
        "      - {name: Live, kind: milestone, done: false}\n"  # no date: not judged
        "      - {name: Users, baseline: 0, target: 10, current: 9, as_of: 2026-11-10}\n"
        "      - {name: Old, baseline: 0, target: 10, current: 9, as_of: 2026-01-10}\n"
        "people: [{id: p, name: P}]\n"
    )
    fresh = gaps_json(cascade)["health"]["kpis_fresh"]  # type: ignore[index]
    assert (fresh["count"], fresh["total"]) == (1, 2)  # the stale one is a finding


def test_the_gaps_report_and_the_map_show_one_matrix(tmp_path: Path, cascade: Cascade) -> None:
    # A team goal under a draft department goal reaches no objective in either of them.
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "objectives:\n  - {id: OBJ-1, title: o}\n  - {id: OBJ-2, title: p}\n"
        "departments:\n  - id: d\n    goals:\n"
        "      - {id: D-1, title: a, supports: OBJ-1, status: draft}\n"
        "      - {id: D-2, title: b, supports: OBJ-2}\n"
        "teams:\n  - id: t\n    department: d\n    goals:\n"
        "      - {id: T-1, title: c, supports: D-1}\n      - {id: T-2, title: e, supports: D-2}\n",
        encoding="utf-8",
    )
    for source in (BUNDLED, plan):
        report = json.loads(cascade("gaps", str(source), "--as-of", AS_OF, "-f", "json").stdout)
        view = json.loads(cascade("map", str(source), "--as-of", AS_OF, "-f", "json").stdout)
        counts = report["matrix"]
        objectives = [o["id"] for o in counts["objectives"]]
        from_report = {
            (department["id"], objective): counts["cells"][i][j]
            for i, objective in enumerate(objectives)
            for j, department in enumerate(counts["departments"])
        }
        from_map = {
            (row["department"], cell["objective"]): len(cell["goals"])
            for row in view["matrix"]["rows"]
            for cell in row["cells"]
        }
        assert from_report == from_map, source
    assert from_map == {("d", "OBJ-1"): 0, ("d", "OBJ-2"): 2}
