"""The JSON Schema (draft 2020-12) of plan files and of `cascade.yaml`, for editors.

Generated from the pydantic models, then completed with what only the rule registry knows:
the rule codes and names allowed under `waive:` and in the config's `rules:`.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import CoreSchema

DRAFT = "https://json-schema.org/draft/2020-12/schema"


class _PlanSchema(GenerateJsonSchema):
    """Plan text fields also accept numbers: cascade reads `id: 2026` as the text "2026"."""

    def str_schema(self, schema: CoreSchema) -> JsonSchemaValue:
        generated = super().str_schema(schema)  # type: ignore[arg-type]
        generated["type"] = ["string", "number"]
        return generated


def plan_schema() -> dict[str, Any]:
    """The JSON Schema of one plan file."""
    from cascade.model import PlanFile
    from cascade.rules import all_rules

    schema = _generate(PlanFile, _PlanSchema)
    gap_rules = [r for r in all_rules() if r.gap]
    waive = schema["$defs"]["Goal"]["properties"]["waive"]
    reason = {
        "type": ["string", "number"],
        "pattern": r"\S",
        "description": "Why the rule does not apply to this goal (shown in the gaps report).",
    }
    waive["anyOf"] = [
        {
            "type": "object",
            "properties": _per_rule(gap_rules, reason),
            "additionalProperties": False,
        },
        {"type": "null"},
    ]
    schema["patternProperties"] = {
        "^x-": {
            "title": "x- keys",
            "description": "Ignored by cascade: a place for YAML anchors to reuse.",
        }
    }
    return _wrap(
        schema,
        "cascade plan file",
        "One YAML file of a cascade plan: organization, periods, objectives, departments, "
        "teams and people with their goals and KPIs. Every section is optional; the "
        "sections of all files are merged into one plan.",
    )


def config_schema() -> dict[str, Any]:
    """The JSON Schema of `cascade.yaml`."""
    from cascade.config import ConfigFile
    from cascade.rules import all_rules

    schema = _generate(ConfigFile, GenerateJsonSchema)
    rules = all_rules()
    settings = schema["$defs"]["RulesConfig"]["properties"]
    names = [r.code for r in rules] + [r.name for r in rules]
    settings["ignore"]["items"] = {"enum": names, "description": "A rule code or name."}
    level = settings["severity"]["additionalProperties"]
    settings["severity"]["properties"] = _per_rule(rules, level)
    settings["severity"]["additionalProperties"] = False
    return _wrap(
        schema,
        "cascade.yaml",
        "The configuration of cascade at the root of a plan repository: where the plan "
        "lives, which rules run at what severity, alignment and thresholds.",
    )


def render(schema: dict[str, Any]) -> str:
    """The schema as stable, readable JSON text ending with a newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def _generate(model: type[BaseModel], generator: type[GenerateJsonSchema]) -> dict[str, Any]:
    return model.model_json_schema(by_alias=True, mode="validation", schema_generator=generator)


def _per_rule(rules: list[Any], value: dict[str, Any]) -> dict[str, Any]:
    """One property per rule code and per rule name, so editors complete and explain them."""
    properties: dict[str, Any] = {}
    for registered in rules:
        for key in (registered.code, registered.name):
            about = f"{registered.code} {registered.name}: {registered.summary}."
            if "description" in value:
                about += " " + value["description"]
            properties[key] = {
                **value,
                "title": f"{registered.code} {registered.name}",
                "description": about,
            }
    return properties


def _titled(schema: dict[str, Any]) -> None:
    """Give every property a title; pydantic leaves it out next to a `$ref`."""
    for definition in [schema, *schema.get("$defs", {}).values()]:
        for key, prop in definition.get("properties", {}).items():
            prop.setdefault("title", key.replace("_", " ").capitalize())


def _wrap(schema: dict[str, Any], title: str, description: str) -> dict[str, Any]:
    """`$schema`, title and description first: what a reader of the file wants to see."""
    _titled(schema)
    body = {k: v for k, v in schema.items() if k not in ("title", "description")}
    return {"$schema": DRAFT, "title": title, "description": description, **body}
