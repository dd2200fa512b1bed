"""The loader's YAML reader as it was before the speed work: the oracle of test_differential.

Kept verbatim but for two changes made in both: an unknown alias names the anchor hint,
and a syntax error points where the mistake is (`_syntax_error`, copied as it is in yamlsrc:
the wording and the choice of mark are the same on purpose; data and positions are under test).

YAML text -> plain Python data plus a tree of source positions, in one pass over events.

Safe by construction: only standard tags, duplicate keys reported, aliases never expanded
past a budget (alias bombs), nesting depth capped. Never raises on bad input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import ScalarNode

from cascade.diagnostics import DUPLICATE_KEY, YAML_SYNTAX, Diagnostic, Location, error

# libyaml's parser is ~10x faster than the pure-Python one; both emit the same events.
_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_DEPTH = 64  # plans nest about ten deep; anything deeper is an attack or an accident
ALIAS_BUDGET = 10_000  # expanded nodes allowed beyond ten per parsed event

_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {
    _TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
_MERGE = _TAG + "merge"
_RESOLVERS: dict[Any, list[tuple[str, Any]]] = yaml.resolver.Resolver.yaml_implicit_resolvers
_WILDCARD = _RESOLVERS.get(None, [])
_CONSTRUCTOR = SafeConstructor()


@dataclass(slots=True)
class Pos:
    """Where a node starts (1-based), and the positions of its children.

    A mapping's start is its first key (the `- id:` line of a list item). `entries`
    maps each key to (key line, key column, value position); `items` holds list items.
    """

    line: int
    column: int
    entries: dict[Any, tuple[int, int, Pos]] | None = None
    items: list[Pos] | None = None


@dataclass(slots=True)
class Document:
    """One parsed file: its data (None when empty or unreadable) and positions."""

    data: Any
    pos: Pos | None
    diagnostics: list[Diagnostic] = field(default_factory=list)


def locate(root: Pos, path: tuple[Any, ...], *, key: bool = False) -> tuple[int, int]:
    """Line and column of `path` under `root`: the key itself when `key`, else its value."""
    node = root
    for depth, step in enumerate(path):
        if node.entries is not None and step in node.entries:
            kline, kcol, child = node.entries[step]
            if key and depth == len(path) - 1:
                return kline, kcol
            node = child
        elif node.items is not None and isinstance(step, int) and 0 <= step < len(node.items):
            node = node.items[step]
        else:
            break
    return node.line, node.column


class _Abort(Exception):
    """Stops the event loop after a problem that makes the rest of the file meaningless."""


_ALIAS_HINT = "define the anchor (&name) before using *name"
_TAB_HINT = "indent with spaces; YAML does not allow tabs"
_MISSING_COLON_HINT = (
    "put ': ' between the key and its value, or indent a value continued from the line above"
)
_HINTS = (
    ("tab character", _TAB_HINT),
    ("mapping values are not allowed", "quote a value that contains ': ' or fix the indent"),
    (
        "block sequence entries are not allowed",
        "start the list on the next line, under its key; quote a value that starts with '- '",
    ),
    ("found undefined alias", _ALIAS_HINT),
    # libyaml, inside [ ] or { }: `{id: X, owner:}` (a ':' right before ',', '}' or ']').
    (
        "found unexpected ':'",
        "inside [ ] or { }, put a space after ':' (`owner: `), or quote the text",
    ),
    ("characters are not allowed", "remove control characters; save as UTF-8 text"),
    ("did not find expected node content", "remove the stray ',' or bracket, or quote the value"),
    (
        "did not find expected <document start>",
        "line up the top-level keys in one column: a plan file is one mapping",
    ),
    (  # a bad escape: "found unknown escape character" and the like
        "while parsing a quoted scalar",
        "inside \"...\" write a backslash as \\\\, or quote with '...' instead",
    ),
    ("could not find expected ':'", _MISSING_COLON_HINT),
)
_DEFAULT_HINT = "check the indentation and quoting near this position"


def _syntax_hint(problem: str) -> str:
    for needle, hint in _HINTS:
        if needle in problem:
            return hint
    return _DEFAULT_HINT


# Where a syntax error points. libyaml gives two marks: where it gave up (the problem mark)
# and where the thing it was reading began (the context mark). Something left open is only
# noticed lines later, often at the end of the file, so those errors point where it opens:
#
#   could not find expected ':' (while scanning a simple key)   the key without its ':'
#   found unexpected end of stream / document indicator         the quote never closed
#     (while scanning a quoted scalar)
#   did not find expected ',' or ']' / '}'                      the '[' or '{' when it is not
#     (while parsing a flow sequence / mapping)                 closed on its line; else (and
#                                                               when it ends its line, to be
#                                                               written over lines) the stray
#                                                               text where ',' was expected
#   mapping values are not allowed in this context              the key when it is indented
#                                                               deeper than the line above
#                                                               (it continued that value);
#                                                               else the ':' inside a value
#
# Every other error points where libyaml gave up, which is the offending character itself:
# the '- ' or key of a block that does not line up ("did not find expected key" while
# parsing a block mapping, "did not find expected '-' indicator" while parsing a block
# collection), the text after a closing quote, the tab, the bad escape. The message is
# always libyaml's own words; the hint says what to change.
_DEEPER_KEY_HINT = (
    "line this key up with the keys above it; indented deeper, it continues the value above"
)
_AFTER_CLOSE_HINT = (
    "only a comment may follow a closing quote or bracket: quote the whole value"
    " (inside '...', write '' for ')"
)
_STRAY_DASH_HINT = (
    "line this '- ' up with the other items of its list; a mapping's keys take no '- '"
)
_BLOCK_KEY_HINT = "line this key up with the other keys of its mapping"
_BLOCK_ITEM_HINT = "start each list item with '- ', or line this key up with the keys above it"
_NOT_A_KEY_START = frozenset("-?:,[]{}#&*!|>'\"%@`\t")


def _source_lines(text: str) -> list[str]:
    """The text's lines as libyaml counts them (a leading byte-order mark takes no column)."""
    import re

    return re.split("\r\n|[\r\n\x85\u2028\u2029]", text.removeprefix("\ufeff"))


