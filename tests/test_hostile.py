"""Hostile and broken inputs: each gives diagnostics or a one-line error, never a traceback,
and never touches the plan files."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cascade.cli import app, main
from cascade.loader import load


def _digest(root: Path) -> dict[str, str]:
    digests = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with open(path, "rb") as stream:
                digests[str(path)] = hashlib.sha256(stream.read()).hexdigest()
    return digests


def _validate(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    before = _digest(root)
    code = main(["validate", str(root), "--as-of", "2026-11-15"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert "internal error" not in err
    assert _digest(root) == before
    return code, out, err


def _plan(tmp_path: Path, content: bytes | str, name: str = "a.yaml") -> Path:
    root = tmp_path / "plans"
    root.mkdir(exist_ok=True)
    data = content.encode() if isinstance(content, str) else content
    (root / name).write_bytes(data)
    return root


def _bomb(levels: int = 12) -> str:
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(lines) + f"\nobjectives: *a{levels - 1}\n"


HOSTILE: dict[str, Callable[[], bytes | str]] = {
    "not-yaml": lambda: "objectives: [unclosed\n  - : : :\n",
    "binary": lambda: bytes(range(256)) * 4,
    "invalid-utf8": lambda: b"objectives:\n  - id: A\n    title: caf\xe9\n",
    "top-level-list": lambda: "- a\n- b\n",
    "empty": lambda: "",
    "alias-bomb": _bomb,
    "deep-nesting": lambda: "objectives: " + "[" * 100_000 + "]" * 100_000 + "\n",
    "deep-block-nesting": lambda: "".join("  " * i + "k:\n" for i in range(3000)),
    "huge-string": lambda: "organization:\n  name: " + "x" * 5_000_000 + "\n",
    "nan-and-infinity": lambda: (
        "objectives:\n  - id: A\n    title: t\n    confidence: .nan\n"
        "    kpis: [{name: k, baseline: .inf, target: -.inf}]\n"
    ),
    "python-object-tag": lambda: "objectives: !!python/object:os.system {}\n",
    "python-name-tag": lambda: "objectives:\n  - id: !!python/name:os.system\n",
    "custom-tag": lambda: "objectives: !Ref OBJ-1\n",
    "null-bytes": lambda: "objectives:\n  - id: A\x00B\n",
    "bom-utf16": lambda: "organization: {name: x}\n".encode("utf-16"),
    "many-documents": lambda: "a: 1\n---\nb: 2\n---\nc: 3\n",
    "complex-key": lambda: "? [a, b]\n: c\nobjectives: []\n",
    "huge-int": lambda: (
        "objectives:\n  - {id: A, title: t, kpis: [{name: k, target: 1" + "0" * 5000 + "}]}\n"
    ),
    "unknown-alias": lambda: "objectives: *nothing\n",
    "wrong-types-everywhere": lambda: (
        "organization: [1, 2]\nperiods: {a: b}\nobjectives: 7\ndepartments: [[[]]]\n"
        "teams: [null, 1, true]\npeople: [{id: {x: y}, goals: {a: 1}}]\n"
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_gives_diagnostics(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _plan(tmp_path, HOSTILE[name]())
    # Generous bound: the point is "finishes", not a timing benchmark.
    done = threading.Event()
    outcome: list[tuple[int, str, str]] = []

    def work() -> None:
        outcome.append(_validate(root, capsys))
        done.set()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    assert done.wait(60), f"{name} did not finish"
    code, out, _ = outcome[0]
    assert code in (0, 1)
    if code == 1:
        first = out.splitlines()[0]
        assert first.startswith("plans/a.yaml:") or "/plans/a.yaml:" in first, first
        assert "(hint: " in first


def test_alias_bomb_is_refused_without_expanding() -> None:
    from cascade.yamlfast import parse

    document = parse(_bomb(12), "bomb.yaml")  # 10**12 nodes if expanded
    assert document.data is None
    assert "alias bomb" in document.diagnostics[0].message


def test_aliases_and_merge_keys_within_reason_work(tmp_path: Path) -> None:
    root = _plan(
        tmp_path,
        "x-kpi: &kpi {unit: '%', frequency: monthly}\n"
        "objectives:\n  - id: A\n    title: t\n    tags: &tags [a, b]\n"
        "    kpis:\n      - <<: *kpi\n        name: k\n  - {id: B, title: u, tags: *tags}\n",
    )
    loaded = load(root)
    assert loaded.diagnostics == []
    a, b = loaded.plan.objectives
    assert a.kpis[0].unit == "%" and b.tags == ["a", "b"]


def test_missing_plan_path_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nope")]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_symlink_loop_is_skipped_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _plan(tmp_path, "objectives:\n  - {id: A, title: t}\n")
    (root / "sub").mkdir()
    os.symlink("..", root / "sub" / "loop")
    os.symlink("a.yaml", root / "again.yaml")  # the same real file: read once
    code, out, err = _validate(root, capsys)
    assert code == 0
    assert "in 1 file" in out
    assert "symbolic link loops back" in err


def test_unreadable_file_is_a_diagnostic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _plan(tmp_path, "objectives: []\n")
    original = Path.read_bytes

    def deny(self: Path) -> bytes:
        if self.name == "a.yaml":
            raise PermissionError(13, "Permission denied")
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    code, out, _ = _validate(root, capsys)
    assert code == 1
    assert out.startswith(f"{root.as_posix()}/a.yaml:1:1: error[CAS001 yaml-syntax] cannot read")


def test_a_single_file_can_be_the_plan(tmp_path: Path) -> None:
    root = _plan(tmp_path, "objectives:\n  - {id: A, title: t}\n", name="only.yml")
    result = CliRunner().invoke(app, ["validate", str(root / "only.yml")])
    assert result.exit_code == 0


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    root = _plan(tmp_path, b"\xef\xbb\xbfobjectives:\n  - {id: A, title: t}\n")
    assert load(root).diagnostics == []


HUGE = "1" + "0" * 400


@pytest.mark.parametrize(
    "args",
    [
        ["validate"],
        ["gaps"],
        ["map", "--format", "markdown"],
        ["map", "--format", "html"],
        ["map", "--format", "json"],
        ["map", "--format", "mermaid"],
        ["trace", "A"],
        ["close", "FY"],
        ["export", "--table", "kpis"],
    ],
    ids=" ".join,
)
def test_huge_numbers_are_schema_errors_in_every_command(
    args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _plan(
        tmp_path,
        "periods: [{id: FY, start: 2026-01-01, end: 2026-12-31}]\n"
        "objectives:\n  - id: A\n    title: t\n    period: FY\n    kpis:\n"
        f"      - {{name: a, baseline: -{HUGE}, target: {HUGE}, current: 1.7e308}}\n"
        f"      - {{name: b, direction: maintain, range: [-{HUGE}, {HUGE}], current: 1e308}}\n"
        "      - {name: c, baseline: 0.5, target: 1e308, current: 9e307}\n",
    )
    where = 2 if args[0] in ("trace", "close") else 1  # the plan comes after their id
    code = main([*args[:where], str(root), *args[where:], "--as-of", "2026-11-15"])
    out, err = capsys.readouterr()
    assert "internal error" not in err and "Traceback" not in out + err
    assert code in (0, 1)
    if args[0] == "validate":
        assert out.count("expected a number no larger than 1e300") == 4


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_as_the_plan_is_refused_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pipe = tmp_path / "plan.yaml"
    os.mkfifo(pipe)  # reading it would wait forever for a writer
    assert main(["validate", str(pipe)]) == 2
    assert capsys.readouterr().err.endswith("plan.yaml is not a file or a folder\n")


def test_a_folder_as_the_config_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _plan(tmp_path, "objectives: []\n")
    assert main(["validate", str(root), "--config", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"cascade: error: config file {tmp_path} is not a file\n"


@pytest.mark.parametrize("form", ["markdown", "html", "mermaid"])
def test_control_characters_in_plan_text_never_reach_a_map(
    form: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import re

    root = _plan(
        tmp_path,
        'organization: {name: "Co\\a", vision: "\\e[2J"}\n'
        'objectives:\n  - {id: A, title: "\\e[31mred\\a", description: "x\\0y"}\n',
    )
    out = tmp_path / f"map.{form}"
    assert main(["map", str(root), "--format", form, "-o", str(out), "--as-of", "2026-11-15"]) == 0
    page = out.read_text(encoding="utf-8")
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", page)
    if form != "mermaid":  # mermaid labels drop what they cannot show
        assert "\\x1b[31mred\\x07" in page.replace("\\[", "[")


@pytest.mark.parametrize("command", [["gaps"], ["map"], ["trace", "SALES-1"], ["validate"]])
def test_standard_output_that_is_not_utf8_gets_escapes_not_an_error(command: list[str]) -> None:
    import subprocess
    import sys

    from tests.conftest import AS_OF, BUNDLED

    env = {**os.environ, "PYTHONIOENCODING": "latin-1", "PYTHONUTF8": "0"}
    run = subprocess.run(
        [sys.executable, "-m", "cascade", *command, str(BUNDLED), "--as-of", AS_OF],
        capture_output=True,
        env=env,
        check=False,
    )
    assert run.returncode in (0, 1), run.stderr
    assert b"internal error" not in run.stderr
    assert run.stdout.strip()


@pytest.mark.parametrize("where", ["plan", "config"])
def test_a_path_longer_than_the_system_allows_is_one_line(
    where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    long = "a" * 300
    args = ["gaps", long] if where == "plan" else ["gaps", "--config", long + ".yaml"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("cascade: error: ") and "internal error" not in err
    assert err.count("\n") == 1


@pytest.mark.parametrize("kind", ["fifo", "link to /dev/zero", "huge"])
def test_a_cache_entry_that_is_not_a_small_regular_file_is_a_miss(
    tmp_path: Path, kind: str
) -> None:
    from cascade.cache import Cache

    cache = Cache(tmp_path)
    cache.put("run", "ab" * 32, {"x": 1})
    path = cache.path("run", "ab" * 32)
    assert cache.get("run", "ab" * 32) == {"x": 1}
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "huge":
        with path.open("wb") as stream:
            stream.truncate(300 << 20)  # sparse: no disk used
    else:
        path.symlink_to("/dev/zero")
    assert cache.get("run", "ab" * 32) is None  # returns at once, not after memory ran out


def test_control_characters_and_huge_text_make_a_workbook_a_spreadsheet_opens(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    root = _plan(
        tmp_path,
        'organization: {name: "Co\\a", vision: "\\e[2J"}\n'
        'objectives:\n  - {id: A, title: "\\e[31mred\\a", description: "x\\0y"}\n'
        f"  - {{id: B, title: '{'=1+1 ' * 20000}'}}\n",
    )
    out = tmp_path / "plan.xlsx"
    assert main(["export", str(root), "-o", str(out), "--as-of", "2026-11-15"]) == 0
    sheet = openpyxl.load_workbook(out)["Goals"]
    assert sheet.cell(2, 3).value == "\\x1b[31mred\\x07"  # visible, as in every output
    assert sheet.cell(3, 3).value.startswith("'=1+1")
    assert "Traceback" not in capsys.readouterr().err


def test_a_file_name_that_is_not_utf8_is_named_in_every_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    plans = tmp_path / "plans"
    plans.mkdir()
    name = os.fsdecode(b"caf\xe9.yaml")
    (plans / name).write_text("objectives:\n  - {id: O, title: t, supports: NOPE}\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    for args in (
        ["validate", "plans", "-f", "sarif", "-o", "out.sarif"],
        ["validate", "plans", "-f", "json", "-o", "out.json"],
        ["gaps", "plans", "-o", "gaps.md"],
        ["map", "plans", "-o", "map.html"],
    ):
        assert main([*args, "--no-cache"]) == 1, capsys.readouterr().err
        written = (tmp_path / args[-1]).read_bytes().decode("utf-8")  # valid UTF-8
        assert "caf%E9.yaml" in written if args[-1] == "out.sarif" else "caf\\" in written
    findings = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert {f["file"] for f in findings} == {"plans/caf\\xe9.yaml"}
    assert "internal error" not in capsys.readouterr().err
