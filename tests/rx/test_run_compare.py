""" "Compare with the previous run of this key" (payouts issue, item 5) at the state level: on the
jobs page's run detail and on the Payouts page's run review (one state helper, one component).

- Two live incentives-daily runs of one AFL day, between which one load's cost rose by 100.00:
  the table shows exactly that user and rule (Margin share, 2 % of load margin), the metric
  falling by 100.00, the amount by 2.00 (money with its currency), and "load <reference>
  changed"; the first run has no previous run of its key and says so.
- Runs that kept no result rows (older than the run archive) say so.
- A payouts run without a re-run: no previous run; its re-run after a day's amount changed shows
  the payee whose pay moved and the day that changed; finance.india (PBP only) comparing an AFL
  run reads it as not found, nothing shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from domain import clock
from domain.db import unit_of_work
from domain.freight.models import Load
from domain.incentives import services
from domain.incentives.models import IncentiveDaily, IncentivePlan, IncentiveRule
from domain.jobs.models import JobRun, RunStatus, TriggeredBy
from domain.money import format_money
from domain.org.models import User
from rxapp.state.admin_jobs import AdminJobsState
from rxapp.state.payouts import PayoutsState
from tests.helpers import actor, venture_id
from tests.integration.incentives.conftest import busiest_day, delivered
from tests.rx.conftest import Tab, toasts

CEO = "ceo@vcc.example"
CSR = "csr.afl@vcc.example"  # Emily Carter, AFL
FINANCE = "finance@vcc.example"
FINANCE_PBP = "finance.india@vcc.example"
ACCOUNTING = "accounting@vcc.example"
RATE = Decimal("0.02")  # "Margin share": 2 % of the day's load margin


@pytest.fixture(autouse=True)
def reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    from domain.jobs.config import reset_job_settings
    from domain.settings import reset_settings

    monkeypatch.setenv("VCC_REPORTS_DIR", str(tmp_path / "reports"))
    reset_settings()
    reset_job_settings()
    yield tmp_path / "reports"
    reset_settings()
    reset_job_settings()


def _tab(email: str, path: str) -> Tab:
    tab = Tab(path)
    tab.login(email)
    return tab


def _only_margin_share() -> None:
    """AFL's plan pays one rule only: "Margin share"."""
    with unit_of_work() as uow:
        plans = select(IncentivePlan.id).where(IncentivePlan.venture_id == venture_id("AFL"))
        uow.session.execute(
            update(IncentiveRule)
            .where(IncentiveRule.plan_id.in_(plans))  # type: ignore[attr-defined]
            .values(enabled=IncentiveRule.name == "Margin share")
        )


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _pay(margin: Decimal) -> Decimal:
    return (margin * RATE).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_jobs_page_compares_a_run_with_the_previous_run_of_its_key(demo: Any) -> None:
    _only_margin_share()
    day = busiest_day("AFL", CSR)
    loads = delivered("AFL", CSR, day)
    margin = sum(
        (Decimal(str(x.bill_amount or 0)) - Decimal(str(x.cost_amount or 0)) for x in loads),
        Decimal("0"),
    )
    first = services.commit(actor(FINANCE), "AFL", day, dry_run=False)
    assert first.status == "SUCCEEDED", first.error

    tab = _tab(CEO, "/admin/jobs")
    tab.call(AdminJobsState, "load")
    st = tab.state(AdminJobsState)
    tab.call(AdminJobsState, "open_detail", first.run_id)
    assert st.d_can_compare
    tab.call(AdminJobsState, "compare_previous", first.run_id)
    assert st.cmp_run_id == first.run_id and not st.cmp_shown and st.cmp_rows == []
    assert st.cmp_message.startswith("No previous run of this key (incentives-daily AFL")
    assert first.run_id in st.cmp_message

    edited = loads[0]
    with unit_of_work() as uow:
        uow.session.execute(
            update(Load)
            .where(Load.id == edited.id)  # type: ignore[arg-type]
            .values(cost_amount=Decimal(str(edited.cost_amount or 0)) + Decimal("100.00"))
        )
    second = services.commit(actor(FINANCE), "AFL", day, dry_run=False)
    assert second.status == "SUCCEEDED", second.error

    tab.call(AdminJobsState, "open_detail", second.run_id)
    assert st.cmp_run_id == "" and st.cmp_message == ""  # a new run starts with nothing shown
    events = tab.call(AdminJobsState, "compare_previous", second.run_id)
    assert any("1 line changed" in t for t in toasts(events)), events
    assert st.cmp_shown and st.cmp_message == "" and not st.cmp_unchanged
    assert first.run_id in st.cmp_before and second.run_id in st.cmp_after
    [row] = st.cmp_rows
    assert (row.user, row.email, row.rule) == ("Emily Carter", CSR, "Margin share")
    assert row.metric == "Load margin"
    assert (row.metric_before, row.metric_after, row.metric_delta) == (
        _money(margin),
        _money(margin - 100),
        "-100.00",
    )
    before, after = _pay(margin), _pay(margin - 100)
    assert (row.amount_before, row.amount_after, row.amount_delta) == (
        format_money(before, "USD"),
        format_money(after, "USD"),
        "-$2.00",
    )
    assert row.fell and row.currency == "USD"
    assert [(i.label, i.change) for i in st.cmp_inputs] == [(f"load {edited.reference}", "changed")]
    assert st.cmp_net == [
        f"USD: {format_money(before, 'USD')} to {format_money(after, 'USD')} (-$2.00)"
    ]
    tab.call(AdminJobsState, "close_compare")
    assert st.cmp_rows == [] and not st.cmp_shown


