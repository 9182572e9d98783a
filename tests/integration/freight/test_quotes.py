"""Quotes: lifecycle, convert to a load (idempotent, from ACCEPTED or BOOKED only), expiry."""

from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from domain import clock
from domain.db import read_only, unit_of_work
from domain.errors import Conflict, Invalid
from domain.events.models import OutboxEvent
from domain.freight import queries, services
from domain.freight.models import Load, QuoteStatus
from tests.helpers import actor, venture_id
from tests.integration.freight.conftest import customer_of, system


def _quote(who: str = "csr.afl@vcc.example", **overrides: object) -> int:
    data = {
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
    } | overrides
    with unit_of_work() as uow:
        return services.create_quote(uow, actor(who), data).id


def _status(quote_id: int, status: str, who: str = "csr.afl@vcc.example") -> QuoteStatus:
    with unit_of_work() as uow:
        return services.set_quote_status(uow, actor(who), quote_id, {"status": status}).status


def test_lifecycle_and_convert_twice_returns_the_same_load(demo) -> None:
    csr = actor("csr.afl@vcc.example")
    qid = _quote()
    assert _status(qid, "SENT") is QuoteStatus.SENT
    with pytest.raises(Conflict), unit_of_work() as uow:
        services.convert_quote(uow, csr, qid)  # only ACCEPTED or BOOKED
    assert _status(qid, "ACCEPTED") is QuoteStatus.ACCEPTED
    with read_only() as uow:
        assert queries.get_quote_view(uow, csr, qid).can_convert
    with unit_of_work() as uow:
        first = services.convert_quote(uow, csr, qid)
    with unit_of_work() as uow:
        again = services.convert_quote(uow, csr, qid)
    assert first.id == again.id and first.quote_id == qid
    assert (first.pickup_city, first.drop_state, first.equipment.value) == (
        "Newark",
        "GA",
        "REEFER",
    )
    assert str(first.bill_amount) == "2950.00" and first.sales_user_id == csr.user_id
    with read_only() as uow:
        view = queries.get_quote_view(uow, csr, qid)
        loads = uow.session.execute(
            select(func.count()).where(col(Load.quote_id) == qid)
        ).scalar_one()
        events = uow.session.execute(
            select(func.count()).where(
                OutboxEvent.type == "QuoteConverted", OutboxEvent.venture_id == venture_id("AFL")
            )
        ).scalar_one()
    assert view.status is QuoteStatus.BOOKED and view.load_id == first.id
    assert loads == 1 and events == 1  # the second conversion raised nothing


def test_refused_quote_transitions(demo) -> None:
    qid = _quote()
    with pytest.raises(Conflict), unit_of_work() as uow:
        services.set_quote_status(uow, actor("csr.afl@vcc.example"), qid, {"status": "BOOKED"})
    _status(qid, "SENT")
    _status(qid, "REJECTED")
    with pytest.raises(Conflict), unit_of_work() as uow:
        services.update_quote(uow, actor("csr.afl@vcc.example"), qid, {"quoted_rate": "1.00"})


def test_quote_field_errors(demo) -> None:
    with pytest.raises(Invalid) as err:
        _quote(expires_at=clock.now() - timedelta(minutes=1), customer_id=customer_of("MBR"))
    assert set(err.value.fields) == {"expires_at", "customer_id"}


def test_expire_quotes_moves_sent_past_expiry_to_no_response(demo) -> None:
    soon, later = _quote(), _quote(expires_at=clock.now() + timedelta(days=30))
    draft = _quote()
    _status(soon, "SENT")
    _status(later, "SENT")
    with clock.frozen(clock.now() + timedelta(days=4)):
        with unit_of_work() as uow:
            n = services.expire_quotes(uow, system())
        with unit_of_work() as uow:
            assert services.expire_quotes(uow, system()) == 0  # idempotent
    assert n >= 1
    with read_only() as uow:
        ceo = actor("ceo@vcc.example")
        assert queries.get_quote_view(uow, ceo, soon).status is QuoteStatus.NO_RESPONSE
        assert queries.get_quote_view(uow, ceo, later).status is QuoteStatus.SENT
        assert queries.get_quote_view(uow, ceo, draft).status is QuoteStatus.DRAFT


def test_quote_scope(demo) -> None:
    qid = _quote()
    with read_only() as uow:
        ids = {
            q.id for q in queries.list_quotes(uow, actor("csr.afl@vcc.example"), limit=200).items
        }
        assert qid in ids
        other = {
            q.id for q in queries.list_quotes(uow, actor("csr.mbr@vcc.example"), limit=200).items
        }
        assert qid not in other
