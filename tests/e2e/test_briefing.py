"""The briefing in the browser (issue 16): the COO opens the day of a lost load, sees it among
the fires, follows it to the load, and prints the page to PDF: the PDF has the items and none of
the navigation."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import Browser, expect
from pypdf import PdfReader
from sqlalchemy import select

from domain.briefing.models import BriefingItem, Severity
from domain.db import get_engine, read_only
from domain.org.models import Venture
from tests.e2e.helpers import TIMEOUT, login, wait_ready

pytestmark = pytest.mark.e2e

COO = "coo@vcc.example"


def test_the_coo_follows_a_fire_and_prints_the_briefing(
    browser: Browser, base_url: str, e2e_database_url: str
) -> None:
    with read_only(get_engine(e2e_database_url)) as uow:
        fire = uow.session.execute(
            select(BriefingItem)
            .join(Venture, Venture.id == BriefingItem.venture_id)
            .where(
                BriefingItem.severity == Severity.CRITICAL,
                BriefingItem.source_key.like("load-lost:%"),  # type: ignore[attr-defined]
            )
            .order_by(BriefingItem.business_date.desc(), BriefingItem.id.desc())  # type: ignore[attr-defined]
            .limit(1)
        ).scalar_one()
    day = fire.business_date.isoformat()

    context = browser.new_context(base_url=base_url, viewport={"width": 1440, "height": 900})
    try:
        page = context.new_page()
        login(page, COO)
        page.goto(f"/briefing?date={day}")
        wait_ready(page)
        expect(page.locator("#briefing-summary")).to_contain_text("fire", timeout=TIMEOUT)
        item = page.locator(f"#briefing-item-{fire.id}")
        expect(item).to_be_visible(timeout=TIMEOUT)
        expect(page.locator("#briefing-fires")).to_contain_text(fire.title)

        # Printing: the page as Chromium prints it (print media), without the navigation.
        pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=False)))
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
        assert fire.title in text and "Daily briefing" in text
        summary = page.locator("#briefing-summary").inner_text()
        assert summary in text
        for chrome in ("Ventures", "Sign out", "Ctrl K", "Command center", "Morning email"):
            assert chrome not in text, chrome

        # The morning email: on by default for the COO; switched off, the page reads it back off
        # after a reload; switched on again (the e2e database is shared with the digest job).
        switch = page.locator("#briefing-digest")
        expect(switch).to_have_attribute("aria-checked", "true", timeout=TIMEOUT)
        switch.click()
        expect(switch).to_have_attribute("aria-checked", "false", timeout=TIMEOUT)
        page.reload()
        wait_ready(page)
        switch = page.locator("#briefing-digest")
        expect(switch).to_have_attribute("aria-checked", "false", timeout=TIMEOUT)
        switch.click()
        expect(switch).to_have_attribute("aria-checked", "true", timeout=TIMEOUT)

        # The fire links to its evidence: the lost load.
        item.locator("a.briefing-link").click()
        page.wait_for_url(f"**{fire.link}", timeout=TIMEOUT)
        wait_ready(page)
        expect(page.locator("#page-title")).to_contain_text(
            fire.title.removeprefix("Load ").removesuffix(" lost"), timeout=TIMEOUT
        )
    finally:
        context.close()
