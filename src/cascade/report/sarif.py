"""SARIF 2.1.0 for code scanning: one run, the rule table of every known rule, one result a finding.

Deterministic: no timestamps, no invocation, no paths beyond those the findings carry.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from urllib.parse import quote

from cascade import REPOSITORY
from cascade.diagnostics import Diagnostic, RuleInfo, Severity, Summary
from cascade.report.base import ReportOptions, message_with_hint

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = f"https://github.com/{REPOSITORY}"
SOURCE_ROOT = "%SRCROOT%"

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_WINDOWS_DRIVE = re.compile(r"[A-Za-z]:/")

Json = dict[str, object]


def _descriptor(rule: RuleInfo) -> Json:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
    }


def _rule_table(rules: Sequence[RuleInfo], diagnostics: Sequence[Diagnostic]) -> list[Json]:
    table = {rule.code: _descriptor(rule) for rule in rules}
    for diagnostic in diagnostics:
        # A finding whose rule the caller did not list still gets an entry, so that every
        # ruleIndex points at its rule.
        table.setdefault(diagnostic.rule, {"id": diagnostic.rule, "name": diagnostic.name})
    return [table[code] for code in sorted(table)]


_ESCAPED_BYTE = re.compile(r"\\x([89a-f][0-9a-f])")  # as `sources.display_path` writes it


def artifact_location(file: str) -> Json:
    """A relative path becomes a URI reference under %SRCROOT%; an absolute one a file: URI.

    A byte of a name that is not UTF-8, shown as `\\xNN`, is percent-encoded as itself.
    """
    file = _ESCAPED_BYTE.sub(lambda found: f"%{found.group(1).upper()}", file)
    if file.startswith("/"):
        return {"uri": "file://" + quote(file, safe="/%")}
    if _WINDOWS_DRIVE.match(file):
        return {"uri": "file:///" + file[:2] + quote(file[2:], safe="/%")}
    return {"uri": quote(file, safe="/%"), "uriBaseId": SOURCE_ROOT}


def _result(diagnostic: Diagnostic, rule_index: int) -> Json:
    location = diagnostic.location
    result: Json = {
        "ruleId": diagnostic.rule,
        "ruleIndex": rule_index,
        "level": _LEVEL[diagnostic.severity],
        "message": {"text": message_with_hint(diagnostic)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": artifact_location(location.file),
                    "region": {
                        "startLine": location.line,
                        "startColumn": location.column,
                    },
                }
            }
        ],
    }
    if diagnostic.subject is not None:
        result["properties"] = {"subject": diagnostic.subject}
    return result


def render(diagnostics: Sequence[Diagnostic], summary: Summary, options: ReportOptions) -> str:
    rules = _rule_table(options.rules, diagnostics)
    index = {str(rule["id"]): position for position, rule in enumerate(rules)}
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "cascade",
                        "version": options.version,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                # YAML marks count characters, i.e. code points, not UTF-16 units.
                "columnKind": "unicodeCodePoints",
                "results": [_result(d, index[d.rule]) for d in diagnostics],
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
