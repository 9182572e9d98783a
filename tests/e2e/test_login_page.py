"""Smoke test: the production build serves a usable login page."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.e2e


def test_root_redirects_to_login(page: Page, base_url: str) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(re.escape(base_url) + r"/login/?$"), timeout=15_000)


def test_login_page_renders(page: Page, screenshots_dir: Path) -> None:
    page.goto("/login")
    expect(page).to_have_title(re.compile("Venture Command Center"))
    expect(page.get_by_role("heading", name="Venture Command Center")).to_be_visible()
    for element_id in ("login-email", "login-password", "login-submit", "login-code-toggle"):
        expect(page.locator(f"#{element_id}")).to_be_visible()
    expect(page.locator("#login-email")).to_have_attribute("type", "email")
    expect(page.locator("#login-password")).to_have_attribute("type", "password")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(screenshots_dir / "login.png"), full_page=True)


def test_login_page_dark_mode(browser: Browser, base_url: str, screenshots_dir: Path) -> None:
    context = browser.new_context(base_url=base_url, color_scheme="dark")
    try:
        page = context.new_page()
        page.goto("/login")
        expect(page.locator("#login-submit")).to_be_visible()
        expect(page.locator(".radix-themes.dark").first).to_be_attached()
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(screenshots_dir / "login-dark.png"), full_page=True)
    finally:
        context.close()


def test_code_toggle_round_trips_through_the_backend(page: Page) -> None:
    # Proves the websocket event path works in the prod build (state lives on the server).
    page.goto("/login")
    expect(page.locator("#login-password")).to_be_visible()
    page.locator("#login-code-toggle").click()
    expect(page.locator("#login-password")).to_have_count(0)
    expect(page.locator("#login-submit")).to_have_text("Email me a code")
    page.locator("#login-code-toggle").click()
    expect(page.locator("#login-password")).to_be_visible()
