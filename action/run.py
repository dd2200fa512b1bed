"""The steps of cascade's GitHub Action (action.yml): validate, then the job summary.

`python run.py validate`: annotations and the full text report in the log, SARIF to a file.
`python run.py summary`: `cascade gaps --format markdown` into the job summary, within
GitHub's 1 MiB limit.
`python run.py diff`: on a pull request, `cascade diff BASE...HEAD --format markdown` (from
where the branch left its base) into the job summary and a file, for a comment.
Inputs come in environment variables (never spliced into a shell).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

CASCADE = [sys.executable, "-m", "cascade"]
SUMMARY_LIMIT = 1_000_000  # bytes; GitHub refuses a step summary over 1 MiB
ANNOTATION_CAP = 10  # GitHub shows at most this many annotations of each kind per step


def _env(name: str) -> str:
    return os.environ.get(name, "").strip()


def _common() -> list[str]:
    """The plan and config options every command takes, from the action's inputs."""
    args = [_env("CASCADE_PLAN")] if _env("CASCADE_PLAN") else []
    if _env("CASCADE_CONFIG"):
        args += ["--config", _env("CASCADE_CONFIG")]
    return args


def _output(**values: str) -> None:
    """Set step outputs (GITHUB_OUTPUT), or print them when run outside GitHub."""
    target = os.environ.get("GITHUB_OUTPUT")
    lines = "".join(f"{key}={value}\n" for key, value in values.items())
    if target:
        with open(target, "a", encoding="utf-8") as stream:
            stream.write(lines)
    else:
        sys.stdout.write(lines)


# The options of `args` (meant for `validate`) that the other reports follow.
_GAPS_VALUED = ("--select", "--ignore", "--as-of", "--cache-dir")
_DIFF_VALUED = ("--as-of", "--cache-dir")
_FLAGS = ("--no-cache",)


def _picked(args: list[str], valued: tuple[str, ...]) -> list[str]:
    """The options among `args` named in `valued` (with their values) or `_FLAGS`."""
    kept: list[str] = []
    words = iter(args)
    for word in words:
        name = word.split("=", 1)[0]
        if word in _FLAGS:
            kept.append(word)
        elif name in valued:
            kept += [word] if "=" in word else [word, next(words, "")]
    return kept


def _gaps_args(args: list[str]) -> list[str]:
    """The part of the `args` input that the gaps report follows."""
    return _picked(args, _GAPS_VALUED)


def _nested(markdown: str) -> str:
    """The report's headings two levels down (`# Cascade gaps` -> `###`), under the
    summary's own `## cascade`."""
    lines, fenced = [], False
    for line in markdown.splitlines(keepends=True):
        if line.startswith(("```", "~~~")):
            fenced = not fenced
        lines.append("##" + line if not fenced and line.startswith("#") else line)
    return "".join(lines)


def validate() -> int:
    """Annotations plus the full report in the log; SARIF for code scanning; never fails."""
    command = [*CASCADE, "validate", *_common(), *shlex.split(_env("CASCADE_ARGS"))]
    # The github format prints the workflow commands, then every finding again as text:
    # GitHub turns only the first ten of each kind into annotations, the log keeps all.
    run = subprocess.run(
        [*command, "--format", "github"], stdout=subprocess.PIPE, text=True, check=False
    )
    sys.stdout.write(run.stdout)
    counts = {kind: 0 for kind in ("error", "warning", "notice")}
    for line in run.stdout.splitlines():
        for kind in counts:
            if line.startswith(f"::{kind} "):
                counts[kind] += 1
    over = [f"{n} {kind}s" for kind, n in counts.items() if n > ANNOTATION_CAP]
    if over:
        print(
            f"cascade: GitHub shows {ANNOTATION_CAP} annotations of each kind per step; "
            f"this run has {', '.join(over)}: the full list is above"
            + (" and in code scanning." if _env("CASCADE_SARIF") else ".")
        )
    summary = run.stdout.rstrip("\n").rpartition("\n")[2] if run.returncode != 2 else ""
    outputs = {"exit-code": str(run.returncode), "summary": summary, "sarif-file": ""}
    sarif = _env("CASCADE_SARIF")
    if sarif and run.returncode != 2:
        written = subprocess.run(
            [*command, "--format", "sarif", "--output", sarif, "--quiet"], check=False
        )
        if written.returncode != 2 and Path(sarif).is_file():
            outputs["sarif-file"] = sarif
    _output(**outputs)
    return 0


