"""Payouts in the browser: finance creates the payouts of a past week (the run goes on in the
background with progress), finds the period waiting on her My Day, opens the run's report,
approves the run after a confirmation that names the payees, the totals and the hash, and marks
it paid; a payee then sees the payout on My incentives."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from domain.db import get_engine, read_only
from domain.incentives.models import IncentivePayout
from domain.org.models import User
from tests.e2e.helpers import TIMEOUT, login, wait_ready

pytestmark = pytest.mark.e2e

VIEWPORT = {"width": 1440, "height": 900}
RUN_TIMEOUT = 180_000


def test_finance_creates_approves_and_pays_and_the_payee_sees_it(
    browser: Browser, base_url: str, e2e_database_url: str
) -> None:
    end = date.today() - timedelta(days=12)
    start = end - timedelta(days=6)
    context = browser.new_context(base_url=base_url, viewport=VIEWPORT)
    try:
        page = context.new_page()
        login(page, "finance@vcc.example")

        # -- create the period's payouts: progress, then the run's review ---------------------
        page.goto("/incentives/payouts")
        wait_ready(page)
        expect(page.locator("#payouts-venture")).to_contain_text("AFL")
        page.locator("#payouts-from").fill(start.isoformat())
        page.locator("#payouts-to").fill(end.isoformat())
        page.locator("#payouts-create").click()
        review = page.locator("#payouts-review")
        expect(review).to_be_visible(timeout=RUN_TIMEOUT)
        expect(page.locator("#payouts-review-status")).to_have_text("Calculated")
        run_id = review.get_attribute("data-run-id") or ""
        assert re.fullmatch(r"\d{8}T\d{6}-[0-9a-f]{8}", run_id), run_id
        expect(page.locator("#payouts-review-totals")).to_contain_text("payees · $")
        expect(page.locator("#payouts-reconciliation")).to_contain_text("USD: payouts $")
        row = page.locator(f".payouts-period[data-run-id='{run_id}']")
        expect(row).to_contain_text("Calculated")

        # -- finance's landing shows the period waiting for approval --------------------------
        page.goto("/")
        wait_ready(page)
        waiting = page.locator(f"#my-day-payouts .payouts-waiting-item[data-run-id='{run_id}']")
        expect(waiting).to_contain_text("AFL", timeout=TIMEOUT)
        waiting.click()
        expect(page).to_have_url(re.compile(rf"/incentives/payouts/?\?run={run_id}"))
        wait_ready(page)
        expect(page.locator("#payouts-review")).to_have_attribute("data-run-id", run_id)

        # -- the run's report ------------------------------------------------------------------
        report_link = page.locator("#payouts-report")
        expect(report_link).to_have_attribute("href", f"/api/v1/admin/jobs/runs/{run_id}/html")
        with context.expect_page() as opened:
            report_link.click()
        report = opened.value
        report.wait_for_load_state()
        expect(report.locator("body")).to_contain_text(run_id, timeout=TIMEOUT)
        expect(report.locator("body")).to_contain_text(re.compile("reconcil", re.IGNORECASE))
        report.close()

        # -- approve: the dialog names payees, totals and the hash -----------------------------
        short = (page.locator("#payouts-hash code").text_content() or "").strip()
        assert re.fullmatch(r"[0-9a-f]{12}", short), short
        page.locator("#payouts-approve").click()
        dialog = page.locator("#payouts-approve-confirm")
        expect(dialog).to_contain_text(re.compile(r"Approve \d+ payees? totalling \$"))
        expect(dialog).to_contain_text(short)
        page.locator("#payouts-approve-confirm-confirm").click()
        expect(page.locator("#payouts-review-status")).to_have_text("Approved", timeout=RUN_TIMEOUT)
        expect(page.locator("#payouts-signed")).to_contain_text(short)

        # -- mark paid -----------------------------------------------------------------------
        page.locator("#payouts-pay-all").click()
        expect(page.locator("#payouts-review-status")).to_have_text("Paid", timeout=TIMEOUT)
        expect(page.locator("#payouts-review-table .payout-row").first).to_contain_text("Paid")
    finally:
        context.close()

    # -- a payee sees the payout on My incentives -------------------------------------------------
    with read_only(get_engine(e2e_database_url)) as uow:
        email = uow.session.execute(
            select(User.email)
            .join(IncentivePayout, IncentivePayout.user_id == User.id)
            .where(IncentivePayout.run_id == run_id)
            .order_by(User.id)
            .limit(1)
        ).scalar_one()
    context = browser.new_context(base_url=base_url, viewport=VIEWPORT)
    try:
        page = context.new_page()
        login(page, email)
        page.goto("/incentives")
        wait_ready(page)
        mine = page.locator("#my-payouts .my-payout", has_text="AFL").first
        expect(mine).to_contain_text("Paid", timeout=TIMEOUT)
        expect(mine).to_contain_text("$")
    finally:
        context.close()
