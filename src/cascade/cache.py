"""The cache: each file's parse result, and whole `validate` runs, as compressed JSON in a
folder users can point CI caches at.

An entry is found by a key that hashes everything that shapes it: the file's bytes (or
every input of a run), cascade's version and its own code, and the versions of PyYAML,
pydantic and Python. Entries hold data only (JSON: no pickle, no marshal); one that does
not read back as exactly the expected record is ignored. Writing never fails a run.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib.util
import json
import os
import re
import stat
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

from cascade import __version__
from cascade.diagnostics import Diagnostic, Location, RuleInfo, Severity
from cascade.result import Result, Waived
from cascade.yamlsrc import Document, Pos, entries_of, list_pos, mapping_pos

FORMAT = 1  # bump when the layout of an entry changes
KEEP_DAYS = 30  # entries unused for this long are removed (checked at most daily)
_DAY = 24 * 3600
MAX_ENTRY_BYTES = 256 << 20  # a whole 100,000-person run compresses to far less
ENV_DIR = "CASCADE_CACHE_DIR"
LOCAL_DIR = ".cascade-cache"
_DATE = "\x00date"  # YAML text never holds NUL, so these keys cannot clash with plan data
_DATETIME = "\x00datetime"


def user_cache_dir() -> Path:
    """The platform's per-user cache folder for cascade."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "cascade" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "cascade"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cascade"


def default_dir(config: Path | None, plan: Path) -> Path:
    """`.cascade-cache/` beside the config, else the user's cache folder.

    Never inside the plan: a config kept in the plan folder also uses the user's folder.
    """
    if config is not None:
        folder = Path(os.path.abspath(config)).parent
        plan_folder = Path(os.path.abspath(plan))
        if not plan_folder.is_dir():
            plan_folder = plan_folder.parent
        if not folder.is_relative_to(plan_folder):
            return folder / LOCAL_DIR
    return user_cache_dir()


class Cache:
    """A cache folder. `key()` hashes the environment in; `get`/`put` read and write."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._salt: bytes | None = None
        self._tidied = False

    @property
    def salt(self) -> bytes:
        """What every key includes: the format, cascade's version and code, the libraries."""
        if self._salt is None:
            self._salt = _fingerprint()
        return self._salt

    def key(self, *parts: bytes | str) -> str:
        digest = hashlib.sha256(self.salt)
        for part in parts:
            data = part.encode("utf-8") if isinstance(part, str) else part
            digest.update(len(data).to_bytes(8, "little"))
            digest.update(data)
        return digest.hexdigest()

    def path(self, kind: str, key: str) -> Path:
        return self.entries / kind / key[:2] / f"{key}.json.z"

    @property
    def entries(self) -> Path:
        """cascade's own subfolder: the cache folder may be shared (`~/.cache`, `.`), and
        tidying touches nothing outside this one."""
        return self.folder / f"cascade-v{FORMAT}"

    def get(self, kind: str, key: str) -> Any | None:
        """The value stored under `key`, or None when absent, unreadable or foreign."""
        path = self.path(kind, key)
        try:
            # Only a regular file of a sane size: a FIFO would wait forever, a link to
            # /dev/zero read until memory ran out.
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
            with os.fdopen(fd, "rb") as stream:
                info = os.fstat(stream.fileno())
                if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
                    return None
                raw = stream.read(MAX_ENTRY_BYTES + 1)
            record = json.loads(zlib.decompress(raw), object_hook=_decode_object)
            if time.time() - path.stat().st_mtime > _DAY:
                os.utime(path)  # still in use: keep it from being tidied away
        except (OSError, ValueError, zlib.error, TypeError, RecursionError):
            return None
        if (
            not isinstance(record, dict)
            or record.get("format") != FORMAT
            or record.get("kind") != kind
            or record.get("key") != key
            or "value" not in record
        ):
            return None
        return record["value"]

    def put(self, kind: str, key: str, value: Any) -> None:
        """Store `value` (JSON data) under `key`; any failure leaves the cache as it was."""
        record = {"format": FORMAT, "kind": kind, "key": key, "value": value}
        try:
            blob = _compressed_json(record)
        except (TypeError, ValueError, RecursionError):
            return  # something JSON cannot hold exactly: this entry is not cached
        write_atomic(self.path(kind, key), blob, self.folder)
        if not self._tidied:
            self._tidied = True
            self.tidy()

    def tidy(self, keep_days: int = KEEP_DAYS) -> None:
        """Remove entries not used for `keep_days`, at most once a day; never raises."""
        marker = self.entries / "last-tidied"
        now = time.time()
        try:
            if now - marker.stat().st_mtime < _DAY:
                return
        except OSError:
            pass
        try:
            marker.touch()
            for kind in self.entries.iterdir():
                for shard in kind.iterdir() if _SHARD_KIND.fullmatch(kind.name) else ():
                    if not _SHARD.fullmatch(shard.name):
                        continue
                    for path in shard.iterdir():
                        if _ENTRY.fullmatch(path.name):
                            limit = keep_days * _DAY
                        elif _TEMP.fullmatch(path.name):
                            limit = _DAY  # left by a run that was killed
                        else:
                            continue  # not cascade's: never touched
                        info = path.lstat()
                        if stat.S_ISREG(info.st_mode) and now - info.st_mtime > limit:
                            path.unlink()
        except OSError:
            pass


