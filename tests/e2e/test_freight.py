"""Freight end to end in Chromium against the production build: create a load, cover it with a
carrier, deliver it and see it on the dashboard numbers; mark another load lost and see it on
the firefront of My Day. Plus screenshots of the freight pages, light and dark, for review."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import TIMEOUT, login, wait_ready

pytestmark = pytest.mark.e2e

MANAGER = "manager.afl@vcc.example"  # office manager of AFL: every freight page
VIEWPORT = {"width": 1440, "height": 900}
BAD_TEXT = (r"\bNone\b", r"\bundefined\b", r"\bnull\b", r"\[object ", r"\{['\"]", r"\bNaN\b")


def _headline(page: Page, metric: str) -> str:
    card = page.locator(f".headline-card[data-metric='{metric}'] .headline-value")
    expect(card).to_be_visible(timeout=TIMEOUT)
    return card.inner_text().strip()


def _count(text: str) -> int:
    return int(text.replace(",", ""))


def _money(text: str) -> float:
    return float(text.replace("$", "").replace(",", ""))


def _open_dashboard(page: Page) -> tuple[int, float]:
    page.goto("/freight/dashboard")
    wait_ready(page)
    expect(page.locator("#dash-headlines")).to_be_visible(timeout=TIMEOUT)
    # The last 7 days: today's delivery counts in it whatever the demo's history.
    page.locator("#dash-preset-7").click()
    expect(page.locator("#dash-period")).to_contain_text("(7 days)", timeout=TIMEOUT)
    return _count(_headline(page, "loads_delivered")), _money(_headline(page, "revenue"))


def _choose(page: Page, trigger: str, option: str | None = None) -> None:
    """Pick ``option`` (or the first one) in the Radix select whose trigger is ``trigger``."""
    page.locator(trigger).click()
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible(timeout=TIMEOUT)
    if option is None:
        listbox.get_by_role("option").first.click()
    else:
        listbox.get_by_role("option", name=option, exact=True).click()
    expect(listbox).to_have_count(0)


def _transition(page: Page, status: str) -> None:
    page.locator(f"#transition-{status}").click()
    expect(page.locator("#transition-dialog")).to_be_visible(timeout=TIMEOUT)


def test_create_cover_deliver_and_see_it_on_the_dashboard(page: Page) -> None:
    login(page, MANAGER)
    delivered_before, revenue_before = _open_dashboard(page)

    page.goto("/freight/loads")
    wait_ready(page)
    expect(page.locator("#loads-table")).to_be_visible(timeout=TIMEOUT)
    page.locator("#load-new").click()
    expect(page.locator("#load-form")).to_be_visible(timeout=TIMEOUT)
    # An empty submit shows the errors under the fields and a summary at the top.
    page.locator("#load-save").click()
    expect(page.locator("#load-form-errors")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#load-pickup-city-error")).to_have_text("Pickup city is required")
    _choose(page, "#load-customer-id")
    _choose(page, "#load-office-id", "Newark Desk")
    page.locator("#load-pickup-city").fill("Newark")
    _choose(page, "#load-pickup-state", "NJ")
    page.locator("#load-drop-city").fill("Chicago")
    _choose(page, "#load-drop-state", "IL")
    page.locator("#load-miles").fill("790")
    page.locator("#load-bill-amount").fill("4,321.00")
    page.locator("#load-save").click()

    expect(page).to_have_url(re.compile(r"/freight/loads/\d+$"), timeout=TIMEOUT)
    expect(page.locator("#load-detail")).to_be_visible(timeout=TIMEOUT)
    reference = page.locator("#load-reference").inner_text().strip()
    assert reference.startswith("AFL-")
    expect(page.locator("#load-bill")).to_have_text("$4,321.00")
    buttons = page.locator("#load-actions .transition-button")
    expect(buttons).to_have_count(3)
    assert [b.strip() for b in buttons.all_inner_texts()] == ["Working", "Dormant", "Mark lost…"]

    _transition(page, "WORKING")
    page.locator("#transition-confirm").click()
    expect(page.locator("#load-badge")).to_have_text("Working", timeout=TIMEOUT)

    _transition(page, "COVERED")
    _choose(page, "#cover-carrier")
    page.locator("#cover-cost").fill("3,500")
    page.locator("#transition-confirm").click()
    expect(page.locator("#load-badge")).to_have_text("Covered", timeout=TIMEOUT)
    expect(page.locator("#load-carrier")).not_to_have_text("No carrier yet")
    expect(page.locator("#load-margin")).to_have_text("$821.00")

    _transition(page, "DELIVERED")
    expect(page.locator("#transition-dialog")).to_contain_text("billed")
    page.locator("#transition-confirm").click()
    expect(page.locator("#load-badge")).to_have_text("Delivered", timeout=TIMEOUT)
    expect(page.locator("#load-actions .transition-button")).to_have_count(0)
    expect(page.locator("#load-timeline .timeline-event")).to_have_count(4)

    delivered_after, revenue_after = _open_dashboard(page)
    assert delivered_after == delivered_before + 1
    assert round(revenue_after - revenue_before, 2) == 4321.00
    # Today's row of the table the charts come from, and the chart's tooltip with exact values.
    today = page.locator("#kpi-table .kpi-row").first
    expect(today).to_contain_text("$")
    chart = page.locator("#chart-money .recharts-wrapper").first
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.6, steps=10)
    tooltip = page.locator("#chart-money .recharts-tooltip-wrapper")
    expect(tooltip).to_contain_text("Revenue", timeout=TIMEOUT)
    expect(tooltip).to_contain_text(re.compile(r"\$[\d,]+\.\d\d"))


def test_mark_a_load_lost_and_see_it_on_the_firefront(page: Page) -> None:
    login(page, MANAGER)
    page.goto("/freight/loads?status=OPEN")
    wait_ready(page)
    first = page.locator("#loads-table .load-row[data-status='OPEN'] .load-link").first
    expect(first).to_be_visible(timeout=TIMEOUT)
    reference = first.inner_text().strip()
    first.click()
    expect(page.locator("#load-reference")).to_have_text(reference, timeout=TIMEOUT)

    _transition(page, "LOST")
    dialog = page.locator("#transition-dialog")
    expect(dialog).to_contain_text(f"Mark {reference} lost?")
    page.locator("#transition-confirm").click()  # no reason: refused, said under the field
    expect(page.locator("#lost-reason-error")).to_contain_text("Reason is required")
    _choose(page, "#lost-reason", "No capacity")
    page.locator("#transition-note").fill("No trucks on the lane this week")
    page.locator("#transition-confirm").click()
    expect(page.locator("#load-badge")).to_have_text("Lost", timeout=TIMEOUT)
    expect(page.locator("#load-lost-reason")).to_have_text("No capacity")

    page.goto("/")
    wait_ready(page)
    fire = page.locator("#firefront .fire", has_text=f"Load {reference} lost")
    expect(fire).to_be_visible(timeout=TIMEOUT)
    expect(fire).to_contain_text("no capacity")
    fire.locator(".fire-title").click()
    expect(page).to_have_url(re.compile(r"/freight/loads/\d+$"), timeout=TIMEOUT)
    expect(page.locator("#load-reference")).to_have_text(reference, timeout=TIMEOUT)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_freight_screenshots(
    browser: Browser, base_url: str, screenshots_dir: Path, scheme: str
) -> None:
    context = browser.new_context(base_url=base_url, color_scheme=scheme, viewport=VIEWPORT)
    try:
        page = context.new_page()
        login(page, MANAGER)
        page.goto("/freight/loads")
        wait_ready(page)
        detail = page.locator("#loads-table .load-row[data-status='COVERED'] .load-link").first
        href = detail.get_attribute("href")
        pages = [
            ("/freight/loads", "freight-loads", "#loads-table"),
            (href, "freight-load", "#load-detail"),
            ("/freight/dashboard", "freight-dashboard", "#chart-loads .recharts-surface"),
            ("/", "my-day-firefront", "#firefront"),
            ("/freight/quotes", "freight-quotes", "#quotes-table"),
            ("/freight/carriers", "freight-carriers", "#carriers-table"),
            ("/freight/outreach", "freight-outreach", "#outreach-table"),
            ("/freight/loads/new", "freight-load-new", "#load-form"),
        ]
        for path, name, ready in pages:
            assert path
            page.goto(path)
            wait_ready(page)
            expect(page.locator("#forbidden")).to_have_count(0)
            expect(page.locator(ready).first).to_be_visible(timeout=TIMEOUT)
            page.wait_for_load_state("networkidle")
            body = page.locator("body").inner_text()
            for bad in BAD_TEXT:
                assert not re.search(bad, body), f"{bad!r} on {path}"
            page.screenshot(path=str(screenshots_dir / f"{name}-{scheme}.png"), full_page=True)
        # The dialogs of a load that still needs a carrier: cover, mark lost, find carriers.
        page.goto("/freight/loads?status=WORKING")
        wait_ready(page)
        page.locator("#loads-table .load-row[data-status='WORKING'] .load-link").first.click()
        expect(page.locator("#load-badge")).to_have_text("Working", timeout=TIMEOUT)
        for trigger, dialog, name in (
            ("#transition-COVERED", "#transition-dialog", "freight-cover-dialog"),
            ("#transition-LOST", "#transition-dialog", "freight-lost-dialog"),
            ("#load-outreach", "#send-dialog", "freight-send-dialog"),
        ):
            page.locator(trigger).click()
            expect(page.locator(dialog)).to_be_visible(timeout=TIMEOUT)
            page.wait_for_timeout(300)  # the dialog's open animation
            page.screenshot(path=str(screenshots_dir / f"{name}-{scheme}.png"))
            page.keyboard.press("Escape")
            expect(page.locator(dialog)).to_have_count(0, timeout=TIMEOUT)
    finally:
        context.close()
