"""A plan's files: found in sorted order, read, hashed, and parsed into data and positions
(from the cache when it has them, on several cores when there is much to parse).

No schema and no pydantic here, so a command that finds its whole result in the cache
never imports them.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cascade import helper
from cascade.collector import collector_paused
from cascade.diagnostics import YAML_SYNTAX, Diagnostic, Location, error
from cascade.errors import CascadeError, ConfigError
from cascade.salvage import parse_salvaging
from cascade.yamlfast import parse
from cascade.yamlsrc import Document

if TYPE_CHECKING:
    from cascade.cache import Cache

PLAN_SUFFIXES = (".yaml", ".yml")
CONFIG_NAME = "cascade.yaml"
PARALLEL_BYTES = 1_000_000  # below this, a helper process costs more than it saves
# The parent's share of the parsing: it also validates and merges (measured at 1,000 and
# 10,000 people on two cores: 0.25-0.4 keeps both processes busy to the end).
PARENT_SHARE = 0.3
_FRAME_BYTES = 256_000  # YAML parsed per frame sent back


@dataclass(slots=True)
class Source:
    """One plan file: where it is, how reports name it, its bytes (or why they are missing)."""

    path: Path
    file: str  # display path
    raw: bytes | None = None
    problem: str | None = None  # why the file could not be read
    digest: str = ""  # sha256 of the bytes


def find_config(start: Path) -> Path | None:
    """The nearest `cascade.yaml` in `start` or one of its parents."""
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def config_path(explicit: Path | None) -> Path | None:
    """The config in use: the one given (it must exist), else the nearest, else None."""
    path = explicit if explicit is not None else find_config(Path.cwd())
    if path is not None and not path.is_file():
        missing = "is not a file" if path.exists() else "does not exist"
        raise CascadeError(f"config file {path} {missing}")
    return path


def read_config(path: Path) -> Document:
    """The config's data and positions; unreadable or broken YAML is a `CascadeError`.

    What its settings mean (and whether they are valid) is `config.load_config`'s job.
    """
    try:
        raw = path.read_bytes()
        text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CascadeError(f"{path}: cannot read config: {exc}") from None
    document = parse(text, display_path(path))
    if document.diagnostics:
        raise ConfigError.of(document.diagnostics)
    if document.data is not None and not isinstance(document.data, dict):
        raise ConfigError(
            [
                f"{display_path(path)}:1:1: the top level must be a mapping of settings "
                "(hint: start with a key such as `plans: plans/`)"
            ]
        )
    return document


def plan_root(config: Path | None, plans: object) -> Path:
    """The config's `plans` (relative to the config file), else `./plans`."""
    if config is not None and isinstance(plans, str) and plans:
        return config.parent / plans
    return Path("plans")


def display_path(path: Path) -> str:
    """Relative to the current directory when below it, else absolute; `/` separators.

    A name that is not valid UTF-8 (`caf\\xe9.yaml` in Latin-1) holds surrogates that no
    output can encode: each such byte is written `\\xNN` (SARIF turns it back into `%NN`).
    """
    absolute = Path(os.path.abspath(path))
    try:
        shown = absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        shown = absolute.as_posix()
    return _NOT_UTF8.sub(lambda found: f"\\x{ord(found.group()) - 0xDC00:02x}", shown)


_NOT_UTF8 = re.compile("[\udc80-\udcff]")  # the bytes os.fsdecode could not decode


def discover(root: Path, warnings: list[str], exclude: Path | None = None) -> list[Path]:
    """Every plan file under `root` in sorted path order, each real file once.

    `exclude` (the config file) is never read as part of the plan.
    """
    if not root.exists():
        raise CascadeError(f"plan path {display_path(root)} does not exist")
    if not root.is_dir():
        if not root.is_file():  # a pipe or a device: reading it may never end
            raise CascadeError(f"plan path {display_path(root)} is not a file or a folder")
        return [root]
    found: dict[str, Path] = {}
    skip = os.path.realpath(exclude) if exclude is not None else None
    seen_dirs: set[tuple[int, int]] = set()
    for path in _walk(root, seen_dirs, warnings):
        real = os.path.realpath(path)
        if real != skip:
            found.setdefault(real, path)
    return sorted(found.values(), key=lambda p: p.relative_to(root).as_posix())


