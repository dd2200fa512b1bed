"""Hostile plan text cannot break the diff's Markdown or put markup in it: a real
CommonMark parser reads the report, and the only HTML in it is cascade's own."""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt

from tests.conftest import AS_OF
from tests.diff.conftest import cascade
from tests.diff.gitrepo import GitRepo

HOSTILE = [
    "<script>alert(1)</script>",
    "</details><img src=x onerror=alert(1)>",
    "| a | b |",
    "`code` and ``more``",
    "**bold** _it_ [link](http://x) ![i](http://y)",
    "# heading\nsecond line",
    "- list\n1. item",
    "\x1b[31mred\x1b[0m",
    "<!-- comment --> & &amp; <summary>",
]
ALLOWED_TAGS = {"details", "summary", "br"}


def test_hostile_titles_stay_text(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.write("plans/plan.yaml", "objectives:\n  - id: OBJ-1\n    title: Plain\n")
    repo.commit("start")
    goals = "".join(
        f"  - id: OBJ-{n + 2}\n    title: {_quoted(text)}\n    description: {_quoted(text)}\n"
        for n, text in enumerate(HOSTILE)
    )
    repo.write(
        "plans/plan.yaml",
        "objectives:\n  - id: OBJ-1\n    title: " + _quoted(HOSTILE[1]) + "\n" + goals,
    )
    _, out, _ = cascade(repo.root, "diff", "--as-of", AS_OF, "--format", "markdown")
    tokens = MarkdownIt("commonmark").enable("table").parse(out)
    html = [t for t in _walk(tokens) if t.type in ("html_block", "html_inline")]
    tags = {re.match(r"</?([a-z]+)", t.content.strip()).group(1) for t in html if t.content.strip()}  # type: ignore[union-attr]
    assert tags <= ALLOWED_TAGS, tags
    kinds = {t.type for t in _walk(tokens)}
    assert not kinds & {"link_open", "image"}
    spans = {t.content for t in _walk(tokens) if t.type == "code_inline"}
    assert all(re.fullmatch(r"[\w./-]+:\d+|HEAD|working tree", span) for span in spans), spans
    text = "".join(t.content for t in _walk(tokens) if t.type == "text")
    assert "<script>alert(1)</script>" in text and "**bold**" in text and "| a | b |" in text
    headings = [t for t in _walk(tokens) if t.type == "heading_open"]
    assert len(headings) == len([line for line in out.splitlines() if line.startswith("#")])
    assert "\x1b" not in out
    rendered = MarkdownIt("commonmark").enable("table").render(out)
    assert "<script" not in rendered and "<img" not in rendered
    # Every table row has as many cells as its header.
    for line in out.splitlines():
        if line.startswith("| item |"):
            width = line.count(" | ")
        elif line.startswith("| ") and "**OBJ-" in line:
            assert line.replace("\\|", "").count(" | ") == width, line


def _quoted(text: str) -> str:
    return (
        '"'
        + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\x1b", "\\e")
        + '"'
    )


def _walk(tokens: list) -> list:  # type: ignore[type-arg]
    found = []
    for token in tokens:
        found.append(token)
        if token.children:
            found += _walk(token.children)
    return found
