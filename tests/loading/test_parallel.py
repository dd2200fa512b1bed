"""Parsing in worker processes gives exactly what parsing in order does, cache or not."""

from __future__ import annotations

from pathlib import Path

import pytest

from cascade import sources
from cascade.cache import Cache
from cascade.loader import LoadedPlan, load
from tests.conftest import BUNDLED, CASES


def snapshot(loaded: LoadedPlan) -> tuple[object, ...]:
    plan = loaded.plan
    goals = [(g.id, g.level, g.unit, g.origin, g.model_dump()) for g in plan.goals()]
    return (loaded.files, loaded.diagnostics, loaded.positions, goals, plan.broken_ids)


@pytest.mark.parametrize("root", [BUNDLED, CASES / "schema-salvage", CASES / "yaml-merge-keys"])
def test_workers_and_order_agree(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = snapshot(load(root))
    monkeypatch.setattr(sources, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(sources, "MIN_CORES", 1)
    monkeypatch.setattr(sources, "_WINDOW", 2)  # exercise the bounded window
    assert snapshot(load(root)) == expected
    cache = Cache(tmp_path / "cache")
    assert snapshot(load(root, cache=cache)) == expected  # the workers write the cache
    monkeypatch.setattr(sources, "PARALLEL_BYTES", 10**12)
    assert snapshot(load(root, cache=cache)) == expected  # and it reads back the same


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
