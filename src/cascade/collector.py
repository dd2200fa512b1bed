"""How cascade handles its memory, in one place: `collector_paused()` puts Python's cyclic
garbage collector off for a block of work and moves what the block kept out of its sight,
`keep()` holds a small plan past its command's frames, and `leave()` ends the process with
its output flushed. `CASCADE_OFF=collector` switches the collector tricks off (`speed.py`).
Standard library only, so every layer can use it."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

from cascade import speed


@contextmanager
def collector_paused() -> Iterator[None]:
    """Put off the cyclic collector until the block ends (nested blocks are fine).

    Loading, rules, reports and cache records build hundreds of thousands of objects and
    few reference cycles: with the collector on, each of its full passes walks everything
    made so far again, which made the rules of a 100,000-goal plan three times slower.

    What the block built and kept (a loaded plan, the rules' findings) lives as long as
    the command: it is moved out of the collector's sight (`gc.freeze`) before the
    collector comes back on. Else its first pass, at the next allocation, walks every
    object made while it was off (0.6 s after loading a 10,000-person plan), and every
    later full pass walks them again.
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
            gc.freeze()
            gc.enable()


# Freeing a plan takes time, object by object: 0.3 s of a 10-second run at 10,000 people.
# The last small plan let go of is held here, not by its session, so that it outlives the
# command's frames (the next one replaces it, in a process that runs several).
_kept: object = None


def keep(plan: object) -> None:
    """Hold `plan` (what a command let go of) until the next one, instead of freeing it."""
    global _kept
    _kept = plan


def leave(code: int) -> NoReturn:
    """End the process with `code`, output flushed. (Leaving with `os._exit`, skipping the
    tear-down, was measured and bought nothing at 1,000 or 10,000 people: it went.)"""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        pass  # a reader that went away (`| head`): nothing left to say to it
    sys.exit(code)
