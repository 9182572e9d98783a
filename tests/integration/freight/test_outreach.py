"""Outreach: 1-50 eligible carriers, recorded QUEUED and delivered after commit (through the
recording fakes here; the real clients against a failing server in tests/integration/
integrations), per-recipient status, award."""

import pytest
from sqlalchemy import func
from sqlmodel import select

from domain.db import read_only, unit_of_work
from domain.errors import Conflict, Invalid
from domain.events.models import OutboxEvent
from domain.freight import queries, services
from domain.freight.models import LoadStatus, Outreach, RecipientStatus
from domain.freight.schemas import OutreachPreview, OutreachView
from domain.integrations.email import RecordingEmailSender, set_email_sender
from tests.helpers import actor
from tests.integration.freight.conftest import carrier_ids, carrier_row, make_carrier, make_load

DISPATCHER = "dispatch.rtr@vcc.example"  # AFL and RTR


def _send(load_id: int, ids: list[int], channel: str = "SMS") -> OutreachView:
    """Send, commit (delivery runs after it), and read the outreach back."""
    with unit_of_work() as uow:
        out = services.send_outreach(
            uow,
            actor(DISPATCHER),
            {"load_id": load_id, "channel": channel, "carrier_ids": ids, "body": "Load available"},
        )
    assert isinstance(out, OutreachView)
    assert {r.status for r in out.recipients} == {RecipientStatus.QUEUED}  # in the transaction
    with read_only() as uow:
        return queries.get_outreach_view(uow, actor(DISPATCHER), out.id)


def _events(kind: str) -> int:
    with read_only() as uow:
        return uow.session.execute(
            select(func.count()).where(OutboxEvent.type == kind)
        ).scalar_one()


def test_send_records_each_recipient(demo, sms) -> None:
    load = make_load("ceo@vcc.example")
    ids = carrier_ids(3)
    sms.fail_numbers.add(carrier_row(ids[2]).phone)
    out = _send(load.id, ids)
    assert (out.sent_count, out.failed_count) == (2, 1)
    status = {r.carrier_id: r.status for r in out.recipients}
    assert status == {
        ids[0]: RecipientStatus.SENT,
        ids[1]: RecipientStatus.SENT,
        ids[2]: RecipientStatus.FAILED,
    }
    assert len(sms.messages) == 2 and sms.messages[0].body == "Load available"
    assert out.load_status is LoadStatus.WORKING  # sending started working the OPEN load
    assert _events("OutreachSent") == 1 and out.can_award


def test_email_channel_uses_the_email_sender(demo) -> None:
    load = make_load("ceo@vcc.example")
    mail = RecordingEmailSender()
    set_email_sender(mail)
    out = _send(load.id, carrier_ids(2), channel="EMAIL")
    assert out.sent_count == 2 and len(mail.messages) == 2
    assert mail.messages[0].subject.startswith(f"Load {load.reference}")


def test_dry_run_sends_and_writes_nothing(demo, sms) -> None:
    load = make_load("ceo@vcc.example")
    with unit_of_work() as uow:
        preview = services.send_outreach(
            uow,
            actor(DISPATCHER),
            {
                "load_id": load.id,
                "channel": "SMS",
                "carrier_ids": carrier_ids(2),
                "body": "hi",
                "dry_run": True,
            },
        )
    assert isinstance(preview, OutreachPreview) and len(preview.recipients) == 2
    assert sms.messages == []
    with read_only() as uow:
        assert not uow.session.execute(select(Outreach).where(Outreach.load_id == load.id)).first()
    assert _events("OutreachSent") == 0


def test_recipients_must_be_eligible_and_reachable(demo, sms) -> None:
    load = make_load("ceo@vcc.example")
    blocked = make_carrier()
    no_phone = make_carrier(phone=None)
    with unit_of_work() as uow:
        services.set_carrier_blocked(
            uow, actor("ceo@vcc.example"), blocked.id, {"blocked": True, "reason": "fraud"}
        )
    for ids, reason in (
        ([blocked.id], "not eligible"),
        ([no_phone.id], "no phone number"),
        ([999_999_999], "unknown carrier"),
        ([], "at least 1"),
        (list(range(1, 52)), "at most 50"),
    ):
        with pytest.raises(Invalid) as err, unit_of_work() as uow:
            services.send_outreach(
                uow,
                actor(DISPATCHER),
                {"load_id": load.id, "channel": "SMS", "carrier_ids": ids, "body": "hi"},
            )
        assert reason in err.value.fields["carrier_ids"]
    assert sms.messages == []
    out = _send(load.id, carrier_ids(50))
    assert out.sent_count == 50


def test_award_covers_the_load(demo, sms) -> None:
    load = make_load("ceo@vcc.example")
    ids = carrier_ids(3)
    out = _send(load.id, ids)
    with unit_of_work() as uow:
        awarded = services.award_outreach(
            uow, actor(DISPATCHER), out.id, {"carrier_id": ids[1], "cost_amount": "1900.00"}
        )
    assert awarded.awarded_carrier_id == ids[1] and awarded.load_status is LoadStatus.COVERED
    with read_only() as uow:
        detail = queries.get_load_detail(uow, actor("ceo@vcc.example"), load.id)
    assert detail.load.carrier_id == ids[1] and str(detail.load.cost_amount) == "1900.00"
    assert _events("OutreachAwarded") == 1 and _events("LoadCovered") >= 1
    with unit_of_work() as uow:  # the same award again changes nothing
        services.award_outreach(uow, actor(DISPATCHER), out.id, {"carrier_id": ids[1]})
    with pytest.raises(Conflict), unit_of_work() as uow:
        services.award_outreach(uow, actor(DISPATCHER), out.id, {"carrier_id": ids[0]})
    assert _events("OutreachAwarded") == 1


def test_award_is_refused_when_the_load_has_a_carrier(demo, sms) -> None:
    load = make_load("ceo@vcc.example")
    ids = carrier_ids(2)
    other = make_carrier()
    out = _send(load.id, ids)
    with unit_of_work() as uow:
        services.cover_load(uow, actor("ceo@vcc.example"), load.id, other.id)
    with pytest.raises(Conflict, match="already has a carrier"), unit_of_work() as uow:
        services.award_outreach(uow, actor(DISPATCHER), out.id, {"carrier_id": ids[0]})
    with pytest.raises(Conflict), unit_of_work() as uow:  # no outreach for a covered load
        services.send_outreach(
            uow,
            actor("ceo@vcc.example"),
            {"load_id": load.id, "channel": "SMS", "carrier_ids": ids, "body": "x"},
        )


def test_award_needs_a_recipient_that_got_the_message(demo, sms) -> None:
    load = make_load("ceo@vcc.example")
    ids = carrier_ids(2)
    sms.fail_numbers.add(carrier_row(ids[0]).phone)
    out = _send(load.id, ids)
    for carrier_id in (ids[0], make_carrier().id):
        with pytest.raises(Invalid) as err, unit_of_work() as uow:
            services.award_outreach(uow, actor(DISPATCHER), out.id, {"carrier_id": carrier_id})
        assert "did not receive" in err.value.fields["carrier_id"]


def test_csr_may_not_send_outreach(demo, sms) -> None:
    from domain.errors import Forbidden

    csr = actor("csr.afl@vcc.example")
    load = make_load(csr)
    with pytest.raises(Forbidden), unit_of_work() as uow:
        services.send_outreach(
            uow,
            csr,
            {"load_id": load.id, "channel": "SMS", "carrier_ids": carrier_ids(1), "body": "x"},
        )