# What tidying recognises as cascade's own, by name, inside `Cache.entries` only.
_SHARD_KIND = re.compile(r"[a-z]+")
_SHARD = re.compile(r"[0-9a-f]{2}")
_ENTRY = re.compile(r"[0-9a-f]{64}\.json\.z")
_TEMP = re.compile(r"\.tmp-[A-Za-z0-9_]{8}")


_BATCH = 4096  # list items encoded at a time
_TEXT_BATCH = 1 << 20  # characters of a long text (a cached report) encoded at a time


def _compressed_json(value: Any) -> bytes:
    """`value` as compressed JSON, written the way `json.dumps` writes it, but with long
    lists and texts encoded a piece at a time: the JSON of a run with hundreds of
    thousands of findings never exists whole (at 100,000 people: half a gigabyte)."""
    compressor = zlib.compressobj(1)
    parts: list[bytes] = []

    def write(text: str) -> None:
        parts.append(compressor.compress(text.encode()))

    def dump(item: Any) -> None:
        if type(item) is dict and all(type(k) is str for k in item):
            write("{")
            for i, (name, inner) in enumerate(item.items()):
                write(("," if i else "") + json.dumps(name) + ":")
                dump(inner)
            write("}")
        elif type(item) is str and len(item) > _TEXT_BATCH:
            write('"')
            for start in range(0, len(item), _TEXT_BATCH):
                write(json.dumps(item[start : start + _TEXT_BATCH])[1:-1])
            write('"')
        elif type(item) is list and len(item) > _BATCH:
            write("[")
            for start in range(0, len(item), _BATCH):
                batch = _dumps(item[start : start + _BATCH])
                write(("," if start else "") + batch[1:-1])
            write("]")
        else:
            write(_dumps(item))

    dump(value)
    parts.append(compressor.flush())
    return b"".join(parts)


def _dumps(value: Any) -> str:
    return json.dumps(value, default=_encode_object, separators=(",", ":"))


