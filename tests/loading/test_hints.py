"""A YAML syntax error says, in its hint, what to change: the common slips each get their own."""

from __future__ import annotations

import pytest

from cascade.yamlfast import parse


@pytest.mark.parametrize(
    ("text", "where", "hint"),
    [
        ("goals:\n\t- id: A\n", (2, 1), "indent with spaces"),
        ("title: Growth: the plan\n", (1, 14), "quote a value that contains ': '"),
        ("objectives:\n  - {id: OBJ-1, owner:}\n", (2, 22), "put a space after ':'"),
        ("tags: [growth:, retention]\n", (1, 14), "put a space after ':'"),
        ("goals: *missing\n", (1, 8), "define the anchor"),
    ],
)
def test_a_syntax_error_hints_at_the_fix(text: str, where: tuple[int, int], hint: str) -> None:
    (problem,) = parse(text, "plan.yaml").diagnostics
    assert problem.rule == "CAS001"
    assert (problem.location.line, problem.location.column) == where
    assert problem.hint is not None and hint in problem.hint
