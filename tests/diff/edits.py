"""One change of every kind `cascade diff` reports, made to a copy of the bundled plan:
what the golden files of a diff show, and what the README's sample is made from."""

from __future__ import annotations

from pathlib import Path

ELI_GOAL = """      - id: ELI-1
        title: Coach every rep through two recorded call reviews a month
        supports: IS-1
        perspective: learning
        kpis:
          - id: ELI-1.reviews
            name: Call reviews completed this year
            unit: count
            baseline: 0
            target: 240
            current: 215
            as_of: 2026-11-13
            frequency: weekly
            source: Call-recording platform
"""
FATIMA_GOAL = """      - id: FATIMA-1
        title: Source 150 qualified mid-market opportunities
        supports: IS-1
        kpis:
          - id: FATIMA-1.opps
            name: Qualified opportunities sourced this year
            unit: count
            baseline: 0
            target: 150
            current: 134
            as_of: 2026-11-13
            frequency: weekly
            source: CRM opportunities by creator
"""
NEW_GOAL = """      - id: KA-3
        title: Every account manager completes the negotiation course
        supports: OBJ-4
        kpis:
          - id: KA-3.course
            name: Account managers through the course
            unit: "%"
            baseline: 0
            target: 100
            current: 40
            as_of: 2026-11-01
            frequency: monthly

"""

# (file, text before, text after): each "before" occurs exactly once.
EDITS: list[tuple[str, str, str]] = [
    # The organization, its periods and objectives.
    (
        "organization.yaml",
        "  vision: Be the most trusted B2B supplier in the Northeast\n",
        "  vision: Be the most trusted B2B supplier in New England\n",
    ),
    (
        "organization.yaml",
        "    end: 2026-12-31\n    parent: FY2026\n",
        "    end: 2026-12-31\n    parent: FY2026\n  - id: 2027-Q1\n"
        "    start: 2027-01-01\n    end: 2027-03-31\n",
    ),
    ("organization.yaml", "        target: 30.0\n", "        target: 26.0\n"),  # eased
    ("organization.yaml", "    due: 2027-06-30\n", "    due: 2027-09-30\n"),  # slipped
    ("organization.yaml", "        baseline: 410\n", "        baseline: 400\n"),
    ("organization.yaml", "        current: 452\n", "        current: 470\n"),  # a reading
    # Marketing: a department renamed, a goal re-parented, a goal renamed (and the goals
    # that support it follow), a status, a KPI's unit, a raised target, a person's role.
    ("departments/marketing.yaml", "    name: Marketing\n", "    name: Marketing and Brand\n"),
    (
        "departments/marketing.yaml",
        "        supports:                       # a list of ids: it contributes to both\n"
        "          - OBJ-3\n          - SALES-2\n",
        "        supports: OBJ-3\n",
    ),
    ("departments/marketing.yaml", "      - id: BRAND-2\n", "      - id: BRAND-5\n"),
    (
        "departments/marketing.yaml",
        "          - id: BRAND-2.features\n",
        "          - id: BRAND-5.features\n",
    ),
    (
        "departments/marketing.yaml",
        "        title: Produce a ten-episode customer-story video series\n"
        "        supports: BRAND-2\n",
        "        title: Produce a ten-episode customer-story video series\n"
        "        supports: BRAND-5\n",
    ),
    ("departments/marketing.yaml", "        supports: BRAND-2\n", "        supports: BRAND-5\n"),
    ("departments/marketing.yaml", "        status: achieved\n", "        status: missed\n"),
    (
        "departments/marketing.yaml",
        "            unit: count\n            baseline: 0\n            target: 600\n",
        "            unit: leads\n            baseline: 0\n            target: 600\n",
    ),
    ("departments/marketing.yaml", "            target: 6\n", "            target: 8\n"),
    (
        "departments/marketing.yaml",
        "    role: Content Marketer\n",
        "    role: Senior Content Marketer\n",
    ),
    # Sales: an owner, tags, a range eased, a weight, a goal removed, a goal moved to
    # another person, a goal added, a target taken away, a title.
    (
        "departments/sales.yaml",
        "        title: Increase average enterprise deal size by 15%\n",
        "        title: Increase average enterprise deal size by 15%\n        owner: bob\n",
    ),
    (
        "departments/sales.yaml",
        "        tags: [enterprise, pricing]\n",
        "        tags: [enterprise, pricing, services]\n",
    ),
    ("departments/sales.yaml", "            range: [null, 5]\n", "            range: [null, 6]\n"),
    (
        "departments/sales.yaml",
        "          - goal: KA-1\n            weight: 2\n",
        "          - goal: KA-1\n            weight: 3\n",
    ),
    (
        "departments/sales.yaml",
        "    team: inside-sales\n    goals:\n" + FATIMA_GOAL,
        "    team: inside-sales\n    goals: []\n",
    ),
    ("departments/sales.yaml", ELI_GOAL, FATIMA_GOAL),
    (
        "departments/sales.yaml",
        "  - id: inside-sales\n",
        NEW_GOAL + "  - id: inside-sales\n",
    ),
    ("departments/sales.yaml", "            target: 5\n", ""),
    (
        "departments/sales.yaml",
        "        title: Sign five multi-site distribution contracts\n",
        "        title: Sign five multi-site distribution contracts in New England\n",
    ),
]


def apply(plans: Path) -> None:
    """Make every edit to the plan in `plans`; an edit that does not apply is a test bug."""
    for name, before, after in EDITS:
        path = plans / name
        text = path.read_text(encoding="utf-8")
        assert text.count(before) == 1, f"{name}: {before!r} occurs {text.count(before)} times"
        path.write_text(text.replace(before, after), encoding="utf-8")
