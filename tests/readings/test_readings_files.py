"""Readings files: every bad cell a diagnostic at its cell, a bad row left out and the rest
read, and what programs that export CSV really write (a BOM, CRLF, semicolons, Excel's
dates, quoted thousands) read right or refused in words, never a wrong number."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.readings.plan import findings, gaps_json, make, run, where

HEADER = "kpi,date,value,note,confidence,by\n"


def _value(root: Path, kpi: str = "revenue", as_of: str = "2026-11-30") -> object:
    data = run(root, "map", "--format", "json", "--as-of", as_of)
    import json

    view = json.loads(data.stdout)
    for goal in view["goals"]:
        for found in goal["kpis"]:
            if found["id"] == kpi:
                return found["current"] if found["kind"] == "metric" else found["done"]
    raise AssertionError(kpi)


def test_a_reading_moves_progress_and_is_listed(tmp_path: Path) -> None:
    root = make(tmp_path, {"crm.csv": HEADER + "revenue,2026-11-20,40,,,\n"})
    assert _value(root) == 40
    assert gaps_json(root, "2026-11-30")["readings_files"] == ["readings/crm.csv"]
    assert gaps_json(root, "2026-11-30")["files"] == 1  # still the plan files


def test_exports_of_other_programs_are_read_right(tmp_path: Path) -> None:
    # A BOM, CRLF line ends, header names in another case with spaces, a trailing empty
    # line, quoted cells, a value with spaces round it, and a row of empty cells.
    raw = (
        b"\xef\xbb\xbf Kpi ,DATE, Value ,Note\r\n"
        b'"revenue","2026-11-13"," 35 ","a ""quoted"" note"\r\n'
        b",,,\r\n"
        b"\r\n"
    )
    root = make(tmp_path, {"export.csv": raw})
    assert [f for f in findings(root, "2026-11-15") if f["file"] != "plans/plan.yaml"] == []
    assert _value(root, as_of="2026-11-15") == 35


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        ('revenue,2026-11-20,"1,234",,,', 20, "thousands separators"),
        ("revenue,2026-11-20,15%,,,", 20, "a unit or a sign"),
        ("revenue,2026-11-20,12.5.1,,,", 20, "is not a number"),
        ("revenue,2026-11-20,nan,,,", 20, "is not a number"),
        ("revenue,2026-11-20,1_000,,,", 20, "is not a number"),
        ("revenue,12/07/2026,10,,,", 9, "the date must be YYYY-MM-DD"),
        ("revenue,2026-02-30,10,,,", 9, "not a calendar date"),
        ("revenue,,10,,,", 9, "no date"),
        ("revenue,2026-11-20,,,,", 20, "no value"),
        (",2026-11-20,10,,,", 1, "names no KPI"),
    ],
)
def test_a_bad_required_cell_is_one_schema_finding_and_the_row_is_left_out(
    tmp_path: Path, row: str, column: int, words: str
) -> None:
    root = make(tmp_path, {"crm.csv": HEADER + "revenue,2026-11-01,5,,,\n" + row + "\n"})
    found = [f for f in findings(root) if f["rule"] in ("CAS002", "CAS005")]
    assert where(found) == [f"CAS002 readings/crm.csv:3:{column}"]
    assert words in found[0]["message"] and found[0]["hint"]
    assert _value(root) == 5  # the row was left out, the one before it counts


def test_an_unknown_kpi_or_person_gets_a_did_you_mean(tmp_path: Path) -> None:
    rows = "revenu,2026-11-20,10,,,\nrevenue,2026-11-21,11,,,boo\n"
    root = make(tmp_path, {"crm.csv": HEADER + rows})
    found = [f for f in findings(root) if f["rule"] == "CAS005"]
    assert where(found) == [
        "CAS005 readings/crm.csv:2:1",
        "CAS005 readings/crm.csv:3:25",
    ]
    assert found[0]["hint"] == "did you mean 'revenue'?"
    assert found[1]["hint"] == "did you mean 'bo'?"
    assert _value(root) == 11  # a bad `by` is left out alone: the reading still counts


def test_a_bad_confidence_is_left_out_alone(tmp_path: Path) -> None:
    root = make(tmp_path, {"crm.csv": HEADER + "revenue,2026-11-20,30,,1.5,\n"})
    assert where(findings(root), "CAS002") == ["CAS002 readings/crm.csv:2:24"]
    assert _value(root) == 30


def test_milestone_values_in_any_case(tmp_path: Path) -> None:
    rows = "launch,2026-11-01,Not Done,,,\nlaunch,2026-11-20,DONE,,,\nlaunch,2026-11-21,maybe,,,\n"
    root = make(tmp_path, {"m.csv": HEADER + rows})
    assert where(findings(root), "CAS002") == ["CAS002 readings/m.csv:4:19"]
    assert _value(root, "launch") is True
    assert _value(root, "launch", "2026-11-10") is False


def test_a_cell_after_a_quoted_line_break_is_found_on_its_own_line(tmp_path: Path) -> None:
    rows = 'revenue,2026-11-20,10,"two\nlines",0.5,\nrevenue,2026-11-21,x,,,\n'
    root = make(tmp_path, {"crm.csv": HEADER + rows})
    assert where(findings(root), "CAS002") == ["CAS002 readings/crm.csv:4:20"]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"kpi;date;value\nrevenue;2026-11-20;10\n", "looks semicolon-separated"),
        (b"kpi\tdate\tvalue\nrevenue\t2026-11-20\t10\n", "looks tab-separated"),
        (b"kpi,value\nrevenue,10\n", "no `date` column"),
        (b"PK\x03\x04\x00\x00\x00binary", "binary"),
        (b"\xff\xfek\x00p\x00i\x00", "UTF-16"),
        (b"kpi,date,value\nrevenue,2026-11-20,caf\xe9\n", "not UTF-8"),
    ],
)
def test_a_file_that_cannot_be_read_is_one_finding(
    tmp_path: Path, content: bytes, words: str
) -> None:
    root = make(tmp_path, {"bad.csv": content})
    found = [f for f in findings(root) if f["file"] == "readings/bad.csv"]
    assert len(found) == 1 and found[0]["rule"] == "CAS002", found
    assert words in found[0]["message"]
    assert _value(root) is None  # nothing taken from it


@pytest.mark.parametrize("content", [b"", b"kpi,date,value\n", b"\n\n", b"kpi,date,value"])
def test_an_empty_or_header_only_file_holds_nothing(tmp_path: Path, content: bytes) -> None:
    root = make(tmp_path, {"empty.csv": content})
    assert [f for f in findings(root) if f["file"].startswith("readings/")] == []


def test_files_are_read_in_sorted_order_and_hidden_ones_skipped(tmp_path: Path) -> None:
    root = make(
        tmp_path,
        {
            "b.csv": HEADER + "revenue,2026-11-20,20,,,\n",
            "a/z.csv": HEADER + "revenue,2026-11-20,10,,,\n",
            ".hidden.csv": HEADER + "revenue,2026-11-20,99,,,\n",
            "notes.txt": "not a readings file",
        },
    )
    assert _value(root) == 20  # a/z.csv, then b.csv: the later one on one date is used
    assert gaps_json(root, "2026-11-30")["readings_files"] == ["readings/a/z.csv", "readings/b.csv"]
    assert where(findings(root), "CAS120") == ["CAS120 readings/b.csv:2:9"]


def test_the_config_names_the_folder(tmp_path: Path) -> None:
    root = make(tmp_path)
    (root / "numbers").mkdir()
    (root / "numbers" / "bi.csv").write_text(HEADER + "revenue,2026-11-20,60,,,\n")
    (root / "cascade.yaml").write_text("readings: numbers/\n")
    assert _value(root) == 60


def test_a_big_readings_file_is_read(tmp_path: Path) -> None:
    # 100,000 rows: a few seconds at most, and the last reading wins.
    rows = "".join(
        f"revenue,2026-{1 + n % 11:02d}-{1 + n % 28:02d},{n % 90},,,\n" for n in range(100_000)
    )
    rows += "revenue,2026-11-29,77,,,\n"
    root = make(tmp_path, {"big.csv": HEADER + rows})
    assert _value(root) == 77
