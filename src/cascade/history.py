"""`cascade log`'s walk: the commits that changed one goal, KPI, unit, person or period,
newest first, down to the commit that added it.

Only the plan files a commit changed are read (`git diff-tree` names them, with their blob
ids), and each distinct file content is parsed once, whatever number of commits share it.
The change records are `changes.compare`'s, over just those files before and after: an item
in a file the commit did not touch did not change in it. A merge is compared with its first
parent, and the walk follows first parents.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cascade.changes import Change, Snapshot, compare
from cascade.collector import collector_paused
from cascade.diagnostics import Location
from cascade.errors import CascadeError
from cascade.git import Blobs, Commit, Repo
from cascade.loader import LoadedPlan, load_sources
from cascade.model import Origin, Plan
from cascade.sides import Options, config_at, open_at, plan_at, plan_file, shown
from cascade.sources import Source


@dataclass(frozen=True, slots=True)
class Entry:
    commit: Commit
    changes: list[Change]


@dataclass
class History:
    id: str
    kind: str | None  # goal, objective, kpi, department, team, person, period
    title: str | None
    entries: list[Entry] = field(default_factory=list)
    added_in: str | None = None  # the commit that added it, when the walk reached it
    removed_in: str | None = None  # the commit that removed it, when it is gone now


class _Files:
    """Each plan file's content, parsed once, by blob id."""

    def __init__(self, repo: Repo, blobs: Blobs) -> None:
        self.repo = repo
        self.blobs = blobs
        self.loaded: dict[str, LoadedPlan] = {}
        self.mentions: dict[tuple[str, bytes], bool] = {}

    def mention(self, sha: str, needle: bytes) -> bool:
        """Whether the blob's bytes hold `needle` (an id): a file that does not cannot
        hold the item, and is neither parsed nor compared."""
        key = (sha, needle)
        if key not in self.mentions:
            self.mentions[key] = needle in (self.blobs.get(sha) or b"")
        return self.mentions[key]

    def read(self, wanted: list[tuple[str, str]]) -> list[LoadedPlan]:
        """The files (path, blob) loaded, in path order."""
        for path, sha in wanted:
            if sha in self.loaded:
                continue
            raw = self.blobs.get(sha)
            source = Source(Path(path), shown(self.repo, path), raw)
            source.digest = hashlib.sha256(raw or b"").hexdigest()
            if raw is None:
                source.problem = "missing from the repository"
            self.loaded[sha] = load_sources([source])
        return [self.loaded[sha] for _, sha in sorted(wanted)]


def snapshot(files: list[LoadedPlan]) -> Snapshot:
    """One side of a commit: the changed files' items, as one plan."""
    plan = Plan()
    by_file: dict[str, LoadedPlan] = {}
    for loaded in files:
        part = loaded.plan
        if part.organization is not None and plan.organization is None:
            plan.organization = part.organization
        plan.periods += part.periods
        plan.objectives += part.objectives
        plan.departments += part.departments
        plan.teams += part.teams
        plan.people += part.people
        for name in loaded.files:
            by_file[name] = loaded

    def locate(origin: Origin | None, path: tuple[Any, ...]) -> Location:
        owner = by_file.get(origin.file) if origin is not None else None
        if owner is None:  # every item comes from one of `files`
            return Location(origin.file if origin else "<plan>", 1, 1)
        return owner.locate(origin, path, key=bool(path))

    return Snapshot(plan, locate)


def walk(
    repo: Repo,
    ident: str,
    options: Options,
    *,
    max_count: int | None = None,
    since: datetime.date | None = None,
) -> History:
    """The history of `ident` from HEAD back; a `CascadeError` when no revision has it."""
    head = repo.commit("HEAD")
    config = config_at(repo, head)
    folder = plan_at(repo, config, options.plan)
    skip = config.path if config is not None else None
    history = History(ident, None, None)
    with repo.reader() as blobs, collector_paused():
        files = _Files(repo, blobs)
        for commit, touched in repo.history(head, folder):
            touched = [c for c in touched if _plan(c.path, folder, skip)]
            needle = _needle(ident)
            shas = [sha for c in touched for sha in (c.before, c.after) if sha]
            if not any(files.mention(sha, needle) for sha in shas):
                continue  # the commit changed no file that names the item
            before = files.read([(c.path, c.before) for c in touched if c.before])
            after = files.read([(c.path, c.after) for c in touched if c.after])
            old, new = snapshot(before), snapshot(after)
            found = _about(compare(old, new).records, ident, old, new)
            if not found:
                continue
            if history.kind is None:
                history.kind, history.title = _kind(ident, old, new)
                if any(c.kind == "removed" for c in found) and not _has(ident, new):
                    history.removed_in = commit.sha
            listed = since is None or commit.date >= since.isoformat()
            if listed and (max_count is None or len(history.entries) < max_count):
                history.entries.append(Entry(commit, found))
            if _has(ident, new) and not _has(ident, old) and any(c.kind == "added" for c in found):
                history.added_in = commit.sha
                break
            for change in found:  # older commits know a renamed item by its old id
                if change.kind == "renamed" and change.id == ident and change.item != "kpi":
                    ident = str(change.before)
    if history.kind is None:
        raise CascadeError(_unknown(repo, head, ident, options))
    return history


