"""Races on PostgreSQL (SQLite serialises writers): twenty cancellations of one subscription from
twenty connections at once make exactly one; the others are refused with Conflict."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain import clock
from domain.db import read_only, unit_of_work
from domain.errors import Conflict
from domain.saas import services
from domain.saas.models import SaasSubscription
from tests.helpers import actor, at_once, venture_id

N = 20
MANAGER = "coo@vcc.example"


@pytest.mark.postgres_only
def test_twenty_cancellations_make_one(demo) -> None:
    today = clock.today("America/New_York")
    who = actor(MANAGER)
    with unit_of_work() as uow:
        cid = services.create_customer(
            uow, who, {"venture_id": venture_id("LGY"), "name": "Race", "domain": "race.example"}
        ).id
        sid = services.create_subscription(
            uow,
            who,
            {
                "customer_id": cid,
                "plan": "Scale",
                "mrr": "799.00",
                "started_at": today - timedelta(days=30),
            },
        ).id

    def cancel(i: int):
        with unit_of_work() as uow:
            return services.cancel_subscription(
                uow, who, sid, {"cancelled_at": today, "reason": f"reason {i}"}
            )

    results, errors = at_once(N, cancel)
    assert len(results) == 1 and len(errors) == N - 1, errors[:3]
    assert all(isinstance(e, Conflict) for e in errors), errors[:3]
    with read_only() as uow:
        row = uow.session.get(SaasSubscription, sid)
        assert row is not None and row.cancel_reason == results[0].cancel_reason
