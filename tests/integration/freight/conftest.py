"""Helpers for the freight integration tests: the small demo (org + freight) is the world; these
make the extra rows a test needs through the real services."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from sqlmodel import col, select

from domain.access.actor import Actor
from domain.access.scope import system_actor
from domain.db import read_only, unit_of_work
from domain.freight import services
from domain.freight.models import Carrier, Customer
from domain.freight.schemas import CarrierView, LoadView
from domain.integrations.sms import RecordingSmsSender, set_sms_sender
from tests.helpers import actor, office_id, venture_id

_numbers = itertools.count(900_001)


def system() -> Actor:
    with unit_of_work() as uow:
        return system_actor(uow.session)


def make_carrier(**overrides: Any) -> CarrierView:
    n = next(_numbers)
    data = {
        "mc_number": str(n),
        "dot_number": str(n + 5_000_000),
        "name": f"Test Carrier {n}",
        "equipment": "DRY_VAN",
        "phone": f"+1 (555) 010-{n % 10_000:04d}",
        "email": f"dispatch{n}@carrier.example",
    } | overrides
    with unit_of_work() as uow:
        return services.create_carrier(uow, system(), data)


def customer_of(code: str, assigned_to: int | None = None) -> int:
    """An active customer of venture ``code`` (assigned to the user when given)."""
    with read_only() as uow:
        stmt = select(Customer.id).where(
            Customer.venture_id == venture_id(code), col(Customer.is_active).is_(True)
        )
        if assigned_to is not None:
            stmt = stmt.where(
                (col(Customer.sales_user_id) == assigned_to)
                | (col(Customer.csr_user_id) == assigned_to)
            )
        found = uow.session.execute(stmt.order_by(col(Customer.id)).limit(1)).scalar_one_or_none()
    if found is None:
        with unit_of_work() as uow:
            view = services.create_customer(
                uow,
                system(),
                {
                    "venture_id": venture_id(code),
                    "name": f"Test customer {next(_numbers)}",
                    "code": f"T{next(_numbers)}",
                    "csr_user_id": assigned_to,
                },
            )
        return view.id
    return int(found)


def load_data(code: str = "AFL", office: str = "New York HQ", **overrides: Any) -> dict[str, Any]:
    return {
        "venture_id": venture_id(code),
        "office_id": office_id(code, office),
        "customer_id": customer_of(code),
        "pickup_city": "Newark",
        "pickup_state": "NJ",
        "pickup_date": "2026-12-01",
        "drop_city": "Chicago",
        "drop_state": "IL",
        "drop_date": "2026-12-03",
        "miles": 800,
        "equipment": "DRY_VAN",
        "bill_amount": "2400.00",
    } | overrides


def make_load(who: Actor | str = "ceo@vcc.example", **overrides: Any) -> LoadView:
    a = actor(who) if isinstance(who, str) else who
    with unit_of_work() as uow:
        return services.create_load(uow, a, load_data(**overrides))


def eligible_carrier_id(equipment: str = "DRY_VAN") -> int:
    return make_carrier(equipment=equipment).id


def carrier_ids(n: int) -> list[int]:
    return [make_carrier().id for _ in range(n)]


@pytest.fixture
def sms() -> Any:
    sender = RecordingSmsSender()
    set_sms_sender(sender)
    yield sender
    set_sms_sender(None)


def carrier_row(carrier_id: int) -> Carrier:
    with read_only() as uow:
        row = uow.session.get(Carrier, carrier_id)
        assert row is not None
        return row
