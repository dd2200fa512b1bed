"""The HTML map in a real browser (Debian's Chromium, driven by Playwright): it opens from
file:// without errors or network, folds and unfolds, searches, filters, switches views,
works from the keyboard, reads in both colour schemes, prints, and runs no plan text; a big
plan's packed page unpacks, draws what is opened, pages long lists and searches."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from maphelp import (
    AS_OF,
    BUNDLED,
    CHROMIUM,
    NODE_HOME,
    generated_plan,
    map_json,
    run,
    wide_plan,
    write,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does) for the browser tests",
        allow_module_level=True,
    )
if importlib.util.find_spec("playwright") is None:
    pytest.skip("the playwright package (test extra) is not installed", allow_module_level=True)

MERMAID_JS = NODE_HOME / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        # Playwright gives each launch a fresh, temporary user-data-dir.
        launched = driver.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def bundled_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("html") / "map.html"
    assert run("map", BUNDLED, "-o", target, "--as-of", AS_OF).code in (0, 1)
    return target


class Watched:
    """A page with everything that went wrong on it recorded."""

    def __init__(self, browser: Browser, scheme: str = "light") -> None:
        self.context = browser.new_context(
            viewport={"width": 1280, "height": 900}, color_scheme=scheme
        )
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.context.route(re.compile(r"^(?!file:|data:|about:).*"), self._block)
        self.page: Page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("dialog", self._dialog)

    def _block(self, route: Any) -> None:
        self.requests.append(route.request.url)
        route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: Path) -> Page:
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")
        return self.page

    def close(self) -> None:
        assert self.errors == [], self.errors
        assert self.requests == [], f"the map reached for the network: {self.requests}"
        assert self.dialogs == []
        self.context.close()


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    session = Watched(browser)
    yield session
    session.close()


def visible(page: Page, goal: str) -> bool:
    return bool(page.locator(f"#g-{goal}").is_visible())


def test_opens_from_file_without_errors(watched: Watched, bundled_page: Path) -> None:
    page = watched.open(bundled_page)
    assert page.title() == "Northwind Supply — strategic map"
    assert page.evaluate("document.documentElement.className") == "js"
    # At first: the objectives and the goals right under them; deeper goals folded away.
    assert visible(page, "OBJ-1") and visible(page, "SALES-1")
    assert not visible(page, "KA-1")
    assert page.locator("#count").text_content() == "all 44 shown"
    assert not page.locator("#d-OBJ-1").is_visible()  # details start closed


def test_expand_and_collapse_a_branch(watched: Watched, bundled_page: Path) -> None:
    page = watched.open(bundled_page)
    twisty = page.locator("#g-SALES-1 .twisty")
    assert twisty.get_attribute("aria-expanded") == "false"
    twisty.click()
    assert twisty.get_attribute("aria-expanded") == "true"
    assert visible(page, "KA-1")
    twisty.click()
    assert not visible(page, "KA-1")
    page.click("#expand")
    assert visible(page, "KENJI-1") and visible(page, "CAROL-1")
    page.click("#collapse")
    assert not visible(page, "KENJI-1")


def test_details_show_kpis_with_sparklines(watched: Watched, bundled_page: Path) -> None:
    page = watched.open(bundled_page)
    head = page.locator("#g-OBJ-1 .head")
    head.click()
    assert head.get_attribute("aria-expanded") == "true"
    details = page.locator("#d-OBJ-1")
    assert details.is_visible()
    assert "Northeast market share" in details.inner_text()
    assert details.locator("svg.spark").first.is_visible()
    assert "A national distributor opens a fulfilment centre" in details.inner_text()


def test_search_narrows_the_tree_and_marks_the_words(watched: Watched, bundled_page: Path) -> None:
    page = watched.open(bundled_page)
    page.fill("#q", "quote turnaround")
    assert page.locator("#count").text_content() == "1 of 44 match"
    assert visible(page, "IS-2")
    assert visible(page, "SALES-2") and visible(page, "OBJ-3")  # the way down to it
    assert not visible(page, "OBJ-2") and not visible(page, "KA-1")
    assert page.locator("#g-IS-2 .title mark").all_text_contents() == ["quote", "turnaround"]
    path = page.locator("li[data-goal='SALES-2']").get_attribute("class") or ""
    assert "filter-context" in path
    page.fill("#q", "zzz nothing matches zzz")
    assert page.locator(".no-match").is_visible()
    page.press("#q", "Escape")
    assert page.input_value("#q") == ""
    assert visible(page, "OBJ-2")
    # Search reaches KPI names, owners and units too.
    page.fill("#q", "Chloé")
    assert visible(page, "CHLOE-1") and visible(page, "BRAND-2")


def test_filters_by_unit_owner_and_status(watched: Watched, bundled_page: Path) -> None:
    page = watched.open(bundled_page)
    page.select_option("#f-unit", "platform")
    assert page.locator("#count").text_content() == "4 of 44 match"
    for goal in ("PLAT-1", "PLAT-2", "KENJI-1", "LIN-1"):
        assert visible(page, goal), goal
    assert not visible(page, "NADIA-1")  # supports PLAT-1 but is not in the team
    page.select_option("#f-unit", "")
    page.select_option("#f-state", "off-track")
    assert page.locator("#count").text_content() == "1 of 44 match"
    assert visible(page, "IS-2") and not visible(page, "FLEET-1")
    page.select_option("#f-state", "")
    page.select_option("#f-owner", "kenji")
    assert visible(page, "PLAT-1") and visible(page, "KENJI-1") and not visible(page, "LIN-1")
    # Filters reach the other views too.
    page.click("#tab-perspectives")
    assert page.locator("#view-perspectives .chip[data-goal='KENJI-1']").is_visible()
    assert not page.locator("#view-perspectives .chip[data-goal='LIN-1']").is_visible()


def test_views_and_links_between_them(watched: Watched, bundled_page: Path) -> None:
    page = watched.open(bundled_page)
    assert page.locator("#view-tree").is_visible()
    assert not page.locator("#view-matrix").is_visible()
    page.click("#tab-matrix")
    assert page.locator("#view-matrix").is_visible() and not page.locator("#view-tree").is_visible()
    assert page.locator("#view-matrix td.empty-cell").count() >= 1
    page.click("#tab-perspectives")
    bands = page.locator("#view-perspectives .band h3").all_text_contents()
    assert [b.split()[0] for b in bands][:4] == ["Financial", "Customer", "Internal", "Learning"]
    # A goal in another view leads to its place in the cascade, unfolding the way.
    page.click("#view-perspectives .chip[data-goal='KENJI-1']")
    assert page.locator("#view-tree").is_visible()
    assert visible(page, "KENJI-1")
    assert page.evaluate("document.activeElement.closest('.card').id") == "g-KENJI-1"


def test_keyboard_alone_is_enough(watched: Watched, bundled_page: Path) -> None:
    page = watched.open(bundled_page)
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("deal size")
    assert visible(page, "SALES-1")
    page.keyboard.press("Escape")
    page.focus("#g-OBJ-1 .head")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('.card').id") == "g-EXEC-1"
    page.keyboard.press("ArrowRight")  # unfold EXEC-1
    assert visible(page, "FLEET-1")
    page.keyboard.press("ArrowRight")  # into its first supporter
    assert page.evaluate("document.activeElement.closest('.card').id") == "g-FLEET-1"
    page.keyboard.press("ArrowLeft")  # back up to the parent
    assert page.evaluate("document.activeElement.closest('.card').id") == "g-EXEC-1"
    page.keyboard.press("ArrowLeft")  # fold it
    assert not visible(page, "FLEET-1")
    page.keyboard.press("Enter")  # the details
    assert page.locator("#d-EXEC-1").is_visible()
    page.focus("#tab-tree")
    page.keyboard.press("ArrowRight")
    assert page.locator("#view-perspectives").is_visible()
    assert page.evaluate("document.activeElement.id") == "tab-perspectives"


def luminance(css: str) -> float:
    numbers = [float(n) for n in re.findall(r"[\d.]+", css)[:3]]

    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(n) for n in numbers)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_readable_in_both_colour_schemes(browser: Browser, bundled_page: Path, scheme: str) -> None:
    session = Watched(browser, scheme)
    page = session.open(bundled_page)
    style = (
        "(s) => { const c = getComputedStyle(document.querySelector(s));"
        " return [c.color, c.backgroundColor]; }"
    )
    text, _ = page.evaluate(style, "#g-OBJ-1 .title")
    _, card = page.evaluate(style, "#g-OBJ-1")
    _, body = page.evaluate(style, "body")
    muted, _ = page.evaluate(style, "#g-OBJ-1 .meta")
    assert (luminance(body) < 0.05) == (scheme == "dark")
    assert contrast(text, card) >= 7
    assert contrast(muted, card) >= 4.5
    # The theme button overrides the system's choice.
    page.click("#theme")
    flipped = page.evaluate(style, "body")[1]
    assert luminance(flipped) < 0.05  # auto -> dark
    session.close()


def test_print_shows_every_branch_without_controls(watched: Watched, bundled_page: Path) -> None:
    page = watched.open(bundled_page)
    assert not visible(page, "KENJI-1")
    page.emulate_media(media="print")
    assert visible(page, "KENJI-1")
    assert not page.locator(".toolbar").is_visible()
    assert page.locator("#view-matrix").is_visible()
    page.emulate_media(media="screen")
    assert not visible(page, "KENJI-1")


def test_hostile_plan_text_runs_nothing(watched: Watched, tmp_path: Path) -> None:
    evil = "</script><script>window.pwned=1;alert(1)</script><img src=x onerror=alert(2)>"
    plan = write(
        tmp_path / "plans",
        {
            "p.yaml": f"""
                organization: {{name: '{evil}', vision: '{evil}'}}
                objectives:
                  - id: OBJ-1
                    title: '{evil}'
                    kpis: [{{name: '{evil}', baseline: 0, target: 1, current: 1}}]
                    assumptions: ['{evil}']
            """
        },
    )
    target = tmp_path / "evil.html"
    assert run("map", plan, "-o", target).code == 0
    page = watched.open(target)
    assert page.evaluate("window.pwned") is None
    assert page.locator("h1").text_content() == evil
    assert page.locator("#g-OBJ-1 .title").text_content() == evil
    page.fill("#q", "script")  # highlighting builds text nodes, never HTML
    assert page.evaluate("window.pwned") is None
    assert page.locator("#g-OBJ-1 .title mark").count() == 3
    # The network guard of `watched` also proves that <img src=x> was never loaded.


@pytest.mark.skipif(
    not MERMAID_JS.is_file(),
    reason="the npm package mermaid is not installed (.ci/run installs it)",
)
def test_mermaid_draws_the_markdown_diagram(watched: Watched, tmp_path: Path) -> None:
    markdown = run("map", BUNDLED, "--as-of", AS_OF).stdout
    (diagram,) = re.findall(r"```mermaid\n(.*?)```", markdown, re.DOTALL)
    page_file = tmp_path / "mermaid.html"
    page_file.write_text("<!doctype html><meta charset=utf-8><body></body>", encoding="utf-8")
    page = watched.open(page_file)
    page.add_script_tag(path=str(MERMAID_JS))
    svg = page.evaluate(
        """async (text) => {
            mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
            const { svg } = await mermaid.render("map", text);
            document.body.innerHTML = svg;
            return {
                nodes: document.querySelectorAll("g.node").length,
                edges: document.querySelectorAll("path.flowchart-link").length,
                clusters: document.querySelectorAll("g.cluster").length,
                text: document.body.textContent,
            };
        }""",
        diagram,
    )
    assert svg["nodes"] == 45  # the vision and 44 goals
    assert svg["edges"] == len(re.findall(r" -\.?-?>", diagram))
    assert svg["clusters"] == 5  # one subgraph per department
    assert "Research & Development" in svg["text"]  # #amp; drawn as &


def test_without_javascript_everything_is_shown(browser: Browser, bundled_page: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(bundled_page.as_uri())
    assert page.evaluate("1") == 1  # evaluate still works; the page's own scripts do not run
    assert page.locator("html").get_attribute("class") == "no-js"
    assert visible(page, "KENJI-1")  # every branch unfolded
    assert page.locator("#d-OBJ-1").is_visible()  # details too
    assert page.locator("#view-matrix").is_visible()
    assert not page.locator(".toolbar").is_visible()  # controls that would do nothing
    context.close()


# ---- The packed page of a big plan (--html-layout compact on small plans, to stay quick) --


@pytest.fixture(scope="module")
def packed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("packed")
    plans = {
        "generated": generated_plan(folder / "gen", 60),
        "wide": wide_plan(folder / "wide", 130),
    }
    found: dict[str, Any] = {"view": map_json(plans["generated"])}
    for name, plan in plans.items():
        target = folder / f"{name}.html"
        result = run("map", plan, "-o", target, "--as-of", AS_OF, "--html-layout", "compact")
        assert result.code in (0, 1), result.stderr
        found[name] = target
    return found


def ready(watched: Watched, path: Path, hash: str = "") -> Page:
    watched.page.goto(path.as_uri() + hash)
    watched.page.wait_for_selector("html[data-map='ready']", timeout=20_000)
    return watched.page


def test_packed_map_draws_the_top_and_pages_long_lists(
    watched: Watched, packed: dict[str, Any]
) -> None:
    page = ready(watched, packed["wide"])
    assert page.locator("#count").text_content() == "all 132 shown"
    assert visible(page, "OBJ-1") and visible(page, "W-1") and visible(page, "W-100")
    assert page.locator("#g-W-101").count() == 0  # drawn a hundred at a time
    more = page.locator("#c-OBJ-1 > li.more button")
    assert more.text_content() == "Show 30 more (30 not shown)"
    more.click()
    assert visible(page, "W-130")
    assert page.locator("#c-OBJ-1 > li.more").count() == 0
    # The views and the colour scheme come from the script both pages share.
    page.click("#tab-matrix")
    assert page.locator("#view-matrix").is_visible() and not page.locator("#view-tree").is_visible()
    page.focus("#tab-matrix")
    page.keyboard.press("Home")
    assert page.locator("#view-tree").is_visible()
    page.click("#theme")
    assert page.evaluate("document.documentElement.getAttribute('data-theme')") == "dark"


def test_packed_map_expands_and_collapses(watched: Watched, packed: dict[str, Any]) -> None:
    page = ready(watched, packed["wide"])
    assert page.locator("#g-PIA-1").count() == 0  # below a folded branch: not drawn yet
    twisty = page.locator("#g-W-7 .twisty")
    assert twisty.get_attribute("aria-expanded") == "false"
    twisty.click()
    assert twisty.get_attribute("aria-expanded") == "true"
    assert visible(page, "PIA-1")
    twisty.click()
    assert not visible(page, "PIA-1")
    page.click("#g-OBJ-1 .twisty")
    assert not visible(page, "W-1")
    page.click("#collapse")  # back to the start: the objective open, the rest folded
    assert visible(page, "W-1") and page.locator("#g-PIA-1").count() == 0
    # The keyboard works as on the full page.
    page.focus("#g-W-7 .head")
    page.keyboard.press("ArrowRight")
    assert visible(page, "PIA-1")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.closest('.card').id") == "g-PIA-1"


def test_packed_map_search_finds_by_id_and_by_title_words(
    watched: Watched, packed: dict[str, Any]
) -> None:
    goals = packed["view"]["goals"]
    target = next(g for g in reversed(goals) if g["level"] == "individual")
    page = ready(watched, packed["generated"])
    page.fill("#q", target["id"])
    hit = page.locator(f"#hits a.hit[data-goal='{target['id']}']")
    hit.wait_for()
    assert page.locator("#count").text_content() == f"1 of {len(goals)} match"
    hit.click()  # the way down to it is drawn and opened
    assert visible(page, target["id"])
    assert page.evaluate("document.activeElement.closest('.card').id") == f"g-{target['id']}"
    # Title words: every goal whose text holds both words, as the full page counts them.
    words = target["title"].lower().split()[1:3]

    def text(goal: dict[str, Any]) -> str:
        parts = [goal["id"], goal["title"], goal["owner_name"] or "", goal["unit_name"] or ""]
        parts += [
            goal["description"] or "",
            *goal["tags"],
            *(i["title"] for i in goal["initiatives"]),
        ]
        parts += [k["name"] for k in goal["kpis"]] + [k["id"] for k in goal["kpis"]]
        return " ".join(parts).lower()

    expected = sum(1 for g in goals if all(w in text(g) for w in words))
    assert expected > 1
    page.fill("#q", " ".join(words))
    # The list follows the typing after a short pause: wait for this search's count.
    page.wait_for_function(
        "c => document.querySelector('#count').textContent === c",
        arg=f"{expected} of {len(goals)} match",
        timeout=5_000,
    )
    marks = page.locator(f"#hits a.hit[data-goal='{target['id']}'] .title mark")
    assert [m.lower() for m in marks.all_text_contents()] == words
    page.press("#q", "Escape")
    assert not page.locator("#hits").is_visible()


def test_packed_map_details_unpack_on_demand(watched: Watched, packed: dict[str, Any]) -> None:
    goal = next(g for g in packed["view"]["goals"] if g["level"] == "team" and g["kpis"])
    page = ready(watched, packed["generated"], f"#g-{goal['id']}")  # a link to a goal
    assert visible(page, goal["id"])
    page.click(f"#g-{goal['id']} .head")
    details = page.locator(f"#d-{goal['id']}")
    details.locator(".facts").wait_for()
    shown = details.inner_text()
    assert goal["kpis"][0]["name"] in shown and "Supports" in shown.title()
    parent = goal["parents"][0]["goal"]
    details.locator(f"a[data-goal='{parent}']").click()
    assert visible(page, parent)


def test_packed_map_runs_no_plan_text(watched: Watched, tmp_path: Path) -> None:
    evil = "</script><script>window.pwned=1</script><img src=x onerror=alert(2)>"
    plan = write(
        tmp_path / "plans",
        {"p.yaml": f"objectives:\n  - {{id: OBJ-1, title: '{evil}', description: '{evil}'}}\n"},
    )
    target = tmp_path / "evil.html"
    assert run("map", plan, "-o", target, "--html-layout", "compact").code == 0
    page = ready(watched, target)
    assert page.locator("#g-OBJ-1 .title").text_content() == evil
    page.click("#g-OBJ-1 .head")
    assert page.locator("#d-OBJ-1 .description").text_content() == evil
    page.fill("#q", "script")
    page.locator("#hits .hit mark").first.wait_for()
    assert page.evaluate("window.pwned") is None


def test_packed_map_without_javascript_says_what_it_needs(
    browser: Browser, packed: dict[str, Any]
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(packed["generated"].as_uri())
    assert "need JavaScript" in page.locator("#view-tree").inner_text()
    assert page.locator("#view-matrix").is_visible()  # the hero and the matrix are plain HTML
    context.close()


def test_packed_map_says_where_a_goal_on_a_loop_is_drawn(watched: Watched, tmp_path: Path) -> None:
    plan = write(
        tmp_path / "plans",
        {
            "p.yaml": """
                objectives:
                  - {id: OBJ-1, title: Grow}
                departments:
                  - id: d
                    goals:
                      - {id: M1, title: m1, supports: M2}
                      - {id: M2, title: m2, supports: M1}
                      - {id: A0, title: a0, supports: M1}
            """
        },
    )
    target = tmp_path / "loop.html"
    assert run("map", plan, "-o", target, "--html-layout", "compact").code == 1
    page = ready(watched, target, "#g-M2")  # the way down to M2 is drawn and opened
    twisty = page.locator("#g-M2 .twisty")
    if twisty.get_attribute("aria-expanded") == "false":
        twisty.click()
    assert page.locator("#g-A0").count() == 1 and page.locator("li.ref[data-ref='A0']").count() == 0
    reference = page.locator("li.ref[data-ref='M1'] .muted")
    assert reference.text_content() == (
        "also supports this; drawn among the goals that reach no objective"
    )
