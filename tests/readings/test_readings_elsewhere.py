"""Readings wherever YAML history shows: the HTML and Markdown maps, trace and diff."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.readings.plan import findings, make, run

HEADER = "kpi,date,value,note,confidence,by\n"
ROWS = 'revenue,2026-11-06,30,,,\nrevenue,2026-11-13,41,"Black Friday <b>early</b>",0.7,ann\n'


def test_the_html_map_shows_each_check_in_with_its_note_and_confidence(tmp_path: Path) -> None:
    root = make(tmp_path, {"bi.csv": HEADER + ROWS})
    html = run(root, "map", "--format", "html", "--as-of", "2026-11-20").stdout
    point = "41 on 2026-11-13 · confidence 70% · by ann · Black Friday &lt;b&gt;early&lt;/b&gt;"
    assert f'<circle class="point" cx="82.0" cy="2.0" r="3"><title>{point}</title>' in html
    assert f"<li>{point}</li>" in html  # the KPI's list of check-ins
    assert '<span class="kpi-note">“Black Friday &lt;b&gt;early&lt;/b&gt;”</span>' in html
    assert "<b>early</b>" not in html


def test_the_markdown_map_and_trace_show_the_latest_note(tmp_path: Path) -> None:
    root = make(tmp_path, {"bi.csv": HEADER + ROWS})
    markdown = run(root, "map", "--format", "markdown", "--as-of", "2026-11-20").stdout
    assert "> **Revenue**, 2026-11-13: Black Friday &lt;b&gt;early&lt;/b&gt;" in markdown
    trace = run(root, "trace", "OBJ-1", "--as-of", "2026-11-20").stdout
    assert "note: latest check-in of revenue on 2026-11-13: Black Friday <b>early</b>" in trace
    earlier = run(root, "trace", "OBJ-1", "--as-of", "2026-11-10").stdout
    assert "Black Friday" not in earlier  # not written yet on the 10th


def test_diff_sees_a_new_reading_although_no_yaml_changed(tmp_path: Path) -> None:
    old = make(tmp_path / "old", {"bi.csv": HEADER + ROWS.splitlines(keepends=True)[0]})
    new = tmp_path / "new"
    shutil.copytree(old, new)
    (new / "readings" / "bi.csv").write_text(HEADER + ROWS)
    for side in (old, new):
        (side / "cascade.yaml").write_text("# a repository root\n")
    done = run(tmp_path, "diff", "old", "new", "--format", "json", "--as-of", "2026-11-20")
    assert done.exit_code == 0, done.output
    changes = json.loads(done.stdout)["changes"]
    assert [(c["id"], c["field"], c["before"], c["after"]) for c in changes] == [
        ("revenue", "current", 30, 41)
    ]


def test_a_cell_larger_than_the_csv_reader_takes_is_one_finding(tmp_path: Path) -> None:
    huge = "x" * 200_000
    root = make(tmp_path, {"bi.csv": HEADER + f"revenue,2026-11-06,30,{huge},,\n"})
    found = [f for f in findings(root) if f["file"] == "readings/bi.csv"]
    assert [(f["rule"], f["line"]) for f in found] == [("CAS002", 2)]
    assert "field larger than field limit" in found[0]["message"]
