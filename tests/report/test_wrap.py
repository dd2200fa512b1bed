"""The plain report's word wrap gives exactly textwrap's lines, whatever the text."""

from __future__ import annotations

import textwrap

from hypothesis import given
from hypothesis import strategies as st

from cascade.page.plain import wrap

PROSE = st.text(alphabet="ab-é…,", min_size=1, max_size=14)  # the quick path's words
WORDS = st.text(alphabet="ab-é…\u00a0\t ", max_size=14)  # blanks textwrap must handle


@given(
    words=st.one_of(st.lists(PROSE, max_size=30), st.lists(WORDS, max_size=30)),
    joiner=st.sampled_from([" ", "  ", "\t", " \u00a0"]),
    width=st.integers(min_value=1, max_value=40),
    lead=st.sampled_from(["", "  ", "  CAS101  "]),
    indent=st.sampled_from(["", "  ", "          "]),
)
def test_wrap_is_textwrap(
    words: list[str], joiner: str, width: int, lead: str, indent: str
) -> None:
    text = joiner.join(words)
    if max(len(lead), len(indent)) >= width:
        width = max(len(lead), len(indent)) + 1
    expected = textwrap.wrap(
        text,
        width,
        initial_indent=lead,
        subsequent_indent=indent,
        break_long_words=True,
        break_on_hyphens=False,
    )
    assert wrap(text, width, lead, indent) == expected


def test_plain_prose_is_filled_greedily() -> None:
    text = "objective OBJ-1 has no supporting goal: nobody has picked it up"
    assert wrap(text, 30, "  OBJ-1  ", "         ") == [
        "  OBJ-1  objective OBJ-1 has",
        "         no supporting goal:",
        "         nobody has picked it",
        "         up",
    ]
