"""One command's run: config, plan path and date resolved once, the plan loaded once.

Shared by every command so they agree on defaults; also writes outputs atomically.
Opening a session only finds and reads the files; the plan is parsed and validated on
first use, and `validate` can take its whole result from the cache without either.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import os
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from cascade.collector import collector_paused, keep
from cascade.diagnostics import RuleInfo, Summary
from cascade.errors import CascadeError, Stopped
from cascade.result import Result
from cascade.sources import (
    PLAN_SUFFIXES,
    ReadingsFile,
    Source,
    config_path,
    discover,
    display_path,
    plan_root,
    read_config,
    read_readings,
    read_sources,
    readings_folder,
)
from cascade.yamlsrc import Document

if TYPE_CHECKING:
    from cascade.cache import Cache
    from cascade.config import Config
    from cascade.loader import LoadedPlan
    from cascade.rules import Context

# Freeing a plan takes time, object by object: 0.3 s of a 10-second run at 10,000 people.
# Below this much YAML the memory is not worth it, as the command ends soon after (and
# leaves without tearing its memory down); above it, memory is what runs out first.
FREE_PLAN_BYTES = 64_000_000


@dataclass
class Session:
    """The resolved inputs of a command; the config and the plan are read on first use."""

    root: Path
    as_of: datetime.date
    sources: list[Source]
    config_file: Path | None = None
    quiet: bool = False
    cache: Cache | None = None
    warnings: list[str] = field(default_factory=list)
    result: Result | None = None
    _config_document: Document | None = None
    _config: Config | None = None
    _loaded: LoadedPlan | None = None
    _context: Context | None = None
    _rule_infos: list[RuleInfo] | None = None
    _released: bool = False
    # (index, document) of the plan's files, once reading began
    _parsed: Iterator[tuple[int, Document]] | None = None
    _unsaved_run: str | None = None  # the cache key of a run not cached yet
    _plan_bytes: int = 0  # the YAML read for the plan
    # Documents by (file, digest) that another session of this command parsed already
    shared_documents: dict[tuple[str, str], Document] | None = None
    # The CSV files of the readings folder, as read (`readings.py` reads what they hold)
    readings: list[ReadingsFile] = field(default_factory=list)
    readings_root: Path | None = None

    @classmethod
    def open(
        cls,
        plan: Path | None,
        config_path_given: Path | None,
        as_of: datetime.date | None,
        *,
        quiet: bool = False,
        cache_dir: Path | None = None,
        no_cache: bool = False,
    ) -> Session:
        """Find the config and the plan's files and read them; errors are `CascadeError`s."""
        found = config_path(config_path_given)
        document = read_config(found) if found is not None else None
        settings = document.data if document and isinstance(document.data, dict) else {}
        root = plan if plan is not None else plan_root(found, settings.get("plans"))
        pinned = settings.get("as_of")
        if type(pinned) is not datetime.date:
            pinned = None  # not a date: the config's validation says so
        session = cls(root, as_of or pinned or datetime.date.today(), [], found, quiet)
        session._config_document = document
        session.readings_root = readings_folder(found, settings.get("readings"))
        session.readings = read_readings(session.readings_root)
        if no_cache:
            session.check_config()  # nothing to gain by waiting: report a bad config first
        else:
            session.cache = open_cache(cache_dir, found, root)
        try:
            session.sources = read_sources(root, session.warnings, exclude=found)
            if not session.sources:
                raise CascadeError(f"no plan files (*.yaml, *.yml) found in {display_path(root)}")
        except CascadeError:
            session.check_config()  # a bad config is the first thing to report
            raise
        if not quiet:
            for warning in session.warnings:
                print(f"cascade: warning: {warning}", file=sys.stderr)
        return session

    @classmethod
    def of(
        cls,
        root: Path,
        sources: list[Source],
        config: tuple[Path, Document] | None,
        as_of: datetime.date | None,
        *,
        quiet: bool = False,
        cache: Cache | None = None,
        readings: list[ReadingsFile] | None = None,
    ) -> Session:
        """A session over files already read (a revision's, from git): `config` is the
        config's name and document; its `as_of:` applies as in `open`; `readings` are the
        readings files read with them."""
        pinned = None
        if config is not None and isinstance(config[1].data, dict):
            pinned = config[1].data.get("as_of")
        if type(pinned) is not datetime.date:
            pinned = None
        session = cls(root, as_of or pinned or datetime.date.today(), sources, quiet=quiet)
        if config is not None:
            session.config_file, session._config_document = config
        session.cache = cache
        session.readings = readings or []
        return session

    @property
    def config(self) -> Config:
        """The validated `cascade.yaml` (defaults when there is none)."""
        if self._config is None:
            from cascade.config import config_of, load_config

            document, path = self._config_document, self.config_file
            if document is not None and path is not None:
                self._config = config_of(document, path)  # read already, maybe from git
            else:
                self._config = load_config(path, document)
        return self._config

    def release(self) -> None:
        """Let the loaded plan (and the rules' view of it) go, once a command has taken all
        it needs from it: on a huge plan, formatting the output needs the memory."""
        if self._plan_bytes < FREE_PLAN_BYTES:
            keep((self._loaded, self._context))
        self._loaded = None
        self._context = None
        self._released = True

    @property
    def context(self) -> Context:
        """What the rules looked at (plan, hierarchy, progress) in this session's `run`:
        for the commands that show more than findings. Not there for a run answered from
        the cache, nor after `release`."""
        if self._context is None:
            raise RuntimeError("no rules ran over the plan in this session")
        return self._context

    def drop_positions(self) -> None:
        """Let the positions of every value go once the findings are located: a report that
        shows only located findings needs them no more (a quarter of a big plan's memory)."""
        if self._loaded is not None and self._plan_bytes >= FREE_PLAN_BYTES:
            self._loaded.positions.clear()

    def check_config(self) -> Config:
        """The validated config: a `CascadeError` now if it is invalid."""
        return self.config

    def start_reading(self) -> None:
        """Start parsing the plan, once it is known to be needed: on a big plan a helper
        process parses while this one imports the models and the rules."""
        if self._loaded is None and self._parsed is None and not self._released:
            from cascade.sources import documents

            self._parsed = documents(self.sources, self.cache, self.shared_documents)

    @property
    def loaded(self) -> LoadedPlan:
        """The plan, parsed, validated and merged (once per session)."""
        if self._released:
            raise RuntimeError("the session let the plan go (release); it cannot be read again")
        if self._loaded is None:
            self.start_reading()
            from cascade.loader import load_sources
            from cascade.meter import Meter

            total = self._plan_bytes = sum(len(source.raw or b"") for source in self.sources)
            parsed, self._parsed = self._parsed, None
            with Meter.on_terminal("Reading the plan", total, quiet=self.quiet) as meter:
                self._loaded = load_sources(
                    self.sources, cache=self.cache, meter=meter, parsed=parsed
                )
            self._loaded.warnings = self.warnings
        return self._loaded

    def run(
        self, select: Iterable[str] = (), ignore: Iterable[str] = (), *, reuse: bool = False
    ) -> Result:
        """Every selected rule over the plan (once per session).

        With `reuse`, a run over the same inputs is answered from the cache. Such a result
        has no `context`, so only a command that needs no more than the diagnostics asks.
        """
        if self.result is not None:
            return self.result
        select, ignore = list(select), list(ignore)
        key = self._run_key(select, ignore) if reuse and self.cache is not None else None
        if key is not None and self.cache is not None:
            from cascade.cache import decode_run

            found = decode_run(self.cache.get("run", key))
            if found is not None:
                self.result, self._rule_infos = found
                return self.result
        self.start_reading()  # before the imports below, which the helper can overlap
        from cascade.engine import Selection, context_for, run
        from cascade.meter import Meter

        selection = Selection.build(self.config, select, ignore)
        loaded = self.loaded
        self._context = context_for(loaded, self.config, self.as_of, self.readings)
        with Meter.on_terminal("Checking", len(selection.active), quiet=self.quiet) as meter:
            self.result = run(
                loaded, self.config, self.as_of, selection, meter=meter, context=self._context
            )
        # Cached by `_save_run`, once the plan is let go: on a huge plan the run's JSON and
        # the plan together would be the command's peak of memory.
        self._unsaved_run = key
        return self.result

    def _save_run(self) -> None:
        """Cache the run just made (for `run(reuse=True)`), if there is one to keep."""
        key, self._unsaved_run = self._unsaved_run, None
        if key is not None and self.cache is not None and self.result is not None:
            from cascade.cache import encode_run

            with collector_paused():  # a record per finding: many objects, no cycles
                self.cache.put("run", key, encode_run(self.result, self.rule_infos()))

    def report(
        self,
        select: Iterable[str],
        ignore: Iterable[str],
        options: Iterable[str],
        render: Callable[[Result], str],
    ) -> tuple[str, bool, bool]:
        """`render(result)` of the run, and whether it failed (plain, and with --strict).

        Answered from the cache when the same run was reported with the same `options`:
        a run with tens of thousands of findings takes longer to format than to fetch.
        """
        select, ignore = list(select), list(ignore)
        key = None
        if self.cache is not None:
            run_key = self._run_key(select, ignore)
            if run_key is not None:
                key = self.cache.key("report", run_key, *options)
                found = self.cache.get("report", key)
                if (
                    isinstance(found, dict)
                    and isinstance(found.get("text"), str)
                    and isinstance(found.get("failed"), bool)
                    and isinstance(found.get("failed_strict"), bool)
                ):
                    return found["text"], found["failed"], found["failed_strict"]
        result = self.run(select, ignore, reuse=True)
        self.release()  # only the findings are reported: the plan is half a run's memory
        self._save_run()
        text = render(result)
        failed, failed_strict = result.failed(False), result.failed(True)
        if key is not None and self.cache is not None:
            value = {"text": text, "failed": failed, "failed_strict": failed_strict}
            self.cache.put("report", key, value)
        return text, failed, failed_strict

    def _run_key(self, select: list[str], ignore: list[str]) -> str | None:
        """Everything a run's diagnostics depend on, hashed (None: not worth caching)."""
        assert self.cache is not None
        config: Any = b""
        if self.config_file is not None:
            try:
                config = self.config_file.read_bytes()
            except OSError:
                return None
        files = [[s.file, s.digest, s.problem] for s in self.sources]
        readings = [[r.name, hashlib.blake2b(r.raw).hexdigest()] for r in self.readings]
        return self.cache.key(
            "validate",
            os.path.abspath(self.config_file) if self.config_file else "",
            config,
            self.as_of.isoformat(),
            json.dumps([select, ignore, files, readings]),
        )

    def summary(self) -> Summary:
        return Summary(files_read=len(self.sources))

    def rule_infos(self) -> list[RuleInfo]:
        if self._rule_infos is None:
            from cascade.rules import all_rules

            self._rule_infos = [r.info for r in all_rules()]
        return self._rule_infos

    def protected_paths(self) -> Protected:
        """Where an output must never go: over the plan's files or the config, or into the
        plan's folders as a file the next run would read as part of the plan."""
        guard = Protected.of([source.path for source in self.sources], self.config_file, self.root)
        if self.readings_root is not None:
            guard.readings.add(Path(os.path.realpath(self.readings_root)))
        return guard


