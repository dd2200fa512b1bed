"""YAML text -> plain Python data plus a tree of source positions, in one pass.

Safe by construction: only standard tags, duplicate keys reported, aliases never expanded
past a budget (alias bombs), nesting depth capped. Never raises on bad input. The block
style people write goes through a line reader (`yamlfast`); the rest through libyaml events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from cascade.diagnostics import DUPLICATE_KEY, YAML_SYNTAX, Diagnostic, Location, error

MAX_DEPTH = 64  # plans nest about ten deep; anything deeper is an attack or an accident
_LIBYAML_DEPTH = "exceeded maximum nesting depth"
ALIAS_BUDGET = 10_000  # expanded nodes allowed beyond ten per parsed event

_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"
_ALLOWED_TAGS = {
    _TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
_MERGE = _TAG + "merge"


class _PyYaml:
    """PyYAML, imported on first use: a run answered from the cache never needs it."""

    def __init__(self) -> None:
        import yaml
        from yaml.constructor import SafeConstructor

        self.yaml: Any = yaml
        # libyaml's parser is ~10x faster than the pure-Python one; both emit the same events.
        self.parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        self.resolvers: dict[Any, list[tuple[str, Any]]] = (
            yaml.resolver.Resolver.yaml_implicit_resolvers
        )
        self.wildcard = self.resolvers.get(None, [])
        self.constructor: Any = SafeConstructor()
        self.node: Any = yaml.nodes.ScalarNode
        self.events: Any = yaml.events
        # What a constructor raises on text it cannot read as its type.
        self.unreadable = (ValueError, TypeError, KeyError, OverflowError, yaml.YAMLError)

    def construct(self, tag: str, text: str) -> Any:
        return self.constructor.yaml_constructors[tag](self.constructor, self.node(tag, text))


_LIBRARY: list[_PyYaml] = []


def _pyyaml() -> _PyYaml:
    if not _LIBRARY:
        _LIBRARY.append(_PyYaml())
    return _LIBRARY[0]


# Positions are packed so that a big plan stays small in memory. A scalar's own position
# is one int, `line << COL_BITS | column`. A mapping entry whose scalar value sits on the
# key's line is one int, `key line << 2*COL_BITS | key column << COL_BITS | value column`;
# any other entry is a tuple (key line, key column, child), the child a `Pos` or a packed
# scalar position. A column too wide to pack keeps the tuple form, (line, column).
COL_BITS = 24
COL_MASK = (1 << COL_BITS) - 1


@dataclass(slots=True)
class Pos:
    """Where a mapping or list starts (1-based), and the positions of its children.

    A mapping's start is its first key (the `- id:` line of a list item). `keys` maps each
    of its keys to the index of the packed entry in `children` (mappings with the same keys
    share one such dict); a list has no `keys`, and `children` holds its packed items.
    """

    line: int
    column: int
    keys: dict[Any, int] | None = None
    children: tuple[Any, ...] | None = None

    def __reduce__(self) -> tuple[type[Pos], tuple[Any, ...]]:
        # Positions cross from a parsing helper process by pickle: the plain constructor
        # call is several times faster than the default for a slotted dataclass.
        return Pos, (self.line, self.column, self.keys, self.children)


_KEY_INDEX: dict[tuple[Any, ...], dict[Any, int]] = {}


def mapping_pos(line: int, column: int, entries: dict[Any, Any]) -> Pos:
    """The position of a mapping from its packed entries (in key order)."""
    keys = tuple(entries)
    index = _KEY_INDEX.get(keys)
    if index is None:
        if len(_KEY_INDEX) >= 10_000:  # odd files with ever new keys: stop sharing old ones
            _KEY_INDEX.clear()
        index = _KEY_INDEX[keys] = {key: i for i, key in enumerate(keys)}
    return Pos(line, column, index, tuple(entries.values()))


def list_pos(line: int, column: int, items: list[Any]) -> Pos:
    """The position of a list from its packed items."""
    return Pos(line, column, None, tuple(items))


def entries_of(pos: Pos) -> dict[Any, Any]:
    """A mapping position's packed entries by key (empty for a list or scalar)."""
    if pos.keys is None or pos.children is None:
        return {}
    return dict(zip(pos.keys, pos.children, strict=True))


