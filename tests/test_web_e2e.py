"""End to end in headless Chromium: ingest, `claimledger serve` on loopback, then read the ledger as a user would.

Opens the claims list, searches for the seed's central claim, follows it to its page (stance matrix,
timeline), follows a statement into its article (highlighted attributions), checks keyboard use
and a phone-sized screen. The screenshots go to a temporary folder; with
CLAIMLEDGER_SCREENSHOTS=1 they replace the ones the README shows (bench/screens/).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from shared_data import shared_path
from web_fixtures import browser, ingested_store, running_server, seed_claims

SCREENS = (
    Path(__file__).resolve().parent.parent / "bench" / "screens"
    if os.environ.get("CLAIMLEDGER_SCREENSHOTS") == "1"
    else Path(tempfile.mkdtemp(prefix="claimledger-screens-"))
)
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def server():
    with running_server(ingested_store()) as base:
        yield base


@pytest.fixture(scope="module")
def chromium():
    with browser() as b:
        yield b


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_seed_claim_from_list_to_claim_to_article(server, chromium):
    shared_path("seed", "iran-f4-airstrikes.txt")
    central = seed_claims()[0]
    SCREENS.mkdir(parents=True, exist_ok=True)
    page = chromium.new_page(viewport=DESKTOP)
    dialogs, console_errors = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)

    # the claims list
    page.goto(server + "/claims")
    assert page.locator("table.claims tbody tr").count() >= 9
    assert page.locator("table.claims .status").first.inner_text().strip() != ""
    page.screenshot(path=str(SCREENS / "claims.png"), full_page=True)

    # search for the seed's central claim and open it
    page.fill("#q", "Islamic State targets in eastern Iraq")
    page.press("#q", "Enter")
    page.wait_for_url("**/claims?q=*")
    link = page.get_by_role("link", name=central)
    assert link.count() == 1
    link.click()
    page.wait_for_url("**/claims/*")
    assert page.locator("h1").inner_text() == central

    # stance matrix: sources in rows, grouped, with supports and denies
    matrix = page.locator("table.matrix")
    assert matrix.is_visible()
    assert matrix.locator("th[scope=rowgroup]").count() >= 2
    rows = matrix.locator("tbody th[scope=row]")
    assert rows.count() >= 3
    side_badges = matrix.locator(".badge.stance").all_inner_texts()
    assert any("supports" in b for b in side_badges) and any("denies" in b for b in side_badges)
    # timeline: lanes and a mark per dated statement, each a link
    timeline = page.locator("svg.timeline-svg")
    assert timeline.is_visible()
    assert timeline.locator("text.lane-label").all_text_contents() == ["▲ Supports", "▼ Denies", "◆ Neutral"]
    marks = timeline.locator("a.point")
    assert marks.count() >= 3
    assert page.locator("#conflicts li.conflict").count() >= 1
    page.screenshot(path=str(SCREENS / "claim.png"), full_page=True)

    # follow a denial into its article
    denial = page.locator("li.statement.st-deny").first
    href = denial.locator("a", has_text="In context").get_attribute("href")
    denial.locator("a", has_text="In context").click()
    page.wait_for_url("**/articles/*")
    anchor = href.split("#", 1)[1]
    assert page.evaluate("() => location.hash") == "#" + anchor
    assert page.locator(f"span#{anchor}").count() == 1
    assert page.locator(f"span#{anchor} + mark.m-content").count() == 1
    text = page.locator("article.article-text")
    assert text.locator("mark.m-source").count() >= 5
    assert text.locator("mark.m-cue").count() >= 5
    assert text.locator("mark.m-content").count() >= 5
    assert text.locator("mark.m-content.st-deny").count() >= 1
    labels = text.locator(".stance-label").all_inner_texts()
    assert any("denies" in label for label in labels) and any("supports" in label for label in labels)
    assert page.locator("aside.side ul.sources li").count() >= 4
    page.screenshot(path=str(SCREENS / "article-linked.png"), full_page=False)  # scrolled to the statement
    page.goto(page.url.split("#")[0])
    page.screenshot(path=str(SCREENS / "article.png"), full_page=False)
    assert dialogs == []
    assert console_errors == []  # no Content-Security-Policy violation, no missing resource


def test_cross_article_claim_on_desktop_and_phone(server, chromium):
    SCREENS.mkdir(parents=True, exist_ok=True)
    page = chromium.new_page(viewport=DESKTOP)
    page.goto(server + "/claims?q=Selna+dam+was+deliberately")
    page.locator("table.claims tbody a").first.click()
    page.wait_for_url("**/claims/*")
    ticks = page.locator("svg.timeline-svg text.tick-label").all_text_contents()
    assert ticks[0] == "2026-06-04" and ticks[-1] == "2026-06-12"
    assert page.locator("svg.timeline-svg a.point").count() >= 5
    page.screenshot(path=str(SCREENS / "claim-across-articles.png"), full_page=True)
    claim_url = page.url

    phone = chromium.new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    phone.goto(claim_url)
    assert no_horizontal_scroll(phone)
    assert phone.locator("table.matrix").is_visible() and phone.locator("svg.timeline-svg").is_visible()
    assert phone.evaluate("() => { const w = document.querySelector('#matrix .table-wrap');"
                          " return w.scrollWidth <= w.clientWidth + 1; }")  # the matrix fits without sideways scrolling
    phone.screenshot(path=str(SCREENS / "claim-phone.png"), full_page=False)
    article = phone.locator("li.statement a", has_text="In context").first.get_attribute("href").split("#")[0]
    phone.goto(server + article)
    assert no_horizontal_scroll(phone)
    box_text = phone.locator("article.article-text").bounding_box()
    box_side = phone.locator("aside.side").bounding_box()
    assert box_side["y"] > box_text["y"]  # the side panel goes below the text on a phone


def test_keyboard_navigation(server, chromium):
    page = chromium.new_page(viewport=DESKTOP)
    page.goto(server + "/claims")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main"
    # tabbing reaches the search box, then the claim links, and Enter opens a claim
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "q":
            break
    assert page.evaluate("() => document.activeElement.id") == "q"
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("() => /\\/claims\\/\\d+$/.test(document.activeElement.getAttribute('href') || '')"):
            break
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # a visible focus ring
    page.keyboard.press("Enter")
    page.wait_for_url("**/claims/*")
    # the timeline's marks are links, so they are in the tab order too
    page.focus("svg.timeline-svg a.point")
    page.keyboard.press("Enter")
    page.wait_for_url("**/articles/*#a*")
