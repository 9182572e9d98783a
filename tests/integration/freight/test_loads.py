"""Loads through the services on SQLite and PostgreSQL: create and edit with field errors, every
stamp of the status changes, the carrier rule of COVERED, the venture-type rule, history."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from domain import clock
from domain.access.models import AuditLog
from domain.db import read_only, unit_of_work
from domain.errors import Conflict, Invalid, NotFound
from domain.freight import queries, services
from domain.freight.models import Load, LoadEvent, LoadStatus
from tests.helpers import actor, office_id, user_id, venture_id
from tests.integration.freight.conftest import (
    customer_of,
    load_data,
    make_carrier,
    make_load,
)

L = LoadStatus


def test_create_load_defaults_and_history(demo) -> None:
    csr = actor("csr.afl@vcc.example")
    load = make_load(csr, customer_id=customer_of("AFL"), bill_amount="2500.00", cost_amount=None)
    assert load.status is L.OPEN
    assert load.sales_user_id == csr.user_id  # the creator is credited by default
    assert load.reference.startswith("AFL-")
    assert load.margin == Decimal("2500.00") and load.margin_pct == Decimal("1.000000")
    with read_only() as uow:
        detail = queries.get_load_detail(uow, csr, load.id)
        audits = uow.session.execute(
            select(func.count()).where(
                AuditLog.action == "freight.load.created", AuditLog.entity_id == str(load.id)
            )
        ).scalar_one()
    assert [(e.from_status, e.to_status) for e in detail.timeline] == [(None, L.OPEN)]
    assert [o.status for o in detail.allowed_transitions] == [L.WORKING, L.DORMANT, L.LOST]
    assert detail.can_edit and audits == 1


def test_create_load_field_errors_write_nothing(demo) -> None:
    csr = actor("csr.afl@vcc.example")
    taken = make_load(csr).reference
    with read_only() as uow:
        before = uow.session.execute(select(func.count()).select_from(Load)).scalar_one()
    with pytest.raises(Invalid) as err, unit_of_work() as uow:
        services.create_load(
            uow,
            csr,
            load_data(
                office_id=office_id("AFL", "Newark Desk"),  # not one of the CSR's offices
                customer_id=customer_of("MBR"),  # another venture's customer
                reference=taken,
                drop_date="2026-11-01",
                sales_user_id=user_id("csr.mbr@vcc.example"),
            ),
        )
    assert set(err.value.fields) == {"office_id", "customer_id", "drop_date", "sales_user_id"}
    # A reference already taken is a conflict (409) once the input is valid, named too.
    with pytest.raises(Conflict) as dup, unit_of_work() as uow:
        services.create_load(uow, csr, load_data(reference=taken))
    assert set(dup.value.fields) == {"reference"}
    with read_only() as uow:
        assert uow.session.execute(select(func.count()).select_from(Load)).scalar_one() == before


def test_hospitality_venture_cannot_hold_a_load(demo) -> None:
    with pytest.raises(Invalid) as err, unit_of_work() as uow:
        services.create_load(
            uow,
            actor("ceo@vcc.example"),
            load_data(venture_id=venture_id("HHG"), office_id=office_id("HHG", "Midtown Hotels")),
        )
    assert "HOSPITALITY" in err.value.fields["venture_id"]
    with pytest.raises(Invalid), unit_of_work() as uow:
        services.create_customer(
            uow,
            actor("ceo@vcc.example"),
            {"venture_id": venture_id("HHG"), "name": "Hotel guest", "code": "G1"},
        )


def test_a_load_in_a_hospitality_venture_is_never_shown(demo) -> None:
    """Even a row written around the services (a bad import) stays invisible."""
    ceo = actor("ceo@vcc.example")
    good = make_load(ceo)
    with unit_of_work() as uow:
        row = uow.session.get(Load, good.id)
        assert row is not None
        row.venture_id = venture_id("HHG")
    with read_only() as uow:
        ids = {x.id for x in queries.list_loads(uow, ceo, limit=200).items}
        assert good.id not in ids
        with pytest.raises(NotFound):
            queries.get_load_detail(uow, ceo, good.id)
        assert (
            queries.list_loads(uow, ceo, queries.LoadFilter(venture_id=venture_id("HHG"))).items
            == []
        )


def test_edit_load(demo) -> None:
    csr = actor("csr.afl@vcc.example")
    load = make_load(csr)
    with unit_of_work() as uow:
        view = services.update_load(uow, csr, load.id, {"bill_amount": "3100.50", "miles": 900})
    assert view.bill_amount == Decimal("3100.50") and view.miles == 900
    with pytest.raises(Invalid) as err, unit_of_work() as uow:
        services.update_load(uow, csr, load.id, {"drop_date": "2026-11-01", "pickup_state": "XX"})
    assert set(err.value.fields) == {"pickup_state"}  # schema errors first, nothing written
    with pytest.raises(Invalid) as err, unit_of_work() as uow:
        services.update_load(uow, csr, load.id, {"drop_date": "2026-11-01"})
    assert set(err.value.fields) == {"drop_date"}
    with pytest.raises(Invalid) as err, unit_of_work() as uow:
        services.update_load(uow, csr, load.id, {"sales_user_id": user_id("ceo@vcc.example")})
    assert "sales_user_id" in err.value.fields  # only managers reassign credit


def test_full_lifecycle_stamps(demo) -> None:
    ceo = actor("ceo@vcc.example")
    load = make_load(ceo, bill_amount="15000.00")
    carrier = make_carrier()
    with unit_of_work() as uow:
        services.transition_load(uow, ceo, load.id, {"status": "WORKING"})
    with unit_of_work() as uow:
        v = services.cover_load(uow, ceo, load.id, carrier.id, cost_amount=Decimal("12000.00"))
    assert v.status is L.COVERED and v.carrier_id == carrier.id and v.covered_at is not None
    assert v.cost_amount == Decimal("12000.00") and v.margin == Decimal("3000.00")
    with unit_of_work() as uow:
        services.transition_load(uow, ceo, load.id, {"status": "IN_TRANSIT"})
    with unit_of_work() as uow:
        v = services.deliver_load(uow, ceo, load.id)
    assert v.status is L.DELIVERED and v.delivered_at is not None
    with read_only() as uow:
        tz = uow.session.get(Load, load.id).venture_id  # type: ignore[union-attr]
    assert v.billing_date == clock.business_date(v.delivered_at, "America/New_York")
    assert tz == venture_id("AFL")
    with read_only() as uow:
        detail = queries.get_load_detail(uow, ceo, load.id)
    assert [e.to_status for e in detail.timeline] == [
        L.OPEN,
        L.WORKING,
        L.COVERED,
        L.IN_TRANSIT,
        L.DELIVERED,
    ]
    assert detail.allowed_transitions == [] and not detail.can_edit
    with pytest.raises(Conflict, match="final"), unit_of_work() as uow:
        services.transition_load(uow, ceo, load.id, {"status": "LOST", "lost_reason": "RATE"})
    with pytest.raises(Conflict), unit_of_work() as uow:
        services.update_load(uow, ceo, load.id, {"miles": 5})


def test_refused_transition_and_no_op(demo) -> None:
    ceo = actor("ceo@vcc.example")
    load = make_load(ceo)
    with pytest.raises(Conflict, match="OPEN to DELIVERED"), unit_of_work() as uow:
        services.transition_load(uow, ceo, load.id, {"status": "DELIVERED"})
    with unit_of_work() as uow:
        same = services.transition_load(uow, ceo, load.id, {"status": "OPEN"})
    assert same.status is L.OPEN
    with read_only() as uow:
        n = uow.session.execute(
            select(func.count()).where(col(LoadEvent.load_id) == load.id)
        ).scalar_one()
    assert n == 1  # the no-op wrote no history


def test_lost_needs_a_reason(demo) -> None:
    ceo = actor("ceo@vcc.example")
    load = make_load(ceo)
    with pytest.raises(Invalid) as err, unit_of_work() as uow:
        services.transition_load(uow, ceo, load.id, {"status": "LOST"})
    assert "lost_reason" in err.value.fields
    with pytest.raises(Invalid) as err, unit_of_work() as uow:
        services.transition_load(uow, ceo, load.id, {"status": "WORKING", "lost_reason": "RATE"})
    assert "lost_reason" in err.value.fields
    with unit_of_work() as uow:
        v = services.mark_load_lost(uow, ceo, load.id, "CAPACITY", "no trucks")
    assert (v.status, v.lost_reason, v.lost_note) == (L.LOST, "CAPACITY", "no trucks")
    assert v.lost_at is not None


@pytest.mark.parametrize(
    ("problem", "message"),
    [
        ({"blocked": True}, "blocked"),
        ({"inactive": True}, "inactive"),
        ({"authority": "REVOKED"}, "authority"),
        ({"rating": "UNSATISFACTORY"}, "UNSATISFACTORY"),
        ({"insurance": False}, "insurance"),
    ],
)
def test_cover_needs_an_eligible_carrier(demo, problem: dict, message: str) -> None:
    ceo = actor("ceo@vcc.example")
    load = make_load(ceo)
    carrier = make_carrier()
    with unit_of_work() as uow:
        if problem.get("blocked"):
            services.set_carrier_blocked(uow, ceo, carrier.id, {"blocked": True, "reason": "fraud"})
        if problem.get("inactive"):
            services.update_carrier(uow, ceo, carrier.id, {"is_active": False})
        if {"authority", "rating", "insurance"} & set(problem):
            services.record_fmcsa_snapshot(
                uow,
                ceo,
                carrier.id,
                {
                    "authority_status": problem.get("authority", "ACTIVE"),
                    "safety_rating": problem.get("rating", "SATISFACTORY"),
                    "insurance_on_file": problem.get("insurance", True),
                },
            )
        services.transition_load(uow, ceo, load.id, {"status": "WORKING"})
    with pytest.raises(Invalid) as err, unit_of_work() as uow:
        services.cover_load(uow, ceo, load.id, carrier.id)
    assert message in err.value.fields["carrier_id"]
    with pytest.raises(Invalid) as err, unit_of_work() as uow:
        services.cover_load(uow, ceo, load.id, None)
    assert "required" in err.value.fields["carrier_id"]
    with read_only() as uow:
        assert uow.session.get(Load, load.id).status is L.WORKING  # type: ignore[union-attr]
        view = queries.carrier_view(uow.session.get(queries.Carrier, carrier.id))  # type: ignore[arg-type]
    assert view.eligible is False and message in (view.ineligible_reason or "")


def test_fell_off_clears_the_carrier(demo) -> None:
    ceo = actor("ceo@vcc.example")
    load = make_load(ceo)
    first, second = make_carrier(), make_carrier()
    with unit_of_work() as uow:
        services.transition_load(uow, ceo, load.id, {"status": "WORKING"})
        services.cover_load(uow, ceo, load.id, first.id)
    with unit_of_work() as uow:
        v = services.transition_load(uow, ceo, load.id, {"status": "FELL_OFF"})
    assert v.carrier_id is None
    with unit_of_work() as uow:
        v = services.cover_load(uow, ceo, load.id, second.id)
    assert v.carrier_id == second.id


def test_delivered_at_cannot_be_in_the_future(demo) -> None:
    ceo = actor("ceo@vcc.example")
    load, carrier = make_load(ceo), make_carrier()
    with unit_of_work() as uow:
        services.transition_load(uow, ceo, load.id, {"status": "WORKING"})
        services.cover_load(uow, ceo, load.id, carrier.id)
    with pytest.raises(Invalid) as err, unit_of_work() as uow:
        services.deliver_load(uow, ceo, load.id, clock.now() + timedelta(hours=2))
    assert "future" in err.value.fields["delivered_at"]


def test_roles_that_may_not_change_loads(demo) -> None:
    load = make_load("ceo@vcc.example")
    for email in ("auditor@vcc.example", "finance@vcc.example", "carriers.afl@vcc.example"):
        who = actor(email)
        with read_only() as uow:  # they may read it (carrier team: it is on the coverage board)
            assert queries.get_load_detail(uow, who, load.id).allowed_transitions == []
        with pytest.raises(Exception) as err, unit_of_work() as uow:
            services.transition_load(uow, who, load.id, {"status": "WORKING"})
        assert type(err.value).__name__ in ("Forbidden", "NotFound")
