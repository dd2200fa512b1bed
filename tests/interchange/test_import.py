# ruff: noqa: E501  (the sheets below are data, a row per line)
"""`cascade import`: an OKR tool's real export (the Puzzle OKR demo data), sheets with
other tools' headers, workbooks with dates and cached formulas, rows that cannot be used,
and sources that are refused, with `--into` untouched on every failure."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.readings.plan import run

PUZZLE = ROOT.parent / "shared" / "corpus" / "puzzle-okr-pitc"


def _rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader((PUZZLE / name).open(encoding="utf-8")))


def _puzzle_sheet(path: Path) -> tuple[int, int]:
    """The demo data's objectives and key results joined into one sheet, the way a user's
    export would look: a type column and a parent column. (objectives, metric KRs)"""
    teams = {row["team_id"]: row["name"] for row in _rows("teams.csv")}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["ID", "Type", "Title", "Parent", "Team", "Status", "Unit", "Baseline",
                     "Target", "Current"])  # fmt: skip
    objectives = _rows("objectives.csv")
    for o in objectives:
        writer.writerow([f"O{o['objective_id']}", "Objective", o["title"], "",
                         teams.get(o["team_id"], ""), o["state"], "", "", "", ""])  # fmt: skip
    metrics = [k for k in _rows("key_results.csv") if k["key_result_type"] == "metric"]
    for k in metrics:
        writer.writerow([f"K{k['key_result_id']}", "Key Result", k["title"],
                         f"O{k['objective_id']}", "", "", k["unit"], k["baseline"],
                         k["stretch_goal"], k["latest_checkin_value_metric"]])  # fmt: skip
    path.write_text(out.getvalue(), encoding="utf-8")
    return len(objectives), len(metrics)


def _map(root: Path, plans: str = "plans") -> dict[str, object]:
    done = run(root, "map", plans, "--format", "json", "--as-of", "2026-11-30")
    data: dict[str, object] = json.loads(done.stdout)
    return data


@pytest.mark.skipif(not PUZZLE.is_dir(), reason="the Puzzle OKR demo data is not beside the repo")
def test_a_real_okr_tools_export_arrives_whole(tmp_path: Path) -> None:
    objectives, metrics = _puzzle_sheet(tmp_path / "okrs.csv")
    done = run(tmp_path, "import", "okrs.csv", "--into", "plans")
    assert done.exit_code == 0, done.output
    found = run(tmp_path, "validate", "plans", "--format", "json", "--as-of", "2026-11-30")
    findings = json.loads(found.stdout)
    errors = [
        f for f in findings if f["rule"] in ("CAS001", "CAS002", "CAS003", "CAS004", "CAS005")
    ]
    assert errors == []
    view = _map(tmp_path)
    goals = view["goals"]  # type: ignore[index]
    assert len(goals) == objectives == 77  # type: ignore[arg-type]
    kpis = [k for g in goals for k in g["kpis"]]  # type: ignore[union-attr]
    assert len(kpis) == metrics
    assert {"K32", "K33"} <= {k["id"] for k in kpis}
    assert any(k["unit"] == "CHF" for k in kpis) and any(k["unit"] == "FTE" for k in kpis)
    units = {u["id"] for u in view["units"]}  # type: ignore[index,union-attr]
    assert {"dev-tre", "hitobito", "marcom"} <= units  # the teams, made departments
    assert "has no department: made a department" in done.stderr
    gaps = run(tmp_path, "gaps", "plans", "--format", "json", "--as-of", "2026-11-30").stdout
    rules = {kind["name"] for kind in json.loads(gaps)["gaps_by_kind"]}
    assert {"unsupported-objective", "unit-without-goals"} <= rules  # no alignment there


SHEET = """\
Goal Title,Type,Parent,Owner Email,Department,Team,Status,Key Result,Target Value,Current Value,Due Date,Quarter
Grow the business,objective,,dana@example.com,,,On Track,,,,2026-12-31,2026-Q4
Win new logos,,Grow the business,alice@example.com,Sales,,Completed,New logos,40,35,2026-12-31,2026-Q4
Key accounts grow,,Win new logos*2,bob@example.com,Sales,Key Accounts,at risk,,,,2026-11-30,2026-Q4
Bob's pipeline,,"(weight: 50%, Id: Key accounts grow)",bob@example.com,,,,Pipeline,12,,,
Revenue per FTE,Key Result,Grow the business,,,,,,14500,16240,,
,,Grow the business,,,,,,,,,
Orphan child,,No such goal,,,,,,,,,
Bad number,,Grow the business,,Sales,,,,lots,,,
Twin,,,,,,,,,,,
Twin,,,,,,,,,,,
Child of a twin,,Twin,,,,,,,,,
"""


def test_other_tools_headers_are_found_through_the_aliases(tmp_path: Path) -> None:
    (tmp_path / "okrs.csv").write_text(SHEET, encoding="utf-8")
    done = run(tmp_path, "import", "okrs.csv", "--into", "plans", "--as-of", "2026-12-07")
    assert done.exit_code == 0, done.output
    assert done.stderr.splitlines()[:4] == [
        "okrs.csv:7: no title",
        "okrs.csv:8: parent 'No such goal' matches no goal",
        "okrs.csv:9: target 'lots' is not a number (write a number such as 31 or 0.25)",
        "okrs.csv:12: parent 'Twin' is the title of several goals (rows 10, 11)",
    ]
    view = _map(tmp_path)
    goals = {g["title"]: g for g in view["goals"]}  # type: ignore[union-attr,index]
    assert goals["Grow the business"]["level"] == "objective"
    win = goals["Win new logos"]
    assert (win["level"], win["unit"], win["status"]) == ("department", "sales", "achieved")
    assert [k["name"] for k in win["kpis"]] == ["New logos"]
    accounts = goals["Key accounts grow"]
    assert (accounts["level"], accounts["unit"]) == ("team", "key-accounts")
    assert accounts["parents"] == [{"goal": win["id"], "weight": 2.0, "kpis": []}]
    pipeline = goals["Bob's pipeline"]
    assert (pipeline["level"], pipeline["unit"]) == ("individual", "bob")
    assert pipeline["parents"][0]["weight"] == 0.5
    grow = goals["Grow the business"]
    assert [k["name"] for k in grow["kpis"]] == ["Revenue per FTE"]
    assert win["id"] == "SALES-1" and grow["id"] == "OBJ-1"
    text = (tmp_path / "plans" / "organization.yaml").read_text()
    assert text.startswith(
        "# The organization, its periods and objectives, imported from okrs.csv on 2026-12-07"
    )
    assert "id: 2026-Q4" in text


def test_a_workbook_is_read_with_its_dates_and_cached_formula_values(tmp_path: Path) -> None:
    xlsxwriter = pytest.importorskip("xlsxwriter")
    import datetime

    book = xlsxwriter.Workbook(str(tmp_path / "okrs.xlsx"))
    sheet = book.add_worksheet("OKRs")
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    for col, header in enumerate(["Objective", "Due", "Target", "Current"]):
        sheet.write_string(0, col, header)
    sheet.write_string(1, 0, "Ship it")
    sheet.write_datetime(1, 1, datetime.datetime(2026, 12, 31), date)
    sheet.write_number(1, 2, 10)
    sheet.write_formula(1, 3, "=2*3", None, 6)  # only its cached value is read
    book.close()
    done = run(tmp_path, "import", "okrs.xlsx", "--into", "plans")
    assert done.exit_code == 0, done.output
    text = (tmp_path / "plans" / "organization.yaml").read_text()
    assert "due: 2026-12-31" in text and "current: 6" in text and "=2*3" not in text


def _bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 20_000_000)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("okrs.xlsx", b"not a zip at all", "not a workbook"),
        ("okrs.xlsx", None, "refused"),
        ("okrs.txt", b"x", "not a workbook (.xlsx), a CSV file"),
        ("okrs.csv", b"", "an empty sheet"),
        ("okrs.csv", b"PK\x03\x04\x00\x00", "binary"),
    ],
)
def test_sources_that_cannot_be_read_are_refused_and_nothing_is_written(
    tmp_path: Path, name: str, content: bytes | None, words: str
) -> None:
    if content is None:
        _bomb(tmp_path / name)
    else:
        (tmp_path / name).write_bytes(content)
    done = run(tmp_path, "import", name, "--into", "plans")
    assert done.exit_code == 2 and words in done.stderr, done.stderr
    assert not (tmp_path / "plans").exists()
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_into_must_be_new_or_empty_and_dry_run_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "okrs.csv").write_text(SHEET, encoding="utf-8")
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "keep.yaml").write_text("objectives: []\n")
    done = run(tmp_path, "import", "okrs.csv", "--into", "plans")
    assert done.exit_code == 2 and "not empty" in done.stderr
    assert [p.name for p in (tmp_path / "plans").iterdir()] == ["keep.yaml"]
    dry = run(tmp_path, "import", "okrs.csv", "--into", "new", "--dry-run")
    assert dry.exit_code == 0 and "new/organization.yaml: " in dry.stdout
    assert "new/departments/sales.yaml: 2 goals, 1 KPI" in dry.stdout  # its team's too
    assert "new/people.yaml: 1 goal, 1 KPI" in dry.stdout
    assert not (tmp_path / "new").exists()


def test_a_columns_file_maps_what_the_aliases_miss(tmp_path: Path) -> None:
    (tmp_path / "okrs.csv").write_text("Headline,Ziel\nShip it,10\n", encoding="utf-8")
    (tmp_path / "columns.yaml").write_text('title: "Headline"\ntarget: "Ziel"\n')
    done = run(tmp_path, "import", "okrs.csv", "--into", "plans", "--columns", "columns.yaml")
    assert done.exit_code == 0, done.output
    assert "target: 10" in (tmp_path / "plans" / "organization.yaml").read_text()
    (tmp_path / "bad.yaml").write_text('title: "Nope"\n')
    done = run(tmp_path, "import", "okrs.csv", "--into", "other", "--columns", "bad.yaml")
    assert done.exit_code == 2 and "'Nope' is not a header" in done.stderr


def test_merged_cells_serial_dates_and_numbers_with_units(tmp_path: Path) -> None:
    xlsxwriter = pytest.importorskip("xlsxwriter")
    book = xlsxwriter.Workbook(str(tmp_path / "okrs.xlsx"))
    sheet = book.add_worksheet("OKRs")
    for col, header in enumerate(["Goal", "Department", "Parent", "Due", "Target", "Baseline"]):
        sheet.write_string(1, col, header)  # the header on row 2: row 1 is empty
    sheet.write_string(2, 0, "Grow")
    # One department cell merged beside two goals: both are the department's.
    sheet.merge_range(3, 1, 4, 1, "Sales")
    for row, title in ((3, "Sell more"), (4, "Sell better")):
        sheet.write_string(row, 0, title)
        sheet.write_string(row, 2, "Grow")
    sheet.write_number(3, 3, 46022)  # a date as Excel's serial number, no date format
    sheet.write_string(3, 4, "15%")
    sheet.write_string(4, 4, "$1,200")
    sheet.write_string(4, 5, "1,200.50")
    book.close()
    done = run(tmp_path, "import", "okrs.xlsx", "--into", "plans")
    assert done.exit_code == 0, done.output
    assert "3 numbers read from text with a unit or thousands separators" in done.stderr
    sales = (tmp_path / "plans" / "departments" / "sales.yaml").read_text()
    assert "title: Sell more" in sales and "title: Sell better" in sales
    assert "due: 2025-12-31" in sales
    assert 'unit: "%"' in sales and "target: 15" in sales
    assert 'unit: "$"' in sales and "target: 1200" in sales and "baseline: 1200.5" in sales


def test_a_cycle_of_parents_loses_one_link_and_says_which(tmp_path: Path) -> None:
    (tmp_path / "okrs.csv").write_text(
        "ID,Title,Parent\nA,Alpha,C\nB,Beta,A\nC,Gamma,B\nD,Delta,\n", encoding="utf-8"
    )
    done = run(tmp_path, "import", "okrs.csv", "--into", "plans")
    assert done.exit_code == 0, done.output
    problems = [line for line in done.stderr.splitlines() if line.startswith("okrs.csv:")]
    assert problems == ["okrs.csv:3: parent 'A' would close a cycle (rows 2, 4, 3): link left out"]
    found = run(tmp_path, "validate", "plans", "--format", "json")
    assert '"cycle"' not in found.stdout and '"severity": "error"' not in found.stdout


def test_a_goal_naming_itself_as_parent_loses_that_link(tmp_path: Path) -> None:
    (tmp_path / "okrs.csv").write_text("ID,Title,Parent\nA,Alpha,A\n", encoding="utf-8")
    done = run(tmp_path, "import", "okrs.csv", "--into", "plans")
    assert done.exit_code == 0, done.output
    assert "okrs.csv:2: parent 'A' is the goal itself: link left out" in done.stderr
    assert "supports" not in (tmp_path / "plans" / "organization.yaml").read_text()


@pytest.mark.parametrize("mark", [";", "\t"])
def test_a_csv_separated_by_semicolons_or_tabs_is_read(tmp_path: Path, mark: str) -> None:
    # Excel writes `;` where the decimal mark is a comma; a number keeps its comma.
    rows = [["ID", "Title", "Parent", "Key result", "Target"], ["A", "Alpha, first", "", "", ""],
            ["B", "Beta", "A", "Revenue", "1200"]]  # fmt: skip
    text = "\n".join(mark.join(row) for row in rows) + "\n"
    (tmp_path / "okrs.csv").write_text(text, encoding="utf-8")
    done = run(tmp_path, "import", "okrs.csv", "--into", "plans")
    assert done.exit_code == 0, done.output
    written = (tmp_path / "plans" / "organization.yaml").read_text()
    assert "title: Alpha, first" in written
    found = run(tmp_path, "validate", "plans", "--format", "json")
    assert '"severity": "error"' not in found.stdout, found.stdout


def test_duplicate_ids_keep_the_first_row(tmp_path: Path) -> None:
    (tmp_path / "okrs.csv").write_text("ID,Title\nX1,First\nX1,Second\n", encoding="utf-8")
    done = run(tmp_path, "import", "okrs.csv", "--into", "plans")
    assert done.exit_code == 0 and "okrs.csv:3: id 'X1' again (row 2)" in done.stderr
    text = (tmp_path / "plans" / "organization.yaml").read_text()
    assert "First" in text and "Second" not in text


def _encrypted(path: Path) -> None:
    # An encrypted workbook is an OLE2 compound file, as an old .xls is.
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)


def _corrupt(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("xl/workbook.xml", "not xml at all")


@pytest.mark.parametrize(
    ("make_it", "words"),
    [
        (_encrypted, "password-protected workbook or an old .xls"),
        (_corrupt, "cannot read the workbook"),
    ],
)
def test_workbooks_it_cannot_open_get_a_reason(tmp_path: Path, make_it: Any, words: str) -> None:
    make_it(tmp_path / "okrs.xlsx")
    done = run(tmp_path, "import", "okrs.xlsx", "--into", "plans")
    assert done.exit_code == 2 and words in done.stderr, done.output
    assert "Traceback" not in done.output and not (tmp_path / "plans").exists()


def test_a_header_without_rows_is_refused(tmp_path: Path) -> None:
    (tmp_path / "okrs.csv").write_text("Title,Owner\n", encoding="utf-8")
    done = run(tmp_path, "import", "okrs.csv", "--into", "plans")
    assert done.exit_code == 2 and "only a header row" in done.stderr
    assert not (tmp_path / "plans").exists()


def test_a_hundred_thousand_rows_arrive(tmp_path: Path) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["ID", "Title", "Parent", "Team", "Department", "Target"])
    for n in range(100_000):
        parent = f"G{n // 10}" if n >= 10 else ""
        writer.writerow([f"G{n}", f"Goal {n}", parent, f"T{n % 50}", f"D{n % 5}", n])
    (tmp_path / "okrs.csv").write_text(out.getvalue(), encoding="utf-8")
    done = run(tmp_path, "import", "okrs.csv", "--into", "plans", "--dry-run")
    assert done.exit_code == 0, done.output
    counted = sum(int(line.split(": ")[1].split()[0]) for line in done.stdout.splitlines())
    assert counted == 100_000
