"""The HTML map of a big plan: packed data instead of one element per goal, chosen by size
(or --html-layout), still one self-contained, deterministic and escaped file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from maphelp import AS_OF, BUNDLED, map_json, run, unpack, wide_plan, write

from cascade.render import compact


def page_of(*args: str | Path) -> str:
    result = run("map", *args, "--format", "html", "--as-of", AS_OF)
    assert result.code in (0, 1), result.stderr
    return result.stdout


def test_small_plans_keep_the_full_page() -> None:
    page = page_of(BUNDLED)
    assert 'id="cascade-data"' in page and 'id="g-OBJ-1"' in page
    assert "cascade-index" not in page


def test_above_the_limit_the_page_is_packed(
    small_plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(compact, "FULL_LIMIT", 5)  # the small plan has 6 goals
    page = page_of(small_plan)
    assert 'id="cascade-index"' in page
    assert 'id="g-' not in page  # no goal is drawn into the file: the script draws them
    assert "<noscript>" in page and "This map holds 6 goals" in page
    # --html-layout overrides the size either way.
    assert 'id="g-S-1"' in page_of(small_plan, "--html-layout", "full")
    monkeypatch.setattr(compact, "FULL_LIMIT", 2000)
    assert 'id="cascade-index"' in page_of(small_plan, "--html-layout", "compact")


def test_packed_data_holds_every_goal_the_tree_and_the_details(small_plan: Path) -> None:
    page = page_of(small_plan, "--html-layout", "compact")
    index, chunks = unpack(page)
    view = map_json(small_plan)
    goals = [g["id"] for g in view["goals"]]  # type: ignore[index]
    assert index["id"] == goals
    titles = dict(zip(index["id"], index["title"], strict=True))
    assert titles["B-1"] == "Answer every lead"
    # The tree: (goal, depth) pairs in pre-order, a reference to a goal drawn elsewhere as ~goal.
    tree = index["tree"]
    pairs = [
        (index["id"][g] if g >= 0 else "~" + index["id"][~g], d)
        for g, d in zip(tree[::2], tree[1::2], strict=True)
    ]
    assert pairs[0] == ("OBJ-1", 0)
    assert ("~S-1", 1) in pairs or ("S-1", 1) in pairs
    assert [g for g, _ in pairs].count("S-1") == 1  # drawn once; the other link is a reference
    # Owners and units by index; search words include KPI names.
    s1 = goals.index("S-1")
    assert index["names"][index["owner"][s1]] == "Ann Lee"
    assert index["units"]["name"][index["unit"][s1]] == "Sales"
    assert "Deals" in index["words"][s1]
    # Details: a chunk per CHUNK goals, in the order of the index.
    details = [d for chunk in chunks for d in chunk]
    assert len(details) == len(goals)
    kpi = details[s1]["kpis"][0]
    assert (kpi["name"], kpi["baseline"], kpi["target"], kpi["current"]) == ("Deals", 0, 10, 9)
    assert [p[0] for p in details[s1]["parents"]] == ["OBJ-1", "OBJ-2"]
    lonely = details[goals.index("S-2")]["gaps"]
    assert index["rules"][lonely[0][0]][1] == "orphan-goal" and "S-2" in lonely[0][1]


def test_packed_page_is_deterministic_and_self_contained(tmp_path: Path) -> None:
    plan = wide_plan(tmp_path / "plans", 150)
    first = page_of(plan, "--html-layout", "compact")
    assert first == page_of(plan, "--html-layout", "compact")
    assert "<link" not in first and "@import" not in first
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", first)
    # Three scripts: the index, the details, the code.
    assert len(re.findall(r"<script\b", first)) == 3
    full = page_of(plan, "--html-layout", "full")
    assert len(first) * 4 < len(full)


def test_plan_text_cannot_leave_the_packed_data(tmp_path: Path) -> None:
    evil = "</script><script>alert(1)</script>"
    plan = write(
        tmp_path / "plans",
        {
            "p.yaml": f"""
                organization: {{name: '{evil}'}}
                objectives:
                  - id: OBJ-1
                    title: '{evil}'
                    perspective: customer
            """
        },
    )
    page = page_of(plan, "--html-layout", "compact")
    assert "<script>alert" not in page
    assert len(re.findall(r"</script>", page)) == 3
    index, _ = unpack(page)
    assert index["title"] == [evil]


def test_packed_page_lists_departments_and_counts_the_matrix(small_plan: Path) -> None:
    page = page_of(small_plan, "--html-layout", "compact")
    assert '<option value="sales">Sales</option>' in page
    assert 'id="f-owner"' not in page  # one option per person does not scale; search does
    assert '<span class="cell-count">' in page and 'class="mini' not in page


def test_a_page_template_of_ones_own_gets_the_full_view(
    small_plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(compact, "FULL_LIMIT", 5)
    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / "map.html.j2").write_text(
        "{{ view.goals | length }} {{ packed }} {{ view.goal('S-1').kpis | length }}\n",
        encoding="utf-8",
    )
    assert page_of(small_plan, "--template-dir", mine) == "6 None 1\n"
    assert page_of(small_plan, "--template-dir", mine, "--html-layout", "compact").startswith("6 P")
