"""Points end to end in Chromium against the production build (issue 15, Acceptance):

(a) a CSR delivers a load and sees their points and rank move, on My Day and on the leaderboard;
(b) an admin changes a venture's points for a delivered load on the config page (a bad value is
    refused under its field first) and the next delivery in that venture awards the new points.

The awards come from the outbox dispatcher run by the server after each commit (as in
production), so the pages show them on the next load with no job to run.

(a) needs a reader who is behind someone before the delivery and ahead after it, whatever other
tests did earlier in the session: a fresh CSR made for this run (``vcc user create``) signs in
after a fresh colleague (made the same way, who then has the same 1 login point, reached
earlier; a demo user would not do: another test locks carriers.afl with wrong passwords) and
delivers a load they created: 26 points put them ahead of that colleague, and nobody else
moves.
"""

from __future__ import annotations

import os
import re
import subprocess
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from domain.db import get_engine, read_only
from domain.freight.models import Load
from domain.org.models import User, Venture
from tests.e2e.conftest import ROOT, _in_project_env, _vcc
from tests.e2e.helpers import TIMEOUT, login, wait_ready

pytestmark = pytest.mark.e2e

PASSWORD = "points-e2e-pass-2026"
ADMIN = "admin@vcc.example"
MBR_CSR = "csr.mbr@vcc.example"


def _new_csr(database_url: str, name: str = "Paula Points") -> str:
    email = f"csr.points.{uuid.uuid4().hex[:8]}@vcc.example"
    env = {"DATABASE_URL": database_url} if database_url else {}
    subprocess.run(
        _in_project_env(
            _vcc(),
            "user",
            "create",
            "--email",
            email,
            "--name",
            name,
            "--role",
            "CSR",
            "--venture",
            "AFL",
            "--office",
            "AFL/New York HQ",
            "--password",
            PASSWORD,
        ),
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        timeout=120,
    )
    return email


def _choose(page: Page, trigger: str, option: str | None = None) -> None:
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


def _rank(text: str) -> int:
    m = re.search(r"#(\d+)", text)
    assert m, text
    return int(m[1])


def _my_day(page: Page) -> tuple[str, int]:
    """My Day's points card for AFL: ("+N today", rank this week)."""
    page.goto("/")
    wait_ready(page)
    line = page.locator("#points-card .points-venture[data-code='AFL']")
    expect(line).to_be_visible(timeout=TIMEOUT)
    return line.locator(".points-today").inner_text().strip(), _rank(
        line.locator(".points-rank").inner_text()
    )


def _board(page: Page) -> tuple[int, str]:
    """The leaderboard of AFL this week: the reader's rank and points line."""
    page.goto("/points/leaderboard")
    wait_ready(page)
    expect(page.locator("#board-me-rank")).to_be_visible(timeout=TIMEOUT)
    return _rank(page.locator("#board-me-rank").inner_text()), page.locator(
        "#board-me-points"
    ).inner_text().strip()


def _create_and_deliver(page: Page) -> str:
    page.goto("/freight/loads/new")
    wait_ready(page)
    expect(page.locator("#load-form")).to_be_visible(timeout=TIMEOUT)
    _choose(page, "#load-customer-id")
    page.locator("#load-pickup-city").fill("Newark")
    _choose(page, "#load-pickup-state", "NJ")
    page.locator("#load-drop-city").fill("Boston")
    _choose(page, "#load-drop-state", "MA")
    page.locator("#load-miles").fill("215")
    page.locator("#load-bill-amount").fill("1,250.00")
    page.locator("#load-save").click()
    expect(page).to_have_url(re.compile(r"/freight/loads/\d+$"), timeout=TIMEOUT)
    expect(page.locator("#load-reference")).to_have_text(re.compile(r"^AFL-"), timeout=TIMEOUT)
    reference = page.locator("#load-reference").inner_text().strip()
    _transition(page, "WORKING")
    page.locator("#transition-confirm").click()
    expect(page.locator("#load-badge")).to_have_text("Working", timeout=TIMEOUT)
    _transition(page, "COVERED")
    _choose(page, "#cover-carrier")
    page.locator("#cover-cost").fill("1,000")
    page.locator("#transition-confirm").click()
    expect(page.locator("#load-badge")).to_have_text("Covered", timeout=TIMEOUT)
    _deliver(page)
    return reference


def _deliver(page: Page) -> None:
    _transition(page, "DELIVERED")
    page.locator("#transition-confirm").click()
    expect(page.locator("#load-badge")).to_have_text("Delivered", timeout=TIMEOUT)


def test_a_csr_delivers_a_load_and_sees_points_and_rank_move(
    page: Page, browser: Browser, base_url: str, e2e_database_url: str
) -> None:
    rival_email = _new_csr(e2e_database_url, "Rita Rival")  # earns points only by signing in
    csr = _new_csr(e2e_database_url)
    rival = browser.new_context(base_url=base_url)
    try:
        login(rival.new_page(), rival_email, PASSWORD)  # 1 point this week, before the CSR's
    finally:
        rival.close()

    login(page, csr, PASSWORD)
    today, rank_before = _my_day(page)
    assert today == "+1 today"  # the first login of the day
    assert rank_before >= 2
    assert _board(page) == (rank_before, "1 point")
    expect(page.locator("#board-period")).to_be_visible()

    reference = _create_and_deliver(page)

    today, rank_after = _my_day(page)
    assert today == "+26 today"
    assert rank_after < rank_before
    assert _board(page) == (rank_after, "26 points")
    mine = page.locator("#board-table .rank-row[data-mine='1']")
    expect(mine).to_contain_text("Paula Points")
    expect(mine.locator(".rank-points")).to_have_text("26")
    if rank_after <= 3:
        expect(
            page.locator(f"#board-podium .podium-place[data-rank='{rank_after}']")
        ).to_contain_text("Paula Points")
    # All time counts the same awards; the history says what the 25 were for.
    page.locator("#board-period-all").click()
    expect(page.locator("#board-me-points")).to_have_text("26 points", timeout=TIMEOUT)
    page.goto("/points")
    wait_ready(page)
    expect(page.locator("#points-total")).to_have_text("26", timeout=TIMEOUT)
    first = page.locator("#points-history .award-row").first
    expect(first).to_have_attribute("data-kind", "LOAD_COMPLETED")
    expect(first.locator(".award-reason")).to_have_text(f"Load {reference} delivered")
    expect(first.locator(".award-points")).to_have_text("+25")


