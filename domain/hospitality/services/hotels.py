"""Hotel use cases: create and edit (hotels are the venture's reference data)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.access.actor import Actor
from domain.access.audit import audit
from domain.db import UnitOfWork, pk
from domain.errors import Invalid, Unique, duplicates_as_conflict
from domain.hospitality.access import get_hotel, require_hospitality_venture
from domain.hospitality.audit import HospitalityAudit
from domain.hospitality.models import HotelProperty
from domain.hospitality.schemas import HotelInput, HotelPatch, HotelView
from domain.hospitality.views import hotel_view
from domain.org.models import Office
from domain.schemas import apply_patch, parse, patch_values

CODE_KEY = Unique("hotel_property", ("code",), "code", "is already used by another hotel")


def create_hotel(uow: UnitOfWork, actor: Actor, data: Mapping[str, Any] | HotelInput) -> HotelView:
    inp = parse(HotelInput, data)
    venture = require_hospitality_venture(uow, actor, inp.venture_id)
    actor.require("hospitality.hotels.manage", pk(venture))
    office = uow.session.get(Office, inp.office_id)
    if office is None or office.venture_id != venture.id:
        raise Invalid.field("office_id", f"is not an office of {venture.code}")
    if not actor.scope.allows_office(office.id, venture.id):
        raise Invalid.field("office_id", f"{office.name} is not one of your offices")
    hotel = HotelProperty(**inp.model_dump())
    with duplicates_as_conflict(uow.session, CODE_KEY):
        uow.session.add(hotel)
    audit(
        uow,
        actor,
        HospitalityAudit.HOTEL_CREATED,
        entity_type="hotel_property",
        entity_id=hotel.id,
        venture_id=hotel.venture_id,
        detail={"code": hotel.code, "name": hotel.name, "rooms": hotel.rooms},
    )
    return hotel_view(hotel)


def update_hotel(
    uow: UnitOfWork, actor: Actor, hotel_id: int, data: Mapping[str, Any] | HotelPatch
) -> HotelView:
    hotel = get_hotel(uow, actor, hotel_id)
    actor.require("hospitality.hotels.manage", hotel.venture_id)
    if not actor.scope.allows_office(hotel.office_id, hotel.venture_id):
        raise Invalid.field("hotel_id", "is not a hotel of your offices")
    changes = patch_values(parse(HotelPatch, data))
    before = apply_patch(hotel, changes)
    uow.session.flush()
    audit(
        uow,
        actor,
        HospitalityAudit.HOTEL_UPDATED,
        entity_type="hotel_property",
        entity_id=hotel.id,
        venture_id=hotel.venture_id,
        detail={"before": before, "after": changes},
    )
    return hotel_view(hotel)
