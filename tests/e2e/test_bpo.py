"""BPO end to end in Chromium against the production build (issue 14): the venture head sets up
a campaign and makes the demo agent its agent, imports a call CSV with a bad line (the line is
named, nothing written), imports the fixed file and sees the dashboard's funnel move, then a
KPI-record file (a bad QA score named, then written); the agent logs a call in the form and sees
it on My calls today."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import TIMEOUT, login, wait_ready

pytestmark = pytest.mark.e2e

HEAD = "head.bpo@vcc.example"
AGENT = "agent.pbp@vcc.example"
KOLKATA = ZoneInfo("Asia/Kolkata")  # PBP's timezone in the demo data: its business date
HEADER = (
    "agent_email,campaign,started_at,ended_at,dial_count,connected,appointment_set,deal_won,"
    "revenue,notes"
)


def _choose(page: Page, trigger: str, option: str) -> None:
    page.locator(trigger).click()
    page.get_by_role("option", name=option).first.click()


def _funnel_deals(page: Page, campaign: str) -> str:
    page.goto("/bpo/dashboard")
    wait_ready(page)
    expect(page.locator("#bpo-headlines")).to_be_visible(timeout=TIMEOUT)
    row = page.locator(f".funnel-row[data-campaign='{campaign}']")
    if row.count() == 0:
        return "0"
    return row.locator("td").nth(3).inner_text().strip()


def _upload(page: Page, path: Path) -> None:
    page.locator("#bpo-upload-zone input[type=file]").set_input_files(str(path))
    expect(page.locator("#upload-file-name")).to_have_text(path.name, timeout=TIMEOUT)
    page.locator("#upload-submit").click()


def test_head_imports_calls_and_the_funnel_moves_then_an_agent_logs_a_call(
    page: Page, tmp_path: Path
) -> None:
    campaign = f"E2E Solar {uuid.uuid4().hex[:6]}"
    login(page, HEAD)

    page.goto("/bpo/campaigns")
    wait_ready(page)
    page.locator("#campaign-new").click()
    page.locator("#campaign-form-name").fill(campaign)
    page.locator("#campaign-form-client").fill("E2E Client")
    _choose(page, "#campaign-form-office", "PBP · Salt Lake")
    page.locator("#campaign-form-save").click()
    expect(page.locator(f".campaign-row[data-campaign='{campaign}']")).to_be_visible(
        timeout=TIMEOUT
    )

    page.goto("/bpo/agents")
    wait_ready(page)
    page.locator("#agent-new").click()
    _choose(page, "#agent-form-user", "Ritika Sen (PBP)")
    _choose(page, "#agent-form-campaign", campaign)
    page.locator("#agent-form-save").click()
    expect(page.locator("#agent-form")).to_have_count(0, timeout=TIMEOUT)

    before = _funnel_deals(page, campaign)
    assert before == "0"

    start = datetime.now(UTC) - timedelta(hours=1)
    end = start + timedelta(minutes=4)
    good = [
        f"{AGENT},{campaign},{start.isoformat()},{end.isoformat()},2,yes,yes,yes,1200.00,e2e {i}"
        for i in range(2)
    ]
    bad = tmp_path / "calls-bad.csv"
    bad.write_text(
        "\n".join(
            [
                HEADER,
                good[0],
                f"{AGENT},{campaign},{start.isoformat()},{end.isoformat()},0,no,no,no,0,x",
            ]
        )
        + "\n"
    )
    fixed = tmp_path / "calls.csv"
    fixed.write_text("\n".join([HEADER, *good]) + "\n")

    page.goto("/bpo/import")
    wait_ready(page)
    expect(page.locator("#bpo-import-card")).to_be_visible(timeout=TIMEOUT)
    _upload(page, bad)
    expect(page.locator("#upload-refused")).to_be_visible(timeout=TIMEOUT)
    problem = page.locator(".upload-problem[data-line='3']")
    expect(problem).to_contain_text("Line 3", timeout=TIMEOUT)
    expect(problem).to_contain_text("dial_count")

    _upload(page, fixed)
    expect(page.locator("#upload-written")).to_contain_text("2 calls written", timeout=TIMEOUT)

    assert _funnel_deals(page, campaign) == "2"

    # KPI records: the head switches the kind (its columns show), a QA score over 100 is named
    # and nothing written, then the fixed file writes its record.
    day = (datetime.now(UTC) - timedelta(days=2)).date().isoformat()
    kpi_header = "agent_email,campaign,date,calls,talk_seconds,qa_score,appointments,deals,revenue"
    kpi_bad = tmp_path / "kpi-bad.csv"
    kpi_bad.write_text(f"{kpi_header}\n{AGENT},{campaign},{day},40,3600,120,3,1,0\n")
    kpi_good = tmp_path / "kpi.csv"
    kpi_good.write_text(f"{kpi_header}\n{AGENT},{campaign},{day},40,3600,92.5,3,1,0\n")
    page.goto("/bpo/import")
    wait_ready(page)
    page.locator("#upload-kind").get_by_role("radio", name="KPI records").click()
    expect(page.locator("#upload-columns")).to_contain_text("qa_score", timeout=TIMEOUT)
    _upload(page, kpi_bad)
    problem = page.locator(".upload-problem[data-line='2']")
    expect(problem).to_contain_text("qa_score", timeout=TIMEOUT)
    _upload(page, kpi_good)
    expect(page.locator("#upload-written")).to_contain_text("1 KPI record written", timeout=TIMEOUT)

    # The agent logs a call and sees it on My calls today.
    page.context.clear_cookies()
    login(page, AGENT)
    page.goto("/bpo/my-calls")
    wait_ready(page)
    page.locator("#call-new").click()
    _choose(page, "#call-form-campaign-id", campaign)
    page.locator("#call-form-connected").click()
    page.locator("#call-form-notes").fill("e2e logged call")
    page.locator("#call-form-save").click()
    expect(page.locator("#my-calls-table")).to_contain_text("e2e logged call", timeout=TIMEOUT)
    # "Today" is PBP's business date in Kolkata: the two imported calls (started an hour ago)
    # count only when that hour did not cross midnight there (18:30 UTC), the logged call always.
    imported_today = start.astimezone(KOLKATA).date() == datetime.now(KOLKATA).date()
    if imported_today:
        summary = "3 calls today · 3 connected · 2 deals"
    else:
        summary = "1 call today · 1 connected · 0 deals"
    expect(page.locator("#my-calls-summary")).to_have_text(summary, timeout=TIMEOUT)
