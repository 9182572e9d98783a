"""Hotel KPI days: the form's upsert and the CSV upload, both all-or-nothing and race-safe.

A write is ``INSERT ... ON CONFLICT (hotel_id, day) DO UPDATE``: two uploads of the same day at
once both succeed and the later one's numbers stay, never a duplicate or an error. Each write
records one HotelKpiUploaded with the distinct business dates it touched, whose handler
recomputes each of those (venture, day) once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection
from sqlmodel import col, select

from domain import clock
from domain.access.actor import Actor
from domain.access.audit import audit
from domain.db import UnitOfWork, dialect_insert, pk
from domain.errors import Invalid
from domain.events.outbox import record
from domain.hospitality.access import (
    hotel_office_clause,
    require_hospitality_venture,
    require_hotel_for_work,
)
from domain.hospitality.audit import HospitalityAudit
from domain.hospitality.csv_upload import parse_kpi_csv
from domain.hospitality.events import HotelKpiUploaded
from domain.hospitality.models import HotelKpiDaily, HotelProperty
from domain.hospitality.rules import sold_problem
from domain.hospitality.schemas import HotelKpiInput, HotelKpiView, UploadResult
from domain.hospitality.views import kpi_views
from domain.org.models import Venture
from domain.schemas import parse

UPSERT_CHUNK = 1_000
_UPDATED = (
    "rooms_available",
    "rooms_sold",
    "room_revenue",
    "other_revenue",
    "cancellations",
    "no_shows",
    "updated_by_id",
    "updated_at",
)


def upsert_rows(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """``INSERT ... ON CONFLICT (hotel_id, day) DO UPDATE`` in chunks (one statement each)."""
    table = HotelKpiDaily.__table__  # type: ignore[attr-defined]
    insert = dialect_insert(conn)
    for i in range(0, len(rows), UPSERT_CHUNK):
        stmt = insert(table).values(list(rows[i : i + UPSERT_CHUNK]))
        stmt = stmt.on_conflict_do_update(
            index_elements=["hotel_id", "day"],
            set_={name: stmt.excluded[name] for name in _UPDATED},
        )
        conn.execute(stmt)


def _record(uow: UnitOfWork, actor: Actor, venture_id: int, rows: Sequence[dict[str, Any]]) -> None:
    record(
        uow,
        HotelKpiUploaded(
            venture_id=venture_id,
            days=sorted({r["day"] for r in rows}),
            hotel_ids=sorted({r["hotel_id"] for r in rows}),
            rows=len(rows),
            user_id=actor.user_id,
        ),
    )


def upsert_hotel_kpi(
    uow: UnitOfWork, actor: Actor, data: Mapping[str, Any] | HotelKpiInput
) -> HotelKpiView:
    """The form: one hotel-day written (created or replaced)."""
    inp = parse(HotelKpiInput, data)
    hotel = require_hotel_for_work(uow, actor, inp.hotel_id, "hospitality.kpi.write")
    venture = uow.session.get(Venture, hotel.venture_id)
    assert venture is not None
    errors: dict[str, str] = {}
    if problem := sold_problem(inp.rooms_available, inp.rooms_sold):
        errors["rooms_sold"] = problem
    today = clock.today(venture.timezone)
    if inp.day > today:
        errors["day"] = f"is in the future (today is {today.isoformat()} for {venture.code})"
    if errors:
        raise Invalid(errors)
    row = inp.model_dump() | {
        "venture_id": hotel.venture_id,
        "updated_by_id": actor.user_id,
        "updated_at": clock.now(),
    }
    upsert_rows(uow.session.connection(), [row])
    _record(uow, actor, hotel.venture_id, [row])
    audit(
        uow,
        actor,
        HospitalityAudit.KPI_WRITTEN,
        entity_type="hotel_property",
        entity_id=hotel.id,
        venture_id=hotel.venture_id,
        detail={"day": inp.day, "rooms_sold": inp.rooms_sold, "room_revenue": inp.room_revenue},
    )
    stored = uow.session.execute(
        select(HotelKpiDaily).where(
            col(HotelKpiDaily.hotel_id) == pk(hotel), col(HotelKpiDaily.day) == inp.day
        )
    ).scalar_one()
    uow.session.refresh(stored)
    return kpi_views(uow, [stored])[0]


def upload_hotel_kpi_csv(
    uow: UnitOfWork, actor: Actor, venture_id: int, data: bytes, *, filename: str | None = None
) -> UploadResult:
    """The CSV: every line checked first; any bad line writes nothing (``Invalid`` lists each
    by line number and field); otherwise every line is upserted by (hotel code, date)."""
    venture = require_hospitality_venture(uow, actor, venture_id)
    actor.require("hospitality.kpi.write", pk(venture))
    hotels = {
        h.code: h
        for h in uow.session.execute(
            select(HotelProperty).where(hotel_office_clause(uow, actor, pk(venture)))
        ).scalars()
    }
    lines = parse_kpi_csv(data, set(hotels), clock.today(venture.timezone))
    now = clock.now()
    rows = [
        {
            "hotel_id": pk(hotels[ln.hotel_code]),
            "venture_id": pk(venture),
            "day": ln.day,
            "rooms_available": ln.rooms_available,
            "rooms_sold": ln.rooms_sold,
            "room_revenue": ln.room_revenue,
            "other_revenue": ln.other_revenue,
            "cancellations": ln.cancellations,
            "no_shows": ln.no_shows,
            "updated_by_id": actor.user_id,
            "updated_at": now,
        }
        for ln in lines
    ]
    upsert_rows(uow.session.connection(), rows)
    _record(uow, actor, pk(venture), rows)
    days: list[date] = sorted({ln.day for ln in lines})
    result = UploadResult(
        venture_id=pk(venture),
        rows_written=len(rows),
        hotels=len({r["hotel_id"] for r in rows}),
        first_day=days[0] if days else None,
        last_day=days[-1] if days else None,
        days=len(days),
    )
    audit(
        uow,
        actor,
        HospitalityAudit.KPI_UPLOADED,
        entity_type="venture",
        entity_id=venture.id,
        venture_id=pk(venture),
        detail={
            "file": (filename or "")[:120],
            "rows": result.rows_written,
            "hotels": result.hotels,
            "first_day": result.first_day,
            "last_day": result.last_day,
        },
    )
    return result


def kpi_template(uow: UnitOfWork, actor: Actor, venture_id: int) -> str:
    """The CSV template: the header and one example line per hotel the actor may write."""
    from domain.hospitality.csv_upload import template_csv

    venture = require_hospitality_venture(uow, actor, venture_id)
    actor.require("hospitality.kpi.write", pk(venture))
    codes = list(
        uow.session.execute(
            select(HotelProperty.code)
            .where(hotel_office_clause(uow, actor, pk(venture)))
            .order_by(col(HotelProperty.code))
        ).scalars()
    )
    yesterday = clock.today(venture.timezone).toordinal() - 1
    return template_csv(codes, date.fromordinal(yesterday))
