"""The speed mechanisms, each of which one environment variable can switch off.

`CASCADE_OFF=helper,collector` (a comma-separated list) runs cascade without them, for the
benchmark's ablation table (`benchmarks/run.py --ablation`) and for anyone who suspects
one of them. Standard library only: every layer asks.
"""

from __future__ import annotations

import os

ENV = "CASCADE_OFF"
MECHANISMS = {
    "helper": "a forked helper process parses files and runs the heavy rules on a big plan",
    "collector": "the cyclic garbage collector is put off while many objects are built",
    "lines": "the line reader reads block-style YAML before libyaml's event path is tried",
}


def on(mechanism: str) -> bool:
    """Whether `mechanism` (a key of `MECHANISMS`) may be used in this run."""
    return mechanism not in os.environ.get(ENV, "").replace(" ", "").split(",")
