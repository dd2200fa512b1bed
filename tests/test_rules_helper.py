"""Rules run partly in a helper process give exactly the findings of running them all here,
even when the helper dies."""

from __future__ import annotations

import datetime
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from cascade import engine, helper
from cascade.result import Result
from cascade.rules import all_rules
from cascade.session import Session
from tests.conftest import AS_OF, BUNDLED, CASES

# The helper's rules in their turn, as each rule declares it.
HELPER_ORDER = [
    r.code
    for r in sorted((r for r in all_rules() if r.helper is not None), key=lambda r: r.helper or 0)
]


def findings(root: Path) -> Result:
    session = Session.open(root, None, datetime.date.fromisoformat(AS_OF), no_cache=True)
    return session.run()


def shared(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "HELPER_MIN_ITEMS", 0)
    monkeypatch.setattr(helper, "cores", lambda: 2)


def run_shared(
    monkeypatch: pytest.MonkeyPatch,
    root: Path,
    in_helper: Callable[[list[engine.Rule]], None] = lambda rules: None,
) -> list[str]:
    """Run the rules over `root` with a helper, `in_helper(rules)` called in the helper
    before each share it runs; assert the findings are those of one process, and return
    the codes of the rules run here."""
    expected = findings(root)
    shared(monkeypatch)
    parent = os.getpid()
    ran_here: list[str] = []
    real = engine._check

    def spy(rules: list[engine.Rule], *args: object) -> object:
        if os.getpid() == parent:
            ran_here.extend(r.code for r in rules)
        else:
            in_helper(rules)
        return real(rules, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "_check", spy)
    actual = findings(root)
    assert actual.diagnostics == expected.diagnostics
    assert actual.waived == expected.waived
    return ran_here


@pytest.mark.parametrize(
    "root", [BUNDLED, CASES / "off-track-at-risk", CASES / "stale-kpi", CASES / "schema-salvage"]
)
def test_helper_and_serial_agree(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ran_here = run_shared(monkeypatch, root)
    # The helper ran (at least) the first of its rules; this process may take the others
    # from the back of the list when it is done before the helper.
    assert ran_here and HELPER_ORDER[0] not in ran_here


def test_a_helper_that_dies_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    def die(rules: list[engine.Rule]) -> None:
        os._exit(9)

    assert set(run_shared(monkeypatch, BUNDLED, die)) >= set(HELPER_ORDER)


def test_a_cpu_quota_counts_as_fewer_cores(tmp_path: Path) -> None:
    limit = tmp_path / "cpu.max"
    limit.write_text("150000 100000\n")
    assert helper._cpu_quota(str(limit)) == 1  # one and a half CPUs: no room for a helper
    limit.write_text("400000 100000\n")
    assert helper._cpu_quota(str(limit)) == 4
    limit.write_text("max 100000\n")
    assert helper._cpu_quota(str(limit)) is None
    assert helper._cpu_quota(str(tmp_path / "missing")) is None


def test_a_helper_that_dies_half_way_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The helper sends each rule's findings as it finishes it: the rules it did not
    finish run here, and the findings come out as from one process."""
    done_there: list[str] = []

    def die_after_two(rules: list[engine.Rule]) -> None:
        if len(done_there) == 2:
            time.sleep(0.5)  # the writer thread sends the two finished rules meanwhile
            os._exit(9)
        done_there.extend(r.code for r in rules)

    ran_here = run_shared(monkeypatch, CASES / "off-track-at-risk", die_after_two)
    # What the helper sent is used (the first rule, at least); what it had not finished
    # ran here.
    assert HELPER_ORDER[0] not in ran_here
    assert set(HELPER_ORDER[2:]) <= set(ran_here)


def test_a_slow_helper_s_rules_are_taken_over(monkeypatch: pytest.MonkeyPatch) -> None:
    """Done with its own rules, this process takes the helper's from the back of its list
    and waits only for the one the helper is running: nobody idles, nothing changes."""
    ran_here = run_shared(monkeypatch, CASES / "stale-kpi", lambda rules: time.sleep(0.5))
    assert HELPER_ORDER[0] not in ran_here
    assert set(HELPER_ORDER[1:]) <= set(ran_here)


def test_one_share_serves_files_and_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """The primitive both callers use: whatever the child does (finish, dawdle, die), the
    drained share holds each item's value exactly once."""
    monkeypatch.setattr(helper, "cores", lambda: 2)
    items = list(range(8))

    def slow_square(item: int) -> int:
        if os.getpid() != parent:
            if item == 3:
                os._exit(9)  # dies with items still to do
            time.sleep(0.05)
        return item * item

    parent = os.getpid()
    share = helper.Share.fork(items, slow_square, frame=2)
    assert share is not None
    here: list[int] = []

    def compute_here(item: int) -> int:
        here.append(item)
        return item * item

    try:
        values = list(share.drain(compute_here))
    finally:
        share.close()
    assert sorted(values) == [(i, i * i) for i in items]
    assert here and 0 not in here  # the first frame came from the child
