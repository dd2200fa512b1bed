"""Take the README's screenshots of the HTML map of the bundled plan with headless Chromium.

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

            light.click("#tab-matrix")
            light.select_option("#f-state", "on-track")
            light.fill("#q", "enterprise")
            light.set_viewport_size({"width": 1280, "height": 1000})
            light.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            shoot(light, "map-matrix.png", 1000)
            browser.close()


if __name__ == "__main__":
    main()
