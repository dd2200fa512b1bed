"""`cascade export`: every table with its documented columns, golden CSV files of the
bundled example, a workbook that a real spreadsheet reader opens (openpyxl, and LibreOffice
where it is installed) with the same cells as the CSV, byte-identical output, and plan text
that never becomes a formula."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from cascade.exporting.model import COLUMNS, TABLES
from tests.conftest import ROOT, check_golden
from tests.readings.plan import PLAN, make, run

GOLDEN = ROOT / "tests" / "golden" / "export"


@pytest.fixture(scope="module")
def exported(example: Path) -> Path:
    done = run(example, "export", "--table", "all", "-o", "tables")
    assert done.exit_code == 0, done.output
    done = run(example, "export", "-o", "plan.xlsx")
    assert done.exit_code == 0, done.output
    return example


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("table", TABLES)
def test_every_table_matches_its_golden_file(exported: Path, table: str) -> None:
    text = (exported / "tables" / f"{table}.csv").read_text(encoding="utf-8")
    check_golden(GOLDEN / f"{table}.csv", text)
    header = _rows(text)[0]
    if table == "matrix":
        assert header[:2] == ["objective", "title"]
        assert header[2:] == ["marketing", "operations", "rnd", "sales", "exec"]
    else:
        assert header == COLUMNS[table]


def test_csv_is_utf8_without_a_bom_with_lf_line_ends(exported: Path) -> None:
    raw = (exported / "tables" / "goals.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw
    assert run(exported, "export").stdout == raw.decode("utf-8")  # goals, to stdout


def test_values_are_the_effective_ones_judged_at_the_date(exported: Path) -> None:
    goals = {row[0]: row for row in _rows((exported / "tables" / "goals.csv").read_text())[1:]}
    columns = COLUMNS["goals"]
    sales_2 = dict(zip(columns, goals["SALES-2"], strict=True))
    assert sales_2["owner"] == "alice" and sales_2["period"] == "FY2026"  # defaults applied
    assert sales_2["status_band"] == "on_track" and 0 <= float(sales_2["progress"]) <= 1
    readings = _rows((exported / "tables" / "readings.csv").read_text())[1:]
    assert all(row[1] <= "2026-11-30" for row in readings)  # none after the as-of date
    notes = [row for row in readings if row[3]]
    assert ["SALES-2.new-logos", "2026-11-27", "37", "Two enterprise deals closed ahead of plan",
            "0.8", "alice", "readings/checkins.csv", "2"] in notes  # fmt: skip
    earlier = run(exported, "export", "--table", "readings", "--as-of", "2026-11-15").stdout
    assert "2026-11-27" not in earlier


def test_the_workbook_opens_in_openpyxl_with_the_csv_cells(exported: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(exported / "plan.xlsx")
    assert book.sheetnames == [
        "Organization", "Periods", "Units", "Goals", "KPIs", "Readings", "Gaps", "Matrix"
    ]  # fmt: skip
    for table, sheet in zip(TABLES, book.worksheets, strict=True):
        expected = _rows((exported / "tables" / f"{table}.csv").read_text())
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
        assert all(cell.font.bold for cell in sheet[1])
        got = [[_shown(cell) for cell in row] for row in sheet.iter_rows()]
        width = len(expected[0])
        assert [row[:width] for row in got] == expected, table
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (table, cell.coordinate)  # never a formula
    goals = book["Goals"]
    header = [cell.value for cell in goals[1]]
    progress = goals.cell(2, header.index("progress") + 1)
    assert progress.number_format == "0%" and isinstance(progress.value, float)
    start = goals.cell(2, header.index("start") + 1)
    assert start.is_date and start.number_format == "yyyy-mm-dd"
    band = goals.cell(2, header.index("status_band") + 1)
    assert band.value == "on_track" and band.fill.fgColor.rgb == "FFC6EFCE"


def _shown(cell: object) -> str:
    """A workbook cell as cascade's CSV writes the same value."""
    import datetime

    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_reads_the_workbook_as_cascade_writes_its_csv(
    exported: Path, tmp_path: Path
) -> None:
    # Every sheet converted by LibreOffice Calc headless; it writes what a reader sees, so
    # shares come out as percentages: compared as numbers.
    options = "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,false,false,false,-1"
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", options, "--outdir", str(tmp_path), str(exported / "plan.xlsx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    for table in TABLES:
        sheet = {"kpis": "KPIs"}.get(table, table.capitalize())
        theirs = _rows((tmp_path / f"plan-{sheet}.csv").read_text(encoding="utf-8"))
        ours = _rows((exported / "tables" / f"{table}.csv").read_text(encoding="utf-8"))
        assert len(theirs) == len(ours), table
        for their_row, our_row in zip(theirs, ours, strict=True):
            for column, (their, our) in enumerate(zip(their_row, our_row, strict=False)):
                name = ours[0][column]
                if their.endswith("%") and name in ("progress", "expected", "confidence"):
                    assert abs(float(their[:-1]) / 100 - float(our)) < 1e-6, (table, name)
                else:
                    assert their == our, (table, name, their, our)


