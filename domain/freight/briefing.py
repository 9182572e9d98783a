"""Freight's part of the briefing: a lost load is a fire on the firefront (CRITICAL), a big
delivered load is a win (INFO), one item per load and date however often the event is delivered.
Items about a load are read by exactly the people who may open that load (``access.load_clause``,
the rule of ``get_load``), never by everyone in the venture: their keys name the load
(``load-lost:<id>``) and the entity is registered here."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import false
from sqlalchemy.sql import ColumnElement
from sqlmodel import col, select

from domain.access.actor import Actor
from domain.briefing.entities import entity_source_key, register_entity
from domain.briefing.models import Section, Severity
from domain.briefing.services import add_item
from domain.db import UnitOfWork
from domain.events.registry import handles
from domain.events.types import RecordedEvent
from domain.freight.access import load_clause
from domain.freight.events import LoadDelivered, LoadLost
from domain.freight.models import Load
from domain.money import format_money
from domain.org.models import Venture

LOAD_ITEM_PREFIXES = ("load-lost", "load-delivered")


def load_visible(uow: UnitOfWork, actor: Actor, load_id: ColumnElement[Any]) -> ColumnElement[bool]:
    if not actor.can("freight.loads.read"):
        return false()
    return select(Load.id).where(col(Load.id) == load_id, load_clause(uow, actor)).exists()


register_entity("load", LOAD_ITEM_PREFIXES, load_visible)


LOST_REASON_LABELS = {
    "RATE": "rate",
    "CAPACITY": "no capacity",
    "SERVICE_FAILURE": "service failure",
    "CUSTOMER_CANCELLED": "customer cancelled",
    "TENDER_REJECTED": "tender rejected",
    "COMPLIANCE": "compliance",
    "INTERNAL_ERROR": "internal error",
    "OTHER": "other",
}


def load_link(load_id: int) -> str:
    return f"/freight/loads/{load_id}"


def lost_item_text(
    reference: str, reason: str, note: str | None, amount: Decimal | None, currency: str
) -> tuple[str, str]:
    """(title, detail) of a "load lost" item; shared with the demo data."""
    amount_text = format_money(amount, currency) if amount is not None else "no amount"
    detail = f"Reason: {LOST_REASON_LABELS.get(reason, reason.lower())} · {amount_text}"
    if note:
        detail += f" · {note}"
    return f"Load {reference} lost", detail


def big_load_text(reference: str, amount: Decimal, currency: str) -> tuple[str, str]:
    return (
        f"Big load delivered: {reference}",
        f"{format_money(amount, currency)} billed",
    )


@handles("LoadLost", name="briefing.load_lost")
def on_load_lost(uow: UnitOfWork, event: RecordedEvent) -> None:
    ev = event.parse(LoadLost)
    venture = uow.session.get(Venture, ev.venture_id)
    if venture is None:
        return
    title, detail = lost_item_text(
        ev.reference, ev.reason, ev.note, ev.bill_amount, venture.currency
    )
    add_item(
        uow,
        venture_id=ev.venture_id,
        business_date=ev.business_date,
        section=Section.FREIGHT,
        severity=Severity.CRITICAL,
        title=title,
        detail=detail,
        link=load_link(ev.load_id),
        source_key=entity_source_key("load-lost", ev.load_id),
    )


@handles("LoadDelivered", name="briefing.big_load")
def on_load_delivered(uow: UnitOfWork, event: RecordedEvent) -> None:
    ev = event.parse(LoadDelivered)
    if ev.bill_amount is None:
        return
    venture = uow.session.get(Venture, ev.venture_id)
    if venture is None or ev.bill_amount < venture.critical_load_amount:
        return
    title, detail = big_load_text(ev.reference, ev.bill_amount, venture.currency)
    add_item(
        uow,
        venture_id=ev.venture_id,
        business_date=ev.business_date,
        section=Section.FREIGHT,
        severity=Severity.INFO,
        title=title,
        detail=detail,
        link=load_link(ev.load_id),
        source_key=entity_source_key("load-delivered", ev.load_id),
    )
