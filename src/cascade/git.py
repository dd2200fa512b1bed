"""The plan as it was at a revision, read from git's objects with the `git` executable.

Read-only plumbing only (`rev-parse`, `merge-base`, `ls-tree`, `cat-file --batch`, `log`,
`diff-tree`), with `GIT_OPTIONAL_LOCKS=0`: nothing in the working tree, the index, `HEAD`
or the refs changes. No argument of a user's ever reaches git where it could be read as an
option: a revision starting with `-` is refused, and paths follow `--`.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cascade.errors import CascadeError

_SHA = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
# A commit's fields in `log`: a record separator first, then the fields between unit
# separators (with -z, git ends the record and each file of its raw diff with a NUL).
_LOG_FORMAT = "%x1e%H%x1f%P%x1f%an%x1f%ad%x1f%s"


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    author: str
    date: str  # author date, YYYY-MM-DD
    subject: str


@dataclass(frozen=True, slots=True)
class Blob:
    path: str  # from the repository's top, `/` separators
    sha: str


class Repo:
    """The git repository around a folder: its top, and that folder's place below it."""

    def __init__(self, top: Path, prefix: str) -> None:
        self.top = top
        self.prefix = prefix  # the starting folder from the top: "" or "sub/dir/"

    @classmethod
    def around(cls, folder: Path) -> Repo:
        """The repository `folder` is in; a `CascadeError` when there is none (or no git)."""
        if shutil.which("git") is None:
            raise CascadeError("git is not installed: a revision is read with the git executable")
        try:
            out = _git(folder, "rev-parse", "--show-toplevel", "--show-prefix")
        except CascadeError:
            raise CascadeError(f"{folder} is not in a git repository") from None
        top, _, prefix = out.decode("utf-8", "surrogateescape").partition("\n")
        return cls(Path(top), prefix.strip("\n"))

    def git(self, *args: str, stdin: bytes | None = None) -> bytes:
        return _git(self.top, *args, stdin=stdin)

    def commit(self, revision: str) -> str:
        """The full sha of the commit `revision` names; one line of error when none."""
        if not revision or revision.startswith("-") or any(c in revision for c in "\0\n"):
            raise CascadeError(f"{revision!r} is not a revision")
        try:
            out = self.git("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
        except CascadeError:
            if not self.has_commits():
                raise CascadeError("the repository has no commits yet") from None
            raise CascadeError(
                f"unknown revision {revision!r} (hint: a branch, tag or commit; "
                "`git log --oneline` lists commits)"
            ) from None
        sha = out.decode("ascii", "replace").strip()
        if not _SHA.fullmatch(sha):
            raise CascadeError(f"unknown revision {revision!r}")
        return sha

    def has_commits(self) -> bool:
        try:
            self.git("rev-parse", "--verify", "--quiet", "HEAD^{commit}")
        except CascadeError:
            return False
        return True

    def merge_base(self, base: str, head: str) -> str:
        try:
            out = self.git("merge-base", base, head)
        except CascadeError:
            raise CascadeError(f"{base[:12]} and {head[:12]} have no common ancestor") from None
        return out.decode("ascii").strip()

    def inside(self, path: str) -> str:
        """`path` (relative to the starting folder) from the top, normalised; an error when
        it leads outside the repository."""
        if os.path.isabs(path):
            try:
                relative = Path(os.path.abspath(path)).relative_to(self.top).as_posix()
            except ValueError:
                raise CascadeError(f"{path} is outside the git repository") from None
        else:
            relative = posixpath.normpath(posixpath.join(self.prefix, Path(path).as_posix()))
        if relative == "." or relative == "":
            return ""
        if relative == ".." or relative.startswith("../"):
            raise CascadeError(f"{path} is outside the git repository")
        return relative

    def files(self, commit: str, folder: str) -> list[Blob]:
        """Every file below `folder` (from the top; "" for all) at `commit`, sorted."""
        args = ["ls-tree", "-r", "-z", "--full-tree", commit]
        if folder:
            args += ["--", folder]
        found = []
        for record in self.git(*args).split(b"\0"):
            if not record:
                continue
            meta, _, name = record.partition(b"\t")
            mode, kind, sha = meta.decode("ascii").split(" ")
            if kind == "blob" and mode != "120000":  # not a symbolic link
                found.append(Blob(name.decode("utf-8", "surrogateescape"), sha))
        return sorted(found, key=lambda blob: blob.path)

    def entry(self, commit: str, path: str) -> tuple[str, str] | None:
        """(`blob` or `tree`, object id) of `path` (from the top) at `commit`; None when
        the revision has no such path (or only a symbolic link there)."""
        if not path:
            return "tree", ""
        try:
            out = self.git("ls-tree", "-z", "--full-tree", commit, "--", path)
        except CascadeError:
            return None
        for record in out.split(b"\0"):
            meta, _, name = record.partition(b"\t")
            if name.decode("utf-8", "surrogateescape") == path:
                mode, kind, sha = meta.decode("ascii").split(" ")
                return None if mode == "120000" else (kind, sha)
        return None

    def read(self, shas: Iterable[str]) -> dict[str, bytes]:
        """The contents of blobs, by sha (one `cat-file --batch` for all of them)."""
        with self.reader() as blobs:
            found = {sha: blobs.get(sha) for sha in sorted(set(shas))}
        return {sha: data for sha, data in found.items() if data is not None}

    def history(self, commit: str, folder: str) -> list[tuple[Commit, list[Changed]]]:
        """The commits from `commit` back along first parents that changed files below
        `folder` (from the top; "" for all), newest first, each with those files and their
        blob ids before and after (a merge against its first parent): one `git log`."""
        args = ["log", "--first-parent", "-m", "-z", "--raw", "--no-renames", "--abbrev=40"]
        args += [f"--format={_LOG_FORMAT}", "--date=short", commit, "--", folder or "."]
        found: list[tuple[Commit, list[Changed]]] = []
        tokens = self.git(*args).split(b"\0")
        n = 0
        while n < len(tokens):
            token = tokens[n].lstrip(b"\n")
            n += 1
            if token.startswith(b"\x1e"):
                fields = token[1:].decode("utf-8", "replace").split("\x1f")
                if len(fields) == 5:
                    sha, parents, author, date, subject = fields
                    found.append((Commit(sha, tuple(parents.split()), author, date, subject), []))
            elif token.startswith(b":") and n < len(tokens) and found:
                name = tokens[n].decode("utf-8", "surrogateescape")
                n += 1
                parts = token[1:].decode("ascii", "replace").split(" ")
                if len(parts) >= 4:
                    found[-1][1].append(
                        Changed(name, _blob(parts[0], parts[2]), _blob(parts[1], parts[3]))
                    )
        return found

    def reader(self) -> Blobs:
        """Blob contents on demand, through one long-running `cat-file --batch`."""
        return Blobs(self.top)


def _blob(mode: str, sha: str) -> str | None:
    """The blob id of a file in a raw diff; None when there is no such file (or it is a
    link or a submodule, which a plan never reads)."""
    return sha if mode not in ("000000", "120000", "160000") and sha.strip("0") else None


class Blobs:
    """A `git cat-file --batch` kept open: each blob asked for is read once, on demand."""

    def __init__(self, top: Path) -> None:
        self.process = subprocess.Popen(
            ["git", "cat-file", "--batch"],
            cwd=top,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=_environment(),
        )

    def get(self, sha: str) -> bytes | None:
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        stdin.write(sha.encode("ascii") + b"\n")
        stdin.flush()
        header = stdout.readline().decode("ascii", "replace").split(" ")
        if len(header) != 3:
            return None  # `<sha> missing`
        data = stdout.read(int(header[2]))
        stdout.read(1)  # the newline after the contents
        return data

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait()

    def __enter__(self) -> Blobs:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True, slots=True)
class Changed:
    """A file a commit changed: its blob before and after (None where it did not exist)."""

    path: str
    before: str | None
    after: str | None


def _environment() -> dict[str, str]:
    env = {
        **os.environ,
        "GIT_OPTIONAL_LOCKS": "0",  # not even `status`'s index refresh
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_PAGER": "cat",
        "LC_ALL": "C",
    }
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(name, None)  # the repository is the one around the folder
    return env


def _git(folder: Path, *args: str, stdin: bytes | None = None) -> bytes:
    env = _environment()
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", "--no-pager", *args],
            cwd=folder,
            input=stdin,
            capture_output=True,
            env=env,
            check=False,
        )
    except OSError as exc:
        raise CascadeError(f"cannot run git: {exc.strerror or exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise CascadeError(f"git {args[0]}: " + (message[-1] if message else "failed"))
    return done.stdout