@dataclass(frozen=True)
class Protected:
    """The plan's files and config, and its folders (where no new plan file may appear):
    the plan's own folder and, by their real paths, every folder holding one of its files,
    so a folder linked into the plan is guarded too."""

    files: set[Path]
    folders: set[Path]
    readings: set[Path] = field(default_factory=set)  # where no new `.csv` may appear

    @classmethod
    def of(cls, plan_files: list[Path], config: Path | None, root: Path) -> Protected:
        files = {Path(os.path.realpath(path)) for path in plan_files}
        folders: set[Path] = set()
        if root.is_dir():  # a plan that is one file reads nothing beside it
            folders = {path.parent for path in files} | {Path(os.path.realpath(root))}
        if config is not None:
            files.add(Path(os.path.realpath(config)))
        return cls(files, folders)

    @classmethod
    def union(cls, guards: list[Protected]) -> Protected:
        return cls(
            {path for g in guards for path in g.files},
            {path for g in guards for path in g.folders},
            {path for g in guards for path in g.readings},
        )

    @classmethod
    def around_here(cls) -> Protected:
        """The guard for a command that reads no plan (`schema`, `rules`): the plan and
        config that `validate` would read from here, whatever state they are in."""
        config = config_path(None)
        plans = None
        try:
            document = read_config(config) if config is not None else None
            if document is not None and isinstance(document.data, dict):
                plans = document.data.get("plans")
        except CascadeError:
            pass  # a broken config is still guarded, as a file
        root = plan_root(config, plans)
        try:
            found = discover(root, []) if root.exists() else []
        except CascadeError:
            found = []
        return cls.of(found, config, root)

    def refuses(self, target: Path) -> str | None:
        """Why `target` (a real path) must not be written, or None."""
        if target in self.files:
            return "it is part of the plan or config"
        if target.suffix.lower() == ".csv" and any(
            folder in target.parents for folder in self.readings
        ):
            return "the next run would read it as a readings file"
        if target.suffix in PLAN_SUFFIXES:
            for folder in target.parents:
                if folder in self.folders and not any(
                    part.startswith(".") for part in target.relative_to(folder).parts
                ):
                    return "the next run would read it as a plan file"
        return None


