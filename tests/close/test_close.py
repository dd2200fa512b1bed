"""`cascade close PERIOD`: golden files on the bundled plan in every format, the grades and
their bands, previews, unknown scores, contradictions, and targets eased in git."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, check_golden
from tests.diff.gitrepo import GitRepo
from tests.readings.plan import make, run

GOLDEN = ROOT / "tests" / "golden" / "close"
SUFFIX = {"text": "txt", "markdown": "md", "json": "json"}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled example as a user unpacks it: its plan, readings and pinned config,
    outside any git repository."""
    root = tmp_path_factory.mktemp("example")
    shutil.copytree(ROOT / "plans", root / "plans")
    shutil.copytree(ROOT / "readings", root / "readings")
    shutil.copy(ROOT / "cascade.yaml", root / "cascade.yaml")
    return root


@pytest.mark.parametrize("output_format", ["text", "markdown", "json"])
@pytest.mark.parametrize("period", ["2026-Q4", "FY2026"])
def test_bundled_plan_matches_golden_file(example: Path, period: str, output_format: str) -> None:
    done = run(example, "close", period, "--format", output_format)
    assert done.exit_code == 0, done.output
    check_golden(GOLDEN / f"{period}.{SUFFIX[output_format]}", done.stdout)


def _close(root: Path, *args: str) -> dict[str, Any]:
    done = run(root, "close", *args, "--format", "json")
    assert done.exit_code == 0, done.output
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def test_a_preview_says_how_many_days_are_left(example: Path) -> None:
    data = _close(example, "2026-Q4")
    assert (data["judged_at"], data["preview"]) == ("2026-11-30", True)
    assert "a preview, 31 days before the end" in run(example, "close", "2026-Q4").stdout
    ended = _close(example, "2026-Q3")
    assert (ended["judged_at"], ended["preview"]) == ("2026-09-30", False)
    on_the_end = _close(example, "2026-Q4", "--as-of", "2026-12-31")
    assert on_the_end["preview"] is False


PLAN = """\
organization: {name: Grades Inc, vision: Grow, period: Q4}
periods:
  - {id: FY, start: 2026-01-01, end: 2026-12-31}
  - {id: Q4, start: 2026-10-01, end: 2026-12-31, parent: FY}
  - {id: Q4-Dec, start: 2026-12-01, end: 2026-12-31, parent: Q4}
objectives:
  - id: O
    title: The objective
    owner: ann
    kpis: [{id: o.k, name: K, baseline: 0, target: 100, current: 70, as_of: 2026-12-20}]
departments:
  - id: sales
    name: Sales
    lead: ann
    goals:
      - {id: C-MET, title: Committed met, supports: O, status: achieved,
         kpis: [{name: K, baseline: 0, target: 10, current: 10, as_of: 2026-12-20}]}
      - {id: C-PART, title: Committed partial, supports: O,
         kpis: [{name: K, baseline: 0, target: 10, current: 7, as_of: 2026-12-20}]}
      - {id: C-MISS, title: Committed missed, supports: O, status: achieved,
         kpis: [{name: K, baseline: 0, target: 10, current: 6.9, as_of: 2026-12-20}]}
      - {id: A-MET, title: Aspirational at the bar, supports: O, commitment: aspirational,
         status: missed, kpis: [{name: K, baseline: 0, target: 10, current: 7, as_of: 2026-12-20}]}
      - {id: A-TOP, title: Aspirational at 1.00, supports: O, commitment: aspirational,
         kpis: [{name: K, baseline: 0, target: 10, current: 12, as_of: 2026-12-20}]}
      - {id: A-PART, title: Aspirational partial, supports: O, commitment: aspirational,
         period: Q4-Dec,
         kpis: [{name: K, baseline: 0, target: 10, current: 4, as_of: 2026-12-20}]}
      - {id: NO-KPI, title: Nothing to measure, supports: O}
      - {id: NO-READ, title: Never read, supports: O, kpis: [{name: K, baseline: 0, target: 10}]}
      - {id: DRAFT, title: A draft, supports: O, status: draft}
      - {id: OTHER, title: Another year, supports: O, period: FY,
         kpis: [{name: K, baseline: 0, target: 10, current: 1, as_of: 2026-12-20}]}
people:
  - {id: ann, name: Ann Lee}
"""