def entry(kline: int, kcol: int, child: Any) -> Any:
    """A packed mapping entry: the key's position and the value's (a Pos or packed scalar)."""
    if type(child) is int and child >> COL_BITS == kline and kcol <= COL_MASK:
        return (kline << COL_BITS | kcol) << COL_BITS | (child & COL_MASK)
    return (kline, kcol, child)


def _start(node: Any) -> tuple[int, int]:
    if type(node) is int:
        return node >> COL_BITS, node & COL_MASK
    if type(node) is tuple:
        return node[0], node[1]
    return node.line, node.column


@dataclass(slots=True)
class Document:
    """One parsed file: its data (None when empty or unreadable) and positions."""

    data: Any
    pos: Pos | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    text_keys: bool = True  # every mapping key is text (so the data fits JSON as it is)
    # Read by the line reader: parsing it again is as quick as fetching it from a cache.
    by_lines: bool = False
    # Lines (1-based) where `salvage` put a placeholder for a list item broken by a YAML
    # syntax error: the loader reports no schema error there.
    salvaged: frozenset[int] = frozenset()


def locate(root: Pos, path: tuple[Any, ...], *, key: bool = False) -> tuple[int, int]:
    """Line and column of `path` under `root`: the key itself when `key`, else its value."""
    node: Any = root
    last = len(path) - 1
    for depth, step in enumerate(path):
        if type(node) is not Pos or node.children is None:
            break
        children = node.children
        if node.keys is not None:
            index = node.keys.get(step)
            if index is None:
                break
            found = children[index]
            if type(found) is int:
                kline, kcol = found >> 2 * COL_BITS, found >> COL_BITS & COL_MASK
                child: Any = kline << COL_BITS | (found & COL_MASK)
            else:
                kline, kcol, child = found
            if key and depth == last:
                return kline, kcol
            node = child
        elif isinstance(step, int) and 0 <= step < len(children):
            node = children[step]
        else:
            break
    return _start(node)


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

    def line_of(mark: Any) -> str:
        return lines[mark.line] if 0 <= mark.line < len(lines) else ""

    def char_at(mark: Any) -> str:
        return line_of(mark)[mark.column : mark.column + 1]

    def alone(mark: Any) -> bool:  # nothing but a comment after it on its line
        return line_of(mark)[mark.column + 1 :].lstrip(" ")[:1] in ("", "#")

    def line_start(mark: Any) -> bool:
        return not line_of(mark)[: mark.column].strip(" ")

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


def _resolve_plain(value: str) -> str:
    """The implicit tag of a plain scalar, exactly as PyYAML's safe loader resolves it."""
    library = _pyyaml()
    for tag, regexp in library.resolvers.get(value[0] if value else "", []):
        if regexp.match(value):
            return tag
    for tag, regexp in library.wildcard:
        if regexp.match(value):
            return tag
    return _STR


class _SpecialType:
    def __repr__(self) -> str:
        return "<special>"


SPECIAL: Any = _SpecialType()  # a plain scalar that resolves to a tag outside plain data
PLAIN: dict[str, Any] = {}  # plain scalar text -> value; the line reader reads it too
_EXPONENT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)[eE][-+]?[0-9]+")
_PLAIN_LIMIT = 100_000  # ids and titles are unique: forget them now and then


def plain(text: str) -> Any:
    """The value of a plain (unquoted) scalar, as the safe loader reads it; memoised.

    Returns `SPECIAL` for the merge key `<<` and for the odd tags (`=`) that plans reject.
    Text that looks like a date or number but is none (2026-02-30) stays text.
    """
    try:
        return PLAIN[text]
    except KeyError:
        pass
    tag = _resolve_plain(text)
    value: Any
    if tag == _STR:
        # YAML 1.2 numbers that the 1.1 resolver leaves as text: editors and JSON Schema
        # read `1e3` as a number, so cascade does too (plan-format.md, KPIs).
        value = float(text) if _EXPONENT.fullmatch(text) else text
    elif tag not in _ALLOWED_TAGS:
        value = SPECIAL
    else:
        library = _pyyaml()
        try:
            value = library.construct(tag, text)
        except library.unreadable:
            value = text
        if value != value:  # NaN: equal to nothing, not even a shared copy of itself
            return value
    if len(PLAIN) >= _PLAIN_LIMIT:
        PLAIN.clear()
    PLAIN[text] = value
    return value