def _needle(ident: str) -> bytes:
    """What a file holding `ident` has in its bytes: the id, or for a KPI known by its
    place (`SALES-1.k2`), its goal's id. (An id written with YAML escapes, `\x41`, is
    not found: no plan writes one.)"""
    goal, dot, rest = ident.rpartition(".")
    if dot and rest.startswith("k") and rest[1:].isdigit():
        return goal.encode("utf-8")
    return ident.encode("utf-8")


def _plan(path: str, folder: str, config: str | None) -> bool:
    """Whether a changed file is one of the plan's (the plan may be one file)."""
    if path == folder:
        return True
    if folder and not path.startswith(folder + "/"):
        return False
    return plan_file(path, folder, config)


def _about(records: list[Change], ident: str, old: Snapshot, new: Snapshot) -> list[Change]:
    """The records of `ident`: its own, a goal's KPIs', a unit's goals added or removed;
    for a KPI, the record of its goal being added or removed (its KPIs get none)."""
    goal_of = {key: kpi.goal_id for side in (old, new) for key, kpi in side.kpis.items()}
    goal_of.update({kpi.key: kpi.goal_id for side in (old, new) for kpi in side.kpis.values()})
    kpi_goal = goal_of.get(ident)
    units = {unit_id for _, unit_id in (*old.units, *new.units)}
    found = []
    for change in records:
        mine = change.id == ident or (change.kind == "renamed" and change.before == ident)
        if change.item == "kpi" and goal_of.get(change.id) == ident:
            mine = True  # a goal's history holds its KPIs' changes
        if change.item in ("objective", "goal") and change.kind in ("added", "removed"):
            if change.id == kpi_goal:
                mine = True
            if ident in units:
                side = new if change.kind == "added" else old
                goal = side.goals.get(change.id)
                mine = mine or (goal is not None and goal.unit == ident)
        if change.item in ("department", "team", "person") and change.id != ident:
            mine = False
        if mine:
            found.append(change)
    return found


def _has(ident: str, side: Snapshot) -> bool:
    return (
        ident in side.goals
        or any(kpi.key == ident for kpi in side.kpis.values())
        or any(unit_id == ident for _, unit_id in side.units)
        or ident in side.periods
    )


def _kind(ident: str, old: Snapshot, new: Snapshot) -> tuple[str | None, str | None]:
    for side in (new, old):
        goal = side.goals.get(ident)
        if goal is not None:
            return ("objective" if goal.level == "objective" else "goal"), goal.title
        for kpi in side.kpis.values():
            if kpi.key == ident:
                return "kpi", kpi.name
        for (item, unit_id), unit in side.units.items():
            if unit_id == ident:
                return item, unit.name
        if ident in side.periods:
            return "period", None
    return None, None


def _unknown(repo: Repo, head: str, ident: str, options: Options) -> str:
    """`no goal, KPI, unit, person or period ... ; did you mean 'SALES-1'?`"""
    known: set[str] = set()
    try:
        session = open_at(repo, head, "HEAD", Options(options.plan, None, None, True, None, True))
        plan = session.loaded.plan
        known = {g.id for g in plan.goals()} | {k.key for k in plan.kpis()}
        known |= {u.id for u in plan.units()} | {p.id for p in plan.periods}
    except CascadeError:
        pass
    near = difflib.get_close_matches(ident, sorted(known), n=1, cutoff=0.6)
    hint = f"; did you mean {near[0]!r}?" if near else ""
    return f"no goal, KPI, unit, person or period {ident!r} in any revision of the plan{hint}"


@dataclass(frozen=True, slots=True)
class Eased:
    """A KPI's target (or range) moved the easier way in a commit."""

    kpi: str
    goal: str | None
    before: Any
    after: Any
    commit: Commit


def eased_targets(
    repo: Repo, options: Options, kpis: set[str], start: datetime.date, end: datetime.date
) -> list[Eased]:
    """Every easing of the targets of `kpis` in the commits from HEAD back (first parents)
    authored from `start` to `end`, oldest first: what `log` would show of each KPI."""
    head = repo.commit("HEAD")
    config = config_at(repo, head)
    folder = plan_at(repo, config, options.plan)
    skip = config.path if config is not None else None
    first, last = start.isoformat(), end.isoformat()
    by_commit: list[list[Eased]] = []
    with repo.reader() as blobs, collector_paused():
        files = _Files(repo, blobs)
        for commit, touched in repo.history(head, folder):
            if not first <= commit.date <= last:
                continue  # author dates need not be in order: look at every commit
            touched = [c for c in touched if _plan(c.path, folder, skip)]
            before = files.read([(c.path, c.before) for c in touched if c.before])
            after = files.read([(c.path, c.after) for c in touched if c.after])
            new = snapshot(after)
            goals = {kpi.key: kpi.goal_id for kpi in new.kpis.values()}
            by_commit.append(
                [
                    Eased(change.id, goals.get(change.id), change.before, change.after, commit)
                    for change in compare(snapshot(before), new).records
                    if change.item == "kpi" and change.note == "eased" and change.id in kpis
                ]
            )
    return [eased for commit in reversed(by_commit) for eased in commit]