def test_grades_follow_the_commitment_and_the_bands(tmp_path: Path) -> None:
    data = _close(make(tmp_path, plan=PLAN), "Q4", "--as-of", "2027-01-15")
    grades = {g["id"]: (g["score"], g["grade"], g["suggested_status"]) for g in data["goals"]}
    assert grades == {
        "O": (0.66, "missed", "missed"),  # its own KPI's 0.70 with its goals' scores
        "C-MET": (1.0, "met", "achieved"),
        "C-PART": (0.7, "partial", "missed"),
        "C-MISS": (0.69, "missed", "missed"),
        "A-MET": (0.7, "met", "achieved"),
        "A-TOP": (1.0, "met", "achieved"),
        "A-PART": (0.4, "partial", "missed"),  # in Q4-Dec, which lies inside Q4
        "NO-KPI": (None, "unknown", None),
        "NO-READ": (None, "unknown", None),
    }  # DRAFT takes no part; OTHER is of FY, not inside Q4
    assert data["counts"] == {"met": 3, "partial": 2, "missed": 2, "unknown": 2}
    assert data["explain"] == ["O", "C-PART", "C-MISS"]
    assert data["low_bar"] == ["A-TOP"]
    assert data["unknown"] == [
        {"id": "NO-KPI", "why": "no KPI and no supporting goal"},
        {"id": "NO-READ", "why": "no reading on or before 2026-12-31"},
    ]
    assert data["contradictions"] == [
        {"id": "C-MISS", "status": "achieved", "grade": "missed"},
        {"id": "A-MET", "status": "missed", "grade": "met"},
    ]
    assert [s["id"] for s in data["status_to_set"]] == ["O", "C-PART", "A-TOP", "A-PART"]
    assert data["departments"] == [
        {
            "id": "sales",
            "name": "Sales",
            "mean_score": 0.75,  # (1.00 + 0.70 + 0.69 + 0.70 + 1.00 + 0.40) / 6
            "counts": {"met": 3, "partial": 2, "missed": 1, "unknown": 2},
        }
    ]
    assert [g["depth"] for g in data["goals"]][:2] == [0, 1]  # the objective, then its goals
    assert data["eased"] == []


def test_the_config_moves_the_bands(tmp_path: Path) -> None:
    root = make(tmp_path, plan=PLAN)
    (root / "cascade.yaml").write_text("close:\n  committed: [0.9, 0.5]\n")
    data = _close(root, "Q4", "--as-of", "2027-01-15")
    grades = {g["id"]: g["grade"] for g in data["goals"]}
    assert (grades["C-MISS"], grades["A-MET"]) == ("partial", "met")  # aspirational kept


def test_a_bad_band_in_the_config_is_one_line_at_its_place(tmp_path: Path) -> None:
    root = make(tmp_path, plan=PLAN)
    (root / "cascade.yaml").write_text("close:\n  committed: [0.5, 0.9]\n")
    done = run(root, "close", "Q4")
    assert done.exit_code == 2 and "cascade.yaml:2:" in done.stderr


def test_an_unknown_period_is_one_line_with_a_did_you_mean(tmp_path: Path) -> None:
    done = run(make(tmp_path, plan=PLAN), "close", "q4")
    assert (done.exit_code, done.stderr) == (
        2,
        "cascade: error: no period 'q4' in the plan; did you mean 'Q4'?\n",
    )


def test_a_plan_with_errors_is_still_reported_and_exits_1(tmp_path: Path) -> None:
    root = make(tmp_path, plan=PLAN + "  - {id: bo, name: Bo, team: nowhere}\n")
    done = run(root, "close", "Q4", "--as-of", "2027-01-15")
    assert done.exit_code == 1
    assert done.stdout.startswith("Cascade close: Q4")
    assert "error[CAS005 unknown-reference]" in done.stderr


def test_plan_text_is_escaped_in_markdown(tmp_path: Path) -> None:
    plan = PLAN.replace("title: Committed met", "title: '<script>x</script> | *bold*'")
    done = run(make(tmp_path, plan=plan), "close", "Q4", "--format", "markdown")
    assert "<script>" not in done.stdout and "\\| \\*bold\\*" in done.stdout


def test_targets_eased_during_the_period_come_from_git(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    make(repo.root, plan=PLAN)
    repo.commit("The plan", date="2026-09-01T09:00:00+00:00")
    plan = repo.root / "plans" / "plan.yaml"
    text = plan.read_text()
    eased = text.replace("target: 100, current: 70", "target: 80, current: 70")
    plan.write_text(eased)
    repo.commit("Ease the objective's target", author="Bo Boss", date="2026-11-02T09:00:00+00:00")
    plan.write_text(eased.replace("target: 80, current: 70", "target: 90, current: 70"))
    repo.commit("Raise it again", date="2026-11-09T09:00:00+00:00")
    data = _close(repo.root, "Q4", "--as-of", "2027-01-15")
    found = [(e["kpi"], e["goal"], e["before"], e["after"], e["author"]) for e in data["eased"]]
    assert found == [("o.k", "O", 100, 80, "Bo Boss")]
    assert data["eased"][0]["date"] == "2026-11-02"
    assert any("was eased from 100 to 80 on 2026-11-02 by Bo Boss" in q for q in data["questions"])
    # Before the period began, nothing had been eased in it.
    assert _close(repo.root, "FY", "--as-of", "2026-10-01")["eased"] == []
