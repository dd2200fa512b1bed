"""Plain data (mappings, lists, text, numbers, booleans, dates, None) as block YAML in the
style of `cascade init`: lists indented under their key, a blank line between sections
and between goals, text plain where it reads back as the same text, else double-quoted.

PyYAML's representer builds a node for every value before libyaml writes a byte; for the
plan of a 10,000-person export that is most of an import's time. The data written here
has one narrow shape, so it is written directly; a property test reads every text back
through the safe loader.
"""

from __future__ import annotations

import datetime
import json
import math
import re
from typing import Any

import yaml

# Text that may stay plain: starts with a letter or digit, holds nothing YAML gives a
# meaning to (`: `, ` #`, quotes at the start, flow brackets), does not end in a space.
PLAIN = re.compile(r"[^\W_][\w .,/()+&%$€£'\u2019;=!?-]*", re.UNICODE)
# Characters JSON leaves alone that YAML does not allow unescaped in a quoted scalar.
UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")
RESOLVER = yaml.resolver.Resolver()
STR = "tag:yaml.org,2002:str"


def scalar(value: Any) -> str:
    """One value as YAML that the safe loader reads back as the same value."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value)
        # YAML 1.1 needs a dot in a float: PyYAML reads `1e+20` as text.
        return text.replace("e", ".0e") if "." not in text and "e" in text else text
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if (
        PLAIN.fullmatch(text)
        and not text.endswith(" ")
        and RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == STR  # type: ignore[no-untyped-call]
    ):
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return UNPRINTABLE.sub(lambda m: f"\\u{ord(m[0]):04x}", quoted)


def _flat(items: list[Any]) -> bool:
    return all(item is None or isinstance(item, int | float | bool) for item in items)


def _mapping(data: dict[str, Any], indent: str, out: list[str], first: str) -> None:
    """The mapping's keys at `indent`; the first line starts with `first` (`- ` of a list)."""
    lead = first
    for key, value in data.items():
        name = f"{lead}{key}:"
        lead = indent
        if isinstance(value, dict):
            if value:
                out.append(name)
                _mapping(value, indent + "  ", out, indent + "  ")
            else:
                out.append(f"{name} {{}}")
        elif isinstance(value, list):
            if not value:
                out.append(f"{name} []")
            elif _flat(value):
                out.append(f"{name} [{', '.join(scalar(item) for item in value)}]")
            else:
                out.append(name)
                _sequence(value, indent + "  ", out)
        else:
            out.append(f"{name} {scalar(value)}")


def _sequence(items: list[Any], indent: str, out: list[str], first: str | None = None) -> None:
    """The items at `indent`; the first line starts with `first` (a list in a list)."""
    for index, item in enumerate(items):
        dash = f"{first}- " if first is not None and index == 0 else f"{indent}- "
        if isinstance(item, dict) and item:
            if index and "title" in item:
                out.append("")  # a blank line between goals, as `cascade init` writes them
            _mapping(item, indent + "  ", out, dash)
        elif isinstance(item, list) and item and not _flat(item):
            _sequence(item, indent + "  ", out, dash)
        elif isinstance(item, list):
            out.append(f"{dash}[{', '.join(scalar(i) for i in item)}]")
        else:
            out.append(f"{dash}{'{}' if isinstance(item, dict) else scalar(item)}")


def document(data: dict[str, Any]) -> str:
    """A whole file: its top-level sections, a blank line between them."""
    out: list[str] = []
    for key, value in data.items():
        if out:
            out.append("")
        _mapping({key: value}, "", out, "")
    return "\n".join(out) + "\n"
