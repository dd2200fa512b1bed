"""A plan file with a YAML syntax error: read what stands around the broken list item.

One slip (an extra space, a tab, `-id:`, an unclosed quote) used to drop the whole file,
and every goal, unit and person in it then went missing from the plan: unknown references,
"never cascaded" objectives, units without goals. Here the list item that holds the error
(the innermost one whose removal lets the file parse) is replaced by a one-line
placeholder on its first line, the rest of its lines left blank so every position stays
where it is. The placeholder carries what the broken item names (its ids, `supports`,
`owner`), read leniently from its text; it fails the schema on purpose, so the loader
treats it as it treats any item left out for a schema error: its ids are known, the gaps
it may fill stay quiet, and only the syntax error is reported (the loader drops schema
findings on a placeholder's line).
"""

from __future__ import annotations

import json
import re

from cascade.diagnostics import YAML_SYNTAX, Diagnostic, Location, error
from cascade.yamlfast import parse
from cascade.yamlsrc import Document

MARKER = "cascade-broken-item"  # the placeholder's key: no plan field has this name
ROUNDS = 10  # syntax errors salvaged in one file; past that the file is left out
_ID = r"['\"]?([A-Za-z0-9][A-Za-z0-9_.-]*)['\"]?"
_ITEM = re.compile(r"( *)-(?:\s|$|(?=[A-Za-z]))")  # `- x`, `-` alone, or the slip `-id:`
_OWN_ID = re.compile(r"^ *-? *id: *" + _ID)
_ANY_ID = re.compile(r"(?:^|[{,\s-])id: *" + _ID)
_OWNER = re.compile(r"(?:^|[{,\s])owner: *" + _ID)
# `supports` as a key, its ':' possibly the slip itself (`supports OBJ-1`).
_SUPPORTS = re.compile(r"(?:^\s*(?:-\s*)?|[{,]\s*)supports(?::|\s)\s*(.*)$")
_NAMES = re.compile(r"(?:goal: *)?['\"]?([A-Za-z0-9][A-Za-z0-9_.-]*)['\"]?")


def parse_salvaging(text: str, file: str) -> Document:
    """`parse`, and on a syntax error the file read again without the broken item."""
    document = parse(text, file)
    if document.data is not None or not _salvageable(document):
        return document
    reported = list(document.diagnostics)
    lines = _lines(text)
    opened = _unclosed_quote(lines, reported[0].location.line - 1, file)
    if opened is not None:
        reported = [opened]  # libyaml stops where the quote happens to close, far below
    placeholders: list[int] = []
    for _ in range(ROUNDS):
        line = reported[-1].location.line - 1
        fixed = _without_item(lines, line, file)
        if fixed is None:
            return Document(None, None, reported)
        lines, first = fixed
        placeholders.append(first + 1)
        again = parse("\n".join(lines), file)
        if again.data is not None:
            again.diagnostics[:0] = reported
            again.salvaged = frozenset(placeholders)
            return again
        if not _salvageable(again):
            return Document(None, None, reported + again.diagnostics)
        reported.extend(again.diagnostics)
    return Document(None, None, reported)


_QUOTED = re.compile(r"""^(\s*(?:-\s+)?(?:[^\s#'"][^#]*?:\s+|-\s+))(["'])(.*)$""")


def _unclosed_quote(lines: list[str], stop: int, file: str) -> Diagnostic | None:
    """A value opened with a quote that its line does not close, above the error line,
    and whose closing there would get the file past that error: YAML allows a quoted
    value over several lines, and such a value is no mistake."""
    for number, line in enumerate(lines[:stop]):
        found = _QUOTED.match(line)
        if found is None:
            continue
        quote, rest = found.group(2), found.group(3)
        inside = rest.replace("\\\\", "").replace('\\"', "") if quote == '"' else rest
        unclosed = inside.count(quote) % 2 == 0 if quote == "'" else quote not in inside
        if not unclosed:
            continue
        closed = parse("\n".join([*lines[:number], line + quote, *lines[number + 1 :]]), file)
        if closed.data is None and not _later(closed, stop):
            continue  # closing it changes nothing: the error is elsewhere
        inner = "''" if quote == "'" else '\\"'
        return error(
            YAML_SYNTAX,
            f"the {quote} quote that opens this value is not closed on its line",
            Location(file, number + 1, len(found.group(1)) + 1),
            hint=f"close the {quote} quote that opens here; write {inner} for a {quote} inside it",
        )
    return None


