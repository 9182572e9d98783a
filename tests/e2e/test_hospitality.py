"""Hospitality end to end in Chromium against the production build: the hotel manager uploads a
CSV with a bad row, reads the line's error (nothing written), uploads the fixed file, sees the
dashboard change, and answers a low review."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import TIMEOUT, login, wait_ready

pytestmark = pytest.mark.e2e

MANAGER = "manager.hotels@vcc.example"  # office manager of HHG (Midtown and Brooklyn hotels)
HEADER = (
    "hotel_code,date,rooms_available,rooms_sold,room_revenue,other_revenue,cancellations,no_shows"
)


def _revenue(page: Page) -> str:
    page.goto("/hospitality/dashboard")
    wait_ready(page)
    expect(page.locator("#hdash-headlines")).to_be_visible(timeout=TIMEOUT)
    page.locator("#hdash-preset-7").click()
    expect(page.locator("#hdash-period")).to_contain_text("(7 days)", timeout=TIMEOUT)
    card = page.locator(".headline-card[data-metric='total_revenue'] .headline-value")
    expect(card).to_be_visible(timeout=TIMEOUT)
    return card.inner_text().strip()


def _upload(page: Page, path: Path) -> None:
    page.locator("#kpi-upload-zone input[type=file]").set_input_files(str(path))
    expect(page.locator("#upload-file-name")).to_have_text(path.name, timeout=TIMEOUT)
    page.locator("#upload-submit").click()


def test_upload_a_bad_csv_then_the_fixed_one_and_answer_a_low_review(
    page: Page, tmp_path: Path
) -> None:
    login(page, MANAGER)
    before = _revenue(page)

    day = (datetime.now(ZoneInfo("America/New_York")).date() - timedelta(days=2)).isoformat()
    good = [f"HHG-INN,{day},12,11,98765.00,0,0,0", f"HHG-TWR,{day},320,300,123456.00,0,0,0"]
    bad = tmp_path / "hotel-kpi-bad.csv"
    bad.write_text("\n".join([HEADER, good[0], f"HHG-TWR,{day},320,321,1.00,0,0,0"]) + "\n")
    fixed = tmp_path / "hotel-kpi.csv"
    fixed.write_text("\n".join([HEADER, *good]) + "\n")

    page.goto("/hospitality/kpi")
    wait_ready(page)
    expect(page.locator("#kpi-upload-card")).to_be_visible(timeout=TIMEOUT)
    _upload(page, bad)
    expect(page.locator("#upload-refused")).to_have_text(
        "1 bad line in the file: nothing was written.", timeout=TIMEOUT
    )
    problem = page.locator(".upload-problem[data-line='3']")
    expect(problem).to_contain_text("Line 3")
    expect(problem).to_contain_text("rooms_sold")
    expect(problem).to_contain_text("is more than rooms_available (320)")

    _upload(page, fixed)
    expect(page.locator("#upload-written")).to_contain_text(
        "2 rows written for 2 hotels", timeout=TIMEOUT
    )
    expect(page.locator(f".kpi-row[data-hotel='HHG-INN'][data-day='{day}']")).to_contain_text(
        "$98,765.00", timeout=TIMEOUT
    )

    after = _revenue(page)
    assert after != before, (before, after)

    # Answer a low, unanswered review.
    page.goto("/hospitality/reviews")
    wait_ready(page)
    page.locator("#reviews-unanswered").check()
    page.locator("#reviews-low").check()
    page.locator("#reviews-apply").click()
    for shown in ("[data-answered='yes']", "[data-rating='4']", "[data-rating='5']"):
        expect(page.locator(".review-row" + shown)).to_have_count(0, timeout=TIMEOUT)
    row = page.locator(".review-row[data-answered='no']").first
    expect(row).to_be_visible(timeout=TIMEOUT)
    review_id = row.get_attribute("data-review")
    assert int(row.get_attribute("data-rating") or 9) <= 3
    row.locator(".review-respond").click()
    expect(page.locator("#respond-dialog")).to_be_visible(timeout=TIMEOUT)
    page.locator("#respond-text").fill("We are sorry about the noise; the room is fixed.")
    page.locator("#respond-save").click()
    expect(page.locator("#respond-dialog")).to_have_count(0, timeout=TIMEOUT)
    expect(page.locator("[data-sonner-toast]").first).to_contain_text(
        "Response to", timeout=TIMEOUT
    )
    # Answered, it leaves the "unanswered" list.
    expect(page.locator(f".review-row[data-review='{review_id}']")).to_have_count(
        0, timeout=TIMEOUT
    )
