"""JUnit XML for CI test views: a test case per finding; findings at the failing level
(errors, and warnings with `--strict`) are failures, the others are shown as output, so a
dashboard does not show a passing run as failed.

Always well-formed (controls shown as `\\xNN`, what XML 1.0 forbids dropped); no timestamps.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cascade.controls import show_controls
from cascade.diagnostics import Diagnostic, Severity, Summary
from cascade.report.base import ReportOptions, message_with_hint

# Everything outside XML 1.0's Char production (lone surrogates included).
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    """`value` with control characters made visible, less what no XML 1.0 document may hold."""
    return _NOT_XML_CHAR.sub("", show_controls(value))


def _detail(diagnostic: Diagnostic) -> str:
    return xml_text(
        f"{diagnostic.location}: {diagnostic.severity.value}"
        f"[{diagnostic.rule} {diagnostic.name}] {message_with_hint(diagnostic)}"
    )


def render(diagnostics: Sequence[Diagnostic], summary: Summary, options: ReportOptions) -> str:
    # Imported here: ElementTree is slow to import and only this format needs it.
    from xml.etree import ElementTree

    counts = summary.counts(list(diagnostics))
    failing = {Severity.ERROR, Severity.WARNING} if options.strict else {Severity.ERROR}
    totals = {
        "tests": str(max(len(diagnostics), 1)),  # a clean run is one passing test
        "failures": str(sum(counts[severity] for severity in failing)),
        "errors": "0",  # JUnit's errors are crashed tests; no finding is one
    }
    root = ElementTree.Element("testsuites", {"name": "cascade", **totals})
    suite = ElementTree.SubElement(root, "testsuite", {"name": "cascade", **totals, "skipped": "0"})
    for diagnostic in diagnostics:
        location = diagnostic.location
        case = ElementTree.SubElement(
            suite,
            "testcase",
            {
                "classname": xml_text(location.file),
                "name": xml_text(f"{diagnostic.rule} {diagnostic.name} {location}"),
            },
        )
        if diagnostic.severity not in failing:
            ElementTree.SubElement(case, "system-out").text = _detail(diagnostic)
        else:
            attributes = {
                "type": diagnostic.severity.value,
                "message": xml_text(diagnostic.message),
            }
            ElementTree.SubElement(case, "failure", attributes).text = _detail(diagnostic)
    if not diagnostics:
        ElementTree.SubElement(
            suite, "testcase", {"classname": "cascade", "name": "cascade validate"}
        )
    ElementTree.indent(root, space="  ")
    body = ElementTree.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
