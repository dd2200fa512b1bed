"""Helpers for the map tests: run the CLI, write small plans, find node and Chromium."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

import cascade.cli

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "plans"
AS_OF = "2026-11-15"
CHROMIUM = Path("/usr/bin/chromium")
NODE_HOME = Path(os.environ.get("CASCADE_NODE_HOME", REPO / ".ci" / "cache" / "node"))
MERMAID_CHECK = Path(__file__).parent / "mermaid_check.mjs"


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def run(*args: str | Path) -> Run:
    """`cascade ARGS` through typer's CliRunner (stdout and stderr kept apart)."""
    result = CliRunner().invoke(cascade.cli.app, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result.exit_code, result.stdout, result.stderr)


def write(folder: Path, files: dict[str, str]) -> Path:
    """Write plan files (YAML given as indented text) below `folder`; return `folder`."""
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return folder


SMALL = {
    "plan.yaml": """
        organization:
          name: Acme
          vision: Make widgets people love
          period: FY
        periods:
          - {id: FY, start: 2026-01-01, end: 2026-12-31}
        objectives:
          - id: OBJ-1
            title: Grow revenue
            owner: ann
            perspective: financial
            kpis:
              - {id: OBJ-1.rev, name: Revenue, unit: USD, baseline: 100, target: 200, current: 150}
          - id: OBJ-2
            title: Happier customers
            owner: ann
            kpis:
              - {name: NPS, baseline: 10, target: 50, current: 20}
        departments:
          - id: sales
            name: Sales
            lead: ann
            goals:
              - id: S-1
                title: Sell more
                supports: [OBJ-1, {goal: OBJ-2, weight: 3}]
                kpis:
                  - {name: Deals, baseline: 0, target: 10, current: 9}
              - id: S-2
                title: Lonely goal
                kpis:
                  - {name: Calls, baseline: 0, target: 10, current: 1}
        teams:
          - id: inside
            name: Inside
            department: sales
            lead: bob
            goals:
              - id: T-1
                title: Call back fast
                supports: OBJ-1.rev
                kpis:
                  - {name: Hours, baseline: 24, target: 4, current: 8}
        people:
          - id: ann
            name: Ann Lee
            department: sales
          - id: bob
            name: Bob Roe
            team: inside
            goals:
              - id: B-1
                title: Answer every lead
                supports: T-1
                kpis:
                  - {name: Leads answered, unit: "%", baseline: 50, target: 100, current: 90}
    """,
}


def map_json(*args: str | Path) -> dict[str, object]:
    date = () if "--as-of" in args else ("--as-of", AS_OF)
    result = run("map", *args, "--format", "json", *date)
    assert result.code in (0, 1), result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def node_ready() -> str | None:
    """Why the Mermaid parser cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not installed"
    for package in ("mermaid", "jsdom"):
        if not (NODE_HOME / "node_modules" / package / "package.json").is_file():
            return f"npm package {package} is not in {NODE_HOME} (.ci/run installs it)"
    return None


def mermaid_parse(texts: list[str]) -> list[dict[str, object]]:
    """Each diagram through Mermaid's own parser (see mermaid_check.mjs)."""
    done = subprocess.run(
        ["node", str(MERMAID_CHECK), str(NODE_HOME)],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results: list[dict[str, object]] = json.loads(done.stdout)
    return results


def unpack(page: str) -> tuple[dict[str, Any], list[list[dict[str, Any]]]]:
    """The index and the detail chunks of a packed HTML map, as its script reads them."""
    import base64
    import re
    import zlib

    def read(text: str) -> Any:
        return json.loads(zlib.decompress(base64.b64decode(text)).decode("utf-8"))

    index = re.search(
        r'<script type="application/octet-stream" id="cascade-index">(.*?)</script>', page
    )
    details = re.search(
        r'<script type="application/octet-stream" id="cascade-details">(.*?)</script>',
        page,
        re.DOTALL,
    )
    assert index and details, "not a packed page"
    return read(index.group(1)), [read(chunk) for chunk in details.group(1).split("\n")]


def wide_plan(folder: Path, goals: int) -> Path:
    """One objective with `goals` department goals under it; W-7 has a personal goal below."""
    lines = [
        "organization: {name: Wide}",
        "objectives:",
        "  - {id: OBJ-1, title: One objective,",
        "     kpis: [{name: Share, baseline: 0, target: 10, current: 4}]}",
        "departments:",
        "  - id: ops",
        "    name: Operations",
        "    goals:",
    ]
    for number in range(1, goals + 1):
        lines.append(
            f"      - {{id: W-{number}, title: Wide goal number {number}, supports: OBJ-1, "
            f"kpis: [{{name: Count {number}, baseline: 0, target: 10, current: 5}}]}}"
        )
    lines += [
        "people:",
        "  - id: pia",
        "    name: Pia Holm",
        "    department: ops",
        "    goals:",
        "      - {id: PIA-1, title: Hidden treasure below, supports: W-7, "
        "kpis: [{name: Finds, baseline: 0, target: 4, current: 1}]}",
    ]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "plan.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def generated_plan(folder: Path, people: int) -> Path:
    """The benchmark's synthetic plan of `people` people (deterministic); its plan folder."""
    subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "generate.py"), str(people), str(folder)],
        check=True,
        capture_output=True,
    )
    return folder / "plans"
