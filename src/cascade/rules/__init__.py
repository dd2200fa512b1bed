"""The rules: the registry (`rules.base`) and every rule module, found through it.

A rule module imports the registry from `rules.base`; this package's own functions load
the rule modules on first use, so nothing here imports a rule module at import time.
"""

from __future__ import annotations

from cascade.rules.base import (
    REGISTRY,
    Asking,
    Check,
    Context,
    Finding,
    GapFacts,
    Question,
    Rule,
    gap_rule,
    rule,
)

__all__ = [
    "REGISTRY",
    "Asking",
    "Check",
    "Context",
    "Finding",
    "GapFacts",
    "Question",
    "Rule",
    "all_rules",
    "find_rule",
    "gap_rule",
    "markdown_table",
    "rule",
]


def all_rules() -> list[Rule]:
    """Every rule, sorted by code (imports the rule modules on first call)."""
    from cascade.rules import (
        alignment,
        kpis,
        loading,
        ownership,
        planning,
        readings,
        structure,
        timing,
    )

    del alignment, kpis, loading, ownership, planning, readings, structure, timing
    return [REGISTRY[code] for code in sorted(REGISTRY)]


def find_rule(code_or_name: str) -> Rule | None:
    """A rule by code (case-insensitive) or name."""
    wanted = code_or_name.strip()
    for registered in all_rules():
        if wanted.upper() == registered.code or wanted.lower() == registered.name:
            return registered
    return None


def markdown_table() -> str:
    """The rule reference as a Markdown table (the README's table is checked against it)."""
    lines = ["| code | name | default | fires when |", "|---|---|---|---|"]
    for registered in all_rules():
        lines.append(
            f"| {registered.code} | {registered.name} | {registered.severity.value} "
            f"| {registered.summary} |"
        )
    return "\n".join(lines) + "\n"
