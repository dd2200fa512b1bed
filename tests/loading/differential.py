"""Compare two YAML readers on the same text: data (with exact types), every position, and
every diagnostic. The reference is the loader as it was before the speed work."""

from __future__ import annotations

import datetime
from typing import Any

from cascade import yamlfast, yamlsrc
from tests.loading import reference_yamlsrc


def same_data(a: Any, b: Any) -> bool:
    """Equal and of the same types all the way down (1 == 1.0 == True is not enough)."""
    if type(a).__name__ == type(b).__name__ == "_Sentinel":
        return repr(a) == repr(b)  # a stray `<<` value: each module has its own marker
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(
            same_data(ka, kb) and same_data(a[ka], b[kb]) for ka, kb in zip(a, b, strict=True)
        )
    if isinstance(a, list):
        return len(a) == len(b) and all(same_data(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and a != a:
        return b != b
    if isinstance(a, datetime.datetime):
        return a == b and a.tzinfo == b.tzinfo
    return bool(a == b)


def all_text_keys(data: Any) -> bool:
    if isinstance(data, dict):
        return all(type(k) is str and all_text_keys(v) for k, v in data.items())
    if isinstance(data, list):
        return all(all_text_keys(v) for v in data)
    return True


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path into the data, plus a few that lead nowhere."""
    found = [prefix, (*prefix, "no-such-key"), (*prefix, 10**6)]
    if isinstance(data, dict):
        for key, value in data.items():
            found.extend(paths(value, (*prefix, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.extend(paths(value, (*prefix, index)))
    return found


def located(document: Any, locate: Any) -> list[tuple[int, int]] | None:
    if document.pos is None:
        return None
    return [
        locate(document.pos, path, key=key)
        for path in paths(document.data)
        for key in (False, True)
    ]


def compare(text: str, file: str = "plan.yaml") -> None:
    """Assert that the new reader and the reference agree on `text`."""
    old = reference_yamlsrc.parse(text, file)
    new = yamlfast.parse(text, file)
    assert same_data(old.data, new.data), (old.data, new.data)
    assert old.diagnostics == new.diagnostics
    assert located(old, reference_yamlsrc.locate) == located(new, yamlsrc.locate)
    assert (old.pos is None) == (new.pos is None)
    if old.pos is not None and new.pos is not None:
        assert (old.pos.line, old.pos.column) == (new.pos.line, new.pos.column)
    # The line reader, when it accepts a text, must agree with the event parser exactly.
    events = yamlsrc.parse_events(text, file)
    assert events.diagnostics == new.diagnostics
    assert events.text_keys == new.text_keys
    # The flag may stay off when the odd key was dropped with a diagnostic (a mapping as a
    # key holding `yes:`): that only keeps the file out of the cache. On, it must be true.
    assert not new.text_keys or all_text_keys(new.data)
    assert same_data(events.data, new.data)
    assert events.pos == new.pos
