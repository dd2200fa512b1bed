"""The hierarchy's answers (membership, owners, reach, line of sight) and that they stay
linear on deep and wide plans."""

from __future__ import annotations

import datetime
from pathlib import Path

from cascade.config import Config
from cascade.engine import context_for, run
from cascade.loader import LoadedPlan
from cascade.model import Department, Goal, Kpi, Organization, Period, Person, Plan, Team, place
from cascade.rules import Context

AS_OF = datetime.date(2026, 11, 15)


def small_plan() -> Plan:
    return place(
        Plan(
            organization=Organization(name="Org", period="FY"),
            periods=[
                Period(id="FY", start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31))
            ],
            objectives=[Goal(id="OBJ", title="Objective", owner="ceo")],
            departments=[
                Department(
                    id="sales",
                    lead="lead",
                    goals=[Goal(id="S-1", title="Dept", supports=["OBJ"])],
                )
            ],
            teams=[
                Team(
                    id="ka",
                    department="sales",
                    goals=[
                        Goal(id="KA-1", title="Team", supports=["S-1"]),
                        Goal(id="KA-2", title="Team, owned", owner="bob", supports=["S-1"]),
                    ],
                )
            ],
            people=[
                Person(
                    id="bob", team="ka", goals=[Goal(id="BOB-1", title="Me", supports=["KA-1"])]
                ),
                Person(id="lead", department="sales"),
                Person(id="ceo"),
            ],
        )
    )


def test_membership_and_owners() -> None:
    hierarchy = Context(small_plan(), Config(), AS_OF).hierarchy
    assert hierarchy.units_within("sales") == {"sales", "ka", "bob", "lead"}
    assert hierarchy.units_within("ka") == {"ka", "bob"}
    assert hierarchy.units_within("bob") == {"bob"}
    assert hierarchy.department_of("bob") == "sales"
    assert hierarchy.department_of("ceo") is None
    assert hierarchy.home_of("bob") == "ka"
    goals = hierarchy.goals
    assert hierarchy.owner_of(goals["S-1"]) == "lead"
    assert hierarchy.owner_of(goals["KA-1"]) is None  # the team has no lead
    assert hierarchy.owner_of(goals["KA-2"]) == "bob"
    assert hierarchy.owner_of(goals["BOB-1"]) == "bob"
    assert hierarchy.owner_of(goals["OBJ"]) == "ceo"
    assert hierarchy.unit_objectives("sales") == {"OBJ"}
    assert hierarchy.unit_objectives("bob") == {"OBJ"}
    assert hierarchy.unit_objectives("ceo") == frozenset()
    assert hierarchy.line_of_sight("BOB-1") == [["BOB-1", "KA-1", "S-1", "OBJ"]]
    assert hierarchy.supporters("S-1") == {"KA-1", "KA-2", "BOB-1"}


def chain_plan(depth: int, width: int) -> Plan:
    """A chain of `depth` department goals, each also supported by `width` personal goals
    of one person (wide), all under one objective."""
    chain = [
        Goal(
            id=f"C{i}",
            title="Link",
            supports=[f"C{i + 1}" if i + 1 < depth else "OBJ"],
            kpis=[Kpi(name="k", baseline=0, target=10, current=i % 11, as_of=AS_OF)],
        )
        for i in range(depth)
    ]
    personal = [Goal(id=f"P{j}", title="Mine", supports=[f"C{j % depth}"]) for j in range(width)]
    return place(
        Plan(
            organization=Organization(name="Deep", period="FY"),
            periods=[
                Period(id="FY", start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31))
            ],
            objectives=[Goal(id="OBJ", title="Top", owner="p")],
            departments=[Department(id="d", lead="p", goals=chain)],
            people=[Person(id="p", department="d", goals=personal)],
        )
    )


def test_every_rule_stays_linear_on_a_deep_chain() -> None:
    # A quadratic walk over a 6,000-deep chain is ~18 million steps per goal question;
    # the benchmark measures how long it takes; here, every query still answers.
    plan = chain_plan(depth=6_000, width=6_000)
    loaded = LoadedPlan(plan=plan, files=["x.yaml"])
    context = context_for(loaded, Config(), AS_OF)
    result = run(loaded, Config(), AS_OF, context=context)
    hierarchy = context.hierarchy
    assert hierarchy.reaches_objective("P0")
    chains = hierarchy.line_of_sight("C0")
    assert len(chains) == 1 and len(chains[0]) == 6_001
    progress = context.progress.progress("OBJ")
    assert progress is not None and 0 <= progress <= 1
    codes = {d.rule for d in result.diagnostics}
    assert "CAS110" in codes  # p holds 6,000 goals
    assert "CAS101" not in codes and "CAS102" not in codes


def test_an_id_defined_twice_means_the_one_written_in_the_earlier_file(tmp_path: Path) -> None:
    from cascade.graph import Hierarchy
    from cascade.loader import load

    plans = tmp_path / "plans"
    plans.mkdir()
    # The later file holds the department section, which the plan lists before people.
    (plans / "a-people.yaml").write_text(
        "people:\n  - id: zoe\n    name: Zoe\n    goals:\n"
        "      - {id: G-4, title: Written first}\n"
        "  - {id: ada, name: Ada}\n",
        encoding="utf-8",
    )
    (plans / "b-org.yaml").write_text(
        "departments:\n  - id: d\n    name: D\n    goals:\n"
        "      - {id: G-4, title: Written later}\n"
        "teams:\n  - {id: ada, name: Team Ada, department: d}\n",
        encoding="utf-8",
    )
    hierarchy = Hierarchy(load(plans).plan)
    assert hierarchy.goals["G-4"].title == "Written first"
    assert isinstance(hierarchy.units["ada"], Person)
