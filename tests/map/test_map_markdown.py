"""The Markdown map: what a reader finds in it, and that plan text cannot break it."""

from __future__ import annotations

import re
from pathlib import Path

from maphelp import AS_OF, BUNDLED, run, write

from cascade.controls import markdown_inline as markdown_text
from cascade.render.env import number, percent, text_bar


def test_sections_a_reader_expects(small_plan: Path) -> None:
    text = run("map", small_plan, "--as-of", AS_OF).stdout
    headings = re.findall(r"^#+ .*$", text, re.MULTILINE)
    assert headings == [
        "# Acme — strategic map",
        "## Map",
        "## Objectives",
        "### OBJ-1 · Grow revenue",
        "### OBJ-2 · Happier customers",
        "## Goals that reach no objective",
        "## Alignment matrix",
        "## Gaps",
    ]
    assert "> **Vision:** Make widgets people love" in text
    # An objective's KPIs, with a text progress bar and the status.
    assert "| Revenue | USD | 100 | 150 | 200 | `█████░░░░░` 50% | off track |" in text
    # The goals below, nested, each with level, unit, owner, progress and status.
    assert (
        "- **S-1** Sell more — department · Sales · Ann Lee · `█████████░` 90% · on track"
    ) in text
    assert "- ↳ **S-1** Sell more — drawn under OBJ-2" in text  # its second parent
    assert re.search(r"^  - \*\*B-1\*\* Answer every lead — individual · Bob Roe · ", text, re.M)
    assert "| Sales | 3 | 1 |" in text
    assert "Run `cascade gaps` for the full report" in text


def test_plan_text_cannot_inject_markdown_or_html(tmp_path: Path) -> None:
    plan = write(
        tmp_path,
        {
            "p.yaml": """
                organization:
                  name: "Evil <script>alert(1)</script> Inc"
                  vision: "# Not a heading | not | a table"
                objectives:
                  - id: OBJ-1
                    title: "[click](https://evil.example) **bold** `code` <img src=x onerror=f()>"
                    kpis:
                      - {name: "a | b", baseline: 0, target: 1, current: 1}
            """
        },
    )
    text = run("map", plan).stdout
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;" in text
    assert "\\[click\\](https://evil.example) \\*\\*bold\\*\\* \\`code\\`" in text
    assert "| a \\| b |" in text
    # Mermaid labels hold no raw markup either.
    block = re.search(r"```mermaid\n(.*?)```", text, re.DOTALL)
    assert block and "<script" not in block.group(1) and "<img" not in block.group(1)


def test_display_helpers() -> None:
    assert markdown_text("1. first\nsecond") == "1\\. first second"
    assert markdown_text("- item") == "\\- item"
    assert number(6200.0) == "6,200" and number(96.6) == "96.6" and number(None) == "—"
    assert percent(0.996) == "99%" and percent(1.0) == "100%" and percent(None) == "—"
    assert text_bar(0.5) == "█████░░░░░" and text_bar(None) == "░" * 10


def test_scope_is_said_in_words() -> None:
    text = run("map", BUNDLED, "--as-of", AS_OF, "--root", "KA-1", "--depth", "1").stdout
    assert "Showing the goals under KA-1 (which serves SALES-1 → OBJ-1), 1 level deep." in text
    assert "## Goal\n\n### KA-1 · Grow share of wallet" in text


def test_an_objective_below_an_unlinked_goal_is_drawn_in_its_own_section(
    tmp_path: Path,
) -> None:
    plan = write(
        tmp_path,
        {
            "p.yaml": """
                objectives:
                  - {id: OBJ-1, title: Grow, supports: G-1}
                departments:
                  - id: d
                    goals:
                      - {id: G-1, title: Above the objective}
                      - {id: G-2, title: Below it, supports: OBJ-1}
            """
        },
    )
    text = run("map", plan, "--as-of", AS_OF).stdout  # OBJ-1 supports G-1: level-inversion
    assert "  - **OBJ-1** Grow — objective, see its own section" in text
    assert text.count("- **G-2** Below it —") == 1  # in OBJ-1's section, not again below G-1
