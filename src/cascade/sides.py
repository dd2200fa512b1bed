"""The two sides `diff` compares and the revisions `log` walks: a session over the plan in
the working tree, in a folder, or at a git revision (read from git's objects).

A side is a path when it names an existing file or folder, else a revision. A revision's
plan is its own: the `cascade.yaml` of the current folder (or the nearest above it, within
the repository) at that revision, its `plans:` (else `plans/`), unless `--plan` names the
plan for both sides.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import posixpath
from dataclasses import dataclass
from pathlib import Path

from cascade.errors import CascadeError
from cascade.git import Blob, Repo
from cascade.session import Session, open_cache
from cascade.sources import (
    CONFIG_NAME,
    PLAN_SUFFIXES,
    ReadingsFile,
    Source,
    config_document,
    config_path,
    plan_root,
    printable_name,
    read_config,
)
from cascade.yamlsrc import Document

WORKING_TREE = "working tree"


@dataclass
class Side:
    """One side of a comparison: what to call it, its commit (None for files on disk),
    and the session over its plan."""

    label: str
    commit: str | None
    session: Session

    @property
    def files(self) -> list[str]:
        return [source.file for source in self.session.sources]

    def inputs(self) -> list[object]:
        """What its plan's judgment depends on: its files (by content), config and date."""
        session = self.session
        document = session.config.document
        return [
            [[s.file, s.digest, s.problem] for s in session.sources],
            document.data if document is not None else None,
            session.as_of.isoformat(),
        ]

    def fingerprint(self) -> str:
        """Everything a report of this side depends on (its name and commit too), as one
        string for a cache key."""
        return json.dumps([self.label, self.commit, *self.inputs()], default=str, sort_keys=True)


@dataclass(frozen=True)
class Options:
    """What every side is opened with: the command's plan-reading options."""

    plan: Path | None
    config: Path | None
    as_of: datetime.date | None
    quiet: bool = False
    cache_dir: Path | None = None
    no_cache: bool = False


def sides(base: str | None, head: str | None, options: Options) -> tuple[Side, Side]:
    """The base and head sides of `cascade diff [BASE] [HEAD]`; a file the same on both
    is parsed once."""
    pair = _sides(base, head, options)
    shared: dict[tuple[str, str], Document] = {}
    for found in pair:
        found.session.shared_documents = shared
    return pair


def _sides(base: str | None, head: str | None, options: Options) -> tuple[Side, Side]:
    if base is None:
        return revision("HEAD", "HEAD", options), working_tree(options)
    if head is None:
        pair = _range(base)
        if pair is not None:
            first, second, merge_base = pair
            repo = Repo.around(Path.cwd())
            tip = repo.commit(second)
            start = repo.commit(first)
            if merge_base:
                start = repo.merge_base(start, tip)
            return (
                revision(start, first, options, repo),
                revision(tip, second, options, repo),
            )
        return side(base, options), working_tree(options)
    return side(base, options), side(head, options)


def _range(argument: str) -> tuple[str, str, bool] | None:
    """`A...B` (from their merge base) or `A..B`; None for a single revision or a path."""
    if ".." not in argument or Path(argument).exists():
        return None
    merge_base = "..." in argument
    first, _, second = argument.partition("..." if merge_base else "..")
    if not first or not second or ".." in first or second.startswith("."):
        raise CascadeError(
            f"cannot read the range {argument!r} (hint: `BASE...HEAD` compares HEAD with "
            "where it branched from BASE; `BASE HEAD` compares the two)"
        )
    return first, second, merge_base


def side(argument: str, options: Options) -> Side:
    """A side named on the command line: a file or folder if one exists, else a revision."""
    path = Path(argument)
    if path.exists():
        return folder(path, argument, options)
    return revision(argument, argument, options)


def working_tree(options: Options) -> Side:
    """The plan as it is on disk, staged or not, untracked files included."""
    session = Session.open(
        options.plan,
        options.config,
        options.as_of,
        quiet=options.quiet,
        cache_dir=options.cache_dir,
        no_cache=options.no_cache,
    )
    return Side(WORKING_TREE, None, session)


def folder(path: Path, label: str, options: Options) -> Side:
    """A folder holding a `cascade.yaml` is a repository root (its config, its `plans:`);
    any other folder or file is the plan itself, with the config found from here."""
    config = path / CONFIG_NAME
    plan: Path | None = path
    config_given = options.config
    if path.is_dir() and config.is_file():
        # Its `plans:`, else its own plans/ (not the one beside the current folder).
        settings = read_config(config).data
        declared = isinstance(settings, dict) and isinstance(settings.get("plans"), str)
        plan, config_given = (None if declared else path / "plans"), config
    session = Session.open(
        plan,
        config_given,
        options.as_of,
        quiet=options.quiet,
        cache_dir=options.cache_dir,
        no_cache=options.no_cache,
    )
    return Side(label, None, session)


def revision(name: str, label: str, options: Options, repo: Repo | None = None) -> Side:
    """The plan at a revision, read from git objects; nothing on disk is touched."""
    repo = repo or Repo.around(Path.cwd())
    commit = repo.commit(name)
    return Side(label, commit, open_at(repo, commit, label, options))


