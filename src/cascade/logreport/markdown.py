"""The history of one item as Markdown: a section per commit, newest first."""

from __future__ import annotations

from cascade.diffreport.words import label, what
from cascade.history import History
from cascade.logreport.plain import closing, title
from cascade.page.markdown import code, escape


def render(history: History) -> str:
    lines = [f"# History of {escape(title(history))}", ""]
    if history.removed_in:
        lines += [f"Removed in {code(history.removed_in[:12])}.", ""]
    for entry in history.entries:
        commit = entry.commit
        lines += [
            f"## {code(commit.sha[:12])} {escape(commit.subject)}",
            "",
            f"{commit.date} · {escape(commit.author)}",
            "",
        ]
        for change in entry.changes:
            name = label(change, lambda ident: f"**{escape(ident)}**", escape)
            where = code(f"{change.file}:{change.line}")
            lines.append(f"- {name}: {escape(what(change))} ({where})")
        lines.append("")
    if not history.entries:
        lines += ["No commit in the range asked for changed it.", ""]
    lines.append(closing(history))
    return "\n".join(lines) + "\n"
