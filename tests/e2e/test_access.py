"""Who sees what, in the real browser against the production build: sections and venture quick
links per role (compared with the domain), 403 for an out-of-scope venture, 404, lockout,
logout, the return to the wanted page, and the emailed-code sign-in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from domain.access.auth import BAD_CREDENTIALS
from tests.e2e.helpers import (
    TIMEOUT,
    expect_sections,
    expected_for,
    latest_code,
    login,
    wait_for_failed_attempts,
    wait_ready,
)

pytestmark = pytest.mark.e2e

ROLES = [
    "csr.afl@vcc.example",  # freight CSR
    "manager.hotels@vcc.example",  # hotel office manager
    "finance@vcc.example",  # FINANCE, all seven ventures assigned
    "ceo@vcc.example",
]


@pytest.mark.parametrize("email", ROLES)
def test_each_role_sees_exactly_its_sections_and_venture_links(
    page: Page, e2e_database_url: str, email: str
) -> None:
    expected = expected_for(e2e_database_url, email)
    login(page, email)
    wait_ready(page)
    expect_sections(page, expected.sections)
    groups = page.locator("#quick-links .ql-group[data-kind='venture']")
    expect(groups).to_have_count(len(expected.venture_links), timeout=TIMEOUT)
    shown: dict[str, list[str]] = {}
    for i in range(groups.count()):
        group = groups.nth(i)
        code = group.locator(".rt-Badge").first.inner_text().strip()
        shown[code] = [t.strip() for t in group.locator(".ql-link").all_inner_texts()]
    assert shown == expected.venture_links


def test_out_of_scope_venture_is_403_and_unknown_route_is_404(
    page: Page, base_url: str, e2e_database_url: str
) -> None:
    ids = expected_for(e2e_database_url, "csr.afl@vcc.example").venture_ids
    login(page, "csr.afl@vcc.example")
    page.goto(f"/ventures/{ids['HHG']}")
    expect(page.locator("#forbidden")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#forbidden-title")).to_have_text("You don't have access to this page")
    expect(page.locator("#venture-detail")).to_have_count(0)
    page.goto("/ventures/987654")
    expect(page.locator("#forbidden")).to_be_visible(timeout=TIMEOUT)
    page.goto(f"/ventures/{ids['AFL']}")
    expect(page.locator("#venture-detail")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#page-title")).to_have_text("Atlas Freight Logistics")
    page.goto("/admin/users")
    expect(page.locator("#forbidden")).to_be_visible(timeout=TIMEOUT)
    page.goto("/this-page-does-not-exist")
    expect(page.locator("#not-found")).to_be_visible(timeout=TIMEOUT)


def test_five_wrong_passwords_lock_the_account(
    page: Page, screenshots_dir: Path, e2e_database_url: str
) -> None:
    email = "carriers.afl@vcc.example"
    page.goto("/login")
    page.locator("#login-email").fill(email)
    notice = page.locator("#login-notice")
    for attempt in range(1, 6):
        page.locator("#login-password").fill(f"wrong-password-{attempt}")
        expect(page.locator("#login-submit")).to_be_enabled(timeout=TIMEOUT)
        page.locator("#login-submit").click()
        # Each attempt is answered before the next (the notice repeats the same text).
        wait_for_failed_attempts(e2e_database_url, email, attempt)
        expect(notice).to_have_text(BAD_CREDENTIALS, timeout=TIMEOUT)
    # Locked now, and the page says no more than for a wrong password (or an unknown address).
    expect(notice).to_have_attribute("data-kind", "error")
    page.screenshot(path=str(screenshots_dir / "login-locked.png"))
    # the right password is refused while locked, with the same words
    page.locator("#login-password").fill("vcc-demo-pass-2026")
    expect(page.locator("#login-submit")).to_be_enabled(timeout=TIMEOUT)
    page.locator("#login-submit").click()
    expect(page.locator("#login-submit")).to_be_enabled(timeout=TIMEOUT)
    expect(notice).to_have_text(BAD_CREDENTIALS, timeout=TIMEOUT)
    expect(page).to_have_url(re.compile(r"/login"))


def test_logout_ends_the_session(page: Page) -> None:
    login(page, "csr.mbr@vcc.example")
    page.goto("/ventures")
    expect(page.locator("#ventures-table")).to_be_visible(timeout=TIMEOUT)
    page.locator("#user-menu").click()
    page.locator("#menu-logout").click()
    expect(page).to_have_url(re.compile(r"/login/?$"), timeout=TIMEOUT)
    page.go_back()
    expect(page).to_have_url(re.compile(r"/login"), timeout=TIMEOUT)
    expect(page.locator("#ventures-table")).to_have_count(0)
    page.goto("/ventures")
    expect(page).to_have_url(re.compile(r"/login\?next=/ventures"), timeout=TIMEOUT)
    expect(page.locator("#login-email")).to_be_visible()


def test_after_login_the_user_lands_on_the_page_they_wanted(page: Page) -> None:
    page.goto("/audit")
    expect(page).to_have_url(re.compile(r"/login\?next=/audit"), timeout=TIMEOUT)
    page.locator("#login-email").fill("auditor@vcc.example")
    page.locator("#login-password").fill("vcc-demo-pass-2026")
    page.locator("#login-submit").click()
    expect(page).to_have_url(re.compile(r"/audit/?$"), timeout=TIMEOUT)
    expect(page.locator("#audit-table")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#audit-table .audit-row").first).to_be_visible()


def test_sign_in_with_an_emailed_code(page: Page, mail_file: Path) -> None:
    email = "lead.mbr@vcc.example"
    page.goto("/login")
    page.locator("#login-code-toggle").click()
    page.locator("#login-email").fill(email)
    page.locator("#login-submit").click()
    expect(page.locator("#login-notice")).to_contain_text("6-digit code", timeout=TIMEOUT)
    code = latest_code(mail_file, email)
    page.locator("#login-code").fill(code)
    page.locator("#login-submit").click()
    expect(page).not_to_have_url(re.compile(r"/login"), timeout=TIMEOUT)
    wait_ready(page)
    expect(page.locator("#user-menu")).to_contain_text("Marcus Hill")


def test_the_json_api_is_mounted_and_reads_the_web_session(page: Page) -> None:
    health = page.request.get("/api/v1/health")
    assert health.status == 200
    anonymous = page.request.get("/api/v1/me")
    assert anonymous.status == 401
    login(page, "finance@vcc.example")
    me = page.request.get("/api/v1/me")  # same browser context: the vcc_session cookie
    assert me.status == 200 and "finance@vcc.example" in me.text()
