"""`cascade init`: a plan repository that validates clean, written without overwriting."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from cascade import REPOSITORY, __version__
from cascade.cli import app, main
from cascade.commands.init import SCAFFOLD, scaffold
from cascade.config import AlignmentConfig, ConfigFile, RulesConfig, Thresholds
from cascade.schema import config_schema, plan_schema
from tests.conftest import AS_OF, ROOT

EXPECTED_FILES = [
    ".github/workflows/cascade.yml",
    ".pre-commit-config.yaml",
    "cascade.config.schema.json",
    "cascade.schema.json",
    "cascade.yaml",
    "plans/departments/sales.yaml",
    "plans/organization.yaml",
    "plans/people.yaml",
]


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_init_writes_the_repository(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["init", str(tmp_path / "strategy"), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    assert _files(tmp_path / "strategy") == EXPECTED_FILES
    for name in EXPECTED_FILES:
        assert f"  {name}\n" in result.stdout
    text = (tmp_path / "strategy" / "plans" / "organization.yaml").read_text()
    assert "@" not in text.replace("@example", "")  # every marker was filled in
    assert "start: 2026-11-01" in text and "end: 2027-10-31" in text and "id: FY2027" in text


@pytest.mark.parametrize("as_of", [AS_OF, "2027-01-01", "2028-02-29", "2026-12-31"])
def test_scaffold_validates_clean_through_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, as_of: str
) -> None:
    assert main(["init", str(tmp_path), "--as-of", as_of, "-q"]) == 0
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["validate", "--strict", "--as-of", as_of, "-f", "json"])
    assert json.loads(result.stdout) == []
    assert result.exit_code == 0
    # ...also from a folder below: cascade.yaml's `plans:` is relative to itself.
    (tmp_path / "docs").mkdir()
    monkeypatch.chdir(tmp_path / "docs")
    below = CliRunner().invoke(app, ["validate", "--strict", "--as-of", as_of])
    assert below.exit_code == 0, below.stdout


def test_init_never_overwrites_and_lists_what_exists(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "cascade.yaml").write_text("plans: mine/\n")
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "people.yaml").write_text("people: []\n")
    assert main(["init", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "2 of its files exist" in err and "nothing was written" in err
    assert str(tmp_path / "cascade.yaml") in err
    assert str(tmp_path / "plans" / "people.yaml") in err
    assert _files(tmp_path) == ["cascade.yaml", "plans/people.yaml"]  # nothing added
    assert (tmp_path / "cascade.yaml").read_text() == "plans: mine/\n"


def test_a_second_init_is_refused_with_every_file_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", str(tmp_path), "-q"]) == 0
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert main(["init", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert all(name in err for name in EXPECTED_FILES)
    assert before == {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}


def test_init_into_a_file_or_an_unwritable_place_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["init", str(blocker)]) == 2
    assert "it is a file" in capsys.readouterr().err
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / ".github").write_text("not a folder")
    assert main(["init", str(tmp_path / "repo")]) == 2
    assert ".github/workflows/cascade.yml" in capsys.readouterr().err
    assert _files(tmp_path / "repo") == [".github"]


def test_scaffold_files_ship_in_the_package() -> None:
    package = ROOT / "src" / "cascade" / "scaffold"
    assert sorted(p for p, _ in SCAFFOLD) == sorted(
        p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file()
    )


def test_config_shows_every_setting_at_its_default() -> None:
    text = scaffold(datetime.date(2026, 11, 15))["cascade.yaml"]
    uncommented = re.sub(r"^# ?(?=\s*\w+:)", "", text, flags=re.MULTILINE)
    settings = ConfigFile.model_validate(yaml.safe_load(uncommented))
    assert settings == ConfigFile(plans="plans/")
    for model in (RulesConfig, AlignmentConfig, Thresholds):
        for name in model.model_fields:
            assert re.search(rf"^#\s+{name}:", text, re.MULTILINE), name
    for name in ("rules", "alignment", "thresholds"):
        assert f"\n# {name}:\n" in text
    assert ConfigFile.model_validate(yaml.safe_load(text)) == ConfigFile(plans="plans/")


def test_plan_files_point_editors_at_the_schema(tmp_path: Path) -> None:
    files = scaffold(datetime.date(2026, 11, 15))
    assert json.loads(files["cascade.schema.json"]) == plan_schema()
    assert json.loads(files["cascade.config.schema.json"]) == config_schema()
    config_line = files["cascade.yaml"].splitlines()[0]
    assert config_line == "# yaml-language-server: $schema=cascade.config.schema.json"
    for name, text in files.items():
        if name.startswith("plans/"):
            first = text.splitlines()[0]
            relative = first.removeprefix("# yaml-language-server: $schema=")
            assert (tmp_path / name).parent.joinpath(relative).resolve() == (
                tmp_path / "cascade.schema.json"
            ).resolve()


def test_pre_commit_config_uses_this_repositorys_hooks() -> None:
    config = yaml.safe_load(scaffold(datetime.date(2026, 11, 15))[".pre-commit-config.yaml"])
    (repo,) = config["repos"]
    assert repo["repo"] == f"https://github.com/{REPOSITORY}"
    assert repo["rev"] == f"v{__version__}"
    offered = {hook["id"] for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert {hook["id"] for hook in repo["hooks"]} <= offered
    assert [hook["id"] for hook in repo["hooks"]] == ["cascade-validate"]


def test_workflow_uses_this_repositorys_action_with_real_inputs() -> None:
    workflow = yaml.safe_load(
        scaffold(datetime.date(2026, 11, 15))[".github/workflows/cascade.yml"]
    )
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    (job,) = workflow["jobs"].values()
    step = job["steps"][-1]
    assert step["uses"] == f"{REPOSITORY}@v{__version__}"
    assert set(step["with"]) <= set(action["inputs"])
    assert workflow["permissions"]["security-events"] == "write"
    # PyYAML reads the `on:` key as True (YAML 1.1); GitHub reads it as "on".
    triggers = workflow.get("on", workflow.get(True))
    assert "pull_request" in triggers and "push" in triggers


def test_init_defaults_to_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Created a plan repository in the current directory:")
    assert _files(tmp_path) == EXPECTED_FILES


def test_init_inside_the_plan_of_a_repository_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init", "-q", "--as-of", AS_OF]) == 0
    before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    capsys.readouterr()
    for inside in ("plans", "plans/more"):
        assert main(["init", inside, "--as-of", AS_OF]) == 2
        assert "lies inside the plan of cascade.yaml" in capsys.readouterr().err
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == before
    assert main(["init", "-q", "elsewhere", "--as-of", AS_OF]) == 0  # a repository of its own
    assert main(["validate", "--as-of", AS_OF]) == 0