def summary() -> int:
    """The gaps report as Markdown in the job summary, cut at a line to fit GitHub's limit."""
    report = Path(_env("CASCADE_REPORT") or "cascade-gaps.md")
    report.unlink(missing_ok=True)
    shared = _gaps_args(shlex.split(_env("CASCADE_ARGS")))
    gaps = subprocess.run(
        [*CASCADE, "gaps", *_common(), *shared, "--format", "markdown", "--output", str(report)],
        check=False,
    )
    head = "## cascade\n\n"
    if _env("CASCADE_VALIDATE_SUMMARY"):
        head += f"`cascade validate`: {_env('CASCADE_VALIDATE_SUMMARY')}\n\n"
    if gaps.returncode == 2 or not report.is_file():
        body = "The gaps report could not be written; the job's log says why.\n"
    else:
        body = _nested(report.read_text(encoding="utf-8"))
    text, truncated = fit(head + body, SUMMARY_LIMIT)
    _write_summary(text)
    _output(truncated="true" if truncated else "false", report=str(report))
    return 0


def fit(text: str, limit: int) -> tuple[str, bool]:
    """`text` if it fits in `limit` bytes (UTF-8), else its first whole lines and a note."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text, False
    note = (
        "\n\n_The report was cut here: GitHub allows 1 MiB in a job summary. "
        "The whole report is in the workflow run's `cascade-gaps` artifact._\n"
    )
    room = limit - len(note.encode("utf-8"))
    cut = data[:room].rfind(b"\n")
    kept = data[: max(cut, 0)].decode("utf-8", errors="ignore")
    return kept + note, True


def diff_base() -> str | None:
    """What a pull request is compared with: the `diff-base` input, else the pull
    request's base branch as fetched (`origin/main`); None outside a pull request."""
    if _env("CASCADE_DIFF_BASE"):
        return _env("CASCADE_DIFF_BASE")
    if _env("GITHUB_BASE_REF"):
        return f"origin/{_env('GITHUB_BASE_REF')}"
    return None


def diff() -> int:
    """The pull request's changes to the strategy as Markdown: into the job summary and a
    file (the `diff-file` output), from the merge base with the base branch. Never fails:
    a diff that cannot run says why, in the summary and the log."""
    base = diff_base()
    report = Path(_env("CASCADE_DIFF_REPORT") or "cascade-diff.md")
    report.unlink(missing_ok=True)
    if base is None:
        print("cascade: not a pull request (no base branch): no diff")
        _output(**{"diff-file": ""})
        return 0
    plan = ["--plan", _env("CASCADE_PLAN")] if _env("CASCADE_PLAN") else []
    shared = _picked(shlex.split(_env("CASCADE_ARGS")), _DIFF_VALUED)
    done = subprocess.run(
        [
            *CASCADE,
            "diff",
            f"{base}...HEAD",
            *plan,
            *shared,
            "--format",
            "markdown",
            "--output",
            str(report),
        ],
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    if done.returncode == 2 or not report.is_file():
        sys.stderr.write(done.stderr)
        why = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "it could not run"
        body = (
            f"## cascade diff\n\nThe changes to the strategy could not be compared: {why}\n"
            "(check the base branch out with `actions/checkout` and `fetch-depth: 0`).\n"
        )
        _write_summary(body)
        _output(**{"diff-file": ""})
        return 0
    text, _ = fit(_nested(report.read_text(encoding="utf-8")), SUMMARY_LIMIT)
    _write_summary(text)
    _output(**{"diff-file": str(report)})
    return 0


def _write_summary(text: str) -> None:
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        with open(target, "a", encoding="utf-8") as stream:
            stream.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    steps = {"validate": validate, "summary": summary, "diff": diff}
    if len(sys.argv) != 2 or sys.argv[1] not in steps:
        sys.exit(f"usage: run.py {'|'.join(steps)}")
    sys.exit(steps[sys.argv[1]]())
