"""Writing briefing items: insert once per (venture, business date, source key), never twice."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain import clock
from domain.briefing.entities import check_source_key
from domain.briefing.models import BriefingItem, Section, Severity
from domain.db import UnitOfWork, dialect_insert


def add_item(
    uow: UnitOfWork,
    *,
    venture_id: int,
    business_date: date,
    section: Section,
    severity: Severity,
    title: str,
    detail: str = "",
    link: str | None = None,
    source_key: str,
) -> bool:
    """Insert the item unless one with the same (venture, date, source key) exists.

    Returns whether a row was written. ``INSERT ... ON CONFLICT DO NOTHING`` on both databases, so
    two deliveries racing each other still leave exactly one item. A key about an entity
    (``entities.entity_source_key``) must name the entity's id: its readers follow from it.
    """
    check_source_key(source_key)
    values: dict[str, Any] = {
        "venture_id": venture_id,
        "business_date": business_date,
        "section": section,
        "severity": severity,
        "title": title[:200],
        "detail": detail[:1000],
        "link": link,
        "source_key": source_key,
        "created_at": clock.now(),
    }
    table = BriefingItem.__table__  # type: ignore[attr-defined]
    insert = dialect_insert(uow.session.get_bind())
    stmt = insert(table).values(**values)
    stmt = stmt.on_conflict_do_nothing(index_elements=["venture_id", "business_date", "source_key"])
    # RETURNING, not rowcount: SQLAlchemy reports -1 as the rowcount of an INSERT (truthy).
    return uow.session.execute(stmt.returning(table.c.id)).first() is not None
