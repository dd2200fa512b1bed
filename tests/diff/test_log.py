"""`cascade log ID` on a real history: who changed which target when, newest first, down to
the commit that added it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import BUNDLED
from tests.diff.conftest import cascade
from tests.diff.gitrepo import GitRepo

SALES = "plans/departments/sales.yaml"


def change(repo: GitRepo, path: str, before: str, after: str) -> None:
    target = repo.root / path
    text = target.read_text(encoding="utf-8")
    assert text.count(before) == 1, before
    target.write_text(text.replace(before, after), encoding="utf-8")


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> GitRepo:
    repo = GitRepo(tmp_path_factory.mktemp("history") / "repo").with_bundled_plan()
    repo.commit("The 2026 plan", date="2026-01-05T09:00:00+00:00")
    change(repo, SALES, "            target: 96.6\n", "            target: 92\n")
    repo.commit("Lower the deal-size target", author="Bo Builder", date="2026-03-02T09:00:00+00:00")
    change(repo, "plans/organization.yaml", "    due: 2027-06-30\n", "    due: 2027-09-30\n")
    repo.commit("Give OBJ-1 a quarter more", author="Cy Coder", date="2026-04-01T09:00:00+00:00")
    change(repo, SALES, "      - id: SALES-3\n", "      - id: SALES-9\n")
    repo.commit("Renumber the churn goal", author="Cy Coder", date="2026-04-15T09:00:00+00:00")
    # A branch, merged without fast-forward: the merge is compared with its first parent.
    repo.git("checkout", "-q", "-b", "q2-review")
    change(
        repo,
        SALES,
        "        title: Increase average enterprise deal size by 15%\n",
        "        title: Increase average enterprise deal size by 12%\n",
    )
    repo.commit("Retitle SALES-1", author="Di Dev", date="2026-05-01T09:00:00+00:00")
    repo.git("checkout", "-q", "main")
    repo.git(
        "merge", "-q", "--no-ff", "-m", "Merge the Q2 review", "q2-review",
        author="Ann Analyst", date="2026-05-02T09:00:00+00:00",
    )  # fmt: skip
    bob = (
        "      - id: BOB-1\n        title: Sign five multi-site distribution contracts\n"
        "        supports: KA-1\n"
    )
    text = (repo.root / SALES).read_text(encoding="utf-8")
    start = text.index(bob)
    end = text.index("  - id: carol\n")
    (repo.root / SALES).write_text(text[:start] + text[end:], encoding="utf-8")
    change(
        repo,
        SALES,
        "    team: key-accounts\n    goals:\n  - id: carol\n",
        "    team: key-accounts\n\n  - id: carol\n",
    )
    repo.commit("Drop BOB-1", author="Bo Builder", date="2026-06-01T09:00:00+00:00")
    return repo


def log(repo: GitRepo, *args: str, code: int = 0) -> dict[str, object]:
    _, out, _ = cascade(repo.root, "log", *args, "--format", "json", code=code)
    data: dict[str, object] = json.loads(out)
    return data


def entries(repo: GitRepo, *args: str) -> list[tuple[str, str, str, list[tuple[str, str | None]]]]:
    found = log(repo, *args)["entries"]
    assert isinstance(found, list)
    return [
        (e["subject"], e["author"], e["date"], [(c["id"], c["field"]) for c in e["changes"]])
        for e in found
    ]


def test_a_goal_s_history_holds_its_kpis_changes_newest_first(history: GitRepo) -> None:
    assert entries(history, "SALES-1") == [
        ("Merge the Q2 review", "Ann Analyst", "2026-05-02", [("SALES-1", "title")]),
        (
            "Lower the deal-size target",
            "Bo Builder",
            "2026-03-02",
            [("SALES-1.deal-size", "target")],
        ),
        ("The 2026 plan", "Ann Analyst", "2026-01-05", [("SALES-1", None)]),
    ]
    data = log(history, "SALES-1")
    assert data["version"] == 1 and data["id"] == "SALES-1"
    first = data["entries"][0]  # type: ignore[index]
    assert first["commit"] == history.git("rev-parse", "HEAD~1").strip()


def test_a_kpi_s_history_ends_at_the_goal_that_brought_it(history: GitRepo) -> None:
    found = entries(history, "SALES-1.deal-size")
    assert [e[0] for e in found] == ["Lower the deal-size target", "The 2026 plan"]
    target = log(history, "SALES-1.deal-size")["entries"][0]["changes"][0]  # type: ignore[index]
    assert (target["before"], target["after"], target["note"]) == (96.6, 92, "eased")


def test_a_removed_goal_is_still_traced(history: GitRepo) -> None:
    _, out, _ = cascade(history.root, "log", "BOB-1")
    assert out.splitlines()[1].startswith("Removed in ")
    assert [e[0] for e in entries(history, "BOB-1")] == ["Drop BOB-1", "The 2026 plan"]


def test_a_renamed_goal_is_followed_to_its_old_id(history: GitRepo) -> None:
    found = entries(history, "SALES-9")
    assert [e[0] for e in found] == ["Renumber the churn goal", "The 2026 plan"]
    assert found[1][3] == [("SALES-3", None)]


def test_max_count_and_since_limit_what_is_listed(history: GitRepo) -> None:
    assert [e[0] for e in entries(history, "SALES-1", "--max-count", "1")] == [
        "Merge the Q2 review"
    ]
    since = entries(history, "SALES-1", "--since", "2026-02-01")
    assert [e[0] for e in since] == ["Merge the Q2 review", "Lower the deal-size target"]
    _, out, _ = cascade(history.root, "log", "SALES-1", "--since", "2026-02-01")
    assert "before the commits listed" in out


def test_text_shows_short_commit_date_author_and_records(history: GitRepo) -> None:
    _, out, _ = cascade(history.root, "log", "SALES-1.deal-size")
    short = history.git("rev-parse", "--short=12", "HEAD~4").strip()
    assert f"{short}  2026-03-02  Bo Builder  Lower the deal-size target" in out
    assert "target 96.6 → 92 (eased)" in out


def test_an_unknown_id_is_one_line_with_a_suggestion(history: GitRepo) -> None:
    _, _, err = cascade(history.root, "log", "SALSE-1", code=2)
    assert err.count("\n") == 1 and "did you mean 'SALES-1'?" in err


def test_outside_a_repository(tmp_path: Path) -> None:
    shutil.copytree(BUNDLED, tmp_path / "plans")
    _, _, err = cascade(tmp_path, "log", "SALES-1", code=2)
    assert "is not in a git repository" in err


def test_the_readme_example_is_this_history(history: GitRepo) -> None:
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### log") :]
    example = section.split("```\nHistory of ", 1)[1].split("```", 1)[0]
    _, out, _ = cascade(history.root, "log", "SALES-1.deal-size")
    assert "History of " + example == out
