"""The Payouts page at the state level: who opens it, a bad period named under its field with
nothing written, a live create with progress and its review (reconciliation, hash, totals per
currency), approval through the confirmation (refused with the domain's words after an input
changed), mark paid, void with a reason, the payroll CSV per currency; finance's My Day lists
the periods waiting for approval and a payee sees the payout on My incentives."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from domain import clock
from domain.db import read_only, unit_of_work
from domain.incentives.models import IncentiveDaily, IncentivePayout
from domain.org.models import User, Venture
from rxapp.state.incentives import MyIncentivesState
from rxapp.state.payouts import PayoutsState
from rxapp.state.ventures import MyDayState
from tests.rx.conftest import Tab, downloaded_text, toasts

FINANCE = "finance@vcc.example"
FINANCE_PBP = "finance.india@vcc.example"
EMPLOYEE = "frontdesk.hhg@vcc.example"


@pytest.fixture
def reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The payouts and verification runs write their reports under a temp dir."""
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


def _period() -> tuple[str, str]:
    """A past week inside the demo's committed days."""
    end = clock.today("UTC") - timedelta(days=5)
    return (end - timedelta(days=6)).isoformat(), end.isoformat()


def _payouts() -> int:
    with read_only() as uow:
        return uow.session.execute(select(func.count()).select_from(IncentivePayout)).scalar_one()


def _afl(st: PayoutsState) -> str:
    return next(o.value for o in st.create_choices if o.label == "AFL")


def _create(tab: Tab) -> PayoutsState:
    tab.call(PayoutsState, "load")
    st = tab.state(PayoutsState)
    start, end = _period()
    events = tab.call(PayoutsState, "create", {"venture": _afl(st), "from": start, "to": end})
    assert any("Payouts created" in t for t in toasts(events)), (events, st.create_errors)
    return st


def test_who_opens_the_page(demo: Any) -> None:
    tab = _tab(EMPLOYEE, "/incentives/payouts")
    tab.call(PayoutsState, "load")
    assert tab.session.denied_page == "incentives_payouts"
    fin = _tab(FINANCE, "/incentives/payouts")
    fin.call(PayoutsState, "load")
    st = fin.state(PayoutsState)
    assert fin.session.ready_page == "incentives_payouts"
    assert "AFL" in [o.label for o in st.create_choices]
    # FINANCE of PBP may not create AFL payouts: AFL is not offered, a direct call is refused.
    other = _tab(FINANCE_PBP, "/incentives/payouts")
    other.call(PayoutsState, "load")
    ost = other.state(PayoutsState)
    assert "AFL" not in [o.label for o in ost.create_choices]
    start, end = _period()
    before = _payouts()
    other.call(PayoutsState, "create", {"venture": _afl(st), "from": start, "to": end})
    assert _payouts() == before
    assert ost.create_err["venture"] and ost.progress_text == ""


def test_a_bad_period_is_named_under_its_field(demo: Any, reports: Path) -> None:
    tab = _tab(FINANCE, "/incentives/payouts")
    tab.call(PayoutsState, "load")
    st = tab.state(PayoutsState)
    start, end = _period()
    before = _payouts()
    tab.call(PayoutsState, "create", {"venture": _afl(st), "from": end, "to": start})
    assert "before" in st.create_err["period_end"], (st.create_err, st.create_errors)
    future = (clock.today("UTC") + timedelta(days=3)).isoformat()
    tab.call(PayoutsState, "create", {"venture": _afl(st), "from": start, "to": future})
    assert "future" in st.create_err["period_end"]
    tab.call(PayoutsState, "create", {"venture": _afl(st), "from": "", "to": end})
    assert st.create_err["period_start"]
    assert _payouts() == before and not st.creating


