"""A YAML syntax error points at the mistake, not where libyaml gave up.

libyaml notices something left open (a key without ':', a quote, a '[' or '{') only lines
later; each slip below is reported at the line:col a person would fix, keeps libyaml's own
words in the message and says in the hint what to do.
"""

from __future__ import annotations

import pytest

from cascade import yamlfast
from cascade.yamlfast import parse
from cascade.yamlsrc import parse_events
from tests.loading.differential import compare

# name: (text, line:col, what libyaml found (in the message), what to do (in the hint))
SLIPS: dict[str, tuple[str, tuple[int, int], str, str]] = {
    # Left open: libyaml gives up on a later line; the mistake is where it opens.
    "missing colon": (
        "organization:\n  name: Acme\n  vision: Grow\n  owner p\nobjectives: []\n",
        (4, 3),  # `owner p`, not 5:1 where the next key starts
        "could not find expected ':'",
        "put ': ' between the key and its value",
    ),
    "missing colon on the last line": (
        "objectives:\n  - id: OBJ-1\n    title: Grow sales\n    owner p\n",
        (4, 5),  # not 5:1, the end of the file
        "could not find expected ':'",
        "put ': ' between the key and its value",
    ),
    "unclosed double quote": (
        'objectives:\n  - id: OBJ-1\n    title: "Grow sales\n    owner: p\n',
        (3, 12),  # the opening quote, not 5:1
        "found unexpected end of stream",
        'close the " quote that opens here',
    ),
    "unclosed single quote": (
        "objectives:\n  - id: OBJ-1\n    title: 'Grow sales\n    owner: p\n",
        (3, 12),
        "found unexpected end of stream",
        "close the ' quote that opens here; write '' for a ' inside it",
    ),
    "unclosed [": (
        "objectives:\n  - id: OBJ-1\n    tags: [growth, retention\n    owner: p\n",
        (3, 11),  # the '[', not 4:10 inside the next line
        "did not find expected ',' or ']'",
        "close the [ with ]",
    ),
    "unclosed {": (
        "objectives:\n  - {id: OBJ-1, owner: p\n  - {id: OBJ-2, owner: q}\n",
        (2, 5),
        "did not find expected ',' or '}'",
        "close the { with }",
    ),
    "the file ends inside a flow mapping": (
        "objectives:\n  - {id: OBJ-1, title: Grow",
        (2, 5),  # not 3:1, past the end
        "did not find expected ',' or '}'",
        "close the { with }",
    ),
    # Closed, or written over lines on purpose: the stray text is the spot.
    "a missing ',' inside { } on one line": (
        "objectives:\n  - {id: OBJ-1 owner: p}\n",
        (2, 21),  # the ':' that reveals `OBJ-1 owner` ran together
        "did not find expected ',' or '}'",
        "put ', ' between its items",
    ),
    "a missing ',' in a list written over lines": (
        "objectives: [\n  {id: OBJ-1},\n  {id: OBJ-2}\n  {id: OBJ-3}\n]\n",
        (4, 3),  # the item after the missing ',', not the '[' three lines up
        "did not find expected ',' or ']'",
        "put ', ' between its items",
    ),
    # Indentation: the key or '- ' that does not line up.
    "a key indented less than its neighbours": (
        "objectives:\n  - id: OBJ-1\n    title: Grow\n   owner: p\n",
        (4, 4),
        "did not find expected '-' indicator",
        "line this key up with the keys above it",
    ),
    "a key indented more than its neighbours": (
        "objectives:\n  - id: OBJ-1\n    title: Grow\n     owner: p\n",
        (4, 6),  # the key, not its ':' at 4:11
        "mapping values are not allowed",
        "line this key up with the keys above it",
    ),
    "a tab used for indentation": (
        "objectives:\n  - id: OBJ-1\n\ttitle: Grow\n",
        (3, 1),
        "found a tab character that violates indentation",
        "indent with spaces",
    ),
    "a tab before a list item": (
        "objectives:\n\t- id: OBJ-1\n",
        (2, 1),
        "found character that cannot start any token",
        "indent with spaces",
    ),
    "a stray '- ' among a mapping's keys": (
        "objectives:\n  - id: OBJ-1\n    title: Grow\n    - owner: p\n",
        (4, 5),
        "did not find expected key",
        "a mapping's keys take no '- '",
    ),
    "a '- ' that does not line up with its list": (
        "objectives:\n  - id: OBJ-1\n    title: Grow\n - id: OBJ-2\n",
        (4, 2),
        "did not find expected key",
        "line this '- ' up with the other items of its list",
    ),
    # A character that cannot be where it is: libyaml stops on it.
    "key: value: more": (
        "objectives:\n  - id: OBJ-1\n    title: Growth: the plan\n",
        (3, 18),  # the second ': '
        "mapping values are not allowed",
        "quote a value that contains ': '",
    ),
    "{id: X, owner:}": (
        "objectives:\n  - {id: X, owner:}\n",
        (2, 18),
        "found unexpected ':'",
        "put a space after ':'",
    ),
    "an apostrophe inside single quotes": (
        "objectives:\n  - id: OBJ-1\n    title: 'Grow the team's reach'\n",
        (3, 27),  # the text after the quote that closed too early
        "did not find expected key",
        "write '' for '",
    ),
    "text after a closing quote": (
        'objectives:\n  - id: OBJ-1\n    title: "Grow" sales\n',
        (3, 19),
        "did not find expected key",
        "only a comment may follow a closing quote",
    ),
    "a value starting with @": (
        "people:\n  - id: sam\n    handle: @sam\n",
        (3, 13),
        "found character that cannot start any token",
        "quote a value that starts with @",
    ),
    "a list started on its key's line": (
        "objectives:\n  - id: OBJ-1\n    kpis: - revenue\n",
        (3, 11),
        "block sequence entries are not allowed",
        "start the list on the next line",
    ),
    "a backslash in double quotes": (
        'organization:\n  name: "C:\\plans\\q1"\n',
        (2, 12),  # the bad escape itself
        "found unknown escape character",
        "write a backslash as \\\\",
    ),
    "an alias to an anchor never defined": (
        "objectives:\n  - id: OBJ-1\n    owner: *lead\n",
        (3, 12),
        "unknown alias *lead",
        "define the anchor (&name) before using *name",
    ),
}


