"""Screenshots for review (test-artifacts/screenshots/, ignored by git): My Day and the admin
users page for two roles, light and dark, plus a few other pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.helpers import TIMEOUT, login, wait_ready

pytestmark = pytest.mark.e2e

VIEWPORT = {"width": 1440, "height": 900}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    ("role", "email", "pages"),
    [
        (
            "ceo",
            "ceo@vcc.example",
            ["/", "/admin/users", "/audit", "/admin/ventures", "/admin/quick-links", "/profile"],
        ),
        ("hr", "hr@vcc.example", ["/", "/admin/users"]),
        ("csr", "csr.afl@vcc.example", ["/", "/ventures", "/freight", "/ventures/1"]),
    ],
)
def test_screenshots(
    browser: Browser,
    base_url: str,
    screenshots_dir: Path,
    role: str,
    email: str,
    pages: list[str],
    scheme: str,
) -> None:
    context = browser.new_context(base_url=base_url, color_scheme=scheme, viewport=VIEWPORT)
    try:
        page = context.new_page()
        login(page, email)
        for path in pages:
            page.goto(path)
            wait_ready(page)
            expect(page.locator("#forbidden")).to_have_count(0)
            page.wait_for_load_state("networkidle")
            body = page.locator("body").inner_text()
            for bad in (r"\bNone\b", r"\bundefined\b", r"\bnull\b", r"\[object ", r"\{['\"]"):
                assert not re.search(bad, body), f"{bad!r} on {path} for {role}"
            name = "my-day" if path == "/" else path.strip("/").replace("/", "-")
            page.screenshot(
                path=str(screenshots_dir / f"{name}-{role}-{scheme}.png"), full_page=True
            )
        expect(page.locator("#page-title")).to_be_visible(timeout=TIMEOUT)
    finally:
        context.close()
