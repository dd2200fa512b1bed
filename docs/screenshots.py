"""Take the README's screenshots with headless Chromium: the HTML map of the bundled plan,
and a pull request's comment with `cascade diff --format markdown` of the bundled plan
against a copy with one change of every kind (the diff's golden file, as GitHub would
render it: CommonMark with tables, by markdown-it).

Run from the repository root: `python docs/screenshots.py` (needs Debian's chromium and the
playwright package of the test extra; no browser is downloaded).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

DOCS = Path(__file__).resolve().parent
AS_OF = ["--as-of", "2026-11-15"]
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]


def shoot(page: Page, name: str, height: int) -> None:
    page.set_viewport_size({"width": 1280, "height": height})
    page.screenshot(path=str(DOCS / name), animations="disabled")
    print(f"docs/{name}")


# Enough of GitHub's comment style to read the diff as a reviewer would.
COMMENT_CSS = """
body { margin: 0; background: #f6f8fa; font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans",
  Helvetica, Arial, sans-serif; color: #1f2328; }
.comment { margin: 24px; border: 1px solid #d0d7de; border-radius: 6px; background: #fff; }
.comment > header { padding: 8px 16px; background: #f6f8fa; border-bottom: 1px solid #d0d7de;
  border-radius: 6px 6px 0 0; color: #59636e; }
.comment > header b { color: #1f2328; }
.body { padding: 16px; }
h1 { font-size: 1.6em; border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; margin-top: 0; }
h2 { font-size: 1.3em; border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; }
table { border-collapse: collapse; margin: 0 0 16px; display: block; overflow: auto; }
th, td { border: 1px solid #d1d9e0; padding: 6px 13px; }
tr:nth-child(2n) { background: #f6f8fa; }
code { background: #eff1f3; border-radius: 6px; padding: .2em .4em; font-size: 85%; }
details summary { cursor: pointer; }
"""


def comment_page(markdown: str) -> str:
    """The Markdown as a pull-request comment's HTML."""
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)
    return (
        f"<!doctype html><meta charset=utf-8><style>{COMMENT_CSS}</style>"
        '<div class="comment"><header><b>github-actions</b> bot commented</header>'
        f'<div class="body">{body}</div></div>'
    )


def diff_comment(browser: object) -> None:
    golden = DOCS.parent / "tests" / "golden" / "diff" / "reviewed.md"
    with tempfile.TemporaryDirectory() as folder:
        page_file = Path(folder) / "comment.html"
        page_file.write_text(comment_page(golden.read_text(encoding="utf-8")), encoding="utf-8")
        page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
        page.goto(page_file.as_uri())
        shoot(page, "diff-pull-request.png", 1400)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        html = Path(folder) / "map.html"
        subprocess.run(
            [sys.executable, "-m", "cascade", "map", "plans", "-o", html, *AS_OF, "--quiet"],
            check=False,
        )
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            light = browser.new_page(color_scheme="light", viewport={"width": 1280, "height": 900})
            light.goto(html.as_uri())
            light.click("#g-SALES-1 .twisty")
            light.click("#g-KA-1 .twisty")
            shoot(light, "map-cascade.png", 1500)

            dark = browser.new_page(color_scheme="dark", viewport={"width": 1280, "height": 900})
            dark.goto(html.as_uri())
            dark.click("#g-SALES-2 .twisty")
            dark.click("#g-IS-2 .head")
            dark.locator("#g-SALES-2").evaluate("e => e.scrollIntoView({block: 'start'})")
            dark.evaluate("window.scrollBy(0, -70)")
            shoot(dark, "map-details-dark.png", 1000)

            light.click("#tab-perspectives")
            light.locator("#view-perspectives").evaluate("e => e.scrollIntoView()")
            light.evaluate("window.scrollBy(0, -70)")
            shoot(light, "map-perspectives.png", 1000)

            diff_comment(browser)

            light.click("#tab-matrix")
            light.select_option("#f-state", "on-track")
            light.fill("#q", "enterprise")
            light.set_viewport_size({"width": 1280, "height": 1000})
            light.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            shoot(light, "map-matrix.png", 1000)
            browser.close()


if __name__ == "__main__":
    main()
