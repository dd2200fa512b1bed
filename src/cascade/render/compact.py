"""The HTML map of a big plan, packed: the view model as compressed JSON that `map-compact.js`
unpacks in the browser, drawing only the part of the tree the reader opens.

One DOM node per goal does not scale (a 10,000-person plan made a 190 MB page that a
browser barely opens), so above `FULL_LIMIT` goals the page carries the data once:
an index (what the tree, the cards and search need) and each goal's details in chunks
that are unpacked only when a goal's details are opened. zlib at a fixed level is
deterministic, so the page stays byte-identical from run to run.
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from cascade.render.layout import Row
from cascade.render.view import Band, CheckInView, GapView, GoalView, KpiView, MapView, Packed

FULL_LIMIT = 2000  # goals: up to this many, `auto` draws every goal into the page
CHUNK = 500  # goals per details chunk: a chunk unpacks in a few milliseconds
CHIPS = 60  # goals listed per perspective band besides the tops
UNIT_GAPS = 200  # unit findings listed under the matrix
LEVEL = 6  # zlib level: a fixed level keeps the bytes stable

STATES = ("on-track", "at-risk", "off-track", "no-data", "achieved", "missed", "draft", "dropped")
LEVELS = ("objective", "department", "team", "individual")
UNIT_KINDS = ("department", "team", "person")


def is_compact(goals: int, layout: str) -> bool:
    """Whether a page of so many goals is packed: asked for, or `auto` above the limit."""
    if layout == "compact":
        return True
    return layout == "auto" and goals > FULL_LIMIT


def _b64(data: bytes) -> str:
    return base64.b64encode(zlib.compress(data, LEVEL)).decode("ascii")


def _b64_index(index: dict[str, Any]) -> str:
    """Like `_b64(_dumps(index))`, a key at a time: the whole JSON never lives at once."""
    packer = zlib.compressobj(LEVEL)
    out = []
    for number, (key, value) in enumerate(index.items()):
        text = ("{" if number == 0 else ",") + json.dumps(key) + ":"
        out.append(packer.compress(text.encode("utf-8") + _dumps(value)))
    out.append(packer.compress(b"}"))
    out.append(packer.flush())
    return base64.b64encode(b"".join(out)).decode("ascii")


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _kept(record: dict[str, Any]) -> dict[str, Any]:
    """Leave out what is empty: the script treats a missing key as null or empty."""
    return {k: v for k, v in record.items() if v is not None and v != [] and v != ""}


class Packer:
    """Packs goals one by one as the view is built (so a big plan's records never all live
    at once), then the index once the view is complete."""

    COLUMNS = (
        *("id", "title", "level", "state", "unit", "owner", "dept"),
        *("prog", "exp", "kpis", "gaps", "words"),
    )

    def __init__(self) -> None:
        self.columns: dict[str, list[Any]] = {key: [] for key in self.COLUMNS}
        self.context: list[int] = []
        self.chunk: list[dict[str, Any]] = []
        # zlib lets go of the GIL: chunks are compressed on a thread while goals are built.
        self.pool = ThreadPoolExecutor(max_workers=1)
        self.details: list[Future[str]] = []
        self.names: dict[str, int] = {}
        self.rules: dict[tuple[str, str, str], int] = {}

    def add(self, goal: GoalView) -> GoalView:
        """Take in one goal's record (whole: the view drops its details afterwards)."""
        columns = self.columns
        if not goal.focus:
            self.context.append(len(columns["id"]))
        columns["id"].append(goal.id)
        columns["title"].append(goal.title)
        columns["level"].append(LEVELS.index(goal.level))
        columns["state"].append(STATES.index(goal.state))
        columns["unit"].append(goal.unit)
        columns["owner"].append(self.name(goal.owner_name))
        columns["dept"].append(goal.department)
        columns["prog"].append(goal.progress)
        columns["exp"].append(goal.expected)
        columns["kpis"].append(len(goal.kpis))
        columns["gaps"].append([self.rule(g.rule, g.name, g.severity) for g in goal.all_gaps])
        columns["words"].append(_words(goal))
        self.chunk.append(self.detail(goal))
        if len(self.chunk) == CHUNK:
            self.flush()
        return goal

    def flush(self) -> None:
        if self.chunk:
            self.details.append(self.pool.submit(_b64, _dumps(self.chunk)))
            self.chunk = []

    def name(self, text: str | None) -> int:
        if not text:
            return -1
        return self.names.setdefault(text, len(self.names))

    def rule(self, rule: str, name: str, severity: str) -> int:
        return self.rules.setdefault((rule, name, severity), len(self.rules))

    def finish(self, view: MapView) -> Packed:
        """The packed page: the index, the detail chunks, and the few lists drawn in HTML."""
        self.flush()
        columns = self.columns
        units = {u.id: i for i, u in enumerate(view.units)}
        columns["unit"] = [units.get(u or "", -1) for u in columns["unit"]]
        columns["dept"] = [units.get(d or "", -1) for d in columns["dept"]]
        index_of = {goal_id: i for i, goal_id in enumerate(columns["id"])}

        def tree(rows: Iterable[Row]) -> list[int]:
            # Pairs (goal, depth) in pre-order; a reference to a goal drawn elsewhere is ~goal.
            flat: list[int] = []
            for row in rows:
                index = index_of[row.goal]
                flat += [index if row.kind == "goal" else ~index, row.depth]
            return flat

        index = {
            "v": 1,
            **columns,
            "context": self.context,
            "tree": tree(view.tree),
            "unlinked": tree(view.unlinked_tree),
            "units": {
                "id": [u.id for u in view.units],
                "name": [u.name for u in view.units],
                "kind": [UNIT_KINDS.index(u.kind) for u in view.units],
            },
            "names": list(self.names),
            "rules": [list(key) for key in self.rules],
            "chunk": CHUNK,
        }
        packed = _b64_index(index)
        del index
        details = [chunk.result() for chunk in self.details]
        self.pool.shutdown()
        self.columns = {}
        tops = set(view.roots)
        bands = []
        for key, ids in view.perspectives.items():
            if not ids:
                continue
            top = [g for g in ids if g in tops]
            others = [g for g in ids if g not in tops]
            bands.append(Band(key, len(ids), top, others[:CHIPS], max(0, len(others) - CHIPS)))
        present = {g.state for g in view.goals}
        unit_gaps = [(u.name, u.kind, gap) for u in view.units for gap in u.gaps]
        return Packed(
            index=packed,
            details=details,
            goals=len(view.goals),
            departments=[(u.id, u.name) for u in view.units if u.kind == "department"],
            states=[s for s in STATES if s in present],
            bands=bands,
            unit_gaps=unit_gaps[:UNIT_GAPS],
            unit_gaps_more=max(0, len(unit_gaps) - UNIT_GAPS),
        )

    def detail(self, goal: GoalView) -> dict[str, Any]:
        """What the details panel shows that the index does not hold."""
        return _kept(
            {
                "description": goal.description,
                "status": goal.status,
                "period": goal.period,
                "start": goal.start,
                "due": goal.due,
                "perspective": goal.perspective,
                "confidence": goal.confidence,
                "commitment": None if goal.commitment == "committed" else goal.commitment,
                "parents": [[p.goal, p.weight, p.kpis] for p in goal.parents],
                "depends_on": goal.depends_on,
                "kpis": [self.kpi(k) for k in goal.kpis],
                "initiatives": [
                    _kept(
                        {"title": i.title, "owner": i.owner_name, "due": i.due, "impact": i.impact}
                    )
                    for i in goal.initiatives
                ],
                "assumptions": goal.assumptions,
                "risks": [[r.risk, r.mitigation] for r in goal.risks],
                "gaps": [self.gap(g) for g in goal.gaps],
                "waived": [[w.rule, w.name, w.reason] for w in goal.waived],
                "tags": goal.tags,
            }
        )

    def kpi(self, kpi: KpiView) -> dict[str, Any]:
        return _kept(
            {
                "id": kpi.id,
                "name": kpi.name,
                "kind": kpi.kind,
                "unit": kpi.unit,
                "baseline": kpi.baseline,
                "target": kpi.target,
                "current": kpi.current,
                "range": list(kpi.range) if kpi.range is not None else None,
                "done": kpi.done,
                "as_of": kpi.as_of,
                "source": kpi.source,
                "frequency": kpi.frequency,
                # [date, value], then note, confidence and by when a check-in has them
                "history": [_checkin(c) for c in kpi.history],
                "progress": kpi.progress,
                "health": kpi.health,
                "state": kpi.state,
                "supported_by": kpi.supported_by,
                "gaps": [self.gap(g) for g in kpi.gaps],
            }
        )

    def gap(self, gap: GapView) -> list[Any]:
        rule = self.rule(gap.rule, gap.name, gap.severity)
        return [rule, gap.message, gap.hint, gap.file, gap.line]


def _words(goal: GoalView) -> str:
    """Search text beyond id, title, owner and unit (which the script has already)."""
    words = [
        goal.description or "",
        *(k.name for k in goal.kpis),
        *(k.id for k in goal.kpis),
        *goal.tags,
        *(i.title for i in goal.initiatives),
    ]
    return " ".join(w for w in words if w)


def pack(view: MapView) -> Packed:
    """Pack a view built whole (`--html-layout compact` on a view built without a packer)."""
    packer = Packer()
    for goal in view.goals:
        packer.add(goal)
    return packer.finish(view)


def _checkin(point: CheckInView) -> list[Any]:
    found: list[Any] = [point.date, point.value, point.note, point.confidence, point.by]
    while len(found) > 2 and found[-1] is None:
        found.pop()
    return found
