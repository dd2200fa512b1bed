"""The cache never changes a finding: every case, with and without it, byte for byte; and it
is never trusted blindly (corrupt and foreign entries are ignored, a read-only folder is fine).
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import stat
import time
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cascade.cache import Cache, decode_document, encode_document
from cascade.cli import app
from cascade.yamlfast import parse
from tests.conftest import AS_OF, BUNDLED, CASES
from tests.loading.differential import same_data

CASE_DIRS = [p for p in sorted(CASES.iterdir()) if p.is_dir()] + [BUNDLED.parent]
FORMATS = ["text", "json", "sarif"]


def run(command: str, folder: Path, *args: str) -> tuple[int, str, str]:
    """A command run from `folder` (as a user in that repository): exit, stdout, stderr."""
    old = Path.cwd()
    os.chdir(folder)
    try:
        plan = ["plans"] if (folder / "plans").is_dir() else []
        result = CliRunner().invoke(app, [command, *plan, "--as-of", AS_OF, *args])
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def validate(folder: Path, *args: str) -> tuple[int, str, str]:
    return run("validate", folder, *args)


def entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.json.z"))


@pytest.mark.parametrize("case", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_every_case_reads_the_same_with_and_without_the_cache(case: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for fmt in FORMATS:
        plain = validate(case, "--format", fmt, "--no-cache")
        cold = validate(case, "--format", fmt, "--cache-dir", str(cache))
        warm = validate(case, "--format", fmt, "--cache-dir", str(cache))
        assert cold == plain
        assert warm == plain
    # Another date: the run is new, every file comes from the cache.
    day = validate(case, "--format", "json", "--as-of", "2026-11-16", "--no-cache")
    assert (
        validate(case, "--format", "json", "--as-of", "2026-11-16", "--cache-dir", str(cache))
        == day
    )
    assert entries(cache), "the cache was not written"
    # The other commands read the plan through the same cache.
    for command, fmt in (("gaps", "json"), ("gaps", "text"), ("map", "json"), ("map", "mermaid")):
        plain = run(command, case, "--format", fmt, "--no-cache")
        assert run(command, case, "--format", fmt, "--cache-dir", str(cache)) == plain


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    shutil.copytree(CASES / "unknown-reference", tmp_path / "repo")
    repo = tmp_path / "repo"
    cache = tmp_path / "cache"
    before = validate(repo, "--format", "json", "--cache-dir", str(cache))
    for path in (repo / "plans").rglob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("OBJ-9", "OBJ-1"), "utf-8")
    after = validate(repo, "--format", "json", "--cache-dir", str(cache))
    assert after == validate(repo, "--format", "json", "--no-cache")
    assert after != before


def test_corrupt_and_foreign_entries_are_ignored(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    shutil.copytree(BUNDLED, tmp_path / "plans")
    shutil.copy(BUNDLED.parent / "cascade.yaml", tmp_path)
    # Anchors: files the line reader leaves to the event parser, whose results are cached.
    for name in ("a", "b"):
        (tmp_path / "plans" / f"anchored-{name}.yaml").write_text(
            f"x-owner: &owner ceo\nobjectives:\n  - id: OBJ-{name.upper()}\n"
            f"    title: Anchored {name}\n    owner: *owner\n",
            encoding="utf-8",
        )
    expected = validate(tmp_path, "--format", "json", "--no-cache")
    validate(tmp_path, "--format", "json", "--cache-dir", str(cache))
    found = entries(cache)
    assert len(found) > 2
    # Swap two entries (each is valid JSON, but for another key), and break the rest.
    first, second = found[0].read_bytes(), found[1].read_bytes()
    found[0].write_bytes(second)
    found[1].write_bytes(first)
    for path in found[2:]:
        path.write_bytes(b"\x80not zlib" if len(path.name) % 2 else zlib.compress(b"[1, 2"))
    assert validate(tmp_path, "--format", "json", "--cache-dir", str(cache)) == expected
    assert validate(tmp_path, "--format", "json", "--cache-dir", str(cache)) == expected


def test_entries_are_plain_compressed_json(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    validate(BUNDLED.parent, "--cache-dir", str(cache))
    for path in entries(cache):
        record = json.loads(zlib.decompress(path.read_bytes()))
        assert record["format"] == 1
        assert path.name == f"{record['key']}.json.z"
    assert (cache / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert (cache / "CACHEDIR.TAG").exists()


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root ignores permissions")
def test_a_read_only_cache_folder_does_not_fail_the_run(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    cache.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        expected = validate(BUNDLED.parent, "--no-cache")
        assert validate(BUNDLED.parent, "--cache-dir", str(cache)) == expected
    finally:
        cache.chmod(stat.S_IRWXU)


def test_an_unusable_cache_path_does_not_fail_the_run(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    expected = validate(BUNDLED.parent, "--no-cache")
    assert validate(BUNDLED.parent, "--cache-dir", str(blocker / "cache")) == expected


def test_no_cache_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASCADE_CACHE_DIR", str(tmp_path / "env-cache"))
    validate(BUNDLED.parent, "--no-cache")
    assert not (tmp_path / "env-cache").exists()


def test_the_environment_names_the_folder_and_the_option_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASCADE_CACHE_DIR", str(tmp_path / "env-cache"))
    validate(BUNDLED.parent)
    assert entries(tmp_path / "env-cache")
    validate(BUNDLED.parent, "--cache-dir", str(tmp_path / "option-cache"))
    assert entries(tmp_path / "option-cache")


def test_default_folder_is_beside_the_config_never_in_the_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CASCADE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    repo = tmp_path / "repo"
    shutil.copytree(BUNDLED, repo / "plans")
    (repo / "cascade.yaml").write_text("plans: plans\n", encoding="utf-8")
    validate(repo)
    assert entries(repo / ".cascade-cache")
    # A config kept inside the plan folder: the user's cache folder, not the plan.
    inner = tmp_path / "inner"
    shutil.copytree(BUNDLED, inner)
    (inner / "cascade.yaml").write_text("plans: .\n", encoding="utf-8")
    validate(inner)
    assert not (inner / ".cascade-cache").exists()
    # No config at all: the user's cache folder.
    bare = tmp_path / "bare"
    shutil.copytree(BUNDLED, bare / "plans")
    validate(bare)
    assert not (bare / ".cascade-cache").exists()
    assert entries(tmp_path / "user-cache" / "cascade")


def test_keys_depend_on_the_environment(tmp_path: Path) -> None:
    one, two = Cache(tmp_path), Cache(tmp_path)
    two._salt = one.salt + b" another pydantic"
    assert one.key("document", "abc") != two.key("document", "abc")
    assert one.key("document", "abc") == Cache(tmp_path).key("document", "abc")
    assert one.key("a", "bc") != one.key("ab", "c")


@pytest.mark.parametrize(
    "text",
    [
        "a: 2026-01-28\nb: 2026-01-28 10:30:00+02:00\nc: [.nan, .inf, -.inf, 1, 1.5, -0.0]\n",
        "d:\n  - {e: ~, f: yes}\n  - 'x'\ng: >-\n  folded\n  text\nh: " + "x" * 300 + "\n",
        "a: 1\na: 2\nb: [\n",
        "- just\n- a list\n",
        "",
        "k: \u00e9\U0001f600\n",
    ],
)
def test_documents_round_trip_through_the_cache(text: str, tmp_path: Path) -> None:
    document = parse(text, "f.yaml")
    encoded = encode_document(document, "f.yaml")
    assert encoded is not None
    cache = Cache(tmp_path)
    cache.put("document", "k" * 64, encoded)
    back = decode_document(cache.get("document", "k" * 64), "f.yaml")
    assert back is not None
    assert same_data(back.data, document.data)
    assert back.pos == document.pos
    assert back.diagnostics == document.diagnostics


def test_what_json_cannot_hold_is_not_cached(tmp_path: Path) -> None:
    assert encode_document(parse("1: int key\n", "f.yaml"), "f.yaml") is None
    cache = Cache(tmp_path)
    cache.put("document", "k" * 64, {"value": object()})
    assert cache.get("document", "k" * 64) is None
    assert decode_document({"data": 1}, "f.yaml") is None
    assert decode_document({"data": 1, "pos": [1, "x", None], "diagnostics": []}, "f") is None


def test_entries_unused_for_a_month_are_tidied_away(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    cache.put("document", "a" * 64, {"x": 1})
    old, fresh = cache.path("document", "a" * 64), cache.path("document", "b" * 64)
    month_ago = time.time() - 31 * 24 * 3600
    os.utime(old, (month_ago, month_ago))
    (tmp_path / "cache" / "cascade-v1" / "last-tidied").unlink()
    Cache(tmp_path / "cache").put("document", "b" * 64, {"x": 2})
    assert not old.exists()
    assert fresh.exists()
    # A day-old entry that is read again is kept fresh.
    day_ago = time.time() - 2 * 24 * 3600
    os.utime(fresh, (day_ago, day_ago))
    assert Cache(tmp_path / "cache").get("document", "b" * 64) == {"x": 2}
    assert time.time() - fresh.stat().st_mtime < 3600


def test_tidying_a_shared_folder_deletes_nothing_that_is_not_cascade_s(tmp_path: Path) -> None:
    # Pointed at ~/.cache or `.`, tidying once deleted every old *.json.z and .tmp-* there.
    shared = tmp_path / "shared"
    month_ago = time.time() - 31 * 24 * 3600
    theirs = [
        shared / "app" / "data.json.z",
        shared / ".tmp-notes",
        shared / "v1" / "document" / "aa" / ("a" * 64 + ".json.z"),
        shared / "cascade-v1" / "document" / "aa" / "their-file.json.z",
        shared / "cascade-v1" / "Other" / "aa" / ("a" * 64 + ".json.z"),
    ]
    for path in theirs:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("not cascade's", encoding="utf-8")
        os.utime(path, (month_ago, month_ago))
    cache = Cache(shared)
    cache.put("document", "a" * 64, {"x": 1})
    ours = cache.path("document", "a" * 64)
    os.utime(ours, (month_ago, month_ago))
    (shared / "cascade-v1" / "last-tidied").unlink()
    Cache(shared).put("document", "b" * 64, {"x": 2})
    assert not ours.exists()
    assert all(path.exists() for path in theirs)


def test_only_files_slow_to_parse_are_kept(tmp_path: Path) -> None:
    """Block-style files are parsed again as quickly as they are read back; anchors, block
    scalars and the like take the event path, which the cache spares."""
    plans = tmp_path / "repo" / "plans"
    plans.mkdir(parents=True)
    (plans / "a.yaml").write_text("objectives:\n  - id: O-1\n    title: Grow\n", "utf-8")
    (plans / "b.yaml").write_text("x-d: &d {owner: o}\npeople:\n  - id: o\n", "utf-8")
    cache = Cache(tmp_path / "cache")
    from cascade.loader import load

    load(plans, cache=cache)
    kept = list((tmp_path / "cache" / "cascade-v1" / "document").rglob("*.json.z"))
    assert len(kept) == 1
    key = kept[0].name.removesuffix(".json.z")
    document = decode_document(cache.get("document", key), "b.yaml")
    assert document is not None and document.data["people"] == [{"id": "o"}]


def test_big_entries_are_written_as_json_dumps_writes_them(monkeypatch: pytest.MonkeyPatch) -> None:
    # Long lists and texts are encoded a piece at a time (a huge run never exists whole
    # as one JSON text); the bytes must be exactly those of one json.dumps.
    from cascade import cache as cache_module

    monkeypatch.setattr(cache_module, "_BATCH", 3)
    monkeypatch.setattr(cache_module, "_TEXT_BATCH", 4)
    value = {
        "diagnostics": [["CAS101", "é", 1, None, 2.5, True]] * 10,
        "text": 'line "one"\nline \\two\\ caf\u00e9 \U0001f600' * 3,
        "nested": {"rows": list(range(11)), "empty": [], "date": datetime.date(2026, 1, 2)},
    }
    written = zlib.decompress(cache_module._compressed_json(value)).decode()
    assert written == cache_module._dumps(value)
    assert json.loads(written)["text"] == value["text"]
