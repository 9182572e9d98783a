"""The real job notebooks, executed for real through the runner (papermill, the `vcc` kernel) on
small hand-made data: kpi-aggregate and housekeeping, their results contract, verify."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from sqlmodel import select

from domain import clock
from domain.db import pk, read_only, unit_of_work
from domain.errors import Forbidden
from domain.freight.models import (
    Carrier,
    Customer,
    Equipment,
    FreightKpiDaily,
    FreightQuote,
    Load,
    LoadStatus,
    QuoteStatus,
)
from domain.jobs.hashing import rows_hash
from domain.jobs.models import RunStatus, VerificationStatus
from domain.jobs.runner import run_job
from domain.jobs.tasks.kpi_aggregate import stored_rows
from domain.jobs.verify import verify_run
from domain.org.models import Office, User, Venture, VentureType
from tests.integration.jobs.conftest import actor_with_role

if TYPE_CHECKING:
    from tests.conftest import TestDatabase

DAY = date(2026, 11, 26)
NOON = datetime(2026, 11, 26, 17, 0, tzinfo=UTC)  # 12:00 in New York


def freight_world() -> dict[str, int]:
    """One freight venture, a customer, a carrier, three loads and two quotes."""
    with unit_of_work() as uow:
        s = uow.session
        v = Venture(
            code="AFL",
            slug="afl",
            name="Atlas Freight",
            type=VentureType.LOGISTICS,
            currency="USD",
            timezone="America/New_York",
        )
        s.add(v)
        s.flush()
        office = Office(venture_id=pk(v), name="New York HQ", timezone="America/New_York")
        rep = User(email="rep@example.com", name="Rep", role="CSR")  # type: ignore[arg-type]
        s.add_all([office, rep])
        s.flush()
        cust = Customer(venture_id=pk(v), name="Acme", code="ACME")
        carrier = Carrier(
            mc_number="MC1", dot_number="DOT1", name="Fast Trucks", equipment=Equipment.DRY_VAN
        )
        s.add_all([cust, carrier])
        s.flush()

        def load(
            ref: str, status: LoadStatus, bill: str | None, cost: str | None, delivered: bool
        ) -> Load:
            return Load(
                venture_id=pk(v),
                office_id=pk(office),
                reference=ref,
                customer_id=pk(cust),
                carrier_id=pk(carrier) if delivered else None,
                pickup_city="Newark",
                pickup_state="NJ",
                pickup_date=DAY,
                drop_city="Dallas",
                drop_state="TX",
                drop_date=DAY,
                equipment=Equipment.DRY_VAN,
                bill_amount=Decimal(bill) if bill else None,
                cost_amount=Decimal(cost) if cost else None,
                sales_user_id=pk(rep),
                status=status,
                created_at=NOON - timedelta(days=2),
                covered_at=NOON - timedelta(days=1) if delivered else None,
                delivered_at=NOON if delivered else None,
            )

        loads = [
            load("L1", LoadStatus.DELIVERED, "2500.00", "2100.00", True),
            load("L2", LoadStatus.DELIVERED, "1800.50", None, True),
            load("L3", LoadStatus.OPEN, None, None, False),
        ]
        s.add_all(loads)
        quote = dict(
            venture_id=pk(v),
            customer_id=pk(cust),
            sales_user_id=pk(rep),
            pickup_city="Newark",
            pickup_state="NJ",
            drop_city="Dallas",
            drop_state="TX",
            equipment=Equipment.DRY_VAN,
            quoted_rate=Decimal("1500"),
        )
        expired = FreightQuote(
            **quote,
            status=QuoteStatus.SENT,  # type: ignore[arg-type]
            expires_at=clock.now() - timedelta(hours=1),
        )
        fresh = FreightQuote(
            **quote,
            status=QuoteStatus.SENT,  # type: ignore[arg-type]
            expires_at=clock.now() + timedelta(days=1),
        )
        s.add_all([expired, fresh])
        s.flush()
        return {"venture": pk(v), "L1": pk(loads[0]), "expired": pk(expired), "fresh": pk(fresh)}


def test_kpi_aggregate_writes_rows_carrying_its_run_id(db: TestDatabase) -> None:
    world = freight_world()
    run = run_job("kpi-aggregate", business_date=DAY)
    assert run.status == RunStatus.SUCCEEDED, (run.error, run.error_cell)
    with read_only() as uow:
        row = uow.session.execute(select(FreightKpiDaily)).scalar_one()
    assert (row.venture_id, row.day, row.run_id) == (world["venture"], DAY, run.run_id)
    assert (row.loads_delivered, row.revenue, row.cost) == (
        2,
        Decimal("4300.50"),
        Decimal("2100.00"),
    )
    assert run.result_summary["freight"]["revenue"] == "4300.50" and run.result_summary["rows"] == 1
    # The output hash is the hash of the rows in the database (the runner checked it).
    assert run.output_hash == rows_hash(stored_rows(db.engine, run.run_id))[1]
    assert run.inputs["freight_load"]["count"] == 3

    # Another run later: same numbers, same output hash (no run id, no timestamps in it).
    again = run_job("kpi-aggregate", business_date=DAY, venture="AFL")
    assert again.status == RunStatus.SUCCEEDED and again.output_hash == run.output_hash
    assert again.attempt == 1  # a different key (one venture), so a first attempt

    check = verify_run(run.run_id)
    assert check.status == VerificationStatus.VERIFIED, check.message
    with unit_of_work() as uow:  # a load changes: the next verify says so, and how
        uow.session.get(Load, world["L1"]).bill_amount = Decimal("2600.00")  # type: ignore[union-attr]
    check = verify_run(run.run_id)
    assert check.status == VerificationStatus.INPUTS_CHANGED
    assert check.detail["changes"] == {
        "freight_load": {"before": 3, "after": 3, "added": 0, "removed": 0, "changed": 1}
    }


def test_kpi_aggregate_refuses_what_it_cannot_compute(db: TestDatabase) -> None:
    freight_world()
    # Operations has no KPI table; every wing with one is named.
    run = run_job("kpi-aggregate", business_date=DAY, params={"verticals": "operations"})
    assert run.status == RunStatus.FAILED
    assert run.error == (
        "JobInputError: verticals operations: not built yet "
        "(this build has freight, hospitality, saas, holdings, bpo)"
    )
    with read_only() as uow:
        assert uow.session.execute(select(FreightKpiDaily)).first() is None


def test_housekeeping_times_out_quotes(db: TestDatabase) -> None:
    world = freight_world()
    dry = run_job("housekeeping", business_date=DAY, dry_run=True)
    assert dry.status == RunStatus.SUCCEEDED and dry.result_summary["quotes_timed_out"] == 1
    live = run_job("housekeeping", business_date=DAY)
    assert live.status == RunStatus.SUCCEEDED, (live.error, live.error_cell)
    assert live.result_summary["quotes_timed_out"] == 1
    assert live.output_hash == dry.output_hash  # the same work, done this time
    with read_only() as uow:
        assert uow.session.get(FreightQuote, world["expired"]).status == QuoteStatus.NO_RESPONSE  # type: ignore[union-attr]
        assert uow.session.get(FreightQuote, world["fresh"]).status == QuoteStatus.SENT  # type: ignore[union-attr]
    # Re-verified, the inputs moved on (the quote is no longer SENT): that is what verify says.
    check = verify_run(live.run_id)
    assert check.status == VerificationStatus.INPUTS_CHANGED
    assert check.detail["changes"]["freight_quote"]["removed"] == 1


def test_the_analysis_example_runs(db: TestDatabase, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from domain.jobs.config import NOTEBOOKS_DIR
    from domain.jobs.execution import execute
    from domain.jobs.runner import _kernel_env

    freight_world()
    actor_with_role("COO")
    source = NOTEBOOKS_DIR / "analysis" / "freight_margins_by_lane.ipynb"
    ran = execute(
        source,
        tmp_path / "out.ipynb",
        {"days": 3650, "min_loads": 1, "as_user": "coo@example.com"},
        kernel_name="vcc",
        timeout_seconds=120,
        env=_kernel_env(db.engine, "analysis"),
        cwd=source.parent,
    )
    assert ran.ok, (ran.error, ran.error_cell)
    text = (tmp_path / "out.ipynb").read_text()
    assert "NJ → TX" in text and "<svg" in text


def test_the_analysis_read_follows_the_readers_scope(db: TestDatabase) -> None:
    """The analyst's frame holds what that person may open, read by the analytics reader."""
    from domain.analytics import actor_of, read_frame
    from domain.freight.analysis import delivered_loads

    freight_world()
    actor_with_role("COO")
    since = clock.now() - timedelta(days=3650)
    frames = {}
    for email in ("coo@example.com", "rep@example.com"):  # the rep is in no venture
        with read_only() as uow:
            frames[email] = read_frame(delivered_loads(uow, actor_of(email), since=since))
    assert frames["coo@example.com"].height == 2
    assert frames["coo@example.com"]["bill_c"].sum() == 430050
    assert frames["rep@example.com"].height == 0


