"""The fast loader against the loader as it was: same data, positions and diagnostics.

`reference_yamlsrc.py` is the event-based reader from before the speed work, kept verbatim
as the oracle. Every YAML file in the repository's tests and example plan, a list of
hostile snippets, and generated documents must read identically through both.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cascade import yamlfast
from tests.loading.differential import compare
from tests.test_hostile import HOSTILE as SHARED_HOSTILE

REPO = Path(__file__).resolve().parents[2]
FILES = sorted(
    path
    for folder in (REPO / "tests", REPO / "plans")
    for path in folder.rglob("*")
    if path.suffix in (".yaml", ".yml") and path.is_file()
)

HOSTILE = [
    "",
    "\n\n",
    "# only a comment\n",
    "   \n  # indented comment\n",
    "a: 1\n",
    "a:\n",
    "a: # comment\nb:\n",
    "a:   \nb: 2   \n",
    "- 1\n- two\n- 3.5\n",
    "just a scalar\n",
    "42\n",
    "a: 1\na: 2\n",
    "a: 1\nb:\n  a: 1\n  a: 2\n",
    "yes: 1\ntrue: 2\n",
    "1: a\n1.0: b\n",
    "~: null key\nnull: again\n",
    "? complex\n: key\n",
    "a b: spaced key\n",
    '"quoted": key\n',
    "'single': key\n",
    'a: \'it\'\'s\'\nb: "say \\"hi\\""\nc: "tab\\there"\n',
    "a: 'multi\n  line'\n",
    'a: "multi\n  line"\n',
    "a: plain\n  continued\n  again\n",
    "a: plain\n\n  after blank\n",
    "a: x\n  # comment\n  y\n",
    "a: |\n  literal\n  block\n",
    "a: >-\n  folded\n  block\n\nb: 1\n",
    "a: |\n  x",
    "a: |\nb: 1\n",
    "a: |+\n  x\n\n\n",
    "a: >\n  x\n  y\n\n  z\n   w\n  v\n",
    "a: |\n\n   \n  x\n",
    "a: |\n     \n  x\n",
    "a: |\n  x\n   y\n b\n",
    "a: |2\n   x\n",
    "a: |-2 # c\n   x\n",
    "a: |0\n  x\n",
    "a: |x\n  y\n",
    "a: | # c\n  #not a comment\n  - nor a list\n  k: nor a key\nb: 1\n",
    "- a: >\n    x\n  b: 1\n- c\n",
    "a: |\n  caf\u00e9 \U0001f600\n",
    "a: |\n  ---\n",
    "a: &anchor {x: 1}\nb: *anchor\n",
    "base: &b\n  x: 1\n  y: 2\nderived:\n  <<: *b\n  y: 3\n",
    "a:\n  <<: [*nope]\n",
    "a: &a [1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\n"
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d]\n"
    "f: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
    "a: !!python/object:os.system x\n",
    "a: !custom x\n",
    "a: !!str 123\nb: !!int '7'\nc: !!int nope\nd: !!float 1\n",
    "a: !!binary aGVsbG8=\n",
    "a: =\n",
    "<<: 1\n",
    "a: <<\n",
    "---\na: 1\n---\nb: 2\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: 1\n...\n",
    "--- a\n",
    "a: --- x\nb: ...y\n",
    "\ta: 1\n",
    "a:\t1\n",
    "a: 1\t# tab before comment\n",
    "a: 1\r\nb: [x, y]\r\n",
    "a: 1\rb: 2\n",
    "\ufeffa: 1\n",
    "a: b\x85c: d\n",
    "a: b\u2028c\n",
    "a: \x07bell\n",
    "a: caf\u00e9 \U0001f600\nb: [\u00e9, \U0001f600x, y]\nc: {k\u00e9: \u00e9}\n",
    "a: non\u00a0breaking\n",
    "a: [1, 2,]\n",
    "a: [1, , 2]\n",
    "a: [ ]\nb: { }\nc: []\nd: {}\n",
    "a: [[1, 2], [3]]\n",
    "a: [a: 1]\n",
    "a: {x: 1, x: 2}\n",
    "a: {x:1}\n",
    "a: {x: }\n",
    "a: {x , y}\n",
    "a: {x: 'q', y: \"r\"}\n",
    "a: [x #c\n  , y]\n",
    "a: [x, y] # comment\nb: [x, y]junk\n",
    "a: [x,\n  y]\n",
    "a: {k: [1]}\n",
    "a: 2026-01-28\nb: 2026-02-30\nc: 2026-01-28 10:30:00\nd: 2026-01-28T10:30:00+02:00\n",
    "a: .nan\nb: .inf\nc: -.Inf\nd: 1e3\ne: 1.0e3\nf: 0x1F\ng: 017\nh: 1_000\ni: 10:30\n",
    "a: +12\nb: -7\nc: .5\nd: 0b101\ne: 0o17\nf: -0\n",
    "a: yes\nb: No\nc: on\nd: OFF\ne: y\nf: ~\ng: Null\n",
    "a: - x\n",
    "- - x\n",
    "-\n  a: 1\n",
    "- \n",
    "-x\n",
    "- # comment\n",
    "a:\n- x\n- y\nb: 1\n",
    "a:\n  - x\n  -y\n",
    "- a: 1\n  b:\n  - x\n  c: 2\n- d\n",
    "-   a: 1\n    b: 2\n",
    "- a: 1\n b: 2\n",
    "- a: 1\n   b: 2\n",
    "a: 1\n  b: 2\n",
    "a:\n  b: 1\n c: 2\n",
    "  a: 1\n  b: 2\n",
    "  a: 1\nb: 2\n",
    "a: b: c\n",
    "a: x:\n",
    "a: http://example.com/x?y=1#frag\n",
    "a: C# and F#\nb: value # comment\nc: '#not comment'\n",
    "a: 'x' trailing\n",
    "a: 'x'# no space\n",
    'a: "x" # ok\n',
    "a: &x\n",
    "a: *undefined\n",
    "a: @reserved\nb: `tick\n",
    "a: %percent\n",
    "a: ?q\nb: :c\nc: -\n",
    "a:\n" + "".join("  " * i + "- \n" for i in range(3)),
    "".join("  " * i + f"k{i}:\n" for i in range(70)) + "  " * 70 + "v: 1\n",
    "a: " + "[" * 70 + "]" * 70 + "\n",
    "a: " + "x" * 5000 + "\n",
    "1: one\n2026-01-01: date key\n0x10: hex key\n",
    "id: 2026\ntitle: 42\n",
    "key: value\n" * 3,
]


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(REPO)) for p in FILES])
def test_repository_files_read_the_same(path: Path) -> None:
    compare(path.read_bytes().decode("utf-8", "replace").removeprefix("\ufeff"), path.name)


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_snippets_read_the_same(text: str) -> None:
    compare(text)


@pytest.mark.parametrize("name", sorted(SHARED_HOSTILE))
def test_the_hostile_inputs_of_the_cli_tests_read_the_same(name: str) -> None:
    content = SHARED_HOSTILE[name]()
    text = content if isinstance(content, str) else content.decode("utf-8", "replace")
    compare(text.removeprefix("\ufeff"))


def test_the_line_reader_takes_the_usual_plan(tmp_path: Path) -> None:
    """Generated and bundled plan files go through the fast path (or the speed is lost),
    and read the same as through the reference."""
    spec = importlib.util.spec_from_file_location("generate", REPO / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    generate.generate(40, tmp_path)
    generated = sorted((tmp_path / "plans").rglob("*.yaml"))
    for path in generated:
        text = path.read_text(encoding="utf-8")
        assert yamlfast.read_block(text) is not None, path
        compare(text, path.name)
    bundled = [p for p in FILES if p.is_relative_to(REPO / "plans")]
    taken = [yamlfast.read_block(p.read_text(encoding="utf-8")) is not None for p in bundled]
    assert sum(taken) >= len(bundled) - 1  # organization.yaml has folded `>-` text


# Documents assembled from lines that are each plausible in a plan, with the odd
# character that changes the meaning: where both readers accept a text, they must agree.
_KEYS = st.sampled_from(["id", "title", "kpis", "goals", "a", "b", "yes", "1", "a.b", "$x"])
_SCALARS = st.sampled_from(
    [
        "x", "OBJ-1", "Grow sales by 5%", "12", "-3", "1.5", ".5", "1e3", "2026-01-28",
        "2026-02-30", "true", "No", "~", "null", "'q'", "'it''s'", '"d"', '"e\\n"', "[a, b]",
        "[]", "{k: v}", "{}", "{a: 1, b: [2]}", "x # c", "x#y", "a: b", "x:", "&a x", "*a",
        "!!str 1", "|", ">-", "- x", "-x", "?x", "@x", "C# 2", "10:30", "0x1F", "=", "<<",
        "caf\u00e9", "x\ty", "x ", "'unclosed", "[a,", "{a: }", "é: 1",
    ]
)  # fmt: skip


@st.composite
def documents(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 12))):
        indent = " " * draw(st.sampled_from([0, 0, 2, 2, 4, 6, 1, 3]))
        dash = draw(st.sampled_from(["", "", "- ", "-  ", "-"]))
        kind = draw(st.integers(0, 4))
        if kind == 0:
            body = f"{draw(_KEYS)}:"
        elif kind in (1, 2):
            body = f"{draw(_KEYS)}: {draw(_SCALARS)}"
        elif kind == 3:
            body = draw(_SCALARS)
        else:
            body = draw(st.sampled_from(["# comment", "", "---", "...", "key:  # c"]))
        lines.append(indent + dash + body)
    ending = draw(st.sampled_from(["\n", "\r\n", ""]))
    return ending.join(lines) + ending


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_generated_documents_read_the_same(text: str) -> None:
    compare(text)


# Whole documents: a random tree written out in the styles people use (indentless lists,
# extra spaces after a dash, flow collections, comments, blank lines), then now and then
# one character changed, which mostly turns it into something only the event parser takes.
_LEAVES = st.sampled_from(
    [
        "x", "OBJ-1", "Grow sales by 5% in the North", "12", "-3", "1.5", "2026-01-28",
        "true", "~", "'it''s'", '"d q"', "C# 2", "10:30", "caf\u00e9", "x#y", "0x1F", "1_000",
    ]
)  # fmt: skip
_TRICKY = st.sampled_from(list(" #:-'\"\t\n[]{}&*!|>,?\u00e9%@\r"))


@st.composite
def trees(draw: st.DrawFn, depth: int = 0) -> object:
    kind = draw(st.integers(0, 4 if depth < 4 else 0))
    if kind == 0:
        return draw(_LEAVES)
    if kind in (1, 2):
        keys = draw(st.lists(_KEYS, min_size=1, max_size=4, unique=True))
        return {key: draw(trees(depth + 1)) for key in keys}
    return [draw(trees(depth + 1)) for _ in range(draw(st.integers(1, 3)))]


def _write(draw: st.DrawFn, node: object, indent: int, lines: list[str], lead: str) -> None:
    """Write `node` as a block; `lead` is what starts its first line ("key: " or "- ")."""
    pad = " " * indent
    comment = draw(st.sampled_from(["", "", "", "  # note"]))
    if isinstance(node, str):
        lines.append(pad + lead + node + comment)
        return
    flat = all(
        isinstance(v, str) and v[0] not in "'\""
        for v in (node.values() if isinstance(node, dict) else node)
    )
    if flat and draw(st.booleans()):
        inner = (
            ", ".join(f"{k}: {v}" for k, v in node.items())
            if isinstance(node, dict)
            else ", ".join(node)
        )  # type: ignore[arg-type]
        brackets = "{}" if isinstance(node, dict) else "[]"
        lines.append(pad + lead + brackets[0] + inner + brackets[1] + comment)
        return
    step = draw(st.sampled_from([2, 2, 4, 1, 3]))
    if lead.startswith("-") and isinstance(node, dict):
        # The first key shares the dash's line; the others line up under it.
        items = list(node.items())
        inner_indent = indent + len(lead)
        first_key, first_value = items[0]
        sub: list[str] = []
        _write(draw, first_value, inner_indent, sub, f"{first_key}: ")
        sub[0] = pad + lead + sub[0][inner_indent:]
        lines.extend(sub)
        for key, value in items[1:]:
            _write(draw, value, inner_indent, lines, f"{key}: ")
        return
    if lead:
        lines.append(pad + lead.rstrip() + comment)
        if isinstance(node, list) and lead != "- " and draw(st.booleans()):
            step = 0  # an indentless list under its key
        if lead.startswith("-") and isinstance(node, list):
            step = max(step, 2)
    if draw(st.booleans()):
        lines.append("")
    if isinstance(node, dict):
        for key, value in node.items():
            _write(draw, value, indent + step if lead else indent, lines, f"{key}: ")
    else:
        for value in node:
            dash = draw(st.sampled_from(["- ", "- ", "-   "]))
            _write(draw, value, indent + step if lead else indent, lines, dash)


@st.composite
def written(draw: st.DrawFn) -> str:
    root = draw(trees())
    if isinstance(root, str):
        root = {"root": root}
    lines: list[str] = []
    _write(draw, root, draw(st.sampled_from([0, 0, 2])), lines, "")
    text = "\n".join(lines) + "\n"
    if draw(st.integers(0, 3)) == 0:
        where = draw(st.integers(0, len(text)))
        text = text[:where] + draw(_TRICKY) + text[where + draw(st.integers(0, 1)) :]
    return text


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(written())
def test_written_documents_read_the_same(text: str) -> None:
    compare(text)


# Block scalars, which the line reader reads line by line as PyYAML's scanner does: every
# header, blank and space-only lines, more-indented lines (folded or not), and what follows.
@st.composite
def block_scalars(draw: st.DrawFn) -> str:
    depth = draw(st.sampled_from([0, 1, 2]))
    lines = ["root:", "  sub:"][:depth]
    pad = " " * (2 * depth)
    lead = draw(st.sampled_from(["", "", "- "]))
    header = (
        draw(st.sampled_from(["|", ">"]))
        + draw(st.sampled_from(["", "-", "+"]))
        + draw(st.sampled_from(["", "", "1", "2", "3", "0"]))
        + draw(st.sampled_from(["", "", "  # note", "#x", " x"]))
    )
    lines.append(f"{pad}{lead}key: {header}")
    body = len(pad) + len(lead)
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.integers(0, 3)) == 0:
            lines.append(draw(st.sampled_from(["", " ", "   ", "      "])))
        else:
            indent = body + draw(st.sampled_from([1, 2, 2, 3, 4, 0]))
            text = draw(st.sampled_from(["x", "y z", "# h", "- q", "a: b", "caf\u00e9", "'q'"]))
            lines.append(" " * indent + text)
    tail = draw(st.sampled_from(["", "", "next: 1", "- other"]))
    if tail:
        lines.append(" " * body + tail)
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n", "\r\n"]))


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(block_scalars())
def test_block_scalars_read_the_same(text: str) -> None:
    compare(text)


def test_the_line_reader_takes_block_scalars() -> None:
    # Descriptions written as block scalars are common: they no longer send a whole file
    # to the event parser (which is several times slower).
    for text in ("a: |\n  x\n  y\nb: 1\n", "- id: G\n  why: >-\n    a\n    b\n  due: 2026-01-01\n"):
        assert yamlfast.read_block(text) is not None, text


def test_a_dropped_complex_key_keeps_the_reader_and_the_events_agreeing() -> None:
    # Found by hypothesis: the inner `yes:` (a boolean key) turns the flag off although
    # the mapping holding it is dropped as a key; both readers must still agree.
    compare("? id: x\n  title:\n    - x\n  goals:\n    id:\n      - id: x\n        yes: 'a'\n")
