"""`cascade checkin`: one row appended to checkins.csv, whole or not at all, the bytes already
there kept; bad input refused in one line with exit 2 and nothing written; no YAML file
ever touched."""

from __future__ import annotations

from pathlib import Path

import pytest

from cascade.commands.checkin import complete_kpi
from tests.readings.plan import make, run

CHECKINS = Path("readings") / "checkins.csv"


def _plan_files(root: Path) -> dict[Path, tuple[bytes, int]]:
    found = [*root.rglob("*.yaml"), *root.rglob("*.yml")]
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in found}


def test_a_first_checkin_makes_the_folder_and_the_file(tmp_path: Path) -> None:
    root = make(tmp_path)
    before = _plan_files(root)
    done = run(
        root, "checkin", "revenue", "31", "--date", "2026-11-20", "--note", "a, b", "--by", "ann"
    )
    assert done.exit_code == 0, done.output
    assert (root / CHECKINS).read_bytes() == (
        b'kpi,date,value,note,confidence,by\nrevenue,2026-11-20,31,"a, b",,ann\n'
    )
    assert done.stdout == (
        # OBJ-1's milestone, not done, counts 0: (31% + 0%) / 2
        "revenue: 31 on 2026-11-20 (its first dated reading); OBJ-1 0% -> 16%, off track\n"
    )
    assert _plan_files(root) == before


def test_the_next_checkin_says_what_it_changed(tmp_path: Path) -> None:
    root = make(tmp_path)
    run(root, "checkin", "revenue", "60", "--date", "2026-10-30")
    done = run(root, "checkin", "revenue", "90", "--date", "2026-11-06", "--confidence", "0.9")
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith("revenue: 90 on 2026-11-06 (was 60 on 2026-10-30); OBJ-1 ")
    assert " -> " in done.stdout
    assert (root / CHECKINS).read_text().splitlines()[-1] == "revenue,2026-11-06,90,,0.9,"


def test_the_date_defaults_to_the_as_of_date(tmp_path: Path) -> None:
    root = make(tmp_path)
    done = run(root, "checkin", "launch", "Done", "--as-of", "2026-11-02")
    assert done.exit_code == 0, done.output
    assert (root / CHECKINS).read_text().splitlines()[-1] == "launch,2026-11-02,Done,,,"
    assert done.stdout.startswith("launch: done on 2026-11-02")


@pytest.mark.parametrize(
    ("existing", "added"),
    [
        # CRLF kept; a missing final line break added first; a BOM and extra columns kept,
        # the row filled to the header's columns in the header's order.
        (b"kpi,date,value\r\nrevenue,2026-11-01,5\r\n", b"revenue,2026-11-20,31\r\n"),
        (b"kpi,date,value\nrevenue,2026-11-01,5", b"\nrevenue,2026-11-20,31\n"),
        (
            b"\xef\xbb\xbfValue,Source,KPI,Date\n7,crm,revenue,2026-11-01\n",
            b"31,,revenue,2026-11-20\n",
        ),
    ],
)
def test_the_bytes_already_there_are_kept(tmp_path: Path, existing: bytes, added: bytes) -> None:
    root = make(tmp_path, {"checkins.csv": existing})
    done = run(root, "checkin", "revenue", "31", "--date", "2026-11-20")
    assert done.exit_code == 0, done.output
    assert (root / CHECKINS).read_bytes() == existing + added


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["revenu", "3"], "no KPI 'revenu' in the plan; did you mean 'revenue'?"),
        (["revenue", "1,234"], "thousands separators"),
        (["revenue", "15%"], "a unit or a sign"),
        (["launch", "maybe"], "is not a milestone value"),
        (["revenue", "3", "--confidence", "1.5"], "--confidence: expected a number from 0 to 1"),
        (["revenue", "3", "--by", "an"], "--by: no person 'an' in the plan; did you mean 'ann'?"),
        (["revenue", "3", "--date", "12/07/2026"], "--date: expected a date YYYY-MM-DD"),
        (["revenue", "3", "--date", "2999-01-01"], "lies after today"),
    ],
)
def test_bad_input_is_refused_in_one_line_and_nothing_is_written(
    tmp_path: Path, args: list[str], words: str
) -> None:
    root = make(tmp_path, {"checkins.csv": b"kpi,date,value\n"})
    before = _plan_files(root), (root / CHECKINS).read_bytes()
    done = run(root, "checkin", *args)
    assert done.exit_code == 2
    assert words in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert done.stdout == ""
    assert (_plan_files(root), (root / CHECKINS).read_bytes()) == before
    assert sorted(p.name for p in (root / "readings").iterdir()) == ["checkins.csv"]


def test_a_file_whose_header_lacks_a_required_column_is_refused(tmp_path: Path) -> None:
    root = make(tmp_path, {"checkins.csv": b"kpi,value\nrevenue,3\n"})
    done = run(root, "checkin", "revenue", "4", "--date", "2026-11-20")
    assert done.exit_code == 2
    assert done.stderr == (
        "cascade: error: cannot add a reading to readings/checkins.csv: its header has no "
        "date column\n"
    )
    assert (root / CHECKINS).read_bytes() == b"kpi,value\nrevenue,3\n"


def test_a_plan_with_errors_elsewhere_still_takes_the_reading(tmp_path: Path) -> None:
    root = make(tmp_path)
    (root / "plans" / "broken.yaml").write_text("objectives:\n  - id: X\n    supports: NOPE\n")
    done = run(root, "checkin", "revenue", "5", "--date", "2026-11-20")
    assert done.exit_code == 0
    assert (root / CHECKINS).exists()
    assert "error[CAS" in done.stderr


def test_the_new_reading_is_read_by_every_command(tmp_path: Path) -> None:
    root = make(tmp_path)
    run(root, "checkin", "revenue", "44", "--date", "2026-11-20", "--note", "=SUM(A1)")
    view = run(root, "map", "--format", "json", "--as-of", "2026-11-25").stdout
    assert '"current": 44' in view and '"note": "=SUM(A1)"' in view


def test_shell_completion_offers_kpi_ids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(make(tmp_path))
    assert complete_kpi("") == ["launch", "margin", "revenue"]
    assert complete_kpi("re") == ["revenue"]
    monkeypatch.chdir(tmp_path / "plans")  # no plan here: nothing, and no error
    assert complete_kpi("") == []
