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

    def parse(self) -> Document:
        return parse_source(self.file, self.raw, self.problem)


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
    except OSError as exc:
        raise CascadeError(f"{path}: cannot read config: {exc}") from None
    return config_document(raw, display_path(path))


def config_document(raw: bytes, file: str) -> Document:
    """A config's bytes read as YAML (from disk or from a revision); `file` names it."""
    try:
        text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CascadeError(f"{file}: cannot read config: {exc}") from None
    document = parse(text, file)
    if document.diagnostics:
        raise ConfigError.of(document.diagnostics)
    if document.data is not None and not isinstance(document.data, dict):
        raise ConfigError(
            [
                f"{file}:1:1: the top level must be a mapping of settings "
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
    return printable_name(shown)


def printable_name(name: str) -> str:
    """A file name with each byte that is not UTF-8 (a surrogate) written `\\xNN`."""
    return _NOT_UTF8.sub(lambda found: f"\\x{ord(found.group()) - 0xDC00:02x}", name)


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


def documents(
    sources: list[Source],
    cache: Cache | None = None,
    shared: dict[tuple[str, str], Document] | None = None,
) -> Iterator[tuple[int, Document]]:
    """(index, parse result) of each source: from the cache, else parsed (and then cached).

    In order, unless a helper process takes part: when there is much to parse and a
    second core, a forked helper starts at once (before the first result is asked for)
    and parses most of the files from the front of its share, while this process parses
    the rest, then takes the helper's files from the back of its share instead of waiting.
    Results then come as they are ready; the caller puts them back in order.

    `shared` holds documents by (file, digest) across the sessions of one command (the
    two sides of a diff): a file the same on both sides is parsed once.
    """
    if shared is not None:
        return _sharing(sources, cache, shared)
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
    return _Stream(sources, cache, keys, cached, _share(sources, todo))


def _sharing(
    sources: list[Source], cache: Cache | None, shared: dict[tuple[str, str], Document]
) -> Iterator[tuple[int, Document]]:
    """The documents `shared` has already, then the others parsed (and kept there)."""
    keys = [(s.file, s.digest) if s.raw is not None else None for s in sources]
    rest = [i for i, key in enumerate(keys) if key is None or key not in shared]
    for index, key in enumerate(keys):
        if key is not None and key in shared:
            yield index, shared[key]
    for position, document in documents([sources[i] for i in rest], cache):
        key = keys[rest[position]]
        if key is not None:
            shared[key] = document
        yield rest[position], document


class _Stream:
    """The documents, each once; closing it (or dropping it unread) stops a helper process."""

    def __init__(
        self,
        sources: list[Source],
        cache: Cache | None,
        keys: list[str | None],
        cached: list[Any],
        share: helper.Share[int, Document] | None,
    ) -> None:
        self.sources = sources
        self.cache = cache
        self.keys = keys
        self.cached = cached
        self.share = share
        assigned = share.assigned if share is not None else set()
        self.mine = deque(i for i in range(len(sources)) if i not in assigned)
        self.rest: Iterator[tuple[int, Document]] | None = None  # the share, drained

    def __iter__(self) -> _Stream:
        return self

    def __next__(self) -> tuple[int, Document]:
        # The child's documents as they arrive, this process's own in between; with its own
        # done, the rest of the child's share (some taken back and parsed here).
        share = self.share
        found = None
        if share is not None and self.rest is None:
            found = share.arrived()
            if found is None and not self.mine:
                self.rest = share.drain(lambda index: self.sources[index].parse())
        if self.rest is not None:
            found = next(self.rest, None)
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
    document = source.parse()
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


def _share(sources: list[Source], todo: list[int]) -> helper.Share[int, Document] | None:
    """A helper process parsing part of `todo`, when there is enough to pay for it."""
    total = sum(len(sources[i].raw or b"") for i in todo)
    if total < PARALLEL_BYTES or not helper.available():
        return None
    # Interleave the shares so the child's results arrive about when they are needed;
    # the parent also validates, so it keeps the smaller share.
    mine = 0
    seen = 0
    theirs: list[int] = []
    for index in todo:
        size = len(sources[index].raw or b"")
        seen += size
        if mine + size <= PARENT_SHARE * seen:
            mine += size
        else:
            theirs.append(index)
    if not theirs:
        return None

    return helper.Share.fork(
        theirs,
        lambda index: sources[index].parse(),
        lambda index: len(sources[index].raw or b""),
        _FRAME_BYTES,
    )


# -- readings files (`readings.py` reads what is in them) ------------------------------


@dataclass(frozen=True, slots=True)
class ReadingsFile:
    """One CSV file of the readings folder, as read: its display name and its bytes."""

    name: str
    raw: bytes


def readings_folder(config_file: Path | None, setting: Any) -> Path:
    """The readings folder: the config's `readings:` (relative to `cascade.yaml`), else
    `readings/` beside `cascade.yaml`, else `./readings`."""
    base = config_file.parent if config_file is not None else Path()
    if isinstance(setting, str) and setting.strip():
        return base / setting
    return base / "readings"


def read_readings(where: Path) -> list[ReadingsFile]:
    """Every `*.csv` below `where`, in sorted path order (names starting with `.` skipped);
    none when the folder is missing. A file that vanishes or cannot be read is passed
    over, as a missing folder is."""
    if not where.is_dir():
        return []
    found: list[Path] = []
    for top, folders, files in os.walk(where, followlinks=False):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        found.extend(
            Path(top, name)
            for name in files
            if name.lower().endswith(".csv") and not name.startswith(".")
        )
    result = []
    for path in sorted(found, key=lambda p: p.as_posix()):
        try:
            raw = path.read_bytes()
        except OSError:
            continue  # vanished or unreadable: nothing to read in it
        result.append(ReadingsFile(display_path(path), raw))
    return result
