"""Scope: a CSR of venture B cannot list, read or change a load of venture A through any query or
service; inside their venture, non-manager roles see only their own loads."""

import pytest
from sqlmodel import select

from domain.db import read_only, unit_of_work
from domain.errors import Forbidden, NotFound
from domain.freight import queries, services
from domain.freight.models import Load
from domain.freight.queries import LoadFilter
from tests.helpers import actor, user_id, venture_id
from tests.integration.freight.conftest import make_carrier, make_load


def _all_ids(who, filters: LoadFilter | None = None) -> set[int]:
    ids: set[int] = set()
    cursor = None
    while True:
        with read_only() as uow:
            page = queries.list_loads(uow, who, filters, cursor=cursor, limit=200)
        ids |= {x.id for x in page.items}
        if not page.has_more:
            return ids
        cursor = page.next_cursor


def test_csr_of_another_venture_cannot_touch_a_load(demo) -> None:
    load = make_load("ceo@vcc.example")  # AFL
    carrier = make_carrier()
    csr_b = actor("csr.mbr@vcc.example")  # MBR only
    assert load.id not in _all_ids(csr_b)
    assert load.id not in _all_ids(csr_b, LoadFilter(venture_id=venture_id("AFL")))
    assert _all_ids(csr_b, LoadFilter(venture_id=venture_id("AFL"))) == set()
    with read_only() as uow:
        with pytest.raises(NotFound) as missing:
            queries.get_load_detail(uow, csr_b, load.id)
        with pytest.raises(NotFound) as really_missing:
            queries.get_load_detail(uow, csr_b, 987_654_321)
    assert missing.value.message == really_missing.value.message.replace("987654321", str(load.id))
    calls = [
        lambda uow: services.update_load(uow, csr_b, load.id, {"miles": 1}),
        lambda uow: services.transition_load(uow, csr_b, load.id, {"status": "WORKING"}),
        lambda uow: services.cover_load(uow, csr_b, load.id, carrier.id),
        lambda uow: services.deliver_load(uow, csr_b, load.id),
        lambda uow: services.mark_load_lost(uow, csr_b, load.id, "RATE"),
        lambda uow: services.send_outreach(
            uow,
            csr_b,
            {"load_id": load.id, "channel": "SMS", "carrier_ids": [carrier.id], "body": "hi"},
        ),
        lambda uow: queries.eligible_carriers_for_load(uow, csr_b, load.id),
    ]
    for call in calls:
        with pytest.raises(NotFound), unit_of_work() as uow:
            call(uow)
    with read_only() as uow:
        row = uow.session.execute(select(Load).where(Load.id == load.id)).scalar_one()
    assert row.status.value == "OPEN" and row.miles == 800  # nothing changed


def test_csr_creating_in_another_venture_is_not_found(demo) -> None:
    from tests.integration.freight.conftest import load_data

    with pytest.raises(NotFound), unit_of_work() as uow:
        services.create_load(uow, actor("csr.mbr@vcc.example"), load_data("AFL"))


def test_non_manager_sees_own_loads_only(demo) -> None:
    csr = actor("csr.afl@vcc.example")
    mine = make_load(csr)
    others = make_load("ceo@vcc.example")  # sold by the CEO, customer not assigned to the CSR
    with unit_of_work() as uow:
        customer = uow.session.get(queries.Customer, others.customer_id)
        assert customer is not None
        customer.sales_user_id, customer.csr_user_id = user_id("ceo@vcc.example"), None
    seen = _all_ids(csr)
    assert mine.id in seen and others.id not in seen
    with read_only() as uow:
        rows = uow.session.execute(
            select(Load).where(Load.id.in_(seen))  # type: ignore[attr-defined]
        ).scalars()
        for row in rows:
            assert csr.user_id in (
                row.sales_user_id,
                row.created_by_id,
                row.dispatcher_user_id,
            ) or (_customer_assigned(row.customer_id, csr.user_id))
        with pytest.raises(NotFound):
            queries.get_load_detail(uow, csr, others.id)


def _customer_assigned(customer_id: int, uid: int) -> bool:
    with read_only() as uow:
        c = uow.session.get(queries.Customer, customer_id)
        return c is not None and uid in (c.sales_user_id, c.csr_user_id)


def test_manager_sees_the_whole_venture_and_nothing_else(demo) -> None:
    head = actor("head.freight@vcc.example")  # AFL, MBR, RTR
    lead = actor("lead.mbr@vcc.example")  # MBR, office Jersey City
    afl = make_load("ceo@vcc.example")
    head_ids = _all_ids(head)
    assert afl.id in head_ids
    lead_ids = _all_ids(lead)
    assert afl.id not in lead_ids and lead_ids
    with read_only() as uow:
        assert {
            r.venture_id
            for r in uow.session.execute(
                select(Load).where(Load.id.in_(lead_ids))  # type: ignore[attr-defined]
            ).scalars()
        } == {venture_id("MBR")}


def test_roles_without_freight(demo) -> None:
    for email in ("hr@vcc.example", "contractor.pbp@vcc.example"):
        with read_only() as uow, pytest.raises(Forbidden):
            queries.list_loads(uow, actor(email))
    # An employee of the hotels sees no freight rows even though the role may read loads.
    assert _all_ids(actor("frontdesk.hhg@vcc.example")) == set()


def test_dispatcher_sees_the_coverage_board_of_their_ventures(demo) -> None:
    dispatcher = actor("dispatch.rtr@vcc.example")  # RTR and AFL
    board = _all_ids(dispatcher, LoadFilter(needs_cover=True, venture_id=venture_id("AFL")))
    with read_only() as uow:
        expected = set(
            uow.session.execute(
                select(Load.id).where(
                    Load.venture_id == venture_id("AFL"),
                    Load.status.in_(["OPEN", "WORKING", "AT_RISK", "FELL_OFF"]),  # type: ignore[attr-defined]
                )
            ).scalars()
        )
    assert board == expected and board