def open_cache(cache_dir: Path | None, config: Path | None, root: Path) -> Cache:
    from cascade.cache import ENV_DIR, Cache, default_dir

    folder = cache_dir or (Path(os.environ[ENV_DIR]) if os.environ.get(ENV_DIR) else None)
    return Cache(folder or default_dir(config, root))


def use_color(no_color: bool) -> bool:
    """Colour only on a terminal, and never with --no-color or NO_COLOR."""
    if no_color or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def write_output(text: str, output: Path | None, *, protect: Protected | None = None) -> None:
    """Print `text`, or write it to `output` whole or not at all (temp file + rename).

    A pipe or a device (`/dev/null`) is written to as it is: renaming a file over it
    would replace it. `/dev/stdout` is standard output, whatever that is open on.
    """
    if output is None or str(output) in ("-", "/dev/stdout"):
        _write_chunks(sys.stdout, text)
        sys.stdout.flush()
        return
    target = Path(os.path.realpath(output))
    why = protect.refuses(target) if protect is not None else None
    if why is not None:
        verb = "overwrite" if target.exists() else "write"
        raise CascadeError(f"refusing to {verb} {output}: {why}")
    if target.is_dir():
        raise CascadeError(f"cannot write {output}: it is a directory")
    if target.exists() and not target.is_file():
        _write_stream(target, output, text)
        return
    write_whole(target, text, output)


