"""Export, import, export: cascade's own tables (a folder of CSV files or the workbook)
read back into a plan whose tables have the same rows, for the bundled example and a
generated plan of the acceptance test's size; and what the own-table reader says about
rows it cannot use."""

from __future__ import annotations

import csv
import io
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.map.maphelp import generated_plan
from tests.readings.plan import make, run

DAY = "2026-11-30"
TABLES = ("organization", "periods", "units", "goals", "kpis", "readings", "gaps", "matrix")
PLACES = ("file", "line", "column")


def _table(path: Path) -> Counter[tuple[tuple[str, str], ...]]:
    """A table's rows in any order, each cell named by its column, without its places."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    header = rows[0]
    kept = sorted((name, i) for i, name in enumerate(header) if name not in PLACES)
    return Counter(tuple((name, row[i]) for name, i in kept) for row in rows[1:])


def _waived(plans: Path) -> set[tuple[str, str]]:
    """(rule name or code, goal id) of every waiver in a plan's YAML."""
    found: set[tuple[str, str]] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for rule in node.get("waive") or {}:
                found.add((str(rule), str(node.get("id"))))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in plans.rglob("*.yaml"):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


def _round_trip(root: Path, tmp_path: Path, source: str) -> None:
    """Export `root` as `source` (a folder or a workbook), import it, export the result in
    a folder of its own with the same config, and compare every table."""
    first = tmp_path / "first"
    assert run(root, "export", "--table", "all", "-o", str(first), "--as-of", DAY).exit_code == 0
    if source.endswith(".xlsx"):
        assert run(root, "export", "-o", str(tmp_path / source), "--as-of", DAY).exit_code == 0
    again = tmp_path / "again"
    again.mkdir()
    shutil.copy(root / "cascade.yaml", again / "cascade.yaml")
    # The readings now live in the plan's `history`: the config must not read them twice.
    config = yaml.safe_load((again / "cascade.yaml").read_text()) or {}
    config.pop("readings", None)
    (again / "cascade.yaml").write_text(yaml.safe_dump(config))
    done = run(tmp_path, "import", str(first if source == "tables" else tmp_path / source),
               "--into", str(again / "plans"), "--as-of", DAY)  # fmt: skip
    assert done.exit_code == 0, done.output
    assert ":" not in done.stderr.replace("cascade: note:", ""), done.stderr  # no row left out
    second = tmp_path / "second"
    assert run(again, "export", "--table", "all", "-o", str(second), "--as-of", DAY).exit_code == 0
    for table in TABLES:
        before, after = _table(first / f"{table}.csv"), _table(second / f"{table}.csv")
        if table != "gaps":
            assert before == after, (table, before - after, after - before)
            continue
        # The tables carry no assumptions, initiatives, risks or waivers: after the round
        # trip the findings those kept away are there, and nothing else differs.
        assert not before - after
        waived = _waived(root / "plans")
        for row in after - before:
            cell = dict(row)
            rule, name, subject = cell["rule"], cell["name"], cell["subject"]
            assert name in ("no-assumptions", "no-initiatives") or (
                (rule, subject) in waived or (name, subject) in waived
            ), row


@pytest.mark.parametrize("source", ["tables", "plan.xlsx"])
def test_the_bundled_plan_comes_back_table_for_table(
    example: Path, tmp_path: Path, source: str
) -> None:
    _round_trip(example, tmp_path, source)


@pytest.mark.parametrize("source", ["tables", "plan.xlsx"])
def test_a_generated_plan_comes_back_table_for_table(tmp_path: Path, source: str) -> None:
    root = generated_plan(tmp_path / "generated", 150).parent
    _round_trip(root, tmp_path, source)


def test_the_imported_plan_reads_like_one_written_by_hand(example: Path, tmp_path: Path) -> None:
    assert run(example, "export", "--table", "all", "-o", str(tmp_path / "t")).exit_code == 0
    assert run(tmp_path, "import", "t", "--into", "plans").exit_code == 0
    sales = yaml.safe_load((tmp_path / "plans" / "departments" / "sales.yaml").read_text())
    goals = {goal["id"]: goal for goal in sales["departments"][0]["goals"]}
    # Defaults stay defaults: the lead owns SALES-2, the period is the organization's.
    assert "owner" not in goals["SALES-2"] and "period" not in goals["SALES-2"]
    assert goals["SALES-3"]["owner"] == "bob"  # an explicit owner stays explicit
    churn = goals["SALES-3"]["kpis"][0]
    assert churn["range"] == [None, 5] and "direction" not in churn  # implied by the range
    text = (tmp_path / "plans" / "organization.yaml").read_text()
    assert text.startswith("# The organization") and "imported from t on" in text


def test_the_default_export_alone_is_enough(tmp_path: Path) -> None:
    """`cascade export -o goals.csv`, edited and imported: units and people are made from
    the goals' own columns."""
    root = make(tmp_path)
    assert run(root, "export", "-o", "goals.csv").exit_code == 0
    done = run(root, "import", "goals.csv", "--into", "again")
    assert done.exit_code == 0, done.output
    assert "person 'ann' is not in the units table: made" in done.stderr
    found = run(root, "validate", "again", "--format", "json")
    assert '"severity": "error"' not in found.stdout


def test_a_table_without_the_goals_is_refused(tmp_path: Path) -> None:
    root = make(tmp_path)
    assert run(root, "export", "--table", "kpis", "-o", "kpis.csv").exit_code == 0
    done = run(root, "import", "kpis.csv", "--into", "again")
    assert done.exit_code == 2 and "without the goals table" in done.stderr
    assert not (root / "again").exists()


def test_rows_it_cannot_use_are_named_once_each(tmp_path: Path) -> None:
    root = make(tmp_path)
    assert run(root, "export", "--table", "all", "-o", "t").exit_code == 0
    goals = (root / "t" / "goals.csv").read_text().splitlines()
    header = goals[0].split(",")
    broken = goals[1].split(",")
    broken[header.index("confidence")] = "high"  # OBJ-1: not a number
    goals[1] = ",".join(broken)
    # A goal supporting OBJ-1 goes on: its link is dropped with OBJ-1, not reported again.
    for ident, title, supports in (("OBJ-3", "'=1+1", "OBJ-1"), ("OBJ-4", "Four", "NOPE")):
        row = dict.fromkeys(header, "")
        row.update(id=ident, level="objective", title=title, supports=supports)
        goals.append(",".join(row[c] for c in header))
    (root / "t" / "goals.csv").write_text("\n".join(goals) + "\n")
    done = run(root, "import", "t", "--into", "again")
    assert done.exit_code == 0, done.output
    problems = [line for line in done.stderr.splitlines() if not line.startswith("cascade:")]
    assert problems == [
        "t/goals.csv:2: confidence 'high' is not a number",
        "t/goals.csv:5: parent 'NOPE' matches no goal",
    ]
    # OBJ-1's KPIs and readings went with it, silently; OBJ-2 is whole.
    text = (root / "again" / "organization.yaml").read_text()
    assert "OBJ-1" not in text and "OBJ-2" in text and "margin" in text
    assert 'title: "=1+1"' in text  # the `'` export put before a formula, removed
