"""`cascade map` from the command line: formats, scope options, errors, exit codes, files."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from maphelp import AS_OF, BUNDLED, REPO, map_json, run, write


def test_markdown_to_stdout_by_default(small_plan: Path) -> None:
    result = run("map", small_plan, "--as-of", AS_OF)
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("# Acme — strategic map\n")
    assert "```mermaid\n%% Acme\nflowchart BT\n" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("name", "marker"),
    [
        ("map.html", "<!doctype html>"),
        ("map.HTM", "<!doctype html>"),
        ("map.md", "# Acme — strategic map"),
        ("map.markdown", "# Acme — strategic map"),
        ("map.mmd", "%% Acme\nflowchart BT"),
        ("map.mermaid", "%% Acme\nflowchart BT"),
        ("map.json", '{\n  "version": 1,'),
        ("MAP", "# Acme — strategic map"),
    ],
)
def test_format_follows_the_output_suffix(
    small_plan: Path, tmp_path: Path, name: str, marker: str
) -> None:
    target = tmp_path / "out" / "deeper" / name  # -o creates missing folders
    result = run("map", small_plan, "--as-of", AS_OF, "-o", target)
    assert result.code == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith(marker)
    assert result.stdout == ""


def test_format_option_beats_the_suffix(small_plan: Path, tmp_path: Path) -> None:
    target = tmp_path / "map.html"
    assert run("map", small_plan, "-f", "json", "-o", target).code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["version"] == 1


def test_output_is_byte_identical_run_to_run() -> None:
    for fmt in ("markdown", "mermaid", "json", "html"):
        first = run("map", BUNDLED, "--as-of", AS_OF, "--format", fmt).stdout
        second = run("map", BUNDLED, "--as-of", AS_OF, "--format", fmt).stdout
        assert first == second, fmt
        assert len(first) > 1000


def test_written_map_is_readable_by_others(small_plan: Path, tmp_path: Path) -> None:
    # A map is often served by a web server: not the private 0600 of a temporary file.
    target = tmp_path / "map.html"
    old = os.umask(0o022)
    try:
        assert run("map", small_plan, "-o", target).code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_as_of_moves_expected_progress(small_plan: Path) -> None:
    early = map_json(small_plan, "--as-of", "2026-02-01")
    late = map_json(small_plan, "--as-of", "2026-12-01")
    expected = {g["id"]: g["expected"] for g in early["goals"]}  # type: ignore[index, union-attr]
    later = {g["id"]: g["expected"] for g in late["goals"]}  # type: ignore[index, union-attr]
    assert expected["OBJ-1"] < later["OBJ-1"]
    assert early["as_of"] == "2026-02-01"


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--root", "S-9", "--root: no goal has the id 'S-9'; did you mean 'S-"),
        ("--root", "obj-1", "--root: no goal has the id 'obj-1'; did you mean 'OBJ-1'?"),
        ("--root", "sales", "--root: 'sales' is a unit, not a goal; use --unit sales"),
        ("--root", "OBJ-1.rev", "--root: 'OBJ-1.rev' is a KPI; its goal is 'OBJ-1'"),
        ("--unit", "sale", "--unit: no department, team or person has the id 'sale'; did you mean"),
        ("--unit", "S-1", "--unit: 'S-1' is a goal, not a unit; use --root S-1"),
    ],
)
def test_unknown_scope_id_is_one_line_and_exit_2(
    small_plan: Path, option: str, value: str, message: str
) -> None:
    result = run("map", small_plan, option, value)
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"cascade: error: {message}")
    assert result.stderr.count("\n") == 1


def test_unknown_scope_id_writes_no_file(small_plan: Path, tmp_path: Path) -> None:
    target = tmp_path / "map.html"
    assert run("map", small_plan, "--root", "NOPE", "-o", target).code == 2
    assert not target.exists()


def test_negative_depth_is_a_usage_error(small_plan: Path) -> None:
    result = run("map", small_plan, "--depth", "-1")
    assert result.code == 2
    assert "--depth" in result.stderr


def test_missing_template_dir_is_exit_2(small_plan: Path, tmp_path: Path) -> None:
    result = run("map", small_plan, "--template-dir", tmp_path / "nowhere")
    assert result.code == 2
    assert "--template-dir" in result.stderr


@pytest.mark.parametrize(
    ("template", "said"),
    [
        ('# {{ view.goal("NOPE").title }}\n', "template map.md.j2, line 1: KeyError: 'NOPE'"),
        ("ok\n{{ 1 / 0 }}\n", "template map.md.j2, line 2: ZeroDivisionError: division by zero"),
    ],
)
def test_a_template_that_fails_is_one_line_naming_it(
    small_plan: Path, tmp_path: Path, template: str, said: str
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "map.md.j2").write_text(template, encoding="utf-8")
    result = run("map", small_plan, "--template-dir", mine)
    assert result.code == 2
    assert result.stderr == f"cascade: error: {said}\n"


def test_plan_with_errors_still_draws_lists_errors_and_exits_1(tmp_path: Path) -> None:
    plan = write(
        tmp_path / "plans",
        {
            "plan.yaml": """
                objectives:
                  - {id: OBJ-1, title: Grow}
                departments:
                  - id: ops
                    goals:
                      - {id: OPS-1, title: Ship faster, supports: OBJ-9}
                      - {id: OPS-2, title: "", supports: OBJ-1}
            """
        },
    )
    target = tmp_path / "map.md"
    result = run("map", plan, "-o", target)
    assert result.code == 1
    text = target.read_text(encoding="utf-8")
    assert "OBJ-1" in text and "OPS-1" in text  # what could be read is drawn
    lines = result.stderr.splitlines()
    assert any("error[CAS005 unknown-reference]" in line and "OBJ-9" in line for line in lines)
    assert any("error[CAS002 schema]" in line for line in lines)
    assert lines[-1] == "cascade: the plan has 2 errors; the map shows what could be read"


def test_refuses_to_overwrite_a_plan_file(small_plan: Path) -> None:
    plan_file = small_plan / "plan.yaml"
    before = plan_file.read_bytes()
    result = run("map", small_plan, "-o", plan_file)
    assert result.code == 2
    assert plan_file.read_bytes() == before


def test_root_draws_only_what_lies_under_it(small_plan: Path) -> None:
    data = map_json(small_plan, "--root", "T-1")
    assert [g["id"] for g in data["goals"]] == ["T-1", "B-1"]  # type: ignore[index, union-attr]
    assert data["roots"] == ["T-1"]
    assert data["scope"] == {"root": "T-1", "depth": None, "unit": None, "trail": ["OBJ-1"]}


def test_depth_counts_levels_below_the_top(small_plan: Path) -> None:
    one = map_json(small_plan, "--depth", "1")
    assert {g["id"] for g in one["goals"]} == {"OBJ-1", "OBJ-2", "S-2"}  # type: ignore[union-attr, index]
    two = map_json(small_plan, "--depth", "2")
    assert {g["id"] for g in two["goals"]} == {"OBJ-1", "OBJ-2", "S-1", "S-2", "T-1"}  # type: ignore[union-attr, index]
    under = map_json(small_plan, "--root", "OBJ-1", "--depth", "0")
    assert [g["id"] for g in under["goals"]] == ["OBJ-1"]  # type: ignore[index, union-attr]


def test_unit_shows_its_goals_and_their_line_of_sight(small_plan: Path) -> None:
    data = map_json(small_plan, "--unit", "bob")
    goals = {g["id"]: g for g in data["goals"]}  # type: ignore[union-attr, index]
    assert set(goals) == {"B-1", "T-1", "OBJ-1"}
    assert goals["B-1"]["focus"] is True
    assert goals["T-1"]["focus"] is False and goals["OBJ-1"]["focus"] is False


def test_unit_on_a_department_includes_teams_and_people(small_plan: Path) -> None:
    data = map_json(small_plan, "--unit", "sales")
    focus = {g["id"] for g in data["goals"] if g["focus"]}  # type: ignore[union-attr, index]
    assert focus == {"S-1", "S-2", "T-1", "B-1"}


def test_bundled_plan_map_mentions_every_goal() -> None:
    result = run("map", BUNDLED, "--as-of", AS_OF)
    data = map_json(BUNDLED)
    for goal in data["goals"]:  # type: ignore[union-attr]
        assert f"**{goal['id']}**" in result.stdout or f"### {goal['id']}" in result.stdout  # type: ignore[index]


CASES = sorted(p.parent for p in (REPO / "tests" / "cases").glob("*/plans"))


@pytest.mark.parametrize("plan", CASES, ids=[p.parent.name for p in CASES])
def test_every_broken_plan_of_the_case_folders_still_draws(plan: Path) -> None:
    for fmt in ("markdown", "mermaid", "json", "html"):
        result = run("map", plan / "plans", "--format", fmt, "--as-of", AS_OF)
        assert result.code in (0, 1), (fmt, result.stderr)
        assert "internal error" not in result.stderr
        assert result.stdout.strip(), fmt
        if result.code == 1:
            assert "error[CAS" in result.stderr


def test_a_deep_supports_chain_is_drawn_nested_in_markdown(tmp_path: Path) -> None:
    # 600 goals deep: the tidying of the Markdown once took seconds per few hundred levels.
    goals = "".join(
        f"      - {{id: G{i}, title: g{i}, supports: G{i - 1}}}\n" for i in range(1, 600)
    )
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "objectives:\n  - {id: G0, title: g0}\ndepartments:\n  - id: d\n    goals:\n" + goals,
        encoding="utf-8",
    )
    text = run("map", plan, "--as-of", AS_OF, "-f", "markdown").stdout
    deepest = next(line for line in text.splitlines() if "**G599**" in line)
    assert deepest.startswith(" " * 2 * 598 + "- **G599**")
    assert not any(line != line.rstrip() for line in text.splitlines())
    assert "\n\n\n" not in text


def test_an_output_suffix_that_names_no_format_is_refused(small_plan: Path, tmp_path: Path) -> None:
    target = tmp_path / "map.pdf"
    result = run("map", small_plan, "-o", target)
    assert result.code == 2 and "names no map format" in result.stderr
    assert not target.exists()
    assert run("map", small_plan, "-o", target, "--format", "html").code == 0
    assert target.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert run("map", small_plan, "-o", tmp_path / "MAP").code == 0  # no suffix: Markdown


def test_the_html_header_counts_add_up(tmp_path: Path) -> None:
    import re

    page = tmp_path / "map.html"
    assert run("map", BUNDLED, "--as-of", AS_OF, "-o", page).code == 0
    html = page.read_text(encoding="utf-8")
    stats = dict(re.findall(r"<dt>([^<]+)</dt><dd>([\d,]+)", html))
    number = {name: int(value.replace(",", "")) for name, value in stats.items()}
    states = ("On track", "At risk", "Off track", "No data")
    assert sum(number[name] for name in states) == number["Active"]
    goals = len(json.loads(run("map", BUNDLED, "--as-of", AS_OF, "-f", "json").stdout)["goals"])
    assert number["Objectives"] + number["Goals"] == goals
    assert f"add up to the {number['Active']} active objectives and goals" in html