def _salvageable(document: Document) -> bool:
    """One syntax error that libyaml stopped at (not an alias bomb, a tag or bad bytes)."""
    return (
        len(document.diagnostics) == 1
        and document.diagnostics[0].rule == YAML_SYNTAX[0]
        and document.diagnostics[0].location.line > 0
        and not document.diagnostics[0].message.startswith(
            ("nesting is deeper", "aliases expand", "tag ", "unacceptable character", "a plan")
        )
    )


def _lines(text: str) -> list[str]:
    return re.split("\r\n|[\r\n\x85\u2028\u2029]", text.removeprefix("\ufeff"))


def _indent(line: str) -> int | None:
    """Spaces before the text, None for a blank or comment line (and for a line indented
    with a tab, whose depth YAML cannot tell: it goes with the item around it)."""
    stripped = line.lstrip(" ")
    if not stripped or stripped.startswith(("#", "\t")):
        return None
    return len(line) - len(stripped)


def _without_item(lines: list[str], error: int, file: str) -> tuple[list[str], int] | None:
    """The lines with the innermost list item around line `error` that makes the file
    parse replaced by a placeholder, and the item's first line; None when none does."""
    floor: int | None = None  # the smallest indent from the item start down to `error`
    for start in range(min(error, len(lines) - 1), -1, -1):
        indent = _indent(lines[start])
        if indent is None:
            continue
        found = _ITEM.match(lines[start])
        if found is not None and (floor is None or indent < floor or start == error):
            end = _item_end(lines, start, indent)
            if end >= error:
                candidate = _replace(lines, start, end, indent)
                tried = parse("\n".join(candidate), file)
                if tried.data is not None or _later(tried, end):
                    return candidate, start
        floor = indent if floor is None else min(floor, indent)
        if indent == 0:
            break
    return None


def _later(document: Document, end: int) -> bool:
    """Whether the next syntax error lies past the item just taken out (progress)."""
    return _salvageable(document) and document.diagnostics[0].location.line - 1 > end


def _item_end(lines: list[str], start: int, indent: int) -> int:
    """The last line of the list item that starts at `start` with its `-` at `indent`."""
    end = start
    for number in range(start + 1, len(lines)):
        here = _indent(lines[number])
        if here is None:
            if lines[number].lstrip(" ").startswith("\t"):
                end = number  # a tab-indented line belongs to the item it stands in
            continue
        if here <= indent:
            break
        end = number
    return end


def _replace(lines: list[str], start: int, end: int, indent: int) -> list[str]:
    """The lines with `start`..`end` turned into one placeholder line and blank lines."""
    block = lines[start : end + 1]
    own = _OWN_ID.match(block[0][indent:])
    placeholder: dict[str, object] = {MARKER: True}
    ids = [m.group(1) for line in block for m in _ANY_ID.finditer(line)]
    if own is not None:
        placeholder["id"] = own.group(1)
        ids.remove(own.group(1))
    owner = next((m.group(1) for line in block if (m := _OWNER.search(line))), None)
    if owner is not None:
        placeholder["owner"] = owner
    placeholder["supports"] = _supports(block)
    placeholder["kpis"] = [{"id": other} for other in ids]  # their ids stay known
    text = " " * indent + "- " + json.dumps(placeholder, ensure_ascii=True)
    return [*lines[:start], text, *([""] * (end - start)), *lines[end + 1 :]]


def _supports(block: list[str]) -> list[str]:
    """The ids a broken item's `supports` names, inline or as a block list below it."""
    named: list[str] = []
    for number, line in enumerate(block):
        found = _SUPPORTS.search(line)
        if found is None:
            continue
        value = found.group(1).split("#")[0]
        if value.strip():
            cleaned = re.sub(r"weight: *[0-9.]+", "", value)
            named.extend(_NAMES.findall(cleaned.replace("[", " ").replace("]", " ")))
            continue
        depth = _indent(line) or 0
        for below in block[number + 1 :]:
            here = _indent(below)
            if here is None:
                continue
            if here <= depth:
                break
            item = below.strip().lstrip("-").strip()
            item = re.sub(r"weight: *[0-9.]+", "", item)
            named.extend(_NAMES.findall(item.replace("{", " ").replace("}", " ")))
    return [name for name in named if name not in ("goal", "weight")]
