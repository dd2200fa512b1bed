"""`collector_paused()`: Python's cyclic garbage collector put off for a block of work
that builds many objects and frees none of them (stdlib only, so every layer can use it)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from cascade import speed


@contextmanager
def collector_paused() -> Iterator[None]:
    """Put off the cyclic collector until the block ends (nested blocks are fine).

    Loading, rules, reports and cache records build hundreds of thousands of objects and
    few reference cycles: with the collector on, each of its full passes walks everything
    made so far again, which made the rules of a 100,000-goal plan three times slower.
    """
    if not speed.on("collector"):
        yield
        return
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def freeze() -> None:
    """Move everything alive now out of the collector's sight: a plan that lives as long
    as the command would otherwise be walked again by every later collection (a third of
    a run's time)."""
    if speed.on("collector"):
        gc.freeze()