def write_whole(target: Path, data: str | bytes, shown: Path | None = None) -> None:
    """`data` into `target` whole or not at all (a temporary file renamed over it), the
    folder made when missing: a report, or `checkin`'s readings file (bytes, its own)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with _stopping_raises():
            _write_whole(target, data)
    except OSError as exc:
        raise CascadeError(f"cannot write {shown or target}: {exc.strerror or exc}") from None


def _write_whole(target: Path, text: str | bytes) -> None:
    """`text` into `target` through a temporary file beside it, renamed over it at the end."""
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        # mkstemp makes the file private (0600); an output is an ordinary file, so keep
        # the mode of the file it replaces, else what the umask allows.
        os.chmod(temp, _mode_for(target))
        if isinstance(text, bytes):
            with os.fdopen(handle, "wb") as binary:
                binary.write(text)
        else:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                _write_chunks(stream, text)
        os.replace(temp, target)
    except BaseException:
        os.unlink(temp)
        raise


@contextlib.contextmanager
def _stopping_raises() -> Iterator[None]:
    """SIGTERM and SIGHUP raise `Stopped` while an output is written (their default ends
    the process at once, and the temporary file would stay behind)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(number: int, frame: object) -> None:
        raise Stopped(number)

    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    before = {number: signal.signal(number, stop) for number in wanted}
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)


def _write_stream(target: Path, output: Path, text: str) -> None:
    try:
        with open(target, "w", encoding="utf-8", newline="") as stream:
            _write_chunks(stream, text)
    except OSError as exc:
        raise CascadeError(f"cannot write {output}: {exc.strerror or exc}") from None


def _write_chunks(stream: TextIO, text: str, size: int = 1 << 20) -> None:
    # A report of a huge plan runs to hundreds of MB: encoding it in one piece would
    # need as much again.
    for start in range(0, len(text), size):
        stream.write(text[start : start + size])


def _mode_for(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
