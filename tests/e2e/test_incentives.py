"""Incentives in the browser: a finance user edits a rule (a field error for overlapping tiers
appears next to the field as she types, she fixes it), previews the draft, saves it, commits a
day (dry run first, then the live run with progress) and opens the run's report; the credited
user then sees the day on My incentives with its explanation and the run that wrote it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from domain.db import get_engine, read_only
from domain.incentives.models import IncentiveDaily
from domain.org.models import User
from tests.e2e.helpers import TIMEOUT, login, wait_ready

pytestmark = pytest.mark.e2e

VIEWPORT = {"width": 1440, "height": 900}
RUN_TIMEOUT = 180_000


def test_finance_edits_previews_commits_and_the_credited_user_sees_the_day(
    browser: Browser, base_url: str, e2e_database_url: str
) -> None:
    context = browser.new_context(base_url=base_url, viewport=VIEWPORT)
    try:
        page = context.new_page()
        login(page, "finance@vcc.example")

        # -- the rule editor: errors next to the field as she types --------------------------
        page.goto("/incentives/plans")
        wait_ready(page)
        plan = page.locator(".plan-card", has_text="AFL Sales")
        plan.locator(".rule-edit", has_text="Miles slab").click()
        dialog = page.locator("#rule-dialog")
        expect(dialog).to_be_visible(timeout=TIMEOUT)
        expect(page.locator("#tier-start-1")).to_have_value("1000")
        page.locator("#tier-start-1").fill("900")
        error = page.locator("#tier-start-error-1")
        expect(error).to_contain_text("overlap", timeout=TIMEOUT)
        page.locator("#tier-start-1").fill("1000")
        expect(error).to_have_count(0, timeout=TIMEOUT)
        page.locator("#tier-rate-2").fill("0.04")
        page.wait_for_timeout(600)  # the debounced check

        # -- what-if preview: per user amounts and totals per currency, nothing written ------
        page.locator("#rule-preview").click()
        expect(page.locator("#preview-totals")).to_contain_text("$", timeout=RUN_TIMEOUT)
        expect(page.locator("#preview-table tbody tr").first).to_be_visible()
        page.locator("#rule-save").click()
        expect(dialog).to_be_hidden(timeout=TIMEOUT)
        expect(page.get_by_text(re.compile(r"Rule Miles slab saved"))).to_be_visible(
            timeout=TIMEOUT
        )

        # -- commit: dry run, confirmation, progress, the run and its report ------------------
        page.goto("/incentives/commit")
        wait_ready(page)
        expect(page.locator("#commit-venture")).to_contain_text("AFL")
        day = date.fromisoformat(page.locator("#commit-date").input_value())
        page.locator("#commit-dry-run").click()
        expect(page.locator("#commit-dry-totals")).to_contain_text("rows", timeout=RUN_TIMEOUT)
        expect(page.locator("#commit-dry-rows")).to_contain_text("under rule")
        page.locator("#commit-go").click()
        confirm = page.locator("#commit-confirm")
        expect(confirm).to_contain_text("AFL")
        page.locator("#commit-confirm-confirm").click()
        result = page.locator("#commit-result")
        expect(result).to_contain_text("Committed", timeout=RUN_TIMEOUT)
        run_id = result.get_attribute("data-run-id") or ""
        assert re.fullmatch(r"\d{8}T\d{6}-[0-9a-f]{8}", run_id), run_id
        report_link = page.locator("#commit-report")
        expect(report_link).to_have_attribute("href", f"/api/v1/admin/jobs/runs/{run_id}/html")
        with context.expect_page() as opened:
            report_link.click()
        report = opened.value
        report.wait_for_load_state()
        expect(report.locator("body")).to_contain_text(run_id, timeout=TIMEOUT)
        report.close()
    finally:
        context.close()

    # -- the credited user: the day on My incentives, explained, with its run -----------------
    with read_only(get_engine(e2e_database_url)) as uow:
        email = uow.session.execute(
            select(User.email)
            .join(IncentiveDaily, IncentiveDaily.user_id == User.id)
            .where(IncentiveDaily.run_id == run_id)
            .order_by(User.id)
            .limit(1)
        ).scalar_one()
    context = browser.new_context(base_url=base_url, viewport=VIEWPORT)
    try:
        page = context.new_page()
        login(page, email)
        page.goto("/incentives")
        wait_ready(page)
        # My incentives opens on this month in UTC (not the machine's local date).
        if day.strftime("%Y-%m") != datetime.now(UTC).strftime("%Y-%m"):
            page.locator("#my-inc-month").click()
            page.get_by_role("option", name=day.strftime("%b %Y")).click()
        card = page.locator(f".my-inc-day[data-day^='{day.isoformat()}-AFL']")
        expect(card).to_be_visible(timeout=TIMEOUT)
        expect(card.locator(".inc-explanations")).to_contain_text("under rule '")
        expect(card).to_contain_text(f"Run {run_id}")
    finally:
        context.close()
