"""The incentive pages at the state level: who may open them, what My incentives shows (each day
explained, the report link only when the domain lets the reader open it), the rule editor's
errors next to each field as the draft changes, the what-if preview, the dry run, and refusals
to clients calling handlers directly."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from domain import clock
from domain.db import read_only
from domain.incentives.models import IncentiveDaily, IncentivePlan, IncentiveRule
from domain.org.models import User, Venture
from rxapp.state.incentive_commit import IncentiveCommitState
from rxapp.state.incentive_plans import IncentivePlansState
from rxapp.state.incentives import MyIncentivesState, VentureIncentivesState
from rxapp.state.ventures import MyDayState
from tests.rx.conftest import Tab, downloaded_text, toasts

FINANCE = "finance@vcc.example"
FINANCE_PBP = "finance.india@vcc.example"
EMPLOYEE = "frontdesk.hhg@vcc.example"


def _tab(email: str, path: str) -> Tab:
    tab = Tab(path)
    tab.login(email)
    return tab


def _credited() -> tuple[str, str]:
    """(email, month) of a user with committed rows in AFL, and the month of their last row."""
    with read_only() as uow:
        s = uow.session
        afl = s.execute(select(Venture.id).where(Venture.code == "AFL")).scalar_one()
        user_id, last = s.execute(
            select(IncentiveDaily.user_id, func.max(IncentiveDaily.business_date))
            .where(IncentiveDaily.venture_id == afl)
            .group_by(IncentiveDaily.user_id)
            .order_by(IncentiveDaily.user_id)
        ).first()
        email = s.execute(select(User.email).where(User.id == user_id)).scalar_one()
    return email, last.strftime("%Y-%m")


def _rows() -> int:
    with read_only() as uow:
        return uow.session.execute(select(func.count()).select_from(IncentiveDaily)).scalar_one()


def _miles_slab() -> tuple[int, int]:
    with read_only() as uow:
        s = uow.session
        return s.execute(
            select(IncentivePlan.id, IncentiveRule.id)
            .join(IncentiveRule, IncentiveRule.plan_id == IncentivePlan.id)
            .join(Venture, Venture.id == IncentivePlan.venture_id)
            .where(Venture.code == "AFL", IncentiveRule.name == "Miles slab")
        ).one()


def test_my_incentives_shows_each_day_explained(demo: Any) -> None:
    email, month = _credited()
    tab = _tab(email, "/incentives")
    tab.call(MyIncentivesState, "load")
    tab.call(MyIncentivesState, "choose_month", month)
    st = tab.state(MyIncentivesState)
    assert tab.session.ready_page == "my_incentives"
    assert st.month == month
    assert st.days, "the credited user has days in that month"
    day = st.days[0]
    assert day.lines and all("under rule '" in line for line in day.lines)
    assert day.amount.startswith("$")
    # Seeded days are not job runs: the run id shows, no report link.
    assert day.run_id and day.run_url == ""
    assert any(r.venture == "AFL" for r in st.months)


def test_my_day_card_shows_this_month_per_currency(demo: Any) -> None:
    email, month = _credited()
    tab = _tab(email, "/")
    tab.call(MyDayState, "load")
    totals = tab.state(MyDayState).incentives
    if month == clock.today("UTC").strftime("%Y-%m"):
        assert totals and all(t.startswith(("$", "₹")) for t in totals)


def test_pages_refused_to_an_employee(demo: Any) -> None:
    tab = _tab(EMPLOYEE, "/incentives/plans")
    tab.call(IncentivePlansState, "load")
    assert tab.session.denied_page == "incentives_plans"
    tab.navigate("/incentives/commit")
    tab.call(IncentiveCommitState, "load")
    assert tab.session.denied_page == "incentives_commit"
    tab.navigate("/incentives/venture")
    tab.call(VentureIncentivesState, "load")
    assert tab.session.denied_page == "incentives_venture"
    # A client calling the commit handlers directly writes nothing.
    before = _rows()
    tab.call(IncentiveCommitState, "dry_run", {"venture": "1", "date": "2026-01-05"})
    tab.state(IncentiveCommitState).dry_key = "1|2026-01-05"
    events = tab.call(IncentiveCommitState, "commit")
    assert _rows() == before
    assert tab.state(IncentiveCommitState).result_run_id == ""
    del events


def test_venture_incentives_for_finance_with_csv(demo: Any) -> None:
    tab = _tab(FINANCE, "/incentives/venture")
    tab.call(VentureIncentivesState, "load")
    st = tab.state(VentureIncentivesState)
    assert tab.session.ready_page == "incentives_venture"
    assert [o.label for o in st.choices][:1] == ["AFL"]
    end = clock.today("UTC") - timedelta(days=1)
    start = end - timedelta(days=20)
    afl = st.choices[0].value
    tab.call(
        VentureIncentivesState,
        "apply",
        {"venture": afl, "from": start.isoformat(), "to": end.isoformat()},
    )
    assert st.users and st.series and "$" in st.totals
    text = downloaded_text(tab.call(VentureIncentivesState, "export_csv"))
    assert text.splitlines()[0] == "User,Currency,Amount,Days"
    # A bad range is named under the date field, not a crash.
    tab.call(
        VentureIncentivesState,
        "apply",
        {"venture": afl, "from": end.isoformat(), "to": start.isoformat()},
    )
    assert st.range_error


def test_rule_editor_checks_as_typed_previews_and_saves(demo: Any) -> None:
    plan_id, rule_id = _miles_slab()
    tab = _tab(FINANCE, "/incentives/plans")
    tab.call(IncentivePlansState, "load")
    st = tab.state(IncentivePlansState)
    assert any(p.name.startswith("AFL") and p.can_manage for p in st.plans)
    tab.call(IncentivePlansState, "edit_rule", plan_id, rule_id)
    assert st.rule_open and st.rule_valid and len(st.tiers) == 3
    # Overlapping tiers: the message sits next to tier 2's "from".
    tab.call(IncentivePlansState, "edit_tier", 1, "start", "900")
    assert not st.rule_valid
    assert "overlap" in st.tiers[1].err_start
    assert st.tiers[0].err_start == "" and st.e_rate == ""
    # A bad rate on a rate calc type: named under the rate field.
    tab.call(IncentivePlansState, "edit_tier", 1, "start", "1000")
    assert st.rule_valid and st.tiers[1].err_start == ""
    tab.call(IncentivePlansState, "edit_tier", 2, "rate", "0.05")
    before = _rows()
    tab.call(IncentivePlansState, "preview")
    assert st.previewed and st.preview_rows and "$" in st.preview_totals
    assert _rows() == before  # the preview writes nothing
    events = tab.call(IncentivePlansState, "save_rule")
    assert any("saved" in t for t in toasts(events)), events
    assert not st.rule_open
    with read_only() as uow:
        rule = uow.session.get(IncentiveRule, rule_id)
        assert rule is not None
        assert rule.config["tiers"][2]["rate"] == "0.05"


def test_rule_editor_names_config_fields(demo: Any) -> None:
    plan_id, _ = _miles_slab()
    tab = _tab(FINANCE, "/incentives/plans")
    tab.call(IncentivePlansState, "load")
    st = tab.state(IncentivePlansState)
    tab.call(IncentivePlansState, "new_rule", plan_id)
    tab.call(IncentivePlansState, "edit_field", "r_name", "Target")
    tab.call(IncentivePlansState, "edit_field", "r_metric", "loads_delivered")
    tab.call(IncentivePlansState, "edit_field", "r_calc", "BONUS_ON_TARGET")
    tab.call(IncentivePlansState, "edit_field", "r_threshold", "0")
    tab.call(IncentivePlansState, "edit_field", "r_bonus", "25")
    assert "more than 0" in st.e_threshold and st.e_bonus == ""
    tab.call(IncentivePlansState, "edit_field", "r_calc", "PERCENT_OF_METRIC")
    tab.call(IncentivePlansState, "edit_field", "r_rate", "-1")
    assert st.e_rate and st.e_threshold == ""
    # A field name the client invents is ignored.
    tab.call(IncentivePlansState, "edit_field", "rule_plan_id", "1")
    assert st.rule_plan_id == plan_id


def test_dry_run_shows_rows_and_scope_refuses(demo: Any) -> None:
    tab = _tab(FINANCE, "/incentives/commit")
    tab.call(IncentiveCommitState, "load")
    st = tab.state(IncentiveCommitState)
    afl = next(o.value for o in st.choices if o.label == "AFL")
    day = (clock.today("UTC") - timedelta(days=2)).isoformat()
    before = _rows()
    tab.call(IncentiveCommitState, "dry_run", {"venture": afl, "date": day})
    assert st.dry_key == f"{afl}|{day}" and st.dry_count == len(st.dry_rows)
    assert st.dry_rows and st.dry_rows[0].lines
    future = (clock.today("UTC") + timedelta(days=3)).isoformat()
    tab.call(IncentiveCommitState, "dry_run", {"venture": afl, "date": future})
    assert "future" in st.err_date and st.dry_key == ""
    assert _rows() == before
    # FINANCE of PBP: AFL is outside scope (not in the list; a direct call is refused).
    other = _tab(FINANCE_PBP, "/incentives/commit")
    other.call(IncentiveCommitState, "load")
    ost = other.state(IncentiveCommitState)
    assert "AFL" not in [o.label for o in ost.choices]
    other.call(IncentiveCommitState, "dry_run", {"venture": afl, "date": day})
    assert ost.dry_key == "" and (ost.form_error or ost.err_venture)


def test_my_incentives_explains_a_recomputed_day(
    demo: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    """A day recomputed after a load of mine changed: My incentives says why, naming the load."""
    from decimal import Decimal

    from sqlalchemy import update

    from domain.db import unit_of_work
    from domain.freight.models import Load
    from domain.incentives import services
    from domain.jobs.config import reset_job_settings
    from domain.settings import reset_settings
    from tests.helpers import actor
    from tests.integration.incentives.conftest import busiest_day, delivered

    monkeypatch.setenv("VCC_REPORTS_DIR", str(tmp_path / "reports"))
    reset_settings()
    reset_job_settings()
    csr = "csr.afl@vcc.example"
    day = busiest_day("AFL", csr)
    assert services.commit(actor(FINANCE), "AFL", day, dry_run=False).status == "SUCCEEDED"
    load = delivered("AFL", csr, day)[0]
    with unit_of_work() as uow:
        uow.session.execute(
            update(Load)
            .where(Load.id == load.id)  # type: ignore[arg-type]
            .values(cost_amount=Decimal(str(load.cost_amount or 0)) + Decimal("100.00"))
        )
    assert services.commit(actor(FINANCE), "AFL", day, dry_run=False).status == "SUCCEEDED"

    tab = _tab(csr, "/incentives")
    tab.call(MyIncentivesState, "load")
    tab.call(MyIncentivesState, "choose_month", day.strftime("%Y-%m"))
    [change] = tab.state(MyIncentivesState).changes
    assert f"your {day.day} {day:%b} amount fell from" in change
    assert "because load margin fell from" in change
    assert change.endswith(f"load {load.reference} changed")
    reset_settings()
    reset_job_settings()
