"""Property tests: no YAML-ish text, however mangled, makes the loader raise."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cascade.loader import load, read_text
from cascade.yamlfast import parse

# Fragments that steer random text toward the corners of YAML: indentation, flow
# collections, anchors, tags, quotes, plan keys.
FRAGMENTS = st.sampled_from(
    [
        "\n",
        "  ",
        "- ",
        ": ",
        "{",
        "}",
        "[",
        "]",
        ",",
        "&a ",
        "*a",
        "<<: ",
        "!!str ",
        "!x ",
        "? ",
        "'",
        '"',
        "#",
        "---\n",
        "...\n",
        "|\n",
        ">\n",
        "\t",
        "id: ",
        "title: ",
        "objectives:",
        "supports: ",
        "kpis:",
        "goals:",
        "OBJ-1",
        "2026-02-30",
        ".nan",
        "~",
        "yes",
        "0x1F",
        "1e400",
        "\u00e9",
        "\ufeff",
        "\x00",
        "\x85",
        "\u2028",
    ]
)
YAMLISH = st.lists(st.one_of(FRAGMENTS, st.text(max_size=5)), max_size=60).map("".join)


@settings(max_examples=400, deadline=None)
@given(YAMLISH)
def test_parse_never_raises(text: str) -> None:
    document = parse(text, "fuzz.yaml")
    for diagnostic in document.diagnostics:
        assert diagnostic.location.line >= 1 and diagnostic.location.column >= 1
        assert diagnostic.rule in ("CAS001", "CAS003")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_decoding_never_raises(raw: bytes) -> None:
    text, problem = read_text(raw, "fuzz.yaml")
    assert (text is None) == (problem is not None)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(YAMLISH)
def test_load_and_rules_never_raise(tmp_path: Path, text: str) -> None:
    from cascade.config import Config
    from cascade.engine import run

    (tmp_path / "a.yaml").write_text("objectives:\n" + text, encoding="utf-8")
    loaded = load(tmp_path)
    import datetime

    run(loaded, Config(), datetime.date(2026, 11, 15))
