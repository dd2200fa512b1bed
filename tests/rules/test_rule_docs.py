"""The rule reference: every gap rule documents itself, and the README's table is current."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cascade.rules import Rule, all_rules, markdown_table

README = Path(__file__).resolve().parents[2] / "README.md"
GAP_RULES = [rule for rule in all_rules() if rule.gap]


def test_readme_rule_table_is_generated_from_the_registry() -> None:
    text = README.read_text(encoding="utf-8")
    table = re.search(r"<!-- rules:start -->\n(.*?)<!-- rules:end -->", text, re.S)
    assert table is not None
    assert table.group(1) == markdown_table(), "regenerate the README table"


def test_all_seventeen_gap_rules_are_registered() -> None:
    assert [rule.code for rule in GAP_RULES] == [f"CAS{n}" for n in range(101, 118)]


@pytest.mark.parametrize("rule", GAP_RULES, ids=lambda rule: rule.code)
def test_every_gap_rule_explains_itself_with_a_bad_and_a_good_example(rule: Rule) -> None:
    assert rule.check is not None
    assert len(rule.doc.split()) > 40, "say what it checks and why it matters"
    assert "Bad" in rule.doc and "Good" in rule.doc
