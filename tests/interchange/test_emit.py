"""The YAML `cascade import` writes reads back through the safe loader as the data it was
made from, whatever the text holds."""

from __future__ import annotations

import datetime
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cascade.importing.emit import document, scalar

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=True),
    st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)),
    TEXT,
    st.sampled_from(["yes", "No", "null", "~", "2026-01-01", "1e3", "0x1F", "012", "1_000",
                     ".inf", "- a", "a: b", "a #b", "'q", '"q', "&x", "*x", "!t", "%", "@",
                     "`", "|", ">", "? k", "[a]", "{a}", "a ", " a", "", "=1+1", "\x85",
                     "\u2028", "\ufeff", "Zoë Moreau", "Deal size +15%"]),
)  # fmt: skip
KEYS = st.sampled_from(["id", "title", "name", "value", "goals", "kpis", "tags"])
DATA = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(KEYS, DATA, min_size=1, max_size=4))
def test_every_document_reads_back_as_its_data(data: dict[str, Any]) -> None:
    assert yaml.safe_load(document(data)) == data


@settings(max_examples=400, deadline=None)
@given(SCALARS)
def test_every_value_reads_back_as_itself(value: Any) -> None:
    assert yaml.safe_load(f"key: {scalar(value)}\n") == {"key": value}
