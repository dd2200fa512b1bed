"""The history of one item as plain text: a block per commit, newest first."""

from __future__ import annotations

from cascade.controls import one_line
from cascade.diffreport.words import label, what
from cascade.history import History
from cascade.page.plain import INDENT, paragraph, tidy


def title(history: History) -> str:
    """`goal SALES-1 "Grow deals"`, or the id alone when its kind is not known."""
    noun = "KPI" if history.kind == "kpi" else history.kind or "item"
    return f"{noun} {history.id}" + (f' "{history.title}"' if history.title else "")


def closing(history: History) -> str:
    """What the list ends on: where the item came from, or why the list stops sooner."""
    if (
        history.added_in is not None
        and history.entries
        and (history.entries[-1].commit.sha == history.added_in)
    ):
        return "Added in the last commit listed."
    if history.added_in is not None:
        return f"Added in {history.added_in[:12]}, before the commits listed."
    return "The commits listed go back to the start of the history."


def render(history: History) -> str:
    out = [f"History of {one_line(title(history))}"]
    if history.removed_in:
        out.append(f"Removed in {history.removed_in[:12]}.")
    for entry in history.entries:
        commit = entry.commit
        out += [
            "",
            one_line(f"{commit.sha[:12]}  {commit.date}  {commit.author}  {commit.subject}"),
        ]
        for change in entry.changes:
            where = f"{change.file}:{change.line}"
            out += paragraph(f"{label(change)}: {what(change)} · {where}", INDENT + "  ", INDENT)
    if not history.entries:
        out += ["", "No commit in the range asked for changed it."]
    out += ["", closing(history)]
    return tidy(out)
