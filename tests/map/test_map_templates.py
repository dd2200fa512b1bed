"""Finding the templates: the repository's from a checkout, the packaged ones from a wheel,
and a user's --template-dir first, file by file."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from maphelp import AS_OF, REPO, run

from cascade.render.env import bundled_templates, environment

PIP = [sys.executable, "-m", "pip"]
TEMPLATES = {"map.html.j2", "map.css", "map.js", "map-compact.js", "map.md.j2", "mermaid.mmd.j2"}


def test_a_checkout_uses_the_repository_templates() -> None:
    import cascade

    if not Path(cascade.__file__).resolve().is_relative_to(REPO / "src"):
        pytest.skip("cascade is not imported from this checkout")
    assert bundled_templates() == REPO / "templates"
    assert {p.name for p in (REPO / "templates").iterdir()} >= TEMPLATES


def test_jinja_is_strict_and_escapes_only_html(tmp_path: Path) -> None:
    import jinja2

    (tmp_path / "a.html.j2").write_text("{{ x }}", encoding="utf-8")
    (tmp_path / "a.md.j2").write_text("{{ x }}", encoding="utf-8")
    (tmp_path / "b.md.j2").write_text("{{ nothing_here }}", encoding="utf-8")
    env = environment(tmp_path)
    assert env.get_template("a.html.j2").render(x="<b>") == "&lt;b&gt;"
    assert env.get_template("a.md.j2").render(x="<b>") == "<b>"
    with pytest.raises(jinja2.UndefinedError):
        env.get_template("b.md.j2").render()


def test_template_dir_overrides_one_file_and_keeps_the_rest(
    small_plan: Path, tmp_path: Path
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "map.css").write_text("body { background: hotpink; }\n", encoding="utf-8")
    page = run("map", small_plan, "-f", "html", "--template-dir", mine).stdout
    assert "body { background: hotpink; }" in page
    assert "--lvl-objective" not in page  # the bundled stylesheet was replaced
    assert 'id="cascade-data"' in page  # the bundled page and script are still used
    (mine / "map.md.j2").write_text(
        "{% for goal in view.goals %}{{ goal.id }}={{ goal.progress | pct }}\n{% endfor %}",
        encoding="utf-8",
    )
    text = run("map", small_plan, "--template-dir", mine, "--as-of", AS_OF).stdout
    assert text.splitlines()[:2] == ["OBJ-1=73%", "OBJ-2=73%"]


def test_a_broken_user_template_is_a_one_line_error(small_plan: Path, tmp_path: Path) -> None:
    (tmp_path / "map.md.j2").write_text("{{ view.no_such_thing }}", encoding="utf-8")
    result = run("map", small_plan, "--template-dir", tmp_path)
    assert result.code == 2
    assert result.stderr.startswith("cascade: error: template map.md.j2, line 1: ")
    assert result.stderr.count("\n") == 1
    (tmp_path / "map.md.j2").write_text("{% for %}", encoding="utf-8")
    result = run("map", small_plan, "--template-dir", tmp_path)
    assert result.code == 2
    assert result.stderr.startswith("cascade: error: template map.md.j2, line 1: ")


@pytest.mark.skipif(
    importlib.util.find_spec("hatchling") is None,
    reason="hatchling (in the test extra) is needed to build the wheel",
)
def test_a_wheel_carries_the_templates_and_uses_them(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    built = subprocess.run(
        [*PIP, "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if built.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {built.stderr.strip()[-300:]}")
    (wheel,) = wheels.glob("cascade*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"cascade/templates/{name}" for name in TEMPLATES} <= names
    # Install it on its own (dependencies come from this environment) and run it from a
    # folder far from the checkout: the templates must come from inside the package.
    target = tmp_path / "site"
    subprocess.run(
        [*PIP, "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    probe = subprocess.run(
        [sys.executable, "-c", "from cascade.render.env import bundled_templates as b; print(b())"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
        timeout=60,
        check=True,
    )
    assert Path(probe.stdout.strip()) == target / "cascade" / "templates"
    page = elsewhere / "map.html"
    drawn = subprocess.run(
        [sys.executable, "-m", "cascade", "map", REPO / "plans", "-o", page, "--as-of", AS_OF],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
        timeout=120,
        check=False,
    )
    assert drawn.returncode in (0, 1), drawn.stderr
    assert 'id="cascade-data"' in page.read_text(encoding="utf-8")