@dataclass(frozen=True)
class RevisionConfig:
    """A revision's `cascade.yaml`: where it is (from the top) and its document."""

    path: str
    document: Document


def open_at(repo: Repo, commit: str, label: str, options: Options) -> Session:
    config = config_at(repo, commit)
    plan = plan_at(repo, config, options.plan)
    found = repo.entry(commit, plan)
    place = shown(repo, plan) or "."
    if found is None:
        raise CascadeError(f"{label} has no plan: {place} is not in that revision")
    kind, sha = found
    if kind == "blob":
        blobs = [Blob(plan, sha)]
    else:
        skip = config.path if config is not None else None
        blobs = [blob for blob in repo.files(commit, plan) if plan_file(blob.path, plan, skip)]
    if not blobs:
        raise CascadeError(f"{label} has no plan: no plan files (*.yaml, *.yml) in {place}")
    contents = repo.read(blob.sha for blob in blobs)
    sources = []
    for blob in blobs:
        raw = contents.get(blob.sha)
        source = Source(Path(blob.path), shown(repo, blob.path), raw)
        if raw is None:
            source.problem = "missing from the repository"
        else:
            source.digest = hashlib.sha256(raw).hexdigest()  # shared with the working tree's
        sources.append(source)
    document = None
    if config is not None:
        document = (Path(shown(repo, config.path)), config.document)
    cache = None
    if not options.no_cache:
        # The working tree's cache: a file unchanged since the revision is parsed once.
        here = config_path(options.config)
        cache = open_cache(options.cache_dir, here, plan_root(here, None))
    readings = readings_at(repo, commit, config)
    return Session.of(
        Path(place),
        sources,
        document,
        options.as_of,
        quiet=options.quiet,
        cache=cache,
        readings=readings,
    )


def readings_at(repo: Repo, commit: str, config: RevisionConfig | None) -> list[ReadingsFile]:
    """The revision's readings files, found as on disk: the config's `readings:`, else
    `readings/` beside the config (else beside the current folder)."""
    folder = posixpath.dirname(config.path) if config is not None else repo.prefix.rstrip("/")
    data = config.document.data if config is not None else None
    setting = data.get("readings") if isinstance(data, dict) else None
    relative = setting if isinstance(setting, str) and setting.strip() else "readings"
    joined = posixpath.normpath(posixpath.join(folder, relative))
    if joined in (".", "..") or joined.startswith("../") or posixpath.isabs(joined):
        return []
    found = repo.entry(commit, joined)
    if found is None or found[0] != "tree":
        return []
    blobs = [
        blob
        for blob in repo.files(commit, joined)
        if blob.path.lower().endswith(".csv")
        and not any(part.startswith(".") for part in blob.path[len(joined) + 1 :].split("/"))
    ]
    contents = repo.read(blob.sha for blob in blobs)
    return [
        ReadingsFile(shown(repo, blob.path), contents[blob.sha])
        for blob in blobs
        if blob.sha in contents
    ]


def config_at(repo: Repo, commit: str) -> RevisionConfig | None:
    """The revision's config, read and parsed: in the current folder or the nearest
    folder above it within the repository."""
    folder = repo.prefix.rstrip("/")
    while True:
        candidate = posixpath.join(folder, CONFIG_NAME) if folder else CONFIG_NAME
        found = repo.entry(commit, candidate)
        if found is not None and found[0] == "blob":
            raw = repo.read([found[1]]).get(found[1], b"")
            return RevisionConfig(candidate, config_document(raw, shown(repo, candidate)))
        if not folder:
            return None
        folder = posixpath.dirname(folder)


def plan_at(repo: Repo, config: RevisionConfig | None, given: Path | None) -> str:
    """The plan's path from the top: `--plan`, else the config's `plans:`, else `plans/`."""
    if given is not None:
        return repo.inside(str(given))
    plans: object = None
    folder = repo.prefix.rstrip("/")
    if config is not None:
        folder = posixpath.dirname(config.path)
        data = config.document.data
        plans = data.get("plans") if isinstance(data, dict) else None
    relative = plans if isinstance(plans, str) and plans else "plans"
    joined = posixpath.normpath(posixpath.join(folder, relative))
    if joined == ".." or joined.startswith("../") or posixpath.isabs(joined):
        raise CascadeError(f"the plans folder {relative} is outside the git repository")
    return "" if joined == "." else joined


def plan_file(path: str, plan: str, config: str | None) -> bool:
    """Whether a file below the plan folder is read as part of the plan: as on disk, a
    YAML file with no hidden folder or name on its way, and not the config."""
    below = path[len(plan) + 1 :] if plan else path
    if path == config or not path.endswith(PLAN_SUFFIXES):
        return False
    return not any(part.startswith(".") for part in below.split("/"))


def shown(repo: Repo, path: str) -> str:
    """A path from the top as the working tree's files are shown: from the current folder."""
    if not path:
        return posixpath.relpath(".", repo.prefix) if repo.prefix else ""
    return printable_name(posixpath.relpath(path, repo.prefix) if repo.prefix else path)
