"""One command's run: config, plan path and date resolved once, the plan loaded once.

Shared by every command so they agree on defaults; also writes outputs atomically.
"""

from __future__ import annotations

import datetime
import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cascade.config import Config, load_config
from cascade.diagnostics import RuleInfo, Summary
from cascade.engine import Result, Selection, run
from cascade.errors import CascadeError
from cascade.loader import LoadedPlan, load
from cascade.sources import display_path


@dataclass
class Session:
    """The resolved inputs of a command and the loaded plan."""

    config: Config
    root: Path
    as_of: datetime.date
    loaded: LoadedPlan
    quiet: bool = False
    result: Result | None = field(default=None)

    @classmethod
    def open(
        cls,
        plan: Path | None,
        config_path: Path | None,
        as_of: datetime.date | None,
        *,
        quiet: bool = False,
    ) -> Session:
        config = load_config(config_path)
        root = plan if plan is not None else config.plan_path()
        loaded = load(root, exclude=config.path)
        if not loaded.files:
            raise CascadeError(f"no plan files (*.yaml, *.yml) found in {display_path(root)}")
        if not quiet:
            for warning in loaded.warnings:
                print(f"cascade: warning: {warning}", file=sys.stderr)
        return cls(config, root, as_of or datetime.date.today(), loaded, quiet)

    def run(self, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> Result:
        """Every selected rule over the plan (once per session)."""
        if self.result is None:
            selection = Selection.build(self.config, select, ignore)
            self.result = run(self.loaded, self.config, self.as_of, selection)
        return self.result

    def summary(self) -> Summary:
        return Summary(files_read=len(self.loaded.files))

    def rule_infos(self) -> list[RuleInfo]:
        from cascade.rules import all_rules

        return [r.info for r in all_rules()]

    def protected_paths(self) -> set[Path]:
        """Files an output must never overwrite: the plan's own and the config."""
        paths = {Path(os.path.realpath(f)) for f in self.loaded.files}
        if self.config.path is not None:
            paths.add(Path(os.path.realpath(self.config.path)))
        return paths


def write_output(text: str, output: Path | None, *, protect: set[Path] | None = None) -> None:
    """Print `text`, or write it to `output` whole or not at all (temp file + rename)."""
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    target = Path(os.path.realpath(output))
    if protect and target in protect:
        raise CascadeError(f"refusing to overwrite {output}: it is part of the plan or config")
    if target.is_dir():
        raise CascadeError(f"cannot write {output}: it is a directory")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            # mkstemp makes the file private (0600); an output is an ordinary file, so
            # keep the mode of the file it replaces, else what the umask allows.
            os.chmod(temp, _mode_for(target))
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
            os.replace(temp, target)
        except BaseException:
            os.unlink(temp)
            raise
    except OSError as exc:
        raise CascadeError(f"cannot write {output}: {exc.strerror or exc}") from None


def _mode_for(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
