"""Real git repositories for the tests: real commits, with authors and dates fixed so that
every commit id, and so every output, is the same from run to run."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.conftest import BUNDLED

START = "2026-01-05T09:00:00+00:00"


def git_env(author: str = "Ann Analyst", date: str = START) -> dict[str, str]:
    email = author.split()[0].lower() + "@example.com"
    return {
        **os.environ,
        "GIT_AUTHOR_NAME": author,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": author,
        "GIT_COMMITTER_EMAIL": email,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_CONFIG_GLOBAL": os.devnull,  # no one's own settings (signing, hooks, ...)
        "GIT_CONFIG_NOSYSTEM": "1",
    }


class GitRepo:
    """A repository in a folder, committed to with fixed authors and dates."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, author: str = "Ann Analyst", date: str = START) -> str:
        done = subprocess.run(
            ["git", *args],
            cwd=self.root,
            env=git_env(author, date),
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    def write(self, path: str, text: str) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def commit(self, message: str, *, author: str = "Ann Analyst", date: str = START) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, author=author, date=date)
        return self.git("rev-parse", "HEAD").strip()

    def with_bundled_plan(self) -> GitRepo:
        shutil.copytree(BUNDLED, self.root / "plans")
        self.write("cascade.yaml", CONFIG_BEFORE)
        return self


CONFIG_BEFORE = "plans: plans\nthresholds:\n  stale_after_days: 45\n"
CONFIG_AFTER = "plans: plans\nthresholds:\n  stale_after_days: 60\n"