def _deeper_key(lines: list[str], line: int, column: int) -> int | None:
    """The column (0-based) of the plain key before the ':' at `line`:`column` when it starts
    its line and sits deeper than the line above, so that libyaml read it as more of the
    value above; else None."""
    before = lines[line][:column] if line < len(lines) else ""
    key = before.lstrip(" ")
    indent = len(before) - len(key)
    if not key or key[0] in _NOT_A_KEY_START or ": " in key or " #" in key:
        return None
    for above in reversed(lines[:line]):
        content = above.lstrip(" ")
        if content and content[0] != "#":
            return indent if indent > len(above) - len(content) else None
    return None


def _syntax_error(exc: Any, text: str) -> tuple[str, int, int, str]:
    """Message, line, column (1-based) and hint of a libyaml syntax error in `text`."""
    problem: str = exc.problem or exc.context or "invalid YAML"
    context: str = (exc.context or "") if exc.problem else ""
    message = f"{problem} ({context})" if context else problem
    opened, stopped = exc.context_mark, exc.problem_mark or exc.context_mark
    if stopped is None:
        return message, 1, 1, _syntax_hint(message)
    lines = _source_lines(text)

    def char_at(mark: Any) -> str:
        here = lines[mark.line] if 0 <= mark.line < len(lines) else ""
        return here[mark.column : mark.column + 1]

    def alone(mark: Any) -> bool:  # nothing but a comment after it on its line
        here = lines[mark.line] if 0 <= mark.line < len(lines) else ""
        return here[mark.column + 1 :].lstrip(" ")[:1] in ("", "#")

    def line_start(mark: Any) -> bool:
        here = lines[mark.line] if 0 <= mark.line < len(lines) else ""
        return not here[: mark.column].strip(" ")

    mark, hint = stopped, None
    if opened is not None and opened is not stopped:
        if context == "while scanning a simple key":
            mark, hint = opened, _MISSING_COLON_HINT
        elif context == "while scanning a quoted scalar":
            quote = "'" if char_at(opened) == "'" else '"'
            inside = "''" if quote == "'" else '\\"'
            mark = opened
            hint = (
                f"close the {quote} quote that opens here; write {inside} for a {quote} inside it"
            )
        elif context in ("while parsing a flow sequence", "while parsing a flow mapping"):
            start, end = ("[", "]") if context.endswith("sequence") else ("{", "}")
            if stopped.line > opened.line and not alone(opened):
                mark = opened  # not closed on its line (one written over lines: the stray text)
            hint = f"close the {start} with {end}, and put ', ' between its items"
        elif context in ("while scanning an anchor", "while scanning an alias"):
            hint = "quote a value that starts with & or *"
    if hint is None:
        if problem.startswith("mapping values are not allowed"):
            column = _deeper_key(lines, stopped.line, stopped.column)
            if column is not None:
                return message, stopped.line + 1, column + 1, _DEEPER_KEY_HINT
        elif problem == "found character that cannot start any token":
            found = char_at(stopped)
            hint = _TAB_HINT if found in ("\t", "") else f"quote a value that starts with {found}"
        elif problem in ("did not find expected key", "did not find expected '-' indicator"):
            if not line_start(stopped):
                hint = _AFTER_CLOSE_HINT
            elif char_at(stopped) == "-":
                hint = _STRAY_DASH_HINT
            elif problem == "did not find expected key":
                hint = _BLOCK_KEY_HINT
            else:
                hint = _BLOCK_ITEM_HINT
    return message, mark.line + 1, mark.column + 1, hint or _syntax_hint(message)