def write_atomic(target: Path, blob: bytes, root: Path) -> None:
    """Write `blob` to `target` whole or not at all; never raises."""
    try:
        if not root.exists():
            root.mkdir(parents=True, exist_ok=True)
            # Like .pytest_cache: the folder keeps itself out of git and out of backups.
            (root / ".gitignore").write_text("# Created by cascade.\n*\n", encoding="utf-8")
            (root / "CACHEDIR.TAG").write_text(
                "Signature: 8a477f597d28d172789f06886806bc55\n"
                "# This file is a cache directory tag created by cascade.\n",
                encoding="utf-8",
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(blob)
            os.replace(temp, target)
        except BaseException:
            os.unlink(temp)
            raise
    except OSError:
        pass  # a read-only or full disk: run without the cache


def _fingerprint() -> bytes:
    """Everything besides the input that shapes a result: a code change gives new keys."""
    parts = [f"cascade-cache {FORMAT}", __version__, sys.version, sys.platform]
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        parts.append(f"{path.relative_to(package)} {stat.st_size} {stat.st_mtime_ns}")
    for library in ("yaml", "pydantic", "pydantic_core"):
        spec = importlib.util.find_spec(library)
        origin = spec.origin if spec is not None else None
        if origin is None:
            parts.append(f"{library} missing")
            continue
        # An upgrade rewrites the package's files, and with them their size and time.
        stat = Path(origin).stat()
        parts.append(f"{library} {origin} {stat.st_size} {stat.st_mtime_ns}")
    return "\n".join(parts).encode("utf-8")


def _encode_object(value: Any) -> Any:
    if type(value) is Pos:
        children = entries_of(value) if value.keys is not None else value.children
        return [value.line, value.column, children]
    if type(value) is datetime.datetime:
        return {_DATETIME: value.isoformat()}
    if type(value) is datetime.date:
        return {_DATE: value.isoformat()}
    raise TypeError(f"not cached: {type(value).__name__}")


def _decode_object(value: dict[str, Any]) -> Any:
    if len(value) == 1:
        if _DATE in value:
            return datetime.date.fromisoformat(value[_DATE])
        if _DATETIME in value:
            return datetime.datetime.fromisoformat(value[_DATETIME])
    return value


# ---------------------------------------------------------------- documents


def encode_document(document: Document, file: str) -> Any | None:
    """A parse result as JSON data, or None when it cannot round-trip exactly."""
    if not document.text_keys:
        return None  # JSON would turn 1: or true: keys into text
    if document.salvaged:
        return None  # rare, and read again in no time
    problems = []
    for d in document.diagnostics:
        if d.location.file != file:
            return None
        loc = d.location
        problems.append(
            [d.rule, d.name, d.severity.value, d.message, loc.line, loc.column, d.subject, d.hint]
        )
    return {"data": document.data, "pos": document.pos, "diagnostics": problems}


def decode_document(value: Any, file: str) -> Document | None:
    """The parse result back, for `file`; None when the entry is not what it should be."""
    try:
        diagnostics = [
            Diagnostic(
                rule,
                name,
                Severity(severity),
                message,
                Location(file, line, column),
                subject,
                hint,
            )
            for rule, name, severity, message, line, column, subject, hint in value["diagnostics"]
        ]
        raw = value["pos"]
        pos = None if raw is None else _pos(raw)
        return Document(value["data"], pos, diagnostics)
    except (KeyError, TypeError, ValueError):
        return None


def _pos(raw: list[Any]) -> Pos:
    line, column, children = raw
    if type(line) is not int or type(column) is not int:
        raise TypeError("position")
    if children is None:
        return Pos(line, column)
    if type(children) is dict:
        for key, found in children.items():
            if type(found) is not int:
                kline, kcol, child = found
                children[key] = (kline, kcol, _child(child))
        return mapping_pos(line, column, children)
    return list_pos(line, column, [_child(item) for item in children])


def _child(raw: Any) -> Any:
    if type(raw) is int:
        return raw
    if len(raw) == 2:
        return (raw[0], raw[1])
    return _pos(raw)


# ---------------------------------------------------------------- runs


def _diagnostic_row(d: Diagnostic) -> list[Any]:
    loc = d.location
    return [
        d.rule,
        d.name,
        d.severity.value,
        d.message,
        loc.file,
        loc.line,
        loc.column,
        d.subject,
        d.hint,
    ]


def _diagnostic(row: list[Any]) -> Diagnostic:
    rule, name, severity, message, file, line, column, subject, hint = row
    return Diagnostic(
        rule, name, Severity(severity), message, Location(file, line, column), subject, hint
    )


def encode_run(result: Result, rules: list[RuleInfo]) -> Any:
    """What `validate` needs of a run: diagnostics, waived findings, the rule table."""
    return {
        "diagnostics": [_diagnostic_row(d) for d in result.diagnostics],
        "waived": [[*_diagnostic_row(w.diagnostic), w.reason] for w in result.waived],
        "rules": [[r.code, r.name, r.severity.value, r.summary] for r in rules],
    }


def decode_run(value: Any) -> tuple[Result, list[RuleInfo]] | None:
    """A cached run back; None when there is none or it is not what it should be."""
    if value is None:
        return None
    try:
        result = Result(
            [_diagnostic(row) for row in value["diagnostics"]],
            [Waived(_diagnostic(row[:-1]), row[-1]) for row in value["waived"]],
        )
        rules = [
            RuleInfo(code, name, Severity(severity), summary)
            for code, name, severity, summary in value["rules"]
        ]
    except (KeyError, TypeError, ValueError):
        return None
    return result, rules
