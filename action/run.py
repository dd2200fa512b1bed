"""The steps of cascade's GitHub Action (action.yml): validate, then the job summary.

`python run.py validate`: annotations and the full text report in the log, SARIF to a file.
`python run.py summary`: `cascade gaps --format markdown` into the job summary, within
GitHub's 1 MiB limit. Inputs come in environment variables (never spliced into a shell).
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


# The options of `args` that `cascade gaps` takes too, so both reports follow them.
_SHARED_VALUED = ("--select", "--ignore", "--as-of", "--cache-dir")
_SHARED_FLAGS = ("--no-cache",)


def _gaps_args(args: list[str]) -> list[str]:
    """The part of the `args` input (meant for `validate`) that the gaps report follows."""
    kept: list[str] = []
    words = iter(args)
    for word in words:
        name = word.split("=", 1)[0]
        if word in _SHARED_FLAGS:
            kept.append(word)
        elif name in _SHARED_VALUED:
            kept += [word] if "=" in word else [word, next(words, "")]
    return kept


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
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        with open(target, "a", encoding="utf-8") as stream:
            stream.write(text)
    else:
        sys.stdout.write(text)
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


if __name__ == "__main__":
    steps = {"validate": validate, "summary": summary}
    if len(sys.argv) != 2 or sys.argv[1] not in steps:
        sys.exit(f"usage: run.py {'|'.join(steps)}")
    sys.exit(steps[sys.argv[1]]())
