"""The gap rules' reference and cases: every rule documents itself, the README's table is
current, and every rule has a case folder whose comments say which goals fire."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cascade.rules import Rule, all_rules, markdown_table
from tests.conftest import CASES, ROOT

README = ROOT / "README.md"
GAP_RULES = [rule for rule in all_rules() if rule.gap]


def _select(case: Path) -> set[str]:
    text = (case / "expected.txt").read_text(encoding="utf-8")
    found = re.search(r"^select:(.*)$", text, re.M)
    return set(re.findall(r"CAS\d{3}", found.group(1))) if found else set()


GAP_CASES = sorted(
    case
    for case in CASES.iterdir()
    if case.is_dir() and _select(case) and _select(case) <= {r.code for r in GAP_RULES}
)


def test_readme_rule_table_is_generated_from_the_registry() -> None:
    text = README.read_text(encoding="utf-8")
    table = re.search(r"<!-- rules:start -->\n(.*?)<!-- rules:end -->", text, re.S)
    assert table is not None
    assert table.group(1) == markdown_table(), "regenerate the README table"


def test_all_twenty_gap_rules_are_registered() -> None:
    assert [rule.code for rule in GAP_RULES] == [f"CAS{n}" for n in range(101, 121)]


@pytest.mark.parametrize("rule", GAP_RULES, ids=lambda rule: rule.code)
def test_every_gap_rule_explains_itself_with_a_bad_and_a_good_example(rule: Rule) -> None:
    assert rule.check is not None
    assert len(rule.doc.split()) > 40, "say what it checks and why it matters"
    assert "Bad" in rule.doc and "Good" in rule.doc


def test_every_gap_rule_has_a_case_folder() -> None:
    covered = set().union(*(_select(case) for case in GAP_CASES))
    assert covered == {rule.code for rule in GAP_RULES}


@pytest.mark.parametrize("case", GAP_CASES, ids=lambda case: case.name)
def test_case_fires_exactly_where_its_comments_say(case: Path) -> None:
    # Each gap case marks the goals that fire with a comment saying "fires"; the others in
    # it (draft, dropped, at the threshold) must stay quiet.
    expected = [
        line
        for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines()
        if line.startswith("CAS")
    ]
    marked: list[str] = []
    for path in sorted((case / "plans").rglob("*.yaml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(r"#.*\bfires\b", line):
                marked.append(f"{path.relative_to(case).as_posix()}:{number}")
    assert expected, "the rule never fires"
    in_plan = [line.split()[1] for line in expected if line.split()[1].startswith("plans/")]
    assert [place.rsplit(":", 1)[0] for place in in_plan] == marked


MESSAGES = [
    ("orphan-goal", "S-1", 'goal S-1 "Launch partner program" supports no goal'),
    ("unlinked-goal", "Z", "its chain stops at Y, which supports nothing"),
    ("unlinked-goal", "W", "its chain stops at D, which is draft"),
    ("unlinked-goal", "M", "its chain stops at L1, which is on a loop of supports links"),
    ("unlinked-goal", "P", "its chain stops at Q, which supports only dropped goals (R)"),
    ("unsupported-objective", "OBJ-3", "is supported by no goal: it was never cascaded"),
    ("unit-without-goals", "field", 'team field "Field Sales" has no active goal'),
    ("goal-without-owner", "F-1", 'and team field "Field Sales" has no lead'),
    ("kpi-without-target", "k-no-band", "has no range to stay in"),
    ("kpi-target-conflict", "k-inverted", "has an inverted range [8, 2]"),
    ("too-many-goals-limit-3", "pam", "holds 4 active goals, more than the limit of 3"),
    ("due-after-parent", "LATE-PERIOD", "is due 2027-12-31, after OBJ-1 which it supports"),
    ("level-skip", "BO-3", "skipping the department and team levels"),
    ("off-track-at-risk", "BEHIND-26", "is off track: 24% done, 50% expected by 2026-11-15"),
    ("stale-kpi", "k-46-days", "was last measured on 2026-09-30, 46 days before 2026-11-15"),
    ("stale-kpi", "k-no-current", "has no current value although its time began on 2026-01-01"),
    ("department-not-aligned", "legal", "its one goal reaches no objective"),
]


@pytest.mark.parametrize(("case", "subject", "text"), MESSAGES, ids=lambda v: str(v)[:24])
def test_messages_say_what_is_wrong(
    case: str, subject: str, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from cascade.cli import app
    from tests.conftest import AS_OF

    monkeypatch.chdir(CASES / case)
    codes = ",".join(sorted(_select(CASES / case)))
    result = CliRunner().invoke(
        app, ["validate", "-f", "json", "--as-of", AS_OF, "--select", codes]
    )
    messages = [f["message"] for f in json.loads(result.stdout) if f["subject"] == subject]
    assert any(text in message for message in messages), messages