# -- hotel RevPAR (notebooks/analysis/hotel_revpar.ipynb) ------------------------------------------


def hotel_world() -> None:
    """A hotel venture of two offices: a 10-room inn (Chelsea) and a 300-room tower (Midtown).
    November: the inn sells 10 of 10 rooms a day at 100.00, the tower 60 of 300 at 200.00; on
    31 October the tower is closed for works (0 rooms available), the inn sells 5 of 10."""
    from domain.hospitality.models import HotelKpiDaily, HotelProperty
    from domain.org.models import OfficeUser, VentureUser

    with unit_of_work() as uow:
        s = uow.session
        v = Venture(
            code="HHG",
            slug="hhg",
            name="Harbor Hotels",
            type=VentureType.HOSPITALITY,
            currency="USD",
            timezone="America/New_York",
        )
        s.add(v)
        s.flush()
        chelsea = Office(venture_id=pk(v), name="Chelsea", timezone="America/New_York")
        midtown = Office(venture_id=pk(v), name="Midtown", timezone="America/New_York")
        manager = User(email="inn.manager@example.com", name="Inn", role="OFFICE_MANAGER")  # type: ignore[arg-type]
        s.add_all([chelsea, midtown, manager])
        s.flush()
        s.add_all(
            [
                VentureUser(user_id=pk(manager), venture_id=pk(v)),
                OfficeUser(user_id=pk(manager), office_id=pk(chelsea)),
            ]
        )
        inn = HotelProperty(
            venture_id=pk(v), office_id=pk(chelsea), name="Inn", code="INN", rooms=10, city="NY"
        )
        tower = HotelProperty(
            venture_id=pk(v), office_id=pk(midtown), name="Tower", code="TWR", rooms=300, city="NY"
        )
        s.add_all([inn, tower])
        s.flush()

        def day(hotel: HotelProperty, d: date, avail: int, sold: int, price: int) -> HotelKpiDaily:
            return HotelKpiDaily(
                hotel_id=pk(hotel),
                venture_id=pk(v),
                day=d,
                rooms_available=avail,
                rooms_sold=sold,
                room_revenue=Decimal(sold * price),
                other_revenue=Decimal("5.00"),
            )

        rows = [day(inn, date(2026, 10, 31), 10, 5, 100), day(tower, date(2026, 10, 31), 0, 0, 0)]
        for i in range(30):
            d = date(2026, 11, 1) + timedelta(days=i)
            rows += [day(inn, d, 10, 10, 100), day(tower, d, 300, 60, 200)]
        s.add_all(rows)


