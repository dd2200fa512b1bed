"""A line reader for the block-style YAML people write in plans, several times faster than
walking libyaml's events from Python.

It takes only what it fully understands: block mappings and lists, plain and simple quoted
scalars, block scalars (`|` and `>`) as mapping values, one-line flow lists and mappings,
comments. On anything else (anchors, tags, multi-line plain or quoted values, errors,
duplicate keys) it returns None and the caller uses the event parser, which gives the same
data and positions for what both accept.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from cascade import speed
from cascade.yamlsrc import (
    COL_BITS,
    COL_MASK,
    PLAIN,
    SPECIAL,
    Document,
    Pos,
    list_pos,
    mapping_pos,
    parse_events,
    plain,
)

# One line: indent, an optional "- ", an optional plain key with its colon, and the rest.
_LINE = re.compile(r"( *)(?:(- +)(?=[^ ]))?(?:([A-Za-z0-9_$][\w$.\-/+]*):(?: +|$))?")
# What cannot start a plain scalar (YAML indicators); "-" is allowed when not "- ".
_INDICATORS = frozenset("&*!|>%@`#,?:[]{}'\"")
_FLOW_STOP = re.compile(r"[\[\]{}#'\"]")
# Inside a one-line flow collection: "key: value" pairs and items, without ':' elsewhere.
_FLOW_PAIR = re.compile(r" *([^ :](?:[^:]*[^ :])?): +([^ :]+(?: +[^ :]+)*) *$")
_FLOW_ITEM = re.compile(r" *([^ :]+(?: +[^ :]+)*) *$")
_MAX_DEPTH = 48  # deeper nesting goes to the event parser, which reports it
_MISS: Any = object()


class _Bail(Exception):
    """The text holds something this reader leaves to the event parser."""


def read_block(text: str) -> tuple[Any, Pos | None, list[Any], bool] | None:
    """(data, positions, no diagnostics, whether every key is text) of `text`; None to
    decline. An empty file is (None, None, [], True)."""
    if "\r" in text:
        if text.count("\r") != text.count("\r\n"):
            return None
        text = text.replace("\r\n", "\n")
    # Python's printable characters are a subset of YAML's; the rest (tabs, control
    # characters, NEL/LS/PS line breaks, a byte-order mark, NBSP) goes to the event parser.
    if not text.replace("\n", "").isprintable():
        return None
    if text.startswith(("---", "...", "%")) or "\n---" in text or "\n..." in text or "\n%" in text:
        return None  # document markers and directives
    raw_lines = text.split("\n")
    if len(text) >= COL_MASK and max(map(len, raw_lines)) >= COL_MASK:
        return None  # columns this wide do not pack; the event parser keeps them as tuples
    rows: list[tuple[int, int, int, str | None, str, int]] = []
    append = rows.append
    match = _LINE.match
    for number, raw in enumerate(raw_lines, start=1):
        found = match(raw)
        assert found is not None  # every part of the pattern is optional
        indent, dash, key = found.groups()
        start = found.end()
        rest = raw[start:]
        if key is None and dash is None and (not rest or rest[0] == "#"):
            continue  # blank or comment
        if rest[-1:] == " ":
            rest = rest.rstrip(" ")
        append((number, len(indent), len(dash) if dash else 0, key, rest, start))
    if not rows:
        return None, None, [], True
    lines = _Lines(rows, raw_lines, text.endswith("\n"))
    try:
        data, pos, end = lines.block(0, 0)
    except (_Bail, RecursionError):
        return None
    if end != len(rows) or type(pos) is not Pos:
        return None
    return data, pos, [], lines.text_keys


class _Lines:
    """The content lines, split up front; a recursive descent reads them."""

    def __init__(
        self,
        rows: list[tuple[int, int, int, str | None, str, int]],
        raw: list[str],
        final_break: bool,
    ) -> None:
        # Every line as written (a block scalar reads them), the last one "" when the text
        # ends with a line break; then per content line: number, indent, width of "- "
        # (0: none), key, the rest, its column.
        self.raw = raw
        # The last line (0-based), and the one line without a line break (-1: none): the
        # "" after a final line break is no line.
        self.last = len(raw) - (2 if final_break else 1)
        self.unbroken = -1 if final_break else self.last
        self.numbers = [row[0] for row in rows]
        self.indents = [row[1] for row in rows]
        self.dashes = [row[2] for row in rows]
        self.keys = [row[3] for row in rows]
        self.rests = [row[4] for row in rows]
        self.starts = [row[5] for row in rows]
        self.count = len(rows)
        self.text_keys = True

    def block(self, k: int, depth: int) -> tuple[Any, Any, int]:
        """The block node that starts on content line `k`: a list or a mapping."""
        if self.dashes[k]:
            return self.sequence(k, self.indents[k], depth)
        return self.mapping(k, self.indents[k], depth)

    def sequence(self, k: int, indent: int, depth: int) -> tuple[list[Any], Pos, int]:
        if depth > _MAX_DEPTH:
            raise _Bail
        values: list[Any] = []
        items: list[Any] = []
        line = self.numbers[k]
        indents, dashes, keys, count = self.indents, self.dashes, self.keys, self.count
        while k < count:
            here = indents[k]
            if here != indent:
                if here > indent:
                    raise _Bail
                break
            dash = dashes[k]
            if not dash:
                break
            if keys[k] is not None:
                value, child, k = self.mapping(k, indent + dash, depth + 1)
            else:
                value, child = self.inline(k, depth + 1)
                k += 1
                if k < count and indents[k] > indent:
                    raise _Bail  # a value continued on the next line
            values.append(value)
            items.append(child)
        return values, list_pos(line, indent + 1, items), k

    def mapping(self, k: int, column: int, depth: int) -> tuple[dict[Any, Any], Pos, int]:
        """A block mapping whose keys sit at `column` (0-based), from content line `k`."""
        if depth > _MAX_DEPTH:
            raise _Bail
        data: dict[Any, Any] = {}
        entries: dict[Any, Any] = {}
        first_line = self.numbers[k]
        numbers, indents, dashes, keys, rests = (
            self.numbers,
            self.indents,
            self.dashes,
            self.keys,
            self.rests,
        )
        count = self.count
        kcol = column + 1
        cache = PLAIN.get
        while True:
            word = keys[k]
            if word is None:
                raise _Bail  # a line in a mapping that is no `key:`
            key = cache(word, _MISS)
            if key is _MISS:
                key = plain(word)
            if key.__class__ is not str:
                if key is SPECIAL or key in data:
                    raise _Bail  # the event parser reports duplicates and odd tags
                self.text_keys = False
            elif key in data:
                raise _Bail
            line = numbers[k]
            rest = rests[k]
            value: Any
            if not rest or rest[0] == "#":
                k += 1
                if k < count and indents[k] > column:
                    value, child, k = self.block(k, depth + 1)
                    entries[key] = (line, kcol, child)
                elif k < count and indents[k] == column and dashes[k]:
                    value, child, k = self.sequence(k, column, depth + 1)
                    entries[key] = (line, kcol, child)
                else:
                    # An empty value is null, positioned just after the colon.
                    value = None
                    entries[key] = (line << COL_BITS | kcol) << COL_BITS | (kcol + len(word) + 1)
            elif rest[0] == "|" or rest[0] == ">":
                # A block scalar: its lines are read as written, and the content lines
                # that fall inside it are passed over.
                value, after = self.block_scalar(numbers[k], column, rest)
                entries[key] = (line << COL_BITS | kcol) << COL_BITS | (self.starts[k] + 1)
                k = bisect_right(numbers, after, k + 1)
            else:
                first = rest[0]
                if (
                    first in _INDICATORS
                    or (first == "-" and (len(rest) == 1 or rest[1] == " "))
                    or " #" in rest
                    or ": " in rest
                    or rest[-1] == ":"
                ):
                    value, child = self.inline(k, depth + 1)
                    entries[key] = (
                        (line << COL_BITS | kcol) << COL_BITS | (child & COL_MASK)
                        if type(child) is int
                        else (line, kcol, child)
                    )
                else:  # a plain scalar: most values of a plan
                    value = cache(rest, _MISS)
                    if value is _MISS:
                        value = plain(rest)
                    if value is SPECIAL:
                        raise _Bail
                    entries[key] = (line << COL_BITS | kcol) << COL_BITS | (self.starts[k] + 1)
                k += 1
            data[key] = value
            if k >= count:
                break
            here = indents[k]
            if here < column:
                break
            if here > column or dashes[k]:
                raise _Bail  # a value continued on the next line, or a misplaced entry
        return data, mapping_pos(first_line, column + 1, entries), k

    def block_scalar(self, number: int, parent: int, header: str) -> tuple[str, int]:
        """The text of the block scalar whose `|` or `>` header is on line `number`, in a
        mapping whose keys sit at column `parent` (0-based), and its last line's number.

        PyYAML's scanner (`scan_block_scalar`, which libyaml matches) line by line."""
        folded = header[0] == ">"
        chomping: bool | None = None  # None: clip; True: keep; False: strip
        increment: int | None = None
        rest = header[1:]
        for _ in range(2):  # a chomping and an indentation indicator, in either order
            if rest[:1] in ("+", "-") and chomping is None:
                chomping = rest[0] == "+"
                rest = rest[1:]
            elif rest[:1].isdigit() and increment is None:
                increment = int(rest[0])
                if increment == 0:
                    raise _Bail  # an error: the event parser reports it
                rest = rest[1:]
        if (rest and rest[0] != " ") or rest.lstrip(" ")[:1] not in ("", "#"):
            raise _Bail  # something after the header: the event parser reports it
        raw, last = self.raw, self.last
        index = number  # 0-based: the line after the header
        minimum = max(parent + 1, 1)
        breaks: list[str] = []
        if increment is None:
            # The indentation is the deepest of the empty lines' and the first text line's.
            deepest = column = 0
            while index <= last:
                line = raw[index]
                column = len(line) - len(line.lstrip(" "))
                deepest = max(deepest, column)
                if column < len(line) or index == self.unbroken:
                    break  # text (or the end) on this line, at `column`
                breaks.append("\n")
                index += 1
            indent = max(minimum, deepest)
            if index > last:
                column = 0
        else:
            indent = minimum + increment - 1
            index, column = self._breaks(index, indent, breaks)
        chunks: list[str] = []
        line_break = ""
        while column == indent and self._on_text(index, column):
            chunks.extend(breaks)
            line = raw[index]
            leading_non_space = line[indent] != " "
            chunks.append(line[indent:])
            line_break = "" if index == self.unbroken else "\n"
            breaks = []
            index, column = self._breaks(index + 1, indent, breaks)
            if column != indent or not self._on_text(index, column):
                break
            if folded and line_break == "\n" and leading_non_space and raw[index][indent] != " ":
                if not breaks:
                    chunks.append(" ")
            else:
                chunks.append(line_break)
        if chomping is not False:
            chunks.append(line_break)
        if chomping is True:
            chunks.extend(breaks)
        return "".join(chunks), index  # `index` is 0-based: the last line is its number

    def _on_text(self, index: int, column: int) -> bool:
        """Whether a character (not a line break, not the end) is at `index`:`column`."""
        return index <= self.last and column < len(self.raw[index])

    def _breaks(self, index: int, indent: int, breaks: list[str]) -> tuple[int, int]:
        """From the start of line `index`: up to `indent` spaces, and the empty lines after
        them (a break each); where that stops, as (line, column)."""
        raw = self.raw
        while index <= self.last:
            line = raw[index]
            column = min(len(line) - len(line.lstrip(" ")), indent)
            if column < len(line) or index == self.unbroken:
                return index, column
            breaks.append("\n")
            index += 1
        return index, 0

    def inline(self, k: int, depth: int) -> tuple[Any, Any]:
        """The value written on line `k` after its key or dash: a scalar or flow collection."""
        text = self.rests[k]
        line = self.numbers[k]
        column = self.starts[k]
        if column >= COL_MASK:
            raise _Bail
        first = text[0]
        if first == "[" or first == "{":
            return _flow(text, line, column, depth)
        if first == "'" or first == '"':
            return _quoted(text), line << COL_BITS | (column + 1)
        if first in _INDICATORS or (first == "-" and (len(text) == 1 or text[1] == " ")):
            raise _Bail
        cut = text.find(" #")
        if cut >= 0:
            text = text[:cut].rstrip(" ")
        if ": " in text or text[-1] == ":":
            raise _Bail
        value = plain(text)
        if value is SPECIAL:
            raise _Bail
        return value, line << COL_BITS | (column + 1)


