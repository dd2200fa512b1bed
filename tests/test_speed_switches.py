"""Each speed mechanism can be switched off (CASCADE_OFF), and nothing a user sees changes."""

from __future__ import annotations

import gc
import os
import subprocess
import sys

import pytest

from cascade import collector, helper, speed, yamlfast
from tests.conftest import AS_OF, BUNDLED, ROOT


def test_each_switch_turns_its_mechanism_off(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "objectives:\n  - id: O\n    title: t\n"
    assert yamlfast.parse(text, "a.yaml").by_lines
    monkeypatch.setenv(speed.ENV, "lines, helper,collector")
    assert not yamlfast.parse(text, "a.yaml").by_lines
    assert not helper.available()
    with collector.collector_paused():
        assert gc.isenabled()
    monkeypatch.setenv(speed.ENV, "")
    with collector.collector_paused():
        assert not gc.isenabled()


@pytest.mark.parametrize("mechanism", sorted(speed.MECHANISMS))
def test_switching_a_mechanism_off_changes_no_output(mechanism: str) -> None:
    def run(off: str) -> list[bytes]:
        env = {**os.environ, speed.ENV: off, "PYTHONPATH": str(ROOT / "src")}
        outputs = []
        for args in (["validate", "-f", "json"], ["gaps", "-f", "markdown"]):
            done = subprocess.run(
                [sys.executable, "-m", "cascade", *args, str(BUNDLED), "--as-of", AS_OF],
                capture_output=True,
                env=env,
                check=False,
            )
            outputs += [done.stdout, done.stderr, str(done.returncode).encode()]
        return outputs

    assert run(mechanism) == run("")