def _mbr_load_in_transit(database_url: str) -> tuple[int, int]:
    """(venture id of MBR, a load of csr.mbr's in transit) from the server's database."""
    with read_only(get_engine(database_url)) as uow:
        mbr = uow.session.execute(select(Venture.id).where(Venture.code == "MBR")).scalar_one()
        sales = uow.session.execute(select(User.id).where(User.email == MBR_CSR)).scalar_one()
        load = uow.session.execute(
            select(Load.id)
            .where(Load.venture_id == mbr, Load.sales_user_id == sales, Load.status == "IN_TRANSIT")
            .order_by(Load.id)
            .limit(1)
        ).scalar_one()
    return int(mbr), int(load)


def _points_of(page: Page, name: str) -> int:
    row = page.locator("#board-table .rank-row", has_text=name)
    if row.count() == 0:
        return 0
    return int(row.locator(".rank-points").inner_text().replace(",", ""))


def test_an_admin_changes_the_points_and_the_next_award_uses_them(
    page: Page, e2e_database_url: str
) -> None:
    mbr, load_id = _mbr_load_in_transit(e2e_database_url)
    login(page, ADMIN)
    page.goto("/points/config?venture=MBR")
    wait_ready(page)
    points = page.locator("#cfg-points-LOAD_COMPLETED")
    expect(points).to_be_visible(timeout=TIMEOUT)

    # Bad values: refused, each said under its own field, nothing saved.
    points.fill("-5")
    page.locator("#cfg-cap-TASK_COMPLETED").fill("0")
    page.locator("#cfg-save").click()
    expect(page.locator("#cfg-points-LOAD_COMPLETED-error")).to_contain_text(
        "cannot be negative", timeout=TIMEOUT
    )
    expect(page.locator("#cfg-cap-TASK_COMPLETED-error")).to_contain_text("set its points to 0")
    expect(page.locator("#cfg-errors")).to_contain_text("Points for Load delivered")
    expect(page.locator("#cfg-errors")).to_contain_text("Daily cap for Task completed")

    points.fill("40")
    page.locator("#cfg-cap-TASK_COMPLETED").fill("")
    page.locator("#cfg-save").click()
    expect(page.get_by_text("Points for MBR saved")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator(".cfg-row[data-kind='LOAD_COMPLETED'] .cfg-effective")).to_have_text("40")
    expect(page.locator("#cfg-errors")).to_have_count(0)

    page.goto(f"/points/leaderboard?venture={mbr}&period=all")
    wait_ready(page)
    expect(page.locator("#board-venture")).to_contain_text("MBR", timeout=TIMEOUT)
    before = _points_of(page, "Jason Lee")

    page.goto(f"/freight/loads/{load_id}")
    wait_ready(page)
    expect(page.locator("#load-badge")).to_have_text("In transit", timeout=TIMEOUT)
    _deliver(page)

    page.goto(f"/points/leaderboard?venture={mbr}&period=all")
    wait_ready(page)
    row = page.locator("#board-table .rank-row", has_text="Jason Lee")
    expect(row.locator(".rank-points")).to_have_text(f"{before + 40:,}", timeout=TIMEOUT)


VIEWPORT = {"width": 1440, "height": 900}
BAD_TEXT = (r"\bNone\b", r"\bundefined\b", r"\bnull\b", r"\[object ", r"\{['\"]", r"\bNaN\b")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_points_screenshots(
    browser: Browser, base_url: str, screenshots_dir: Path, scheme: str
) -> None:
    """The points pages, light and dark, for review; no raw None/undefined on any."""
    context = browser.new_context(base_url=base_url, color_scheme=scheme, viewport=VIEWPORT)
    try:
        page = context.new_page()
        for email, pages in (
            (
                "csr.afl@vcc.example",
                [
                    ("/", "my-day-points", "#points-card"),
                    ("/points", "my-points", "#points-total"),
                    ("/points/leaderboard?period=all", "leaderboard", "#board-me"),
                ],
            ),
            (ADMIN, [("/points/config?venture=AFL", "points-config", "#cfg-table")]),
        ):
            login(page, email)
            for path, name, ready in pages:
                page.goto(path)
                wait_ready(page)
                expect(page.locator(ready).first).to_be_visible(timeout=TIMEOUT)
                page.wait_for_load_state("networkidle")
                body = page.locator("body").inner_text()
                for bad in BAD_TEXT:
                    assert not re.search(bad, body), f"{bad!r} on {path}"
                page.screenshot(path=str(screenshots_dir / f"{name}-{scheme}.png"), full_page=True)
            context.clear_cookies()
    finally:
        context.close()
