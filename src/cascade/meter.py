"""A progress bar on standard error for long runs: rich, only on a terminal, only once a
phase has taken about a second, and gone when it ends. Nothing at all on a pipe.

rich is imported only when a bar is shown, so short runs never pay for it.
"""

from __future__ import annotations

import os
import sys
import time
from types import TracebackType
from typing import Any

DELAY = 1.0  # seconds before a bar appears: quick runs stay silent


class Meter:
    """Counts work done towards a total; shows a bar when the work turns out to be long."""

    def __init__(self, description: str, total: int, *, enabled: bool) -> None:
        self.description = description
        self.total = max(total, 1)
        self.done = 0
        self.enabled = enabled
        self.started = time.monotonic()
        self._progress: Any = None
        self._task: Any = None

    @classmethod
    def on_terminal(cls, description: str, total: int, *, quiet: bool = False) -> Meter:
        """A meter that may show itself: not when quiet, not on a pipe or a dumb terminal."""
        enabled = (
            not quiet
            and sys.stderr is not None
            and sys.stderr.isatty()
            and os.environ.get("TERM") != "dumb"
        )
        return cls(description, total, enabled=enabled)

    def advance(self, amount: int = 1) -> None:
        self.done += amount
        if self._progress is not None:
            self._progress.update(self._task, completed=self.done)
        elif (
            self.enabled
            and time.monotonic() - self.started > DELAY
            and self.done < self.total * 0.9
        ):
            self._show()

    def _show(self) -> None:
        self.enabled = False  # one try: a failure to draw must not slow every step
        try:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TaskProgressColumn, TimeRemainingColumn

            self._progress = Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                TaskProgressColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self._task = self._progress.add_task(
                self.description, total=self.total, completed=self.done
            )
            self._progress.start()
        except Exception:  # a terminal rich cannot drive: carry on without a bar
            self._progress = None

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def __enter__(self) -> Meter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
