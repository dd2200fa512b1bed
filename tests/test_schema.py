"""`cascade schema`: a valid draft 2020-12 schema that agrees with what cascade accepts."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from cascade.cli import app
from cascade.config import ConfigFile
from cascade.rules import all_rules
from cascade.schema import DRAFT, config_schema, plan_schema
from tests.conftest import AS_OF, BUNDLED


def _json_ready(value: Any) -> Any:
    """YAML data as an editor's YAML 1.2 reader sees it: dates are strings."""
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _errors(schema: dict[str, Any], data: Any) -> list[str]:
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


@pytest.fixture(scope="module")
def plan() -> dict[str, Any]:
    return plan_schema()


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    return config_schema()


def test_schemas_are_valid_draft_2020_12(plan: dict[str, Any], config: dict[str, Any]) -> None:
    for schema in (plan, config):
        assert schema["$schema"] == DRAFT
        Draft202012Validator.check_schema(schema)
        assert schema["title"] and schema["description"]


def _fields(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(where, property schema) for every property of every object in the schema."""
    found = []
    objects = [("(top)", schema), *schema.get("$defs", {}).items()]
    for name, definition in objects:
        for key, prop in definition.get("properties", {}).items():
            found.append((f"{name}.{key}", prop))
    return found


@pytest.mark.parametrize("which", ["plan", "config"])
def test_every_field_has_title_description_and_valid_examples(
    which: str, plan: dict[str, Any], config: dict[str, Any]
) -> None:
    schema = plan if which == "plan" else config
    fields = _fields(schema)
    assert len(fields) > (40 if which == "plan" else 10)
    for where, prop in fields:
        if where.split(".")[-1] in _rule_keys():  # waive / severity entries: one per rule
            assert prop["description"]
            continue
        assert prop.get("title"), where
        assert prop.get("description"), where
        assert prop.get("examples"), where
        # Every example must be accepted by its own field: editors offer them as help.
        field_schema = {"$defs": schema.get("$defs", {}), **prop}
        for example in prop["examples"]:
            assert _errors(field_schema, example) == [], (where, example)
    for name, definition in schema.get("$defs", {}).items():
        assert definition.get("title") and definition.get("description"), name


def _rule_keys() -> set[str]:
    return {r.code for r in all_rules()} | {r.name for r in all_rules()}


def test_bundled_plan_files_validate_against_the_schema(plan: dict[str, Any]) -> None:
    files = sorted(BUNDLED.rglob("*.yaml"))
    assert files
    for path in files:
        data = _json_ready(yaml.safe_load(path.read_text(encoding="utf-8")))
        assert _errors(plan, data) == [], path


# Documents cascade accepts, written the loose ways people write YAML: the editor must
# not flag them either.
ACCEPTED = [
    "periods:\n  - {id: 2026, start: 2026-01-01, end: 2026-12-31}\n",
    "objectives:\n  - id: OBJ-1\n    title: 42\n    supports:\n",
    "objectives:\n  - id: OBJ-1\n    title: Grow\n    supports: OBJ-2\n"
    "    risks: [Prices fall, {risk: Churn, mitigation: Reviews}]\n",
    "objectives:\n  - id: OBJ-1\n    title: Grow\n"
    "    supports: [OBJ-2, {goal: OBJ-3, weight: 2}]\n",
    "people:\n  - id: p\n    goals:\n",
    "people:\n  - {id: p, team: null, department: d}\n",
    "objectives:\n  - id: O\n    title: t\n    kpis:\n"
    "      - {name: Uptime, direction: maintain, range: [99.5, null], current: 99.9}\n",
    "$schema: ./cascade.schema.json\nversion: 1\n",
    "x-kpi: &kpi {unit: '%', frequency: monthly}\nobjectives:\n  - id: O\n    title: t\n"
    "    kpis:\n      - {<<: *kpi, name: Share}\n",
]
# Documents cascade rejects (a CAS002 schema error): the editor must flag them too.
REJECTED = [
    "objectives:\n  - {id: OBJ-1, titel: Grow}\n",
    "objectives:\n  - {id: OBJ-1, title: Grow, status: actve}\n",
    "objectives:\n  - {id: -bad, title: Grow}\n",
    "objectives:\n  - {id: OBJ-1, title: '   '}\n",
    "objectives:\n  - id: O\n    title: t\n    kpis: [{name: k, target: yes}]\n",
    "people:\n  - {id: p, team: t, department: d}\n",
    "version: 2\n",
    "version: true\n",
    "objectives:\n  - {id: OBJ-1, title: Grow, confidence: '0.5'}\n",
    "objectives:\n  - {id: OBJ-1, title: Grow, supports: [{goal: X, weight: '2'}]}\n",
    "objectives:\n  - id: O\n    title: t\n    kpis: [{name: k, kind: milestone, done: 'no'}]\n",
    "objectives:\n  - {id: OBJ-1, title: Grow, supports: [{goal: X, weight: 0}]}\n",
    "departments:\n  - {id: d, goals: [{title: no id}]}\n",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_what_cascade_accepts_the_schema_accepts(
    text: str, plan: dict[str, Any], tmp_path: Path
) -> None:
    assert _validate_codes(text, tmp_path) == set()
    assert _errors(plan, _json_ready(yaml.safe_load(text))) == []


@pytest.mark.parametrize("text", REJECTED)
def test_what_cascade_rejects_the_schema_rejects(
    text: str, plan: dict[str, Any], tmp_path: Path
) -> None:
    assert "CAS002" in _validate_codes(text, tmp_path)
    assert _errors(plan, _json_ready(yaml.safe_load(text))) != []


def _validate_codes(text: str, tmp_path: Path) -> set[str]:
    plan_file = tmp_path / "a.yaml"
    plan_file.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["validate", str(plan_file), "-f", "json", "--select", "CAS001,CAS002,CAS003"]
    )
    assert result.exit_code in (0, 1), result.output
    return {finding["rule"] for finding in json.loads(result.stdout)}


def test_waive_keys_are_the_gap_rules(plan: dict[str, Any]) -> None:
    waive = plan["$defs"]["Goal"]["properties"]["waive"]["anyOf"][0]
    gap = {r.code for r in all_rules() if r.gap} | {r.name for r in all_rules() if r.gap}
    assert set(waive["properties"]) == gap
    assert waive["additionalProperties"] is False


def test_config_schema_accepts_the_defaults_and_rejects_unknown_keys(
    config: dict[str, Any],
) -> None:
    defaults = json.loads(ConfigFile().model_dump_json(by_alias=True, exclude_none=True))
    assert _errors(config, defaults) == []
    assert _errors(config, {"rules": {"ignore": ["cycle", "CAS004"]}}) == []
    assert _errors(config, {"rules": {"ignore": ["cycles"]}}) != []
    assert _errors(config, {"rules": {"severity": {"cycle": "fatal"}}}) != []
    assert _errors(config, {"thresholds": {"max_goals_per_owner": 0}}) != []
    assert _errors(config, {"plan": "plans/"}) != []


def test_schema_command_prints_and_writes(tmp_path: Path) -> None:
    runner = CliRunner()
    printed = runner.invoke(app, ["schema"])
    assert printed.exit_code == 0
    assert json.loads(printed.stdout) == plan_schema()
    target = tmp_path / "out" / "cascade.config.schema.json"
    written = runner.invoke(app, ["schema", "--config", "-o", str(target)])
    assert written.exit_code == 0 and written.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8")) == config_schema()
    assert runner.invoke(app, ["schema"]).stdout == printed.stdout  # deterministic


def test_a_schema_key_or_modeline_is_not_flagged(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "a.yaml").write_text(
        "# yaml-language-server: $schema=../cascade.schema.json\n"
        "objectives:\n  - {id: OBJ-1, title: Grow}\n"
    )
    (plans / "b.yaml").write_text("$schema: ../cascade.schema.json\npeople: []\n")
    result = CliRunner().invoke(
        app, ["validate", str(plans), "-f", "json", "--select", "CAS001,CAS002", "--as-of", AS_OF]
    )
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout) == []


def test_yaml_1_2_exponents_are_numbers_as_the_json_schema_takes_them(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "objectives:\n  - id: O\n    title: t\n    kpis:\n"
        "      - {name: a, baseline: 1e3, target: 2E-2, current: +1e6}\n"
        "      - {name: b, baseline: '1e3', target: 1.5e3}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["map", str(plan), "-f", "json", "--as-of", "2026-11-15"])
    kpis = json.loads(result.stdout)["goals"][0]["kpis"]
    assert [(k["baseline"], k["target"], k["current"]) for k in kpis] == [(1000.0, 0.02, 1e6)]
    shown = CliRunner().invoke(app, ["validate", str(plan), "-f", "json"]).stdout
    assert [f["message"] for f in json.loads(shown) if f["rule"] == "CAS002"] == [
        "baseline: expected a number"
    ]