def test_runs_without_result_rows_say_so(demo: Any) -> None:
    day = date(2026, 11, 26)
    ids = []
    for n, minutes in enumerate((120, 60)):
        started = clock.now() - timedelta(minutes=minutes)
        run_id = f"20261127T06300{n}-0ldrun0{n}"
        with unit_of_work() as uow:
            uow.session.add(
                JobRun(
                    run_id=run_id,
                    job="incentives-daily",
                    venture="AFL",
                    venture_id=venture_id("AFL"),
                    business_date=day,
                    status=RunStatus.SUCCEEDED,
                    triggered_by=TriggeredBy.SCHEDULE,
                    lock_key=f"incentives-daily:AFL:{day.isoformat()}",
                    timeout_seconds=1800,
                    started_at=started,
                    ended_at=started + timedelta(seconds=3),
                )
            )
        ids.append(run_id)
    tab = _tab(CEO, "/admin/jobs")
    tab.call(AdminJobsState, "load")
    st = tab.state(AdminJobsState)
    tab.call(AdminJobsState, "open_detail", ids[1])
    assert st.d_can_compare
    tab.call(AdminJobsState, "compare_previous", ids[1])
    assert not st.cmp_shown and st.cmp_rows == []
    assert st.cmp_message.startswith(f"Cannot compare with the previous run {ids[0]}")
    assert "kept no result rows" in st.cmp_message


def _afl(st: PayoutsState) -> str:
    return next(o.value for o in st.create_choices if o.label == "AFL")


def test_payouts_review_compares_a_rerun_and_refuses_a_reader_out_of_scope(demo: Any) -> None:
    tab = _tab(FINANCE, "/incentives/payouts")
    tab.call(PayoutsState, "load")
    st = tab.state(PayoutsState)
    end = clock.today("UTC") - timedelta(days=5)
    start = end - timedelta(days=6)
    events = tab.call(
        PayoutsState,
        "create",
        {"venture": _afl(st), "from": start.isoformat(), "to": end.isoformat()},
    )
    assert any("Payouts created" in t for t in toasts(events)), (events, st.create_errors)
    first = st.run_id
    tab.call(PayoutsState, "compare_previous", first)
    assert st.cmp_message.startswith("No previous run of this key (payouts AFL")
    assert not st.cmp_shown

    # finance.india (PBP only): the AFL run reads as not found; nothing is shown.
    other = _tab(FINANCE_PBP, "/incentives/payouts")
    other.call(PayoutsState, "load")
    events = other.call(PayoutsState, "compare_previous", first)
    assert any("not found" in t for t in toasts(events)), events
    ost = other.state(PayoutsState)
    assert ost.cmp_run_id == "" and ost.cmp_message == "" and ost.cmp_rows == []

    # A committed day's amount changes; the period is re-run (replace) and compared.
    with unit_of_work() as uow:
        daily = (
            uow.session.execute(
                select(IncentiveDaily)
                .where(
                    IncentiveDaily.venture_id == venture_id("AFL"),
                    IncentiveDaily.business_date == end,  # type: ignore[arg-type]
                    IncentiveDaily.currency == "USD",
                )
                .order_by(IncentiveDaily.user_id)
            )
            .scalars()
            .first()
        )
        assert daily is not None
        payee, old = daily.user_id, Decimal(str(daily.amount))
        name = uow.session.execute(select(User.name).where(User.id == payee)).scalar_one()
        uow.session.execute(
            update(IncentiveDaily)
            .where(IncentiveDaily.id == daily.id)  # type: ignore[arg-type]
            .values(amount=old + Decimal("10.00"))
        )
    tab.call(PayoutsState, "rerun")
    second = st.run_id
    assert second != first, st.create_errors
    tab.call(PayoutsState, "compare_previous", second)
    assert st.cmp_shown, st.cmp_message
    [row] = st.cmp_rows
    assert row.user == name and row.metric == "Days paid" and row.amount_delta == "+$10.00"
    assert row.metric_delta == "no change" and not row.fell
    assert any(i.change == "changed" and name in i.label for i in st.cmp_inputs), st.cmp_inputs

    # ACCOUNTING (AFL in scope) reads the same comparison from the Payouts page.
    acc = _tab(ACCOUNTING, "/incentives/payouts")
    acc.call(PayoutsState, "load")
    acc.call(PayoutsState, "review", second)
    acc.call(PayoutsState, "compare_previous", second)
    ast = acc.state(PayoutsState)
    assert ast.cmp_shown and [r.user for r in ast.cmp_rows] == [name]
