"""Operations in the browser: an employee completes a task and submits their end-of-day report
from My Day; the report is prefilled on the next visit and stored once."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from domain.db import get_engine, read_only
from domain.operations.models import EodReport, Task, TaskStatus
from domain.org.models import User
from tests.e2e.helpers import TIMEOUT, login, wait_ready

pytestmark = pytest.mark.e2e

EMPLOYEE = "success.lgy@vcc.example"  # EMPLOYEE of LGY only: one venture, no venture choice


def test_an_employee_completes_a_task_and_submits_the_eod_from_my_day(
    browser: Browser, base_url: str, e2e_database_url: str
) -> None:
    context = browser.new_context(base_url=base_url, viewport={"width": 1440, "height": 900})
    try:
        page = context.new_page()
        login(page, EMPLOYEE)
        page.goto("/")
        wait_ready(page)

        # -- "My tasks": overdue first, a Done button on each --------------------------------
        first = page.locator("#my-tasks .my-task").first
        expect(first).to_be_visible(timeout=TIMEOUT)
        expect(first.locator(".task-due-note")).to_have_text("Overdue")
        task_id = int(first.get_attribute("data-task") or 0)
        first.locator(".task-complete").click()
        expect(page.locator(f"#my-tasks .my-task[data-task='{task_id}']")).to_have_count(
            0, timeout=TIMEOUT
        )

        # -- the end-of-day report: submitted, then prefilled on the next visit ---------------
        page.locator("#eod-summary").fill("Onboarded two accounts; renewal call booked.")
        page.locator("#eod-hours").fill("7.5")
        page.locator("#eod-submit").click()
        expect(page.locator("#eod-submitted")).to_be_visible(timeout=TIMEOUT)
        page.reload()
        wait_ready(page)
        expect(page.locator("#eod-summary")).to_have_value(
            "Onboarded two accounts; renewal call booked.", timeout=TIMEOUT
        )
        expect(page.locator("#eod-submit")).to_have_text("Update report")
    finally:
        context.close()

    with read_only(get_engine(e2e_database_url)) as uow:
        uid = uow.session.execute(select(User.id).where(User.email == EMPLOYEE)).scalar_one()
        task = uow.session.get(Task, task_id)
        reports = list(
            uow.session.execute(select(EodReport).where(EodReport.user_id == uid)).scalars()
        )
    assert task is not None and task.status is TaskStatus.DONE and task.completed_at is not None
    assert [r.summary for r in reports].count("Onboarded two accounts; renewal call booked.") == 1