def _quoted(text: str) -> str:
    """A single- or double-quoted scalar that ends on its line (double: without escapes)."""
    if text[0] == "'":
        end = 1
        while True:
            end = text.find("'", end)
            if end < 0:
                raise _Bail  # continues on the next line
            if text[end + 1 : end + 2] != "'":
                break
            end += 2
        value = text[1:end].replace("''", "'")
    else:
        end = text.find('"', 1)
        if end < 0 or "\\" in text[1:end]:
            raise _Bail  # multi-line, or escapes: the event parser decodes those
        value = text[1:end]
    _after(text, end + 1)
    return value


def _flow(text: str, line: int, column: int, depth: int) -> tuple[Any, Pos]:
    """A one-line flow list `[a, b]` or mapping `{k: v, ...}` of plain scalars."""
    if depth > _MAX_DEPTH:
        raise _Bail
    mapping = text[0] == "{"
    end = text.find("}" if mapping else "]")
    if end < 0:
        raise _Bail
    inner = text[1:end]
    if _FLOW_STOP.search(inner) is not None:
        raise _Bail  # nested, quoted or commented: the event parser reads those
    _after(text, end + 1)
    base = line << COL_BITS
    offset = column + 1  # the column (0-based) of each part
    if mapping:
        data: dict[Any, Any] = {}
        entries: dict[Any, Any] = {}
        if inner.strip(" "):
            for part in inner.split(","):
                found = _FLOW_PAIR.match(part)
                if found is None:
                    raise _Bail  # an empty or odd item, or a trailing comma
                name, value = found.groups()
                key = _flow_plain(name)
                if key.__class__ is not str or key in data:
                    raise _Bail  # odd keys and duplicates: the event parser sorts them out
                data[key] = _flow_plain(value)
                entries[key] = (base | (offset + found.start(1) + 1)) << COL_BITS | (
                    offset + found.start(2) + 1
                )
                offset += len(part) + 1
        return data, mapping_pos(line, column + 1, entries)
    values: list[Any] = []
    items: list[Any] = []
    if inner.strip(" "):
        for part in inner.split(","):
            found = _FLOW_ITEM.match(part)
            if found is None:
                raise _Bail
            values.append(_flow_plain(found.group(1)))
            items.append(base | (offset + found.start(1) + 1))
            offset += len(part) + 1
    return values, list_pos(line, column + 1, items)


def _flow_plain(word: str) -> Any:
    """A plain scalar inside a flow collection (no ':' at all, to stay on safe ground)."""
    value = PLAIN.get(word, _MISS)
    if value is _MISS:
        first = word[0]
        if first in _INDICATORS or (first == "-" and (len(word) == 1 or word[1] == " ")):
            raise _Bail
        value = plain(word)
    if value is SPECIAL:
        raise _Bail
    return value


def _after(text: str, start: int) -> None:
    """After a closed scalar or collection only a comment may follow."""
    rest = text[start:]
    if rest and not (rest[0] == " " and rest.lstrip(" ")[0] == "#"):
        raise _Bail


def parse(text: str, file: str) -> Document:
    """Parse one file's text: the line reader when it answers, else libyaml's events.
    Problems become diagnostics; the data is None after a fatal one."""
    fast = read_block(text) if speed.on("lines") else None
    if fast is not None:
        return Document(*fast, by_lines=True)
    return parse_events(text, file)