_EXPONENT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)[eE][-+]?[0-9]+")


def _resolve_plain(value: str) -> str:
    """The implicit tag of a plain scalar, exactly as PyYAML's safe loader resolves it."""
    resolvers = _RESOLVERS.get(value[0] if value else "", [])
    for tag, regexp in resolvers:
        if regexp.match(value):
            return tag
    for tag, regexp in _WILDCARD:
        if regexp.match(value):
            return tag
    return _TAG + "str"


class _Builder:
    """Turns a stream of parser events into data and positions."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.diagnostics: list[Diagnostic] = []
        self.anchors: dict[str, tuple[Any, Pos, int]] = {}
        # Stack frames: [container, pos, weight, anchor, pending key, key mark, merges]
        self.stack: list[list[Any]] = []
        self.root: tuple[Any, Pos] | None = None
        self.events = 0
        self.expanded = 0
        self.documents = 0

    def problem(self, message: str, line: int, column: int, hint: str | None = None) -> None:
        self.diagnostics.append(
            error(YAML_SYNTAX, message, Location(self.file, line, column), hint=hint)
        )

    def fail(self, message: str, line: int, column: int, hint: str | None = None) -> _Abort:
        self.problem(message, line, column, hint)
        return _Abort()

    def scalar(self, event: Any, line: int, column: int) -> Any:
        value: str = event.value
        tag = event.tag
        if tag is None or tag == "!":
            if tag is None and event.implicit[0]:
                tag = _resolve_plain(value)
            else:
                return value
        if tag not in _ALLOWED_TAGS:
            if tag == _MERGE:
                return _MergeKey
            raise self.fail(
                f"tag {_short(tag)} is not allowed: plans are plain data",
                line,
                column,
                "remove the tag; cascade reads YAML with a safe loader only",
            )
        if tag == _TAG + "str":
            # YAML 1.2 numbers that the 1.1 resolver leaves as text (1e3, 2E-2, +1e6).
            if event.tag is None and re.fullmatch(
                r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)[eE][-+]?[0-9]+", value
            ):
                return float(value)
            return value
        try:
            return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, ScalarNode(tag, value))
        except (ValueError, TypeError, KeyError, OverflowError, yaml.YAMLError):
            if event.tag is None:
                return value  # e.g. 2026-02-30: keep the text, the schema says what is wrong
            raise self.fail(
                f"{value!r} cannot be read as {_short(tag)}",
                line,
                column,
                "remove the tag",
            ) from None

    def add(self, value: Any, pos: Pos, weight: int) -> None:
        if not self.stack:
            self.root = (value, pos)
            return
        frame = self.stack[-1]
        frame[2] += weight
        container = frame[0]
        if isinstance(container, list):
            container.append(value)
            assert frame[1].items is not None
            frame[1].items.append(pos)
            return
        if frame[4] is _NoKey:
            if isinstance(value, dict | list):
                self.problem(
                    "a mapping key must be a plain value, not a list or mapping",
                    pos.line,
                    pos.column,
                    "use a plain string as the key",
                )
                frame[4] = _BadKey
            else:
                frame[4] = value
            frame[5] = (pos.line, pos.column)
            return
        key, (kline, kcol) = frame[4], frame[5]
        frame[4] = _NoKey
        if key is _BadKey:
            return
        if key is _MergeKey:
            frame[6].append((value, pos, kline, kcol))
            return
        entries = frame[1].entries
        if key in container:
            first = entries[key]
            self.diagnostics.append(
                error(
                    DUPLICATE_KEY,
                    f"key {key!r} repeats; first at line {first[0]}",
                    Location(self.file, kline, kcol),
                    hint="remove one of the two, or merge them",
                )
            )
            return
        container[key] = value
        entries[key] = (kline, kcol, pos)

    def merge(self, frame: list[Any]) -> None:
        """Apply `<<: *anchor` merges: explicit keys win, earlier merges beat later ones."""
        container: dict[Any, Any] = frame[0]
        entries = frame[1].entries
        for value, pos, kline, kcol in frame[6]:
            sources = value if isinstance(value, list) else [value]
            source_pos = pos.items if isinstance(value, list) else [pos]
            for source, spos in zip(sources, source_pos or [], strict=False):
                if not isinstance(source, dict) or spos.entries is None:
                    self.problem(
                        "'<<' merges only mappings",
                        kline,
                        kcol,
                        "merge a mapping anchor (*name)",
                    )
                    continue
                for key, item in source.items():
                    if key not in container:
                        container[key] = item
                        entries[key] = spos.entries[key]

    def feed(self, event: Any) -> None:
        self.events += 1
        mark = event.start_mark
        line, column = mark.line + 1, mark.column + 1
        kind = type(event)
        if kind is ScalarEvent:
            value = self.scalar(event, line, column)
            pos = Pos(line, column)
            self.expanded += 1
            self.register(event.anchor, value, pos, 1)
            self.add(value, pos, 1)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            self.check_tag(event, line, column)
            if len(self.stack) >= MAX_DEPTH:
                raise self.fail(
                    f"nesting is deeper than {MAX_DEPTH} levels",
                    line,
                    column,
                    "flatten the data",
                )
            if kind is MappingStartEvent:
                self.stack.append(
                    [
                        {},
                        Pos(line, column, entries={}),
                        1,
                        event.anchor,
                        _NoKey,
                        None,
                        [],
                    ]
                )
            else:
                self.stack.append(
                    [[], Pos(line, column, items=[]), 1, event.anchor, None, None, None]
                )
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            frame = self.stack.pop()
            if frame[6]:
                self.merge(frame)
            self.expanded += 1
            self.register(frame[3], frame[0], frame[1], frame[2])
            self.add(frame[0], frame[1], frame[2])
        elif kind is AliasEvent:
            target = self.anchors.get(event.anchor)
            if target is None:
                raise self.fail(
                    f"unknown alias *{event.anchor}",
                    line,
                    column,
                    "define the anchor (&name) before using *name",
                )
            value, pos, weight = target
            self.expanded += weight
            if self.expanded > ALIAS_BUDGET + 10 * self.events:
                raise self.fail(
                    "aliases expand this file far beyond its size (an alias bomb)",
                    line,
                    column,
                    "write the data out instead of nesting aliases",
                )
            self.add(value, pos, weight)
        elif kind is DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                raise self.fail(
                    "a plan file holds one YAML document; this is a second",
                    line,
                    column,
                    "split the documents into separate files",
                )

    def register(self, anchor: str | None, value: Any, pos: Pos, weight: int) -> None:
        if anchor is not None:
            self.anchors[anchor] = (value, pos, weight)

    def check_tag(self, event: Any, line: int, column: int) -> None:
        tag = event.tag
        if tag is not None and tag != "!" and tag not in _ALLOWED_TAGS:
            raise self.fail(
                f"tag {_short(tag)} is not allowed: plans are plain data",
                line,
                column,
                "remove the tag; cascade reads YAML with a safe loader only",
            )


class _Sentinel:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


_NoKey: Any = _Sentinel("<no key>")
_BadKey: Any = _Sentinel("<bad key>")
_MergeKey: Any = _Sentinel("<<")


def _short(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


def parse(text: str, file: str, parser_class: Any = _Parser) -> Document:
    """Parse one file's text. Problems become diagnostics; the data is None after a fatal one."""
    builder = _Builder(file)
    parser = parser_class(text)
    try:
        while parser.check_event():
            builder.feed(parser.get_event())
    except _Abort:
        return Document(None, None, builder.diagnostics)
    except yaml.MarkedYAMLError as exc:
        if parser_class is not yaml.SafeLoader and "maximum nesting depth" in str(exc.problem):
            # libyaml's own depth limit (PyYAML 6.0.3+) fires before ours: as the loader does.
            return parse(text, file, yaml.SafeLoader)
        builder.problem(*_syntax_error(exc, text))
        return Document(None, None, builder.diagnostics)
    except yaml.reader.ReaderError as exc:
        # The reader reports a character offset, not a line: count it out.
        before = text[: max(exc.position, 0)]
        line = before.count("\n") + 1
        column = exc.position - (before.rfind("\n") + 1) + 1
        problem = f"unacceptable character #x{exc.character:04x}: {exc.reason}"
        builder.problem(problem, line, column, _syntax_hint(problem))
        return Document(None, None, builder.diagnostics)
    except yaml.YAMLError as exc:
        builder.problem(str(exc).splitlines()[0] or "invalid YAML", 1, 1, _syntax_hint(str(exc)))
        return Document(None, None, builder.diagnostics)
    finally:
        parser.dispose()
    if builder.root is None:
        return Document(None, None, builder.diagnostics)
    data, pos = builder.root
    return Document(data, pos, builder.diagnostics)
