"""The real job notebooks, executed for real through the runner (papermill, the `vcc` kernel) on
small hand-made data: kpi-aggregate and housekeeping, their results contract, verify."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlmodel import select

from domain import clock
from domain.db import pk, read_only, unit_of_work
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
    run = run_job("kpi-aggregate", business_date=DAY, params={"verticals": "bpo"})
    assert run.status == RunStatus.FAILED
    assert run.error == (
        "JobInputError: verticals bpo: not built yet (this build has freight, hospitality)"
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
