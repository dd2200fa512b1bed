"""The progress bar: on a terminal once a phase runs long, gone at the end, and never on a
pipe (so CI logs and redirected output stay clean)."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from cascade import meter
from cascade.meter import Meter
from tests.conftest import AS_OF, BUNDLED, ROOT


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_long_phase_on_a_terminal_shows_a_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(meter, "DELAY", 0.0)
    monkeypatch.delenv("TERM", raising=False)
    with Meter.on_terminal("Reading the plan", 100) as bar:
        bar.advance(10)
        bar.advance(10)
    assert "Reading the plan" in terminal.getvalue()


@pytest.mark.parametrize("quiet", [False, True])
def test_no_bar_on_a_pipe_or_when_quiet(monkeypatch: pytest.MonkeyPatch, quiet: bool) -> None:
    pipe = io.StringIO() if not quiet else FakeTerminal()
    monkeypatch.setattr(sys, "stderr", pipe)
    monkeypatch.setattr(meter, "DELAY", 0.0)
    with Meter.on_terminal("Reading the plan", 100, quiet=quiet) as bar:
        bar.advance(10)
    assert pipe.getvalue() == ""


def test_short_phases_stay_silent(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with Meter.on_terminal("Reading the plan", 100) as bar:
        bar.advance(50)
    assert terminal.getvalue() == ""


RUN = (
    "import sys; import cascade.meter as m; m.DELAY = 0.0; "
    "sys.argv = ['cascade', 'validate', {plan!r}, '--as-of', {as_of!r}, '--no-cache']; "
    "from cascade.__main__ import main; sys.exit(main())"
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a Linux pty")
def test_end_to_end_bar_on_a_terminal_only() -> None:
    import pty

    code = RUN.format(plan=str(BUNDLED), as_of=AS_OF)
    piped = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert piped.stderr == ""
    assert "\x1b" not in piped.stdout
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-c", code],
            stdout=subprocess.PIPE,
            stderr=follower,
            cwd=ROOT,
            env={**os.environ, "TERM": "xterm"},
            check=False,
        )
        os.close(follower)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(leader)
    assert b"Reading the plan" in seen
    assert done.stdout.decode() == piped.stdout  # the report itself is untouched
