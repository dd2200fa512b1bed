"""`cascade diff` of the bundled plan against a copy with one change of every kind, in
each format, byte for byte (UPDATE_GOLDEN=1 rewrites the files; read the diff first)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import AS_OF, ROOT, check_golden
from tests.diff.conftest import cascade
from tests.diff.gitrepo import GitRepo

GOLDEN = ROOT / "tests" / "golden" / "diff"
FORMATS = {"reviewed.txt": "text", "reviewed.md": "markdown", "reviewed.json": "json"}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_matches_golden_file(reviewed: GitRepo, name: str) -> None:
    _, out, _ = cascade(
        reviewed.root, "diff", "HEAD~1", "HEAD", "--as-of", AS_OF, "--format", FORMATS[name]
    )
    check_golden(GOLDEN / name, out)


def test_golden_files_all_belong_to_a_case() -> None:
    assert {path.name for path in GOLDEN.iterdir()} == set(FORMATS)


def test_every_kind_of_change_is_reported(reviewed: GitRepo) -> None:
    _, out, _ = cascade(
        reviewed.root, "diff", "HEAD~1", "HEAD", "--as-of", AS_OF, "--format", "json"
    )
    report = json.loads(out)
    kinds = {(c["kind"], c["item"], c["field"], c["note"]) for c in report["changes"]}
    expected = {
        ("added", "goal", None, None),
        ("removed", "goal", None, None),
        ("renamed", "goal", None, None),
        ("renamed", "kpi", None, None),
        ("changed", "goal", "status", None),
        ("changed", "goal", "supports", "reparented"),
        ("changed", "goal", "supports", None),  # a weight
        ("changed", "goal", "unit", None),
        ("changed", "goal", "owner", None),
        ("changed", "kpi", "target", "eased"),
        ("changed", "kpi", "target", "raised"),
        ("changed", "kpi", "range", "eased"),
        ("changed", "kpi", "baseline", None),
        ("changed", "kpi", "unit", None),
        ("changed", "objective", "due", "slipped"),
        ("changed", "kpi", "current", None),
        ("changed", "goal", "title", None),
        ("changed", "goal", "tags", None),
        ("changed", "department", "name", None),
        ("changed", "person", "role", None),
        ("added", "period", None, None),
        ("changed", "organization", "vision", None),
        ("changed", "config", None, None),
    }
    assert expected <= kinds, expected - kinds
    summary = report["summary"]
    assert summary["eased"] == 2 and summary["slipped"] == 1
    assert summary["new_errors"] == 1  # MATEO-1 still supports the old id of a renamed goal
    assert [f["subject"] for f in report["findings"]["resolved"]] == ["OBJ-4"]
    # The KPIs of the goal added and removed have no records of their own.
    assert not any(c["id"].startswith(("KA-3.", "ELI-1.")) for c in report["changes"])


def test_records_are_in_the_documented_order(reviewed: GitRepo) -> None:
    _, out, _ = cascade(
        reviewed.root, "diff", "HEAD~1", "HEAD", "--as-of", AS_OF, "--format", "json"
    )
    records = json.loads(out)["changes"]
    groups = [_group(c) for c in records]
    assert groups == sorted(groups)


def _group(change: dict[str, object]) -> int:
    field = change["field"]
    if change["kind"] != "changed":
        return {"objective": 1, "goal": 1, "kpi": 2}.get(str(change["item"]), 5)
    if field in ("status", "supports", "unit", "level", "owner") and change["item"] != "kpi":
        return 1
    if change["item"] == "kpi" and field in (
        "target",
        "range",
        "baseline",
        "direction",
        "unit",
        "kind",
        "goal",
    ):
        return 2
    if field in ("due", "start", "period"):
        return 3
    if field == "current":
        return 4
    return 5


def test_output_is_identical_run_after_run(reviewed: GitRepo) -> None:
    for output_format in FORMATS.values():
        args = ["diff", "HEAD~1", "HEAD", "--as-of", AS_OF, "--format", output_format]
        assert cascade(reviewed.root, *args)[1] == cascade(reviewed.root, *args, "--no-cache")[1]
