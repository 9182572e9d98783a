"""The shell at work: personal quick links that persist, act-as with its banner, the venture
filter, the command palette, creating a user with field errors, the theme toggle, times in the
viewer's timezone, CSV export."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from urllib.parse import unquote

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import (
    TIMEOUT,
    expect_sections,
    expected_for,
    login,
    wait_ready,
)

pytestmark = pytest.mark.e2e


def test_a_personal_quick_link_added_in_the_ui_survives_a_reload(page: Page) -> None:
    label = f"Rate sheet {uuid.uuid4().hex[:6]}"
    login(page, "csr.afl@vcc.example")
    personal = page.locator("#ql-group-personal")
    personal.locator(".ql-add").click()
    dialog = page.locator("#ql-dialog")
    expect(dialog).to_be_visible()
    page.locator("#ql-label").fill(label)
    page.locator("#ql-url").fill("not a url")
    page.locator("#ql-save").click()
    expect(page.locator("#ql-url-error")).to_contain_text("http", timeout=TIMEOUT)
    page.locator("#ql-url").fill("https://rates.example/sheet")
    page.locator("#ql-save").click()
    expect(dialog).to_have_count(0, timeout=TIMEOUT)
    row = personal.locator(f".ql-row[data-label='{label}']")
    expect(row).to_be_visible(timeout=TIMEOUT)
    # move it above the seeded link, then reload: it is still there, first
    row.locator(".ql-up").click()
    expect(personal.locator(".ql-row").first).to_have_attribute("data-label", label)
    page.reload()
    wait_ready(page)
    expect(personal.locator(".ql-row").first).to_have_attribute(
        "data-label", label, timeout=TIMEOUT
    )
    expect(personal.locator(f".ql-row[data-label='{label}'] .ql-link")).to_have_attribute(
        "href", "https://rates.example/sheet"
    )
    # remove it again (confirmation names what happens)
    personal.locator(f".ql-row[data-label='{label}'] .ql-remove").click()
    page.locator(".ql-remove-confirm").click()
    expect(personal.locator(f".ql-row[data-label='{label}']")).to_have_count(0, timeout=TIMEOUT)


def test_act_as_shows_the_banner_and_the_other_users_sections(
    page: Page, e2e_database_url: str
) -> None:
    target = "manager.hotels@vcc.example"
    expected = expected_for(e2e_database_url, target).sections
    login(page, "admin@vcc.example")
    page.goto("/admin/users")
    page.locator("#users-search").fill("manager.hotels")
    page.locator("#users-apply").click()
    row = page.locator(f"#users-table .user-row[data-email='{target}']")
    expect(row).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#users-table .user-row")).to_have_count(1, timeout=TIMEOUT)
    row.locator(".user-more").click()
    page.locator(".user-act-as").click()
    expect(page.locator("#user-confirm")).to_contain_text("audit log")
    page.locator("#user-confirm-confirm").click()
    banner = page.locator("#impersonation-banner")
    expect(banner).to_be_visible(timeout=TIMEOUT)
    expect(banner).to_contain_text("Grace Kim")
    expect(banner).to_contain_text("Arjun Mehta")
    wait_ready(page)
    expect_sections(page, expected)
    page.goto("/admin/users")
    expect(page.locator("#forbidden")).to_be_visible(timeout=TIMEOUT)
    page.locator("#stop-acting").click()
    expect(banner).to_have_count(0, timeout=TIMEOUT)
    expect(page).to_have_url(re.compile(r"/admin/users"), timeout=TIMEOUT)
    expect(page.locator("#users-table")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#sidebar .nav-section[data-section='admin']")).to_be_attached(
        timeout=TIMEOUT
    )


def test_the_venture_filter_narrows_lists_and_persists(page: Page) -> None:
    login(page, "dispatch.rtr@vcc.example")
    cards = page.locator("#my-ventures .venture-card")
    expect(cards).to_have_count(2, timeout=TIMEOUT)
    page.locator("#venture-filter").click()
    page.get_by_role("option", name="Redtail Transport").click()
    expect(cards).to_have_count(1, timeout=TIMEOUT)
    expect(page.locator("#quick-links .ql-group[data-kind='venture']")).to_have_count(1)
    page.goto("/ventures")
    expect(page.locator("#ventures-table .venture-row")).to_have_count(1, timeout=TIMEOUT)
    page.reload()
    expect(page.locator("#ventures-table .venture-row")).to_have_count(1, timeout=TIMEOUT)
    expect(page.locator("#venture-filter")).to_contain_text("Redtail Transport")
    page.locator("#venture-filter").click()
    page.get_by_role("option", name="All my ventures").click()
    expect(page.locator("#ventures-table .venture-row")).to_have_count(2, timeout=TIMEOUT)


def test_command_palette_jumps_to_a_page(page: Page) -> None:
    login(page, "coo@vcc.example")
    # The shortcut clicks the header's search button, which renders once the shell has loaded.
    expect(page.locator("#palette-button")).to_be_visible(timeout=TIMEOUT)
    page.keyboard.press("Control+k")
    palette = page.locator("#palette")
    expect(palette).to_be_visible(timeout=TIMEOUT)
    page.locator("#palette-input").fill("audit")
    item = palette.locator(".palette-item", has_text="Audit log")
    expect(item).to_be_visible(timeout=TIMEOUT)
    item.click()
    expect(page).to_have_url(re.compile(r"/audit/?$"), timeout=TIMEOUT)
    expect(page.locator("#audit-table")).to_be_visible(timeout=TIMEOUT)


def test_admin_creates_a_user_with_field_errors_then_success(page: Page) -> None:
    email = f"new.hire.{uuid.uuid4().hex[:6]}@vcc.example"
    login(page, "hr@vcc.example")
    page.goto("/admin/users")
    page.locator("#user-new").click()
    dialog = page.locator("#user-dialog")
    expect(dialog).to_be_visible(timeout=TIMEOUT)
    page.locator("#user-email").fill("not-an-email")
    page.locator("#user-save").click()
    expect(page.locator("#user-email-error")).to_have_text(
        "Email is not an email address", timeout=TIMEOUT
    )
    expect(page.locator("#user-name-error")).to_have_text("Name is required")
    expect(page.locator("#user-form-errors")).to_be_visible()
    page.locator("#user-email").fill(email)
    page.locator("#user-name").fill("Nina Hire")
    page.locator("#user-ventures label", has_text="(PBP)").click()
    page.locator("#user-save").click()
    expect(dialog).to_have_count(0, timeout=TIMEOUT)
    expect(page.get_by_text(f"Nina Hire can now sign in as {email}.")).to_be_visible()
    row = page.locator(f"#users-table .user-row[data-email='{email}']")
    expect(row).to_be_visible(timeout=TIMEOUT)
    expect(row).to_contain_text("PBP")
    expect(row.locator(".user-role")).to_have_text("Employee")


def test_theme_toggle_switches_light_and_dark(page: Page) -> None:
    login(page, "accounting@vcc.example")
    root = page.locator(".radix-themes").first
    was_dark = "dark" in (root.get_attribute("class") or "")
    page.locator("#user-menu").click()
    page.locator("#menu-theme").click()
    if was_dark:
        expect(page.locator(".radix-themes.dark")).to_have_count(0, timeout=TIMEOUT)
    else:
        expect(page.locator(".radix-themes.dark").first).to_be_attached(timeout=TIMEOUT)


def test_the_sidebar_collapses_to_icons_and_back(page: Page) -> None:
    login(page, "accounting@vcc.example")
    sidebar = page.locator("#sidebar")
    label = page.locator("#nav-ventures", has_text="Ventures")
    expect(label).to_be_visible()
    page.locator("#sidebar-toggle").click()
    expect(label).to_have_count(0, timeout=TIMEOUT)
    # The width animates (0.15 s): wait for the collapsed value rather than sample mid-way.
    expect(sidebar).to_have_css("width", "64px", timeout=TIMEOUT)
    page.reload()  # the choice is kept in the browser
    wait_ready(page)
    expect(page.locator("#nav-ventures")).to_be_visible()
    expect(sidebar).to_have_css("width", "64px", timeout=TIMEOUT)
    page.locator("#sidebar-toggle").click()
    expect(label).to_be_visible(timeout=TIMEOUT)


def test_times_are_shown_in_the_browsers_timezone(browser: Browser, base_url: str) -> None:
    # A viewer in Kolkata: the page head tells the server the zone; times come back in IST while
    # the audit date filter stays on the group's business dates.
    context = browser.new_context(base_url=base_url, timezone_id="Asia/Kolkata")
    try:
        page = context.new_page()
        login(page, "auditor@vcc.example")
        tz = next(c["value"] for c in context.cookies() if c["name"] == "vcc_tz")
        assert unquote(tz) in ("Asia/Kolkata", "Asia/Calcutta")  # Chromium's ICU uses the old name
        page.goto("/audit")
        wait_ready(page)
        first_time = page.locator("#audit-table .audit-row").first.locator("td").first
        expect(first_time).to_have_text(re.compile(r"\d{2}:\d{2} IST$"), timeout=TIMEOUT)
        expect(page.locator("#audit-filters")).to_contain_text("your timezone (IST)")

        # Export CSV hands the browser a file of what the filters match, times in UTC.
        with page.expect_download(timeout=TIMEOUT) as download:
            page.locator("#audit-export").click()
        assert re.fullmatch(r"audit-\d{4}-\d{2}-\d{2}\.csv", download.value.suggested_filename)
        text = Path(download.value.path()).read_text(encoding="utf-8")
        lines = text.splitlines()
        assert lines[0].startswith("Time (UTC),Action,Description") and len(lines) > 1
        expect(page.get_by_text(re.compile(r"Exported [\d,]+ audit entries"))).to_be_visible(
            timeout=TIMEOUT
        )
    finally:
        context.close()


def test_the_errors_page_opens_for_an_admin(page: Page) -> None:
    login(page, "admin@vcc.example")
    page.goto("/admin/errors")
    wait_ready(page)
    expect(page.locator("#errors-empty, #errors-table").first).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#sidebar")).to_contain_text("Errors")