def test_the_hotel_revpar_notebook_runs(db: TestDatabase, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from domain.jobs.config import NOTEBOOKS_DIR
    from domain.jobs.execution import execute
    from domain.jobs.runner import _kernel_env

    hotel_world()
    actor_with_role("COO")
    source = NOTEBOOKS_DIR / "analysis" / "hotel_revpar.ipynb"
    ran = execute(
        source,
        tmp_path / "out.ipynb",
        {"start": "2026-10-01", "end": "2026-11-30", "as_user": "coo@example.com"},
        kernel_name="vcc",
        timeout_seconds=120,
        env=_kernel_env(db.engine, "analysis"),
        cwd=source.parent,
    )
    assert ran.ok, (ran.error, ran.error_cell)
    text = (tmp_path / "out.ipynb").read_text()
    assert "62 hotel days of 2 hotels" in text
    # November of the venture, weighted by rooms: 70 of 310 rooms sold a day (0.225806), ADR
    # 13,000.00 / 70 = 185.71, RevPAR 13,000.00 / 310 = 41.94. The mean of the two hotels'
    # occupancies (1.0 and 0.2) is shown only beside it, as the wrong figure.
    assert "0.225806" in text and "185.71" in text and "41.94" in text
    assert "mean_of_hotels (wrong)" in text and "<svg" in text


def test_the_hotel_read_follows_the_readers_scope(db: TestDatabase) -> None:
    """The analyst's frame holds the hotel days that person may open, and the months are ratios
    of sums: the tower's closed day gives no RevPAR, never 0."""
    from domain.analytics import actor_of, read_frame
    from domain.hospitality.analysis import by_month, hotel_days

    hotel_world()
    actor_with_role("COO")
    with unit_of_work() as uow:  # finance of no venture; a CSR (no hotel numbers for the role)
        uow.session.add(User(email="fin@example.com", name="Fin", role="FINANCE"))  # type: ignore[arg-type]
        uow.session.add(User(email="csr@example.com", name="Csr", role="CSR"))  # type: ignore[arg-type]
    frames = {}
    for email in ("coo@example.com", "inn.manager@example.com", "fin@example.com"):
        with read_only() as uow:
            query = hotel_days(
                uow, actor_of(email), start=date(2026, 10, 1), end=date(2026, 11, 30)
            )
        frames[email] = read_frame(query)
    with read_only() as uow, pytest.raises(Forbidden):
        hotel_days(uow, actor_of("csr@example.com"), start=date(2026, 10, 1), end=DAY)
    assert frames["coo@example.com"].height == 62
    assert set(frames["inn.manager@example.com"]["hotel"]) == {"INN"}  # the office's hotel only
    assert frames["inn.manager@example.com"].height == 31
    assert frames["fin@example.com"].height == 0

    months = by_month(frames["coo@example.com"], ["venture", "currency", "hotel"])
    tower = {r["month"]: r for r in months.iter_rows(named=True) if r["hotel"] == "TWR"}
    october = tower[date(2026, 10, 1)]
    assert (october["available"], october["occupancy"], october["revpar"]) == (0, None, None)
    venture = by_month(frames["coo@example.com"], ["venture", "currency"]).row(1, named=True)
    assert (venture["available"], venture["sold"]) == (9300, 2100)
    assert (venture["occupancy"], venture["adr"], venture["revpar"]) == (
        0.225806,
        Decimal("185.71"),
        Decimal("41.94"),
    )


# -- BPO funnel (notebooks/analysis/bpo_funnel.ipynb) ---------------------------------------------


def bpo_world() -> None:
    """A BPO venture in Kolkata (INR): agents Asha and Bo. On 10 November: Loans, Asha 10 calls
    (4 connects, 2 appointments, 1 deal of 5,000), Bo 10 calls (6 connects, 3 appointments, 3
    deals of 1,000); Cards, Asha 5 calls, none connected. Two more unanswered Cards calls of Bo
    around the start of 1 November in Kolkata: 01:30 there (1 November, counted from that date)
    and 23:30 there the evening before (31 October, left out)."""
    from domain.bpo.models import BpoAgent, BpoCallLog, BpoCampaign
    from domain.org.models import VentureUser

    with unit_of_work() as uow:
        s = uow.session
        v = Venture(
            code="PBP",
            slug="pbp",
            name="Pinnacle",
            type=VentureType.BPO,
            currency="INR",
            timezone="Asia/Kolkata",
        )
        s.add(v)
        s.flush()
        office = Office(venture_id=pk(v), name="Salt Lake", timezone="Asia/Kolkata")
        asha = User(email="asha@example.com", name="Asha", role="EMPLOYEE")  # type: ignore[arg-type]
        bo = User(email="bo@example.com", name="Bo", role="EMPLOYEE")  # type: ignore[arg-type]
        s.add_all([office, asha, bo])
        s.flush()
        s.add_all([VentureUser(user_id=pk(u), venture_id=pk(v)) for u in (asha, bo)])
        loans = BpoCampaign(venture_id=pk(v), office_id=pk(office), name="Loans", client="L")
        cards = BpoCampaign(venture_id=pk(v), office_id=pk(office), name="Cards", client="C")
        s.add_all([loans, cards])
        s.flush()
        agents = {}
        for user in (asha, bo):
            for campaign in (loans, cards):
                a = BpoAgent(user_id=pk(user), venture_id=pk(v), campaign_id=pk(campaign))
                s.add(a)
                s.flush()
                agents[(user.name, campaign.name)] = a
        noon = datetime(2026, 11, 10, 6, 30, tzinfo=UTC)  # 12:00 in Kolkata

        def calls(
            who: str,
            campaign: str,
            n: int,
            connects: int,
            appts: int,
            deals: int,
            revenue: int,
            at: datetime = noon,
        ) -> list[BpoCallLog]:
            a = agents[(who, campaign)]
            return [
                BpoCallLog(
                    venture_id=pk(v),
                    agent_id=pk(a),
                    campaign_id=a.campaign_id,
                    started_at=at + timedelta(minutes=i),
                    ended_at=at + timedelta(minutes=i, seconds=30),
                    connected=i < connects,
                    appointment_set=i < appts,
                    deal_won=i < deals,
                    revenue=Decimal(revenue if i < deals else 0),
                )
                for i in range(n)
            ]

        s.add_all(
            calls("Asha", "Loans", 10, 4, 2, 1, 5000)
            + calls("Bo", "Loans", 10, 6, 3, 3, 1000)
            + calls("Asha", "Cards", 5, 0, 0, 0, 0)
            + calls("Bo", "Cards", 1, 0, 0, 0, 0, datetime(2026, 10, 31, 20, 0, tzinfo=UTC))
            + calls("Bo", "Cards", 1, 0, 0, 0, 0, datetime(2026, 10, 31, 18, 0, tzinfo=UTC))
        )


def test_the_bpo_funnel_notebook_runs(db: TestDatabase, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from domain.jobs.config import NOTEBOOKS_DIR
    from domain.jobs.execution import execute
    from domain.jobs.runner import _kernel_env

    bpo_world()
    actor_with_role("COO")
    source = NOTEBOOKS_DIR / "analysis" / "bpo_funnel.ipynb"
    ran = execute(
        source,
        tmp_path / "out.ipynb",
        {"start": "2026-11-01", "end": "2026-11-30", "as_user": "coo@example.com"},
        kernel_name="vcc",
        timeout_seconds=120,
        env=_kernel_env(db.engine, "analysis"),
        cwd=source.parent,
    )
    assert ran.ok, (ran.error, ran.error_cell)
    text = (tmp_path / "out.ipynb").read_text()
    assert "26 calls of 2 agents" in text  # the call of 31 October in Kolkata left out
    # Loans: 20 dials, 10 connects, 4 deals: connect rate 0.5, conversion 0.4, 8,000.00
    assert "8000.00" in text and "<svg" in text and "Conversion % by campaign" in text


def test_the_funnel_is_ratios_of_sums_in_the_readers_scope(db: TestDatabase) -> None:
    """Conversion = deals / connects of the sums (Loans: 4 / 10, not the mean of Asha's 1/4 and
    Bo's 3/6); a campaign without a connect has no conversion (null, never 0); an agent reads
    only their own calls."""
    from domain.analytics import actor_of, read_frame
    from domain.bpo.analysis import call_facts, frame, funnel

    bpo_world()
    actor_with_role("COO")
    start, end = date(2026, 11, 1), date(2026, 11, 30)
    frames = {}
    for email in ("coo@example.com", "asha@example.com"):
        with read_only() as uow:
            query = call_facts(uow, actor_of(email), start=start, end=end)
        frames[email] = frame(read_frame(query), start, end)
    assert frames["asha@example.com"].height == 15  # her own: 10 Loans, 5 Cards
    by_campaign = {
        r["campaign"]: r for r in funnel(frames["coo@example.com"], ["campaign"]).to_dicts()
    }
    loans, cards = by_campaign["Loans"], by_campaign["Cards"]
    assert (loans["dials"], loans["connects"], loans["deals"]) == (20, 10, 4)
    assert loans["connect_rate"] == 0.5 and loans["conversion"] == 0.4
    assert loans["appointment_rate"] == 0.5 and loans["revenue"] == Decimal("8000.00")
    assert cards["calls"] == 6 and cards["connects"] == 0 and cards["conversion"] is None
    by_agent = {
        (r["agent"], r["campaign"]): r["conversion"]
        for r in funnel(frames["coo@example.com"], ["agent", "campaign"]).to_dicts()
    }
    assert by_agent[("Asha", "Loans")] == 0.25 and by_agent[("Bo", "Loans")] == 0.5
