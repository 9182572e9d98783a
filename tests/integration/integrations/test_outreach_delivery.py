"""Outreach through the real Twilio client, after commit, against a server that counts the
requests per recipient and fails some on purpose."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from domain import clock
from domain.db import get_engine, read_only, unit_of_work
from domain.errors import Conflict
from domain.events.outbox import dispatch_paused
from domain.events.sweeper import sweep
from domain.freight import delivery, queries, services
from domain.freight.models import (
    Load,
    LoadStatus,
    Outreach,
    OutreachRecipient,
    RecipientStatus,
)
from domain.freight.schemas import OutreachView
from domain.integrations.sms import set_sms_sender
from tests.helpers import actor
from tests.integration.freight.conftest import carrier_row, make_carrier, make_load
from tests.integration.integrations.conftest import TwilioServer

DISPATCHER = "dispatch.rtr@vcc.example"


@pytest.fixture
def real_sms(twilio: TwilioServer) -> Iterator[TwilioServer]:
    set_sms_sender(twilio.sender())
    yield twilio
    set_sms_sender(None)


def _send(load_id: int, ids: list[int]) -> OutreachView:
    with unit_of_work() as uow:
        out = services.send_outreach(
            uow,
            actor(DISPATCHER),
            {"load_id": load_id, "channel": "SMS", "carrier_ids": ids, "body": "Load available"},
        )
    assert isinstance(out, OutreachView)
    return out


def _view(outreach_id: int) -> OutreachView:
    with read_only() as uow:
        return queries.get_outreach_view(uow, actor(DISPATCHER), outreach_id)


def _phones(ids: list[int]) -> dict[int, str]:
    return {i: str(carrier_row(i).phone) for i in ids}


def test_fifty_carriers_ten_failing_then_a_retry_sends_only_those(demo, real_sms) -> None:
    load = make_load("ceo@vcc.example")
    ids = [make_carrier().id for _ in range(50)]
    phones = _phones(ids)
    # Every fifth carrier fails: half refused as a bad number (400), half with the provider
    # down for them (503 on every attempt). Spread out, so the breaker never sees 5 in a row.
    failing = ids[4::5]
    rejected, down = set(failing[::2]), set(failing[1::2])
    real_sms.rejected |= {phones[i] for i in rejected}
    real_sms.down |= {phones[i] for i in down}

    out = _send(load.id, ids)
    view = _view(out.id)
    assert (view.sent_count, view.failed_count, view.pending_count) == (40, 10, 0)
    by_carrier = {r.carrier_id: r for r in view.recipients}
    assert len(by_carrier) == 50  # nothing lost
    for cid, r in by_carrier.items():
        if cid in rejected:
            assert r.status is RecipientStatus.FAILED and "not a valid phone number" in r.error
            assert real_sms.requests[phones[cid]] == 1  # a 4xx is not retried
        elif cid in down:
            assert r.status is RecipientStatus.FAILED and "HTTP 503" in r.error
            assert real_sms.requests[phones[cid]] == 3
        else:
            assert r.status is RecipientStatus.SENT and r.provider_message_id.startswith("SM")
            assert real_sms.requests[phones[cid]] == 1 and r.error is None
    assert view.can_retry and view.load_status is LoadStatus.WORKING
    with read_only() as uow:  # the load and the message are committed
        assert uow.session.get(Load, load.id) is not None
        assert uow.session.get(Outreach, out.id) is not None

    real_sms.rejected.clear()
    real_sms.down.clear()
    before = dict(real_sms.requests)
    with unit_of_work() as uow:
        queued = services.retry_outreach(uow, actor(DISPATCHER), out.id)
    assert sum(1 for r in queued.recipients if r.status is RecipientStatus.QUEUED) == 10
    after = _view(out.id)
    assert (after.sent_count, after.failed_count, after.can_retry) == (50, 0, False)
    again = {p: n - before.get(p, 0) for p, n in real_sms.requests.items() if n != before.get(p)}
    assert again == {phones[i]: 1 for i in failing}  # only the failed ones, once each
    assert {r.attempts for r in after.recipients if r.carrier_id in failing} == {2}
    with pytest.raises(Conflict), unit_of_work() as uow:  # nothing FAILED is left to retry
        services.retry_outreach(uow, actor(DISPATCHER), out.id)


def test_a_retry_can_name_the_carriers(demo, real_sms) -> None:
    load = make_load("ceo@vcc.example")
    ids = [make_carrier().id for _ in range(3)]
    phones = _phones(ids)
    real_sms.rejected |= {phones[ids[0]], phones[ids[1]]}
    out = _send(load.id, ids)
    real_sms.rejected.clear()
    with unit_of_work() as uow:
        services.retry_outreach(uow, actor(DISPATCHER), out.id, {"carrier_ids": [ids[1]]})
    status = {r.carrier_id: r.status for r in _view(out.id).recipients}
    assert status == {
        ids[0]: RecipientStatus.FAILED,
        ids[1]: RecipientStatus.SENT,
        ids[2]: RecipientStatus.SENT,
    }


def test_a_process_killed_between_commit_and_delivery_loses_no_send_and_sends_once(
    demo, real_sms
) -> None:
    load = make_load("ceo@vcc.example")
    ids = [make_carrier().id for _ in range(12)]  # two batches
    with dispatch_paused():  # the commit happens; the process "dies" before delivery
        out = _send(load.id, ids)
    assert real_sms.requests == {}
    assert {r.status for r in _view(out.id).recipients} == {RecipientStatus.QUEUED}

    with clock.frozen(clock.now() + timedelta(minutes=5)):  # the sweeper's next round
        first = sweep()
        second = sweep()
    assert first.processed == 2 and second.picked == 0
    view = _view(out.id)
    assert (view.sent_count, view.failed_count) == (12, 0)
    assert sorted(real_sms.requests.values()) == [1] * 12  # each recipient exactly once


@pytest.mark.postgres_only
def test_concurrent_sweepers_deliver_each_recipient_once(db, demo, real_sms) -> None:
    load = make_load("ceo@vcc.example")
    ids = [make_carrier().id for _ in range(30)]
    with dispatch_paused():
        out = _send(load.id, ids)
    with clock.frozen(clock.now() + timedelta(minutes=5)):
        results = _together(6, lambda i: sweep())
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(real_sms.requests.values()) == [1] * 30
    assert _view(out.id).sent_count == 30


@pytest.mark.postgres_only
def test_answers_written_at_once_are_all_counted(db, demo, real_sms) -> None:
    """Each recipient's answer recounts the outreach in its own transaction; twenty answers
    committed at once from twenty connections must leave the count at twenty (a count taken
    before waiting for another writer's lock would lose that writer's recipient)."""
    load = make_load("ceo@vcc.example")
    ids = [make_carrier().id for _ in range(20)]
    with dispatch_paused():
        out = _send(load.id, ids)
    with unit_of_work() as uow:
        uow.session.execute(
            update(OutreachRecipient)
            .where(col(OutreachRecipient.outreach_id) == out.id)
            .values(status=RecipientStatus.SENDING)
        )
        recipients = list(
            uow.session.execute(
                select(col(OutreachRecipient.id)).where(
                    col(OutreachRecipient.outreach_id) == out.id
                )
            ).scalars()
        )
    engine = get_engine()
    results = _together(
        len(recipients),
        lambda i: delivery._write_answer(engine, out.id, recipients[i], f"SM{i}", None),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert _view(out.id).sent_count == 20


@pytest.mark.postgres_only
def test_concurrent_retries_queue_each_failed_recipient_once(db, demo, real_sms) -> None:
    load = make_load("ceo@vcc.example")
    ids = [make_carrier().id for _ in range(6)]
    phones = _phones(ids)
    real_sms.rejected |= set(phones.values())
    out = _send(load.id, ids)
    real_sms.rejected.clear()

    def retry(i: int) -> Any:
        with unit_of_work() as uow:
            return services.retry_outreach(uow, actor(DISPATCHER), out.id)

    results = _together(8, retry)
    done = [r for r in results if isinstance(r, OutreachView)]
    assert len(done) == 1, results
    assert all(isinstance(r, Conflict) for r in results if r not in done)
    assert sorted(real_sms.requests.values()) == [2] * 6  # the first try, then one retry each
    with read_only() as uow:
        statuses = uow.session.execute(
            select(col(Outreach.sent_count)).where(Outreach.id == out.id)
        ).scalar_one()
    assert statuses == 6


def _together(n: int, fn: Any) -> list[Any]:
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = fn(i)
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results
