"""A session reads the config and files when opened and the plan on first use; once it
lets the plan go, reading it again is a loud error rather than a silent re-read."""

from __future__ import annotations

import datetime
import weakref

import pytest

from cascade import session as session_module
from cascade.session import Session
from tests.conftest import BUNDLED


def test_release_lets_the_plan_go_for_good() -> None:
    session = Session.open(BUNDLED, None, datetime.date(2026, 11, 15), no_cache=True)
    result = session.run()
    assert session.context.hierarchy.goals and session.loaded.plan.goals()
    session.release()
    with pytest.raises(RuntimeError):
        _ = session.context
    assert result.diagnostics == session.run().diagnostics  # the findings stay
    with pytest.raises(RuntimeError):
        _ = session.loaded


def test_the_plan_is_read_on_first_use_only() -> None:
    session = Session.open(BUNDLED, None, datetime.date(2026, 11, 15), no_cache=True)
    assert session._loaded is None
    assert session.summary().files_read == len(session.sources) > 0
    assert session.loaded is session.loaded


def test_a_big_plan_is_freed_when_let_go_a_small_one_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Freeing costs time and saves memory: only a big plan is worth it."""
    for limit, freed in ((0, True), (10**12, False)):
        monkeypatch.setattr(session_module, "FREE_PLAN_BYTES", limit)
        session = Session.open(BUNDLED, None, datetime.date(2026, 11, 15), no_cache=True)
        session.run()
        plan = weakref.ref(session.loaded.plan)
        session.drop_positions()
        assert (not session.loaded.positions) is freed
        session.release()
        assert (plan() is None) is freed
