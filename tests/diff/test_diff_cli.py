"""`cascade diff` from the command line on real repositories: which sides, what is read,
what is refused, and what it never touches."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import AS_OF, BUNDLED
from tests.diff.conftest import build_reviewed, cascade
from tests.diff.gitrepo import GitRepo


def fresh(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "repo").with_bundled_plan()
    repo.commit("The 2026 plan")
    return repo


def edit(repo: GitRepo, path: str, before: str, after: str) -> None:
    target = repo.root / path
    text = target.read_text(encoding="utf-8")
    assert text.count(before) == 1
    target.write_text(text.replace(before, after), encoding="utf-8")


def diff_json(folder: Path, *args: str, code: int = 0) -> dict[str, object]:
    _, out, _ = cascade(folder, "diff", *args, "--as-of", AS_OF, "--format", "json", code=code)
    data: dict[str, object] = json.loads(out)
    return data


def test_no_change_says_so_in_every_format(tmp_path: Path) -> None:
    repo = fresh(tmp_path)
    for output_format in ("text", "markdown"):
        _, out, _ = cascade(repo.root, "diff", "--as-of", AS_OF, "--format", output_format)
        assert "No changes to the strategy." in out
    report = diff_json(repo.root)
    assert report["changes"] == [] and report["findings"] == {"new": [], "resolved": []}
    assert report["base"] == {
        "label": "HEAD",
        "commit": repo.git("rev-parse", "HEAD").strip(),
        "files": [
            f"plans/{p.relative_to(BUNDLED).as_posix()}" for p in sorted(BUNDLED.rglob("*.yaml"))
        ],
    }
    assert report["head"]["label"] == "working tree" and report["head"]["commit"] is None
    health = report["health"]
    assert isinstance(health, dict)
    assert (
        health["objectives"]["before"]
        == health["objectives"]["after"]
        == {
            "count": 3,
            "total": 4,
            "share": 0.75,
        }
    )
    assert health["status"]["before"] == health["status"]["after"]


def test_the_working_tree_side_is_the_plan_on_disk_untracked_files_included(tmp_path: Path) -> None:
    repo = fresh(tmp_path)
    edit(repo, "plans/organization.yaml", "        target: 30.0\n", "        target: 26.0\n")
    repo.write(
        "plans/people/new.yaml",
        "people:\n  - id: zoe\n    name: Zoe Ng\n    team: brand\n",
    )  # untracked
    records = diff_json(repo.root)["changes"]
    assert isinstance(records, list)
    found = {(c["kind"], c["id"], c["field"], c["note"]) for c in records}
    assert ("changed", "OBJ-1.share", "target", "eased") in found
    assert ("added", "zoe", None, None) in found


def test_nothing_in_the_repository_changes(tmp_path: Path) -> None:
    repo = build_reviewed(tmp_path / "reviewed")
    edit(repo, "plans/organization.yaml", "        target: 26.0\n", "        target: 25.0\n")
    git_dir = repo.root / ".git"

    def state() -> tuple[str, bytes, str, str]:
        return (
            repo.git("status", "--porcelain"),
            (git_dir / "index").read_bytes(),
            repo.git("for-each-ref", "--format=%(refname) %(objectname)"),
            repo.git("rev-parse", "HEAD"),
        )

    before = state()
    for args in (["diff"], ["diff", "HEAD~1"], ["diff", "HEAD~1", "HEAD"], ["diff", "main...HEAD"]):
        cascade(repo.root, *args, "--as-of", AS_OF)
    cascade(repo.root, "log", "OBJ-1")
    assert state() == before


def test_a_range_from_the_merge_base(tmp_path: Path) -> None:
    repo = fresh(tmp_path)
    repo.git("checkout", "-q", "-b", "feature")
    edit(repo, "plans/organization.yaml", "        target: 30.0\n", "        target: 34.0\n")
    repo.commit("Raise the share target", date="2026-02-01T09:00:00+00:00")
    repo.git("checkout", "-q", "main")
    edit(repo, "plans/organization.yaml", "    due: 2027-06-30\n", "    due: 2027-12-31\n")
    repo.commit("Meanwhile on main", date="2026-02-02T09:00:00+00:00")
    repo.git("checkout", "-q", "feature")
    # From where the branch started: only the branch's own change.
    records = diff_json(repo.root, "main...feature")["changes"]
    assert [(c["id"], c["field"], c["note"]) for c in records] == [
        ("OBJ-1.share", "target", "raised")
    ]
    # Two dots: the two tips, so main's change shows too (the other way round).
    fields = {c["field"] for c in diff_json(repo.root, "main..feature")["changes"]}
    assert fields == {"target", "due"}
    report = diff_json(repo.root, "main...feature")
    assert report["base"]["label"] == "main" and report["head"]["label"] == "feature"
    assert report["base"]["commit"] == repo.git("merge-base", "main", "feature").strip()


def test_two_folders_need_no_git(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(BUNDLED, old)
    shutil.copytree(BUNDLED, new)
    edit_file = new / "organization.yaml"
    edit_file.write_text(
        edit_file.read_text().replace("    due: 2027-06-30\n", "    due: 2027-08-31\n")
    )
    report = diff_json(tmp_path, "old", "new")
    assert report["base"]["commit"] is None
    records = report["changes"]
    assert isinstance(records, list)
    assert [(c["id"], c["note"], c["file"]) for c in records] == [
        ("OBJ-1", "slipped", "new/organization.yaml")
    ]


def test_a_revision_uses_its_own_config_and_plans(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    shutil.copytree(BUNDLED, repo.root / "strategy")
    repo.write("cascade.yaml", "plans: strategy\n")
    repo.commit("Plan in strategy/")
    # The working tree moves the plan; the revision still has it where its config says.
    shutil.move(repo.root / "strategy", repo.root / "plans")
    repo.write("cascade.yaml", "plans: plans\n")
    report = diff_json(repo.root)
    assert all(str(f).startswith("strategy/") for f in report["base"]["files"])  # type: ignore[union-attr]
    assert all(str(f).startswith("plans/") for f in report["head"]["files"])  # type: ignore[union-attr]
    assert report["changes"] == [
        {
            "kind": "changed",
            "item": "config",
            "id": "plans",
            "level": None,
            "title": None,
            "field": None,
            "before": "strategy",
            "after": "plans",
            "note": None,
            "file": "cascade.yaml",
            "line": 1,
        }
    ]


def test_plan_names_the_plan_on_both_sides(tmp_path: Path) -> None:
    repo = fresh(tmp_path)
    edit(repo, "plans/departments/sales.yaml", "            target: 5\n", "            target: 6\n")
    report = diff_json(repo.root, "--plan", "plans/departments/sales.yaml")
    assert report["base"]["files"] == ["plans/departments/sales.yaml"]
    records = report["changes"]
    assert isinstance(records, list)
    assert [(c["id"], c["note"]) for c in records] == [("BOB-1.contracts", "raised")]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["no-such-branch"], "unknown revision 'no-such-branch'"),
        (["--", "--upload-pack=touch pwned"], "is not a revision"),
        (["--", "-n"], "is not a revision"),
        (["a....b"], "cannot read the range"),
        (["...HEAD"], "cannot read the range"),
        (["HEAD", "--plan", "../outside"], "outside the git repository"),
        (["HEAD", "--plan", "nowhere"], "HEAD has no plan: nowhere is not in that revision"),
    ],
)
def test_a_side_that_cannot_be_read_is_one_line_and_exit_2(
    tmp_path: Path, args: list[str], says: str
) -> None:
    repo = fresh(tmp_path)
    if "--plan" in args and "nowhere" in args:
        (repo.root / "nowhere").mkdir()
        (repo.root / "nowhere" / "a.yaml").write_text("objectives: []\n")
    _, _, err = cascade(repo.root, "diff", *args, code=2)
    assert says in err and err.count("\n") == 1, err
    assert not (repo.root / "pwned").exists()


def test_outside_a_repository_or_before_the_first_commit(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    shutil.copytree(BUNDLED, tmp_path / "plain" / "plans")
    _, _, err = cascade(tmp_path / "plain", "diff", code=2)
    assert "is not in a git repository" in err
    empty = GitRepo(tmp_path / "empty")
    shutil.copytree(BUNDLED, empty.root / "plans")
    _, _, err = cascade(empty.root, "diff", code=2)
    assert "the repository has no commits yet" in err


def test_a_revision_without_a_plan(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.write("README", "nothing yet\n")
    repo.commit("Start")
    shutil.copytree(BUNDLED, repo.root / "plans")
    _, _, err = cascade(repo.root, "diff", code=2)
    assert "HEAD has no plan: plans is not in that revision" in err


def test_a_broken_side_is_still_compared_and_its_errors_are_findings(tmp_path: Path) -> None:
    repo = fresh(tmp_path)
    edit(repo, "plans/organization.yaml", "        target: 30.0\n", "        target: [30.0\n")
    edit(
        repo,
        "plans/departments/sales.yaml",
        "      - id: BOB-1\n",
        "      - id: BOB-1\n        owner: carol\n",
    )
    report = diff_json(repo.root)
    new = report["findings"]["new"]  # type: ignore[index]
    assert [f["name"] for f in new] == ["yaml-syntax"]
    records = report["changes"]
    assert isinstance(records, list)
    assert ("BOB-1", "owner") in {(c["id"], c["field"]) for c in records}


def test_fail_on_makes_it_a_gate(tmp_path: Path) -> None:
    repo = fresh(tmp_path)
    edit(repo, "plans/departments/sales.yaml", "            target: 5\n", "")  # a new warning
    cascade(repo.root, "diff", "--as-of", AS_OF)
    cascade(repo.root, "diff", "--as-of", AS_OF, "--fail-on", "error")
    cascade(repo.root, "diff", "--as-of", AS_OF, "--fail-on", "warning", code=1)
    edit(
        repo, "plans/departments/sales.yaml", "        supports: KA-1\n", "        supports: KA-9\n"
    )
    cascade(repo.root, "diff", "--as-of", AS_OF, "--fail-on", "error", code=1)


def test_findings_are_matched_by_rule_and_subject_not_by_line(tmp_path: Path) -> None:
    repo = fresh(tmp_path)
    org = repo.root / "plans" / "organization.yaml"
    org.write_text("# a comment that moves every line down\n\n" + org.read_text())
    report = diff_json(repo.root)
    assert report["findings"] == {"new": [], "resolved": []}
    assert report["changes"] == []


def test_a_goal_renamed_is_one_record_unless_the_title_is_shared(tmp_path: Path) -> None:
    repo = fresh(tmp_path)
    edit(repo, "plans/departments/sales.yaml", "      - id: BOB-1\n", "      - id: BOB-7\n")
    records = diff_json(repo.root)["changes"]
    assert isinstance(records, list)
    assert [(c["kind"], c["id"], c["before"]) for c in records if c["item"] == "goal"] == [
        ("renamed", "BOB-7", "BOB-1")
    ]
    # A second goal with that title at that level: which one BOB-1 became is not known.
    edit(
        repo,
        "plans/departments/sales.yaml",
        "      - id: BOB-7\n",
        "      - id: BOB-8\n        title: Sign five multi-site distribution contracts\n"
        "        supports: KA-1\n      - id: BOB-7\n",
    )
    records = diff_json(repo.root)["changes"]
    assert isinstance(records, list)
    assert [(c["kind"], c["id"]) for c in records if c["item"] == "goal"] == [
        ("removed", "BOB-1"),
        ("added", "BOB-7"),
        ("added", "BOB-8"),
    ]


def test_kpis_without_ids_are_matched_by_goal_and_name(tmp_path: Path) -> None:
    repo = fresh(tmp_path)
    # GUS-1's KPI has no id; a second one before it makes it GUS-1.k2, but it is the same KPI.
    edit(
        repo,
        "plans/departments/marketing.yaml",
        "        kpis:\n          # No id: this KPI is known as GUS-1.k1.\n",
        "        kpis:\n          - name: Webinars held\n"
        "            kind: milestone\n            done: false\n",
    )
    records = diff_json(repo.root)["changes"]
    assert isinstance(records, list)
    assert [(c["kind"], c["item"], c["title"]) for c in records] == [
        ("added", "kpi", "Webinars held")
    ]


def test_markdown_is_cut_at_a_section_when_too_long(tmp_path: Path) -> None:
    repo = fresh(tmp_path)
    people = "".join(
        f"  - id: p{n}\n    name: {'Person with a long name ' * 3}{n}\n    team: brand\n"
        for n in range(900)
    )
    repo.write("plans/people/many.yaml", "people:\n" + people)
    _, out, _ = cascade(repo.root, "diff", "--as-of", AS_OF, "--format", "markdown")
    assert len(out) <= 60_000
    assert out.rstrip("\n").splitlines()[-1].startswith("Cut at 60,000 characters")
    assert "## Needs attention" in out


def test_a_file_name_that_is_not_utf8_is_shown_escaped(tmp_path: Path) -> None:
    import os

    repo = GitRepo(tmp_path / "repo")
    plans = repo.root / "plans"
    plans.mkdir()
    name = os.fsdecode(b"caf\xe9.yaml")
    (plans / name).write_text("objectives:\n  - id: OBJ-1\n    title: Grow\n")
    repo.commit("start")
    (plans / name).write_text("objectives:\n  - id: OBJ-1\n    title: Grow more\n")
    out = tmp_path / "diff.json"
    cascade(repo.root, "diff", "--format", "json", "-o", str(out))
    records = json.loads(out.read_text(encoding="utf-8"))["changes"]
    assert [(c["file"], c["field"]) for c in records] == [("plans/caf\\xe9.yaml", "title")]


def test_no_git_executable_for_a_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = fresh(tmp_path)
    empty = tmp_path / "no-git-here"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    _, _, err = cascade(repo.root, "diff", code=2)
    assert (
        err == "cascade: error: git is not installed: a revision is read with the git executable\n"
    )


def test_a_folder_that_is_not_a_plan(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    shutil.copytree(BUNDLED, tmp_path / "plans")
    _, _, err = cascade(tmp_path, "diff", "empty", "plans", code=2)
    assert "no plan files" in err and err.count("\n") == 1
