"""pre-commit hooks and the GitHub Action: they parse, and name real commands and flags."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml
from typer.testing import CliRunner

from cascade import REPOSITORY, __version__
from cascade.cli import app
from tests.conftest import AS_OF, BUNDLED, CASES, ROOT

HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
RUN = ROOT / "action" / "run.py"
SRC = ROOT / "src"


def _help(command: str) -> str:
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0, f"`cascade {command}` is not a command"
    return result.stdout


def test_pre_commit_hooks() -> None:
    hooks = {hook["id"]: hook for hook in HOOKS}
    assert set(hooks) == {"cascade-validate", "cascade-map"}
    for hook in HOOKS:
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "python"  # pre-commit installs this repository itself
        assert hook["pass_filenames"] is False  # once per commit, on the whole plan
        assert re.search(hook["files"], "plans/sales.yaml")
        assert re.search(hook["files"], "plans/sales.yml")
        assert not re.search(hook["files"], "README.md")
        program, command = shlex.split(hook["entry"])
        assert program == "cascade"
        _help(command)
    assert "--output" in _help("map")  # what the map hook's `args` must give


def test_action_inputs_and_steps() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert {"plan", "config", "args", "upload-sarif", "summary"} <= set(ACTION["inputs"])
    for name, spec in ACTION["inputs"].items():
        assert spec["description"] and "default" in spec, name
    steps = ACTION["runs"]["steps"]
    uses = [step.get("uses", "") for step in steps]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash"
            # Inputs reach scripts through the environment, never spliced into the script.
            assert "${{" not in step["run"], step["run"]
    scripts = " ".join(step.get("run", "") for step in steps)
    assert 'action/run.py" validate' in scripts and 'action/run.py" summary' in scripts
    assert 'action/run.py" diff' in scripts and "diff-file" in ACTION["outputs"]


def test_the_flags_the_action_passes_exist() -> None:
    source = RUN.read_text(encoding="utf-8")
    validate_help, gaps_help = _help("validate"), _help("gaps")
    for flag in ("--format", "--output", "--quiet", "--config"):
        assert flag in validate_help
    for flag in ("--format", "--output", "--config"):
        assert flag in gaps_help
    assert '"validate"' in source and '"gaps"' in source
    assert "markdown" in gaps_help and "sarif" in validate_help and "github" in validate_help


def _run_step(
    step: str, tmp_path: Path, cwd: Path | None = None, **env: str
) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    outputs = tmp_path / "outputs.txt"
    environ = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "GITHUB_OUTPUT": str(outputs),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        **env,
    }
    done = subprocess.run(
        [sys.executable, str(RUN), step],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )
    values = (
        dict(line.split("=", 1) for line in outputs.read_text(encoding="utf-8").splitlines())
        if outputs.exists()
        else {}
    )
    return done, values


def test_validate_step_annotates_reports_and_never_fails(tmp_path: Path) -> None:
    sarif = tmp_path / "cascade.sarif"
    plan = CASES / "unknown-reference" / "plans"
    done, outputs = _run_step(
        "validate",
        tmp_path,
        CASCADE_PLAN=str(plan),
        CASCADE_SARIF=str(sarif),
        CASCADE_ARGS=f"--as-of {AS_OF}",
    )
    assert done.returncode == 0, done.stderr
    assert outputs["exit-code"] == "1"
    assert outputs["sarif-file"] == str(sarif)
    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    errors = [line for line in done.stdout.splitlines() if line.startswith("::error ")]
    assert len(errors) == 10
    # Every finding is in the log as text too, and the summary line is an output.
    assert done.stdout.count("error[CAS005") == 10
    assert outputs["summary"].startswith("10 errors")


def test_validate_step_notes_the_annotation_cap(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    goals = "".join(f"  - {{id: O-{i}, title: t, supports: NOPE}}\n" for i in range(12))
    (plans / "a.yaml").write_text(f"objectives:\n{goals}")
    done, outputs = _run_step("validate", tmp_path, CASCADE_PLAN=str(plans))
    assert outputs["exit-code"] == "1"
    assert "GitHub shows 10 annotations of each kind per step" in done.stdout
    assert "12 errors" in done.stdout


def test_validate_step_reports_a_bad_command_line(tmp_path: Path) -> None:
    done, outputs = _run_step("validate", tmp_path, CASCADE_ARGS="--frobnicate")
    assert outputs["exit-code"] == "2" and outputs["sarif-file"] == ""
    assert "--frobnicate" in done.stderr


def test_summary_step_writes_the_gaps_report(tmp_path: Path) -> None:
    report = tmp_path / "gaps.md"
    done, outputs = _run_step(
        "summary",
        tmp_path,
        CASCADE_PLAN=str(BUNDLED),
        CASCADE_REPORT=str(report),
        CASCADE_VALIDATE_SUMMARY="No problems found in 6 files",
    )
    assert done.returncode == 0, done.stderr
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("## cascade\n\n`cascade validate`: No problems found in 6 files\n")
    gaps = report.read_text(encoding="utf-8")
    assert gaps.startswith("# Cascade gaps")
    assert "\n### Cascade gaps" in summary  # nested under the summary's own heading
    headings = [line for line in summary.splitlines() if line.startswith("#")]
    assert headings[0] == "## cascade" and all(h.startswith("###") for h in headings[1:])
    assert outputs["truncated"] == "false"


def test_summary_follows_the_rules_the_args_select(tmp_path: Path) -> None:
    report = tmp_path / "gaps.md"
    args = {"CASCADE_PLAN": str(BUNDLED), "CASCADE_REPORT": str(report)}
    _run_step("summary", tmp_path, **args, CASCADE_ARGS=f"--as-of {AS_OF} --strict")
    assert "level-skip" in report.read_text(encoding="utf-8")
    _run_step(
        "summary",
        tmp_path,
        **args,
        CASCADE_ARGS=f"--strict --ignore level-skip --as-of={AS_OF} -f github",
    )
    text = report.read_text(encoding="utf-8")
    assert "level-skip" not in text and f"As of {AS_OF}" in text


def test_summary_is_cut_on_a_line_within_githubs_limit() -> None:
    sys.path.insert(0, str(RUN.parent))
    try:
        from run import fit  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(RUN.parent))
    small, cut = fit("short\n", 100)
    assert (small, cut) == ("short\n", False)
    line = "| a row with ünïcödé |\n"
    text, cut = fit(line * 100_000, 1_000_000)
    assert cut is True
    assert len(text.encode("utf-8")) <= 1_000_000
    body, _, note = text.partition("\n\n_The report was cut")
    assert body.endswith("|") and set(body.split("\n")) == {line.strip()}
    assert "cascade-gaps" in note


def _readme_yaml_blocks() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```yaml\n(.*?)```", readme, re.DOTALL)


def test_readme_pre_commit_snippet_is_real() -> None:
    (block,) = [b for b in _readme_yaml_blocks() if "repos:" in b]
    (repo,) = yaml.safe_load(block)["repos"]
    assert repo["repo"] == f"https://github.com/{REPOSITORY}"
    assert repo["rev"] == f"v{__version__}"
    assert {hook["id"] for hook in repo["hooks"]} == {hook["id"] for hook in HOOKS}


def test_readme_action_snippet_is_real() -> None:
    (block,) = [b for b in _readme_yaml_blocks() if f"uses: {REPOSITORY}@" in b]
    workflow = yaml.safe_load(block)
    (job,) = workflow["jobs"].values()
    (step,) = [s for s in job["steps"] if s.get("uses", "").startswith(REPOSITORY)]
    assert step["uses"] == f"{REPOSITORY}@v{__version__}"
    assert set(step["with"]) <= set(ACTION["inputs"])
    assert workflow["permissions"]["security-events"] == "write"


def _pull_request(tmp_path: Path) -> Path:
    """A repository whose `feature` branch eases a target, checked out."""
    from tests.diff.gitrepo import GitRepo

    repo = GitRepo(tmp_path / "repo").with_bundled_plan()
    repo.commit("The 2026 plan")
    repo.git("checkout", "-q", "-b", "feature")
    org = repo.root / "plans" / "organization.yaml"
    org.write_text(org.read_text().replace("        target: 30.0\n", "        target: 26.0\n"))
    repo.commit("Ease the share target", date="2026-02-01T09:00:00+00:00")
    return repo.root


def test_diff_step_writes_the_pull_request_s_diff(tmp_path: Path) -> None:
    root = _pull_request(tmp_path)
    report = tmp_path / "diff.md"
    done, outputs = _run_step(
        "diff",
        tmp_path,
        cwd=root,
        GITHUB_BASE_REF="main",
        CASCADE_DIFF_BASE="main",  # no remote here: the base branch itself
        CASCADE_DIFF_REPORT=str(report),
        CASCADE_ARGS=f"--strict --as-of {AS_OF}",
    )
    assert done.returncode == 0, done.stderr
    assert outputs["diff-file"] == str(report)
    assert report.read_text(encoding="utf-8").startswith("# Cascade diff: `main` → `HEAD`")
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("### Cascade diff")
    assert "target 30 → 26 (eased)" in summary and "\n#### Needs attention\n" in summary
    assert "\n## " not in summary  # nested under the job summary's headings


def test_diff_step_outside_a_pull_request_does_nothing(tmp_path: Path) -> None:
    root = _pull_request(tmp_path)
    env = {k: "" for k in ("GITHUB_BASE_REF", "CASCADE_DIFF_BASE")}
    done, outputs = _run_step("diff", tmp_path, cwd=root, **env)
    assert done.returncode == 0 and outputs["diff-file"] == ""
    assert not (tmp_path / "summary.md").exists()


def test_diff_step_says_why_it_could_not_compare(tmp_path: Path) -> None:
    root = _pull_request(tmp_path)
    done, outputs = _run_step("diff", tmp_path, cwd=root, GITHUB_BASE_REF="release")
    assert done.returncode == 0 and outputs["diff-file"] == ""
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "unknown revision 'origin/release'" in summary and "fetch-depth: 0" in summary
