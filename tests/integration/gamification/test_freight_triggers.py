"""The other freight triggers through the real actions: a quote converted (its sales user, 50),
an outreach sent (the sender, 5, once per outreach) and its award (the awarding user, 15)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from domain import clock
from domain.db import unit_of_work
from domain.freight import services
from tests.helpers import actor, user_id, venture_id
from tests.integration.freight.conftest import carrier_ids, customer_of, make_load, sms  # noqa: F401
from tests.integration.freight.test_outreach import DISPATCHER, _send
from tests.integration.gamification.conftest import awards

CSR = "csr.afl@vcc.example"


def convert_a_quote() -> Any:
    """A quote created, sent, accepted and converted by the AFL CSR (the real actions)."""
    csr = actor(CSR)
    with unit_of_work() as uow:
        quote = services.create_quote(
            uow,
            csr,
            {
                "venture_id": venture_id("AFL"),
                "customer_id": customer_of("AFL"),
                "pickup_city": "Newark",
                "pickup_state": "NJ",
                "drop_city": "Atlanta",
                "drop_state": "GA",
                "miles": 860,
                "equipment": "REEFER",
                "quoted_rate": "2950.00",
                "expires_at": clock.now() + timedelta(days=3),
            },
        )
    for status in ("SENT", "ACCEPTED"):
        with unit_of_work() as uow:
            services.set_quote_status(uow, csr, quote.id, {"status": status})
    with unit_of_work() as uow:
        services.convert_quote(uow, csr, quote.id)
    return quote


def test_a_converted_quote_awards_its_sales_user(db, demo) -> None:
    quote = convert_a_quote()
    (got,) = [
        a for a in awards("QUOTE_CONVERTED") if a.idempotency_key == f"quote-converted:{quote.id}"
    ]
    assert got.points == 50 and got.user_id == quote.sales_user_id


@pytest.mark.usefixtures("sms")
def test_outreach_sent_and_awarded_award_the_dispatcher(db, demo) -> None:
    load = make_load("ceo@vcc.example")
    ids = carrier_ids(2)
    out = _send(load.id, ids)
    (sent,) = [
        a for a in awards("CARRIER_OUTREACH_SENT") if a.idempotency_key == f"outreach-sent:{out.id}"
    ]
    assert (sent.user_id, sent.points) == (user_id(DISPATCHER), 5)
    with unit_of_work() as uow:
        services.award_outreach(
            uow, actor(DISPATCHER), out.id, {"carrier_id": ids[0], "cost_amount": "1900.00"}
        )
    (won,) = [
        a for a in awards("OUTREACH_AWARDED") if a.idempotency_key == f"outreach-awarded:{load.id}"
    ]
    assert (won.user_id, won.points) == (user_id(DISPATCHER), 15)