def _walk(folder: Path, seen: set[tuple[int, int]], warnings: list[str]) -> Iterator[Path]:
    try:
        stat = folder.stat()
    except OSError as exc:
        warnings.append(f"skipping {display_path(folder)}: {exc.strerror or exc}")
        return
    if (stat.st_dev, stat.st_ino) in seen:
        warnings.append(f"skipping {display_path(folder)}: a symbolic link loops back")
        return
    seen.add((stat.st_dev, stat.st_ino))
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        warnings.append(f"skipping {display_path(folder)}: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()
            is_file = entry.is_file()
        except OSError:
            is_dir = is_file = False
        if is_dir:
            yield from _walk(path, seen, warnings)
        elif is_file and entry.name.endswith(PLAN_SUFFIXES):
            yield path
        elif entry.is_symlink() and not os.path.exists(path):
            warnings.append(f"skipping {display_path(path)}: a broken symbolic link")


def read_sources(root: Path, warnings: list[str], exclude: Path | None = None) -> list[Source]:
    """Find and read every file of the plan at `root`; a file that cannot be read says why."""
    sources = []
    for path in discover(root, warnings, exclude):
        source = Source(path, display_path(path))
        try:
            source.raw = path.read_bytes()
            source.digest = hashlib.sha256(source.raw).hexdigest()
        except OSError as exc:
            source.problem = exc.strerror or str(exc)
        sources.append(source)
    return sources


def read_text(raw: bytes, file: str) -> tuple[str | None, Diagnostic | None]:
    """Decode UTF-8 (a byte-order mark is fine); any other encoding is a yaml-syntax error."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            message = "file is UTF-16; cascade reads UTF-8"
        else:
            message = f"file is not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded"
        return None, error(
            YAML_SYNTAX,
            message,
            Location(file, line, column),
            hint="save the file as UTF-8 text",
        )


def parse_source(file: str, raw: bytes | None, problem: str | None = None) -> Document:
    """A file's data and positions; unreadable or undecodable files become diagnostics."""
    if raw is None:
        return Document(
            None,
            None,
            [
                error(
                    YAML_SYNTAX,
                    f"cannot read file: {problem}",
                    Location(file, 1, 1),
                    hint="check the file's permissions",
                )
            ],
        )
    text, decode_problem = read_text(raw, file)
    if text is None:
        return Document(None, None, [decode_problem] if decode_problem else [])
    return parse_salvaging(text, file)


def documents(sources: list[Source], cache: Cache | None = None) -> Iterator[tuple[int, Document]]:
    """(index, parse result) of each source: from the cache, else parsed (and then cached).

    In order, unless a helper process takes part: when there is much to parse and a
    second core, a forked helper starts at once (before the first result is asked for)
    and parses most of the files from the front of its share, while this process parses
    the rest, then takes the helper's files from the back of its share instead of waiting.
    Results then come as they are ready; the caller puts them back in order.
    """
    keys: list[str | None] = [None] * len(sources)
    cached: list[Any] = [None] * len(sources)
    todo: list[int] = []
    with collector_paused():  # cached entries decode into many objects, no cycles
        for index, source in enumerate(sources):
            if source.raw is None:
                continue
            if cache is not None:
                keys[index] = cache.key("document", source.digest)
                cached[index] = cache.get("document", keys[index] or "")
            if cached[index] is None:
                todo.append(index)
    return _Stream(sources, cache, keys, cached, _Share.start(sources, todo))


class _Stream:
    """The documents, each once; closing it (or dropping it unread) stops a helper process."""

    def __init__(
        self,
        sources: list[Source],
        cache: Cache | None,
        keys: list[str | None],
        cached: list[Any],
        share: _Share | None,
    ) -> None:
        self.sources = sources
        self.cache = cache
        self.keys = keys
        self.cached = cached
        self.share = share
        assigned = share.assigned if share is not None else set()
        self.mine = deque(i for i in range(len(sources)) if i not in assigned)

    def __iter__(self) -> _Stream:
        return self

    def __next__(self) -> tuple[int, Document]:
        share = self.share
        found = share.arrived() if share is not None else None
        if found is None and not self.mine and share is not None:
            found = self._no_more_of_mine(share)
        if found is not None:
            index, document = found
            key = self.keys[index]
            if self.cache is not None and key is not None:
                _store(self.cache, key, document, self.sources[index].file)
            return found
        if not self.mine:
            self.close()
            raise StopIteration
        index = self.mine.popleft()
        document = _document(self.sources[index], self.cache, self.keys[index], self.cached[index])
        self.cached[index] = None
        return index, document

    def _no_more_of_mine(self, share: _Share) -> tuple[int, Document] | None:
        """With this process's own files done: take the child's last file back rather than
        wait, while it has two or more to go; else wait for what it sends. When it is
        gone, whatever it did not send is this process's."""
        while share.pending:
            if len(share.pending) > 1 and not share.helper.ready():
                self.mine.append(share.take_back())
                return None
            found = share.receive()
            if found is not None:
                return found
            if not share.helper.alive:
                self.mine.extend(share.take_back_all())
                return None
        return share.arrived()

    def close(self) -> None:
        if self.share is not None:
            self.share.close()
            self.share = None

    def __del__(self) -> None:
        self.close()


def _document(source: Source, cache: Cache | None, key: str | None, entry: Any) -> Document:
    if entry is not None and cache is not None:
        from cascade.cache import decode_document

        document = decode_document(entry, source.file)
        if document is not None:
            return document
    document = parse_source(source.file, source.raw, source.problem)
    if cache is not None and key is not None:
        _store(cache, key, document, source.file)
    return document


def _store(cache: Cache, key: str, document: Document, file: str) -> None:
    if document.by_lines:
        return  # measured: reading it back from the cache costs as much as parsing it
    from cascade.cache import encode_document

    value = encode_document(document, file)
    if value is not None:
        cache.put("document", key, value)


class _Share:
    """The files a helper process parses, front first, and what it has sent back so far."""

    def __init__(self, child: helper.Helper, assigned: set[int]) -> None:
        self.helper = child
        self.assigned = assigned
        self.pending = deque(sorted(assigned))  # neither sent nor taken back, in order
        self.ready: dict[int, Document] = {}

    @classmethod
    def start(cls, sources: list[Source], todo: list[int]) -> _Share | None:
        total = sum(len(sources[i].raw or b"") for i in todo)
        if total < PARALLEL_BYTES or not helper.available():
            return None
        # Interleave the shares so the child's results arrive about when they are needed;
        # the parent also validates, so it keeps the smaller share.
        mine = 0
        seen = 0
        assigned: set[int] = set()
        for index in todo:
            size = len(sources[index].raw or b"")
            seen += size
            if mine + size <= PARENT_SHARE * seen:
                mine += size
            else:
                assigned.add(index)
        if not assigned:
            return None

        def work(send: helper.Send) -> None:
            batch: list[tuple[int, Document]] = []
            size = 0
            for index in sorted(assigned):
                source = sources[index]
                batch.append((index, parse_source(source.file, source.raw, source.problem)))
                size += len(source.raw or b"")
                if size >= _FRAME_BYTES:
                    send(batch)
                    batch, size = [], 0
            send(batch)

        child = helper.Helper.fork(work)
        return cls(child, assigned) if child is not None else None

    def arrived(self) -> tuple[int, Document] | None:
        """The first (in order) of the results the child has sent, reading what has
        arrived without waiting; None when none is ready."""
        while not self.ready and self.helper.alive and self.helper.ready():
            self._read_frame()
        return self._first()

    def receive(self) -> tuple[int, Document] | None:
        """Wait for the child's next frame; its first result, or None (child gone)."""
        self._read_frame()
        return self._first()

    def _read_frame(self) -> None:
        received, batch = self.helper.receive()
        if not received:
            return
        for index, document in batch:
            if index in self.assigned:  # not taken back meanwhile
                self.ready[index] = document
        # The child sends its files in order, so what it sent is the front of what is
        # pending (files taken back from the end are gone from it already).
        sent = {index for index, _ in batch}
        while self.pending and self.pending[0] in sent:
            self.pending.popleft()

    def _first(self) -> tuple[int, Document] | None:
        if not self.ready:
            return None
        index = min(self.ready)
        return index, self.ready.pop(index)

    def take_back(self) -> int:
        """The last file the child has not sent: this process parses it instead."""
        index = self.pending.pop()
        self.assigned.discard(index)
        return index

    def take_back_all(self) -> list[int]:
        """Every file the child has not sent (it is gone)."""
        taken = list(self.pending)
        self.pending.clear()
        self.assigned.difference_update(taken)
        return taken

    def close(self) -> None:
        self.helper.close()
