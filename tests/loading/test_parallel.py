"""Parsing in a helper process gives exactly what parsing in order does, cache or not,
even when the helper dies half-way."""

from __future__ import annotations

import datetime
import gc
import os
import time
from pathlib import Path

import pytest

from cascade import helper, sources
from cascade.cache import Cache
from cascade.loader import LoadedPlan, load
from cascade.session import Session
from cascade.yamlsrc import Document
from tests.conftest import AS_OF, BUNDLED, CASES


def snapshot(loaded: LoadedPlan) -> tuple[object, ...]:
    plan = loaded.plan
    goals = [(g.id, g.level, g.unit, g.origin, g.model_dump()) for g in plan.goals()]
    return (loaded.files, loaded.diagnostics, loaded.positions, goals, plan.broken_ids)


def parallel(monkeypatch: pytest.MonkeyPatch, frame_bytes: int = 1) -> None:
    """Hand every plan, however small, to a helper process, a frame per file."""
    monkeypatch.setattr(sources, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(sources, "_FRAME_BYTES", frame_bytes)
    monkeypatch.setattr(helper, "cores", lambda: 2)


@pytest.mark.parametrize("root", [BUNDLED, CASES / "schema-salvage", CASES / "yaml-merge-keys"])
def test_helper_and_order_agree(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = snapshot(load(root))
    parallel(monkeypatch)
    assert snapshot(load(root)) == expected
    cache = Cache(tmp_path / "cache")
    assert snapshot(load(root, cache=cache)) == expected  # what the helper parsed is cached
    monkeypatch.setattr(sources, "PARALLEL_BYTES", 10**12)
    assert snapshot(load(root, cache=cache)) == expected  # and it reads back the same


def test_the_helper_really_parses(monkeypatch: pytest.MonkeyPatch) -> None:
    parallel(monkeypatch)
    parent = os.getpid()
    parsed_here: list[str] = []
    real = sources.parse_source

    def spy(file: str, raw: bytes | None, problem: str | None = None) -> Document:
        if os.getpid() == parent:
            parsed_here.append(file)
        return real(file, raw, problem)

    monkeypatch.setattr(sources, "parse_source", spy)
    loaded = load(BUNDLED)
    assert 0 < len(parsed_here) < len(loaded.files)  # both processes took a share


@pytest.mark.parametrize("dies_after", [0, 2])
def test_a_helper_that_dies_changes_nothing(
    dies_after: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = snapshot(load(BUNDLED))
    parallel(monkeypatch)
    parent = os.getpid()
    real = sources.parse_source
    calls = [0]

    def failing(file: str, raw: bytes | None, problem: str | None = None) -> Document:
        if os.getpid() != parent:
            calls[0] += 1
            if calls[0] > dies_after:
                os._exit(9)  # killed mid-way: the frames sent so far still count
        return real(file, raw, problem)

    monkeypatch.setattr(sources, "parse_source", failing)
    assert snapshot(load(BUNDLED)) == expected


def test_a_slow_helper_s_files_are_taken_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """Done with its own files, this process parses the helper's from the back of its
    share rather than wait: a helper that gets no CPU costs no more than parsing alone."""
    expected = snapshot(load(BUNDLED))
    parallel(monkeypatch)
    parent = os.getpid()
    real = sources.parse_source
    parsed_here: list[str] = []

    def slow(file: str, raw: bytes | None, problem: str | None = None) -> Document:
        if os.getpid() == parent:
            parsed_here.append(file)
        else:
            time.sleep(1)
        return real(file, raw, problem)

    monkeypatch.setattr(sources, "parse_source", slow)
    loaded = load(BUNDLED)
    assert snapshot(loaded) == expected
    # All but the file the helper was parsing (its first, the plan's first) were parsed
    # here; that one was waited for.
    assert sorted(parsed_here) == sorted(loaded.files[1:])


def test_items_share_their_field_records_until_one_changes() -> None:
    plan = load(BUNDLED).plan
    kpis = [k for k in plan.kpis() if k.model_fields_set == plan.kpis()[0].model_fields_set]
    assert len(kpis) > 1
    assert kpis[0].__pydantic_fields_set__ is kpis[1].__pydantic_fields_set__
    before = set(kpis[1].model_fields_set)
    unset = next(name for name in ("source", "owner", "unit", "frequency") if name not in before)
    setattr(kpis[0], unset, "x")
    assert unset in kpis[0].model_fields_set
    assert kpis[1].model_fields_set == before
    assert kpis[0].model_dump(exclude_unset=True)[unset] == "x"


def test_a_stream_dropped_unread_stops_its_helper(monkeypatch: pytest.MonkeyPatch) -> None:
    parallel(monkeypatch)
    stream = sources.documents(sources.read_sources(BUNDLED, []))
    share = stream.share  # type: ignore[attr-defined]
    assert share is not None
    pid = share.helper.pid
    del stream, share
    gc.collect()
    with pytest.raises(ChildProcessError):  # stopped and reaped: no process left behind
        os.waitpid(pid, os.WNOHANG)


def test_the_session_starts_reading_before_the_rules_are_imported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parallel(monkeypatch)
    session = Session.open(BUNDLED, None, datetime.date.fromisoformat(AS_OF), no_cache=True)
    session.start_reading()
    assert session._parsed is not None
    expected = snapshot(load(BUNDLED))
    assert snapshot(session.loaded) == expected
    assert session._parsed is None  # handed over and read to the end