class _Builder:
    """Turns a stream of parser events into data and positions."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.diagnostics: list[Diagnostic] = []
        self.anchors: dict[str, tuple[Any, Any, int]] = {}
        # Stack frames: [container, packed children (dict or list), weight, anchor,
        # pending key, key position, merges, line, column]
        self.stack: list[list[Any]] = []
        self.root: tuple[Any, Any] | None = None
        self.events = 0
        self.expanded = 0
        self.documents = 0
        self.text_keys = True

    def problem(self, message: str, line: int, column: int, hint: str | None = None) -> None:
        self.diagnostics.append(
            error(YAML_SYNTAX, message, Location(self.file, line, column), hint=hint)
        )

    def fail(self, message: str, line: int, column: int, hint: str | None = None) -> _Abort:
        self.problem(message, line, column, hint)
        return _Abort()

    def tagged(self, event: Any, line: int, column: int) -> Any:
        """A scalar with an explicit tag, or a plain one that resolved to an odd tag."""
        value: str = event.value
        tag = event.tag
        if tag is None:
            tag = _resolve_plain(value)
        if tag not in _ALLOWED_TAGS:
            if tag == _MERGE:
                return _MergeKey
            raise self.fail(
                f"tag {_short(tag)} is not allowed: plans are plain data",
                line,
                column,
                "remove the tag; cascade reads YAML with a safe loader only",
            )
        if tag == _STR:
            return value
        library = _pyyaml()
        try:
            return library.construct(tag, value)
        except library.unreadable:
            raise self.fail(
                f"{value!r} cannot be read as {_short(tag)}",
                line,
                column,
                "remove the tag",
            ) from None

    def add(self, value: Any, pos: Any, weight: int) -> None:
        stack = self.stack
        if not stack:
            self.root = (value, pos)
            return
        frame = stack[-1]
        frame[2] += weight
        container = frame[0]
        if container.__class__ is list:
            container.append(value)
            frame[1].append(pos)
            return
        if frame[4] is _NoKey:
            if isinstance(value, dict | list):
                line, column = _start(pos)
                self.problem(
                    "a mapping key must be a plain value, not a list or mapping",
                    line,
                    column,
                    "use a plain string as the key",
                )
                frame[4] = _BadKey
            else:
                frame[4] = value
            frame[5] = pos
            return
        key, kpos = frame[4], frame[5]
        frame[4] = _NoKey
        if key is _BadKey:
            return
        kline, kcol = _start(kpos)
        if key is _MergeKey:
            frame[6].append((value, pos, kline, kcol))
            return
        if key in container:
            first = _start_of_key(frame[1][key])
            self.diagnostics.append(
                error(
                    DUPLICATE_KEY,
                    f"key {key!r} repeats; first at line {first}",
                    Location(self.file, kline, kcol),
                    hint="remove one of the two, or merge them",
                )
            )
            return
        container[key] = value
        frame[1][key] = entry(kline, kcol, pos)
        if key.__class__ is not str:
            self.text_keys = False

    def merge(self, frame: list[Any]) -> None:
        """Apply `<<: *anchor` merges: explicit keys win, earlier merges beat later ones."""
        container: dict[Any, Any] = frame[0]
        entries: dict[Any, Any] = frame[1]
        for value, pos, kline, kcol in frame[6]:
            sources = value if isinstance(value, list) else [value]
            source_pos = pos.children if isinstance(value, list) else [pos]
            for source, spos in zip(sources, source_pos or [], strict=False):
                if not isinstance(source, dict) or type(spos) is not Pos or spos.keys is None:
                    self.problem(
                        "'<<' merges only mappings",
                        kline,
                        kcol,
                        "merge a mapping anchor (*name)",
                    )
                    continue
                packed = entries_of(spos)
                for key, item in source.items():
                    if key not in container:
                        container[key] = item
                        entries[key] = packed[key]

    def build(self, parser: Any) -> None:
        """The event loop; scalars, the bulk of every file, are handled inline."""
        get_event = parser.get_event
        events = _pyyaml().events
        ScalarEvent, AliasEvent = events.ScalarEvent, events.AliasEvent
        MappingStartEvent, MappingEndEvent = events.MappingStartEvent, events.MappingEndEvent
        SequenceStartEvent, SequenceEndEvent = events.SequenceStartEvent, events.SequenceEndEvent
        DocumentStartEvent, StreamEndEvent = events.DocumentStartEvent, events.StreamEndEvent
        stack = self.stack
        add = self.add
        anchors = self.anchors
        while True:
            event = get_event()
            self.events += 1
            kind = event.__class__
            if kind is ScalarEvent:
                mark = event.start_mark
                line, column = mark.line + 1, mark.column + 1
                tag = event.tag
                value: Any = event.value
                if tag is None:
                    if event.implicit[0]:
                        value = plain(value)
                        if value is SPECIAL:
                            value = self.tagged(event, line, column)
                elif tag != "!":
                    value = self.tagged(event, line, column)
                pos = line << COL_BITS | column if column <= COL_MASK else (line, column)
                self.expanded += 1
                if event.anchor is not None:
                    anchors[event.anchor] = (value, pos, 1)
                add(value, pos, 1)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                frame = stack.pop()
                if kind is MappingEndEvent:
                    if frame[6]:
                        self.merge(frame)
                    pos = mapping_pos(frame[7], frame[8], frame[1])
                else:
                    pos = list_pos(frame[7], frame[8], frame[1])
                self.expanded += 1
                if frame[3] is not None:
                    anchors[frame[3]] = (frame[0], pos, frame[2])
                add(frame[0], pos, frame[2])
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                mark = event.start_mark
                line, column = mark.line + 1, mark.column + 1
                self.check_tag(event, line, column)
                if len(stack) >= MAX_DEPTH:
                    raise self.fail(
                        f"nesting is deeper than {MAX_DEPTH} levels",
                        line,
                        column,
                        "flatten the data",
                    )
                if kind is MappingStartEvent:
                    stack.append([{}, {}, 1, event.anchor, _NoKey, None, [], line, column])
                else:
                    stack.append([[], [], 1, event.anchor, None, None, None, line, column])
            elif kind is AliasEvent:
                mark = event.start_mark
                line, column = mark.line + 1, mark.column + 1
                target = anchors.get(event.anchor)
                if target is None:
                    raise self.fail(f"unknown alias *{event.anchor}", line, column, _ALIAS_HINT)
                value, pos, weight = target
                self.expanded += weight
                if self.expanded > ALIAS_BUDGET + 10 * self.events:
                    raise self.fail(
                        "aliases expand this file far beyond its size (an alias bomb)",
                        line,
                        column,
                        "write the data out instead of nesting aliases",
                    )
                add(value, pos, weight)
            elif kind is DocumentStartEvent:
                self.documents += 1
                if self.documents > 1:
                    mark = event.start_mark
                    raise self.fail(
                        "a plan file holds one YAML document; this is a second",
                        mark.line + 1,
                        mark.column + 1,
                        "split the documents into separate files",
                    )
            elif kind is StreamEndEvent:
                return

    def check_tag(self, event: Any, line: int, column: int) -> None:
        tag = event.tag
        if tag is not None and tag != "!" and tag not in _ALLOWED_TAGS:
            raise self.fail(
                f"tag {_short(tag)} is not allowed: plans are plain data",
                line,
                column,
                "remove the tag; cascade reads YAML with a safe loader only",
            )


def _start_of_key(found: Any) -> int:
    """The line of a mapping key from its packed entry."""
    return found >> 2 * COL_BITS if type(found) is int else found[0]


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


def parse_events(text: str, file: str, *, pure: bool = False) -> Document:
    """Parse any YAML through libyaml's events (the general path of `parse`).

    `pure` takes PyYAML's Python parser, which emits the same events as libyaml.
    """
    yaml = _pyyaml().yaml
    builder = _Builder(file)
    parser = (yaml.SafeLoader if pure else _pyyaml().parser)(text)
    try:
        builder.build(parser)
    except _Abort:
        return Document(None, None, builder.diagnostics)
    except yaml.MarkedYAMLError as exc:
        if not pure and (exc.problem or "").startswith(_LIBYAML_DEPTH):
            # libyaml 0.2.5 as bundled with PyYAML 6.0.3+ scans ahead and stops at its own
            # depth limit (1,000) before the builder sees depth MAX_DEPTH; the Python
            # parser has no such limit, so the finding is the same whichever PyYAML is in.
            parser.dispose()
            return parse_events(text, file, pure=True)
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
    if type(pos) is not Pos:  # a lone scalar: its position as a childless Pos
        pos = Pos(*_start(pos))
    return Document(data, pos, builder.diagnostics, builder.text_keys)