@pytest.mark.parametrize(("text", "where", "found", "hint"), SLIPS.values(), ids=list(SLIPS))
def test_a_syntax_error_points_at_the_mistake(
    text: str, where: tuple[int, int], found: str, hint: str
) -> None:
    (problem,) = parse(text, "plan.yaml").diagnostics
    assert problem.rule == "CAS001"
    assert problem.location.file == "plan.yaml"
    assert (problem.location.line, problem.location.column) == where
    assert found in problem.message
    assert problem.hint is not None and hint in problem.hint
    assert "\n" not in problem.message and "\n" not in problem.hint


@pytest.mark.parametrize("text", [slip[0] for slip in SLIPS.values()], ids=list(SLIPS))
def test_every_reader_reports_a_slip_alike(text: str) -> None:
    # The line reader leaves every error to the event parser, and the differential
    # test's reference reader agrees on the diagnostic.
    assert yamlfast.read_block(text) is None
    assert parse_events(text, "plan.yaml").diagnostics == parse(text, "plan.yaml").diagnostics
    compare(text)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("a: 1\r\nb: 'x\r\nc: 1\r\n", (2, 4)),  # CRLF line breaks
        ("\ufeffa: 'x\n", (1, 4)),  # a byte-order mark takes no column
        ("a: b\x85c d\ne: 1\n", (2, 1)),  # NEL is a line break to libyaml
        ("\u00e9\U0001f600: [x\nb: 1\n", (1, 5)),  # columns count characters
        ("a: 'x", (1, 4)),  # no line break at the end
        ("- a\n   b: 1\n", (2, 4)),
        ("a:\n    b: 1\n   c: 2\n", (3, 4)),
        ("  b: 1\n c: 2\n", (2, 2)),
    ],
)
def test_the_marks_hold_on_odd_text(text: str, where: tuple[int, int]) -> None:
    (problem,) = parse(text, "plan.yaml").diagnostics
    assert (problem.location.line, problem.location.column) == where
    compare(text)