def test_create_review_approve_pay_export_and_the_payee_sees_it(demo: Any, reports: Path) -> None:
    tab = _tab(FINANCE, "/incentives/payouts")
    st = _create(tab)
    run_id = st.run_id
    assert run_id and st.r_status == "Calculated"
    assert st.r_payees > 0 and "$" in st.r_totals
    assert st.r_reconciled and st.r_reconciliation[0].startswith("USD: payouts $")
    assert len(st.r_hash) == 12 and st.r_report_url.endswith(f"/runs/{run_id}/html")
    assert st.may_approve and st.may_replace and st.periods[0].run_id == run_id
    # Finance's landing lists the period waiting for approval.
    home = _tab(FINANCE, "/")
    home.call(MyDayState, "load")
    assert [w.run_id for w in home.state(MyDayState).payouts_waiting] == [run_id]
    # The confirmation names the payees, the totals per currency and the hash.
    tab.call(PayoutsState, "ask_approve")
    assert st.approve_open
    assert f"Approve {st.r_payees} payees totalling $" in st.approve_text
    assert st.r_hash in st.approve_text
    events = tab.call(PayoutsState, "approve")
    assert any("Approved" in t for t in toasts(events)), (events, st.approve_error)
    assert st.r_status == "Approved" and not st.may_approve and not st.may_replace
    assert st.r_signed.startswith("Approved by") and not st.approve_open
    home.call(MyDayState, "load")
    assert home.state(MyDayState).payouts_waiting == []
    # Payroll CSV per currency.
    text = downloaded_text(tab.call(PayoutsState, "export_payroll", "USD"))
    lines = text.splitlines()
    assert lines[0].startswith("Payout ID,Person,User ID,Venture")
    assert len(lines) == 1 + sum(1 for r in st.r_payouts if r.currency == "USD")
    # Mark paid.
    tab.call(PayoutsState, "mark_all_paid")
    assert st.r_status == "Paid" and all(r.status == "Paid" for r in st.r_payouts)
    # A payee sees the payout on My incentives.
    with read_only() as uow:
        email = uow.session.execute(
            select(User.email)
            .join(IncentivePayout, IncentivePayout.user_id == User.id)
            .where(IncentivePayout.run_id == run_id)
            .limit(1)
        ).scalar_one()
    mine = _tab(email, "/incentives")
    mine.call(MyIncentivesState, "load")
    rows = mine.state(MyIncentivesState).payouts
    assert any(r.venture == "AFL" and r.status == "Paid" for r in rows), rows


def test_approval_refused_after_an_input_changed_then_void_with_a_reason(
    demo: Any, reports: Path
) -> None:
    tab = _tab(FINANCE, "/incentives/payouts")
    st = _create(tab)
    _start, end = _period()
    with unit_of_work() as uow:
        afl = uow.session.execute(select(Venture.id).where(Venture.code == "AFL")).scalar_one()
        day = (
            uow.session.execute(
                select(IncentiveDaily.id).where(
                    IncentiveDaily.venture_id == afl,
                    IncentiveDaily.business_date == date.fromisoformat(end),  # type: ignore[arg-type]
                )
            )
            .scalars()
            .first()
        )
        uow.session.execute(
            update(IncentiveDaily)
            .where(IncentiveDaily.id == day)  # type: ignore[arg-type]
            .values(amount=Decimal("9999.00"))
        )
    tab.call(PayoutsState, "ask_approve")
    events = tab.call(PayoutsState, "approve")
    assert any("refused" in t for t in toasts(events)), events
    assert "re-run" in st.approve_error.lower(), st.approve_error
    assert st.r_status == "Calculated" and not st.approve_open
    # The reconciliation now shows the difference.
    tab.call(PayoutsState, "review", st.run_id)
    assert not st.r_reconciled
    # Void one payout: a reason is required.
    row = st.r_payouts[0]
    tab.call(PayoutsState, "ask_void", row.id)
    assert st.void_open
    tab.call(PayoutsState, "void", {"reason": "  "})
    assert st.void_err["reason"] and st.void_open
    events = tab.call(PayoutsState, "void", {"reason": "left the company"})
    assert any("voided" in t for t in toasts(events)), (events, st.void_errors)
    assert not st.void_open
    voided = next(r for r in st.r_payouts if r.id == row.id)
    assert voided.status == "Void" and voided.note == "left the company"