def test_the_same_plan_and_date_give_the_same_bytes(example: Path, tmp_path: Path) -> None:
    first = run(example, "export", "-o", str(tmp_path / "a.xlsx"))
    second = run(example, "export", "-o", str(tmp_path / "b.xlsx"))
    assert first.exit_code == second.exit_code == 0
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.xlsx") as book:
        # One fixed time for every entry, never the clock's.
        times = {info.date_time for info in book.infolist()}
        assert len(times) == 1 and next(iter(times))[0] == 1980
        core = book.read("docProps/core.xml").decode()
        assert "2026-11-30T00:00:00Z" in core


def test_plan_text_never_runs_as_a_formula(tmp_path: Path) -> None:
    hostile = PLAN.replace("title: Grow revenue", 'title: \'=HYPERLINK("http://x","y")\'')
    hostile = hostile.replace("title: Keep margin", "title: '-2 points of margin'")
    root = make(tmp_path, plan=hostile)
    goals = run(root, "export").stdout
    assert '\'=HYPERLINK(""http://x"",""y"")' in goals
    assert ",'-2 points of margin," in goals
    kpis = run(root, "export", "--table", "kpis").stdout
    assert ",-" not in kpis.replace(",-,", "")  # numbers are never escaped, nor written -x
    done = run(root, "export", "-o", str(tmp_path / "plan.xlsx"))
    assert done.exit_code == 0, done.output
    openpyxl = pytest.importorskip("openpyxl")
    sheet = openpyxl.load_workbook(tmp_path / "plan.xlsx")["Goals"]
    title = sheet.cell(2, 3)
    assert title.data_type == "s" and title.value == '\'=HYPERLINK("http://x","y")'


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--format", "xlsx"], "a workbook needs -o FILE.xlsx"),
        (["-o", "x.xlsx", "--table", "kpis", "--format", "xlsx"], "--table is for CSV"),
        (["--table", "all"], "--table all writes a CSV file per table"),
        (["--table", "nope"], "Invalid value"),
    ],
)
def test_what_cannot_be_written_is_refused(tmp_path: Path, args: list[str], words: str) -> None:
    root = make(tmp_path)
    done = run(root, "export", *args)
    assert done.exit_code == 2 and words in done.output
    assert sorted(p.name for p in root.iterdir()) == ["plans"]


def test_a_plan_with_errors_is_exported_and_exits_1(tmp_path: Path) -> None:
    root = make(tmp_path, plan=PLAN + "  - {id: bo2, name: Bo, team: nowhere}\n")
    done = run(root, "export", "--table", "gaps", "-o", "gaps.csv")
    assert done.exit_code == 1
    assert "CAS005,unknown-reference,error,bo2" in (root / "gaps.csv").read_text()
    assert "error[CAS005 unknown-reference]" in done.stderr


def test_an_export_never_lands_in_the_readings_or_plan_folder(tmp_path: Path) -> None:
    root = make(tmp_path, {"bi.csv": "kpi,date,value\n"})
    done = run(root, "export", "-o", "readings/goals.csv")
    assert done.exit_code == 2 and "read it as a readings file" in done.stderr
