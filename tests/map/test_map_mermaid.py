"""Mermaid output: escaping, safe ids, GitHub's size limits, and Mermaid's own parser."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from maphelp import AS_OF, BUNDLED, mermaid_parse, node_ready, run

from cascade.render.mermaid import MAX_CHARS, MAX_EDGES, escape, size

NODE_SKIP = node_ready()
needs_node = pytest.mark.skipif(NODE_SKIP is not None, reason=f"Mermaid parser: {NODE_SKIP}")

HOSTILE_TITLES = [
    "Say \"hello\" to 'quotes'",
    "Brackets [a] (b) {c} [[d]] ((e)) {{f}} >g]",
    "Hash #1 and #35; and #quot; entity look-alikes",
    "Less < more > and <b>bold</b> <script>alert(1)</script>",
    "end",
    "end of the end --> subgraph end",
    "Ampersand & semicolon; pipe | backtick ` percent 100%%{init: {}}%%",
    "graph TD; A-->B; click A call alert()",
    "Newline\nin the middle\tand tabs",
    "o-rings and x-rays",
    "Unicode: Résumé 🚀 — 日本",
]


def hostile_plan(folder: Path) -> Path:
    """A plan whose every text is awkward for Mermaid (ids too: `end`, `o1`, `x1`)."""

    def q(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    name, vision = 'Ops "<&>" #1', 'A vision with "quotes", <tags> & end'
    one, x1, dept = 'Objective "one" <end>', "Objective x1 [with] (brackets)", 'Dept "end" <x>'
    lines = [
        "organization:",
        f"  name: {q(name)}",
        f"  vision: {q(vision)}",
        "objectives:",
        f"  - {{id: OBJ-1, title: {q(one)}}}",
        f"  - {{id: x1, title: {q(x1)}}}",
        "departments:",
        "  - id: end-dept",
        f"    name: {q(dept)}",
        "    goals:",
    ]
    for n, title in enumerate(HOSTILE_TITLES):
        parent = ("OBJ-1", "x1")[n % 2] if n < 3 else "end"
        lines += [
            f"      - id: {'end' if n == 0 else f'o{n}'}",
            f"        title: {q(title)}",
            f"        supports: {parent}",
            f"        kpis: [{{name: {q(title)}, baseline: 0, target: 10, current: {n}}}]",
        ]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "plan.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_escape_uses_mermaid_entities() -> None:
    assert escape('a "b" #c <d> & `e` |f|') == (
        "a #quot;b#quot; #35;c #lt;d#gt; #amp; #96;e#96; #124;f#124;"
    )
    assert escape("50% and %%{init}%%") == "50% and #37;%{init}#37;%"
    assert escape("two\nlines\x00 here ") == "two lines here"


def test_node_ids_are_generated_never_keywords(tmp_path: Path) -> None:
    result = run("map", hostile_plan(tmp_path), "--format", "mermaid")
    assert result.code == 0, result.stderr
    text = result.stdout
    declared = re.findall(r"^\s+(\w+)(?:\(|\{\{|\[)", text, re.MULTILINE)
    edges = re.findall(r"^\s+(\w+) -\.?-?>(?:\|[^|]*\|)? (\w+)$", text, re.MULTILINE)
    assert declared and edges
    for key in declared + [k for pair in edges for k in pair]:
        assert re.fullmatch(r"[ns]\d+", key), key
    assert "end" not in declared
    # Every piece of plan text is inside quotes, escaped: no raw <, >, " or # in labels.
    for label in re.findall(r'"((?:[^"])*)"', text):
        assert "<" not in label.replace("<br/>", "")
        assert ">" not in label.replace("<br/>", "")
        assert not re.search(r"#(?!\w+;)", label)


def test_github_limits_split_a_big_plan(tmp_path: Path) -> None:
    plan = big_plan(tmp_path, objectives=4, departments=6, per_department=90)
    result = run("map", plan, "--format", "mermaid", "--as-of", AS_OF)
    assert result.code == 0
    parts = result.stdout.split("\n%% ")
    assert len(parts) > 1
    assert "too large for one Mermaid diagram" in result.stderr
    drawn_goals: set[str] = set()
    drawn_links = 0
    for n, part in enumerate(parts):
        text = part if n == 0 else "%% " + part
        edges = len(re.findall(r" -\.?-?>", text))
        assert edges <= MAX_EDGES
        assert size(text) <= MAX_CHARS
        drawn_goals |= set(re.findall(r'"(G\d+-\d+|OBJ-\d+) · ', text))
        drawn_links += edges
    goals = 4 + 6 * 90
    assert len(drawn_goals) == goals  # nothing left out
    assert drawn_links >= goals - 4  # every goal's link to its parent is drawn somewhere


def test_markdown_of_a_big_plan_holds_only_diagrams_that_fit(tmp_path: Path) -> None:
    plan = big_plan(tmp_path, objectives=2, departments=3, per_department=250)
    text = run("map", plan, "--as-of", AS_OF).stdout
    blocks = re.findall(r"```mermaid\n(.*?)```", text, re.DOTALL)
    assert len(blocks) > 1
    assert "it is drawn in" in text
    for block in blocks:
        assert len(re.findall(r" -\.?-?>", block)) <= MAX_EDGES
        assert size(block) <= MAX_CHARS


def big_plan(folder: Path, objectives: int, departments: int, per_department: int) -> Path:
    lines = ["objectives:"]
    for o in range(objectives):
        lines.append(f"  - {{id: OBJ-{o}, title: Objective number {o} with a longish title}}")
    lines.append("departments:")
    for d in range(departments):
        lines += [f"  - id: dep{d}", f"    name: Department {d}", "    goals:"]
        for g in range(per_department):
            parent = f"OBJ-{(d + g) % objectives}" if g < 10 else f"G{d}-{g // 10}"
            lines.append(
                f"      - {{id: G{d}-{g}, title: Goal {g} of department {d} that does a thing,"
                f" supports: {parent}, kpis: [{{name: k, baseline: 0, target: 10, current: 5}}]}}"
            )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "plan.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@needs_node
def test_mermaid_parses_the_bundled_plan_and_hostile_titles(tmp_path: Path) -> None:
    texts = [
        run("map", BUNDLED, "--format", "mermaid", "--as-of", AS_OF).stdout,
        run("map", hostile_plan(tmp_path / "hostile"), "--format", "mermaid").stdout,
        run("map", BUNDLED, "--format", "mermaid", "--root", "OBJ-1").stdout,
        run("map", BUNDLED, "--format", "mermaid", "--unit", "sales").stdout,
    ]
    blocks = re.findall(
        r"```mermaid\n(.*?)```", run("map", BUNDLED, "--as-of", AS_OF).stdout, re.DOTALL
    )
    results = mermaid_parse(texts + blocks)
    for text, result in zip(texts + blocks, results, strict=True):
        assert result["ok"], (result["error"], text[:400])
        assert result["type"] == "flowchart-v2"
        assert result["edges"] == len(re.findall(r" -\.?-?>", text))


@needs_node
def test_mermaid_parses_every_part_of_a_split_plan(tmp_path: Path) -> None:
    plan = big_plan(tmp_path, objectives=3, departments=4, per_department=130)
    text = run("map", plan, "--format", "mermaid", "--as-of", AS_OF).stdout
    parts = ["%% " + p if n else p for n, p in enumerate(text.split("\n%% "))]
    assert len(parts) > 1
    for result in mermaid_parse(parts):
        assert result["ok"], result["error"]
        assert isinstance(result["edges"], int) and result["edges"] <= MAX_EDGES


@needs_node
def test_the_parser_check_can_fail() -> None:
    # The check is real: `end` as a node id does not parse, nor do 501 edges.
    too_many = "flowchart TD\n" + "".join(f"  a{n} --> b{n}\n" for n in range(MAX_EDGES + 1))
    bad = mermaid_parse(["flowchart TD\n  a --> end\n", too_many])
    assert bad[0]["ok"] is False and "Parse error" in str(bad[0]["error"])
    assert bad[1]["ok"] is False and "Edge limit exceeded" in str(bad[1]["error"])
