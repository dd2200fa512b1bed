"""The HTML map as a file: self-contained, small, and every plan text escaped."""

from __future__ import annotations

import json
import re
from pathlib import Path

from maphelp import AS_OF, BUNDLED, run, write

from cascade.render.env import json_script

EVIL = "</script><script>alert(1)</script>"


def evil_plan(folder: Path) -> Path:
    return write(
        folder,
        {
            "p.yaml": f"""
                organization:
                  name: '{EVIL}'
                  vision: '<img src=x onerror=alert(2)> & "quotes"'
                  values: ['<b>bold</b>']
                objectives:
                  - id: OBJ-1
                    title: '{EVIL}'
                    description: '<iframe src="javascript:alert(3)"></iframe>'
                    kpis:
                      - name: '{EVIL}'
                        unit: '<u>'
                        source: '"><script>alert(4)</script>'
                        baseline: 0
                        target: 10
                        current: 3
                        history: [{{date: 2026-01-01, value: 1}}, {{date: 2026-02-01, value: 3}}]
                departments:
                  - id: d
                    name: '<svg onload=alert(5)>'
                    goals:
                      - id: D-1
                        title: "It's <b>bold</b> & \\u2028 line"
                        supports: OBJ-1
                        tags: ['<script>']
                        assumptions: ['{EVIL}']
                        risks: [{{risk: '{EVIL}', mitigation: '{EVIL}'}}]
                        initiatives: [{{title: '{EVIL}', impact: '{EVIL}'}}]
            """
        },
    )


def test_every_plan_text_is_escaped(tmp_path: Path) -> None:
    page = run("map", evil_plan(tmp_path), "--format", "html").stdout
    assert "<script>alert" not in page
    assert "<img src=x" not in page and "<iframe" not in page and "<svg onload" not in page
    assert "<b>bold</b>" not in page
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # Exactly our own two script elements: the data block and the code.
    assert len(re.findall(r"<script\b", page)) == 2
    assert len(re.findall(r"</script>", page)) == 2


def test_embedded_data_is_json_that_cannot_end_its_script_tag(tmp_path: Path) -> None:
    page = run("map", evil_plan(tmp_path), "--format", "html").stdout
    found = re.search(
        r'<script type="application/json" id="cascade-data">(.*?)</script>', page, re.DOTALL
    )
    assert found
    raw = found.group(1)
    assert "<" not in raw and ">" not in raw and "&" not in raw and "\u2028" not in raw
    data = json.loads(raw)
    assert EVIL in data["goals"]["OBJ-1"]["text"]
    escaped = '{"a":"\\u003c/script\\u003e\\u0026\\u2029"}'
    assert str(json_script({"a": "</script>&\u2029"})) == escaped


def test_self_contained_and_small() -> None:
    page = run("map", BUNDLED, "--format", "html", "--as-of", AS_OF).stdout
    assert len(page.encode("utf-8")) < 1_000_000
    assert "<link" not in page and "@import" not in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", page)
    assert "<style>" in page and "cascade-data" in page


def test_every_goal_has_its_card_and_kpi_sparklines() -> None:
    page = run("map", BUNDLED, "--format", "html", "--as-of", AS_OF).stdout
    data = json.loads(run("map", BUNDLED, "--format", "json", "--as-of", AS_OF).stdout)
    for goal in data["goals"]:
        assert page.count(f'id="g-{goal["id"]}"') == 1
    with_history = sum(1 for g in data["goals"] for k in g["kpis"] if len(k["history"]) > 1)
    assert page.count('<svg class="spark"') == with_history > 0
    # The progress bar and the expected-progress marker come from the view model.
    assert '<span class="fill" style="width:80%"></span>' in page  # OBJ-1: 0.8
    assert '<span class="expected" style="left:' in page
