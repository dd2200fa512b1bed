"""CAS001-CAS003: problems found while reading files. The loader emits them; this documents them."""

from __future__ import annotations

from collections.abc import Iterable

from cascade.diagnostics import Severity
from cascade.rules.base import Context, Finding, rule


@rule(
    "CAS001",
    "yaml-syntax",
    Severity.ERROR,
    "a file is not valid YAML, or not a mapping",
    loader=True,
)
def yaml_syntax(ctx: Context) -> Iterable[Finding]:
    """A plan file must be UTF-8 YAML whose top level is a mapping of sections.

    Fires on anything cascade cannot read as plain data: a syntax error (a tab in the
    indentation, an unquoted `: ` inside a value), a file in another encoding, a top-level
    list, a second YAML document, a tag that would build an object (`!!python/object`),
    nesting deeper than 64 levels, or aliases that expand far beyond the file's size.
    A syntax error points at the mistake, not where reading stopped: the key that lacks
    its `:`, the quote or bracket left open, the key or `- ` out of line, the character that
    cannot be there. The message keeps the YAML parser's words; the hint says what to change.

    Bad:

        objectives:
          - id: OBJ-1
            title: Grow: the Northeast      # ': ' inside an unquoted value

    Good:

        objectives:
          - id: OBJ-1
            title: "Grow: the Northeast"
    """
    return ()


@rule(
    "CAS002",
    "schema",
    Severity.ERROR,
    "a field has the wrong type or value, is missing, or is unknown",
    loader=True,
)
def schema(ctx: Context) -> Iterable[Finding]:
    """Every section, item and field must have the shape the plan format describes.

    One finding per problem, at the offending key or value (for a missing field: at the
    item that lacks it). Unknown fields and near-miss values get a "did you mean" hint.
    An item with a schema error is left out of the other checks, but references to its
    id are not reported as unknown.

    Bad:

        departments:
          - id: sales
            goals:
              - id: SALES-1
                titel: Increase deal size      # unknown field; `title` is missing
                status: actve                  # not a status

    Good:

        departments:
          - id: sales
            goals:
              - id: SALES-1
                title: Increase deal size
                status: active
    """
    return ()


@rule(
    "CAS003",
    "duplicate-key",
    Severity.ERROR,
    "a YAML mapping repeats a key",
    loader=True,
)
def duplicate_key(ctx: Context) -> Iterable[Finding]:
    """A mapping that repeats a key is an error, never a silent last-one-wins.

    Most YAML readers keep the last value and drop the first without a word; in a plan
    that loses a target or a `supports` link. The finding points at the repeated key and
    names the line of the first; the first value is the one cascade keeps.

    Bad:

        - id: SALES-1
          title: Increase deal size
          supports: OBJ-1
          supports: OBJ-3

    Good:

        - id: SALES-1
          title: Increase deal size
          supports: [OBJ-1, OBJ-3]
    """
    return ()
