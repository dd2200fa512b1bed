"""The comparison both `diff` and `log` use: properties of its notes, and a diff read
backwards being the same diff with its sides swapped."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from cascade.changes import _range_note, _target_note
from tests.conftest import AS_OF, BUNDLED
from tests.diff.conftest import cascade
from tests.diff.gitrepo import GitRepo

numbers = st.integers(min_value=-1000, max_value=1000)
bounds = st.one_of(st.none(), numbers)


@given(numbers, numbers, st.sampled_from(["increase", "decrease"]))
def test_a_target_moved_back_is_the_other_note(before: int, after: int, direction: str) -> None:
    if before == after:
        return
    there, back = _target_note(before, after, direction), _target_note(after, before, direction)
    assert {there, back} == {"eased", "raised"}
    # Easier means less to achieve: lower for increase, higher for decrease.
    assert (there == "eased") == ((after < before) == (direction == "increase"))


@given(bounds, bounds, bounds, bounds)
def test_a_range_is_eased_when_it_holds_the_old_one(
    a: int | None, b: int | None, c: int | None, d: int | None
) -> None:
    old, new = [a, b], [c, d]
    note = _range_note(old, new)
    if note == "eased":
        assert _range_note(new, old) in ("raised", "eased")  # "eased" both ways: the same range
        assert all(
            x is None or (y is not None and (x <= y if i == 0 else x >= y))
            for i, (x, y) in enumerate(zip(new, old, strict=True))
        )


def test_reading_a_diff_backwards_swaps_its_sides(reviewed: GitRepo) -> None:
    def records(*args: str) -> list[dict[str, object]]:
        _, out, _ = cascade(reviewed.root, "diff", *args, "--as-of", AS_OF, "--format", "json")
        found: list[dict[str, object]] = json.loads(out)["changes"]
        return found

    forward, backward = records("HEAD~1", "HEAD"), records("HEAD", "HEAD~1")
    swap = {"added": "removed", "removed": "added"}
    assert {
        (swap.get(str(c["kind"]), c["kind"]), c["id"]) for c in forward if c["kind"] != "renamed"
    } == {(c["kind"], c["id"]) for c in backward if c["kind"] != "renamed"}
    notes = {"eased": "raised", "raised": "eased"}
    assert sorted(
        str(notes.get(str(c["note"]), c["note"])) for c in forward if c["field"] == "target"
    ) == sorted(str(c["note"]) for c in backward if c["field"] == "target")


def test_a_goal_moved_up_a_level_says_unit_and_level(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(BUNDLED, old)
    shutil.copytree(BUNDLED, new)
    sales = new / "departments" / "sales.yaml"
    text = sales.read_text(encoding="utf-8")
    block_start = text.index("      - id: KA-1\n")
    block_end = text.index("      - id: KA-2\n")
    block = text[block_start:block_end]
    text = text[:block_start] + text[block_end:]
    text = text.replace("    goals:\n", "    goals:\n" + block, 1)  # the department's goals
    sales.write_text(text, encoding="utf-8")
    _, out, _ = cascade(tmp_path, "diff", "old", "new", "--as-of", AS_OF, "--format", "json")
    found = {(c["id"], c["field"], c["before"], c["after"]) for c in json.loads(out)["changes"]}
    assert ("KA-1", "unit", "key-accounts", "sales") in found
    assert ("KA-1", "level", "team", "department") in found
