"""Freight reads for analysts (notebooks/analysis/): scoped selects for ``domain.analytics``.

Each function returns a narrow SQLAlchemy select of what the actor may see (``load_clause``, the
rule of ``get_load``), money as integer cents so Polars sums it exactly; the notebook turns it
into a frame with ``read_frame`` and computes there.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Integer, cast, func, select
from sqlalchemy.sql import Select
from sqlmodel import col

from domain.access.actor import Actor
from domain.db import UnitOfWork
from domain.freight.access import load_clause
from domain.freight.models import Load
from domain.org.models import Venture


def _cents(column: Any, dialect: str) -> Any:
    kind = Integer if dialect == "sqlite" else BigInteger
    return func.coalesce(cast(func.round(column * 100), kind), 0)


def delivered_loads(
    uow: UnitOfWork, actor: Actor, *, since: datetime, venture: str = "all"
) -> Select[Any]:
    """Loads delivered since ``since`` that the actor may see: venture code, lane, equipment,
    miles, bill and cost in cents, and whether the carrier cost is still missing."""
    actor.require("freight.loads.read")
    dialect = uow.session.get_bind().dialect.name
    stmt = (
        select(
            col(Venture.code).label("venture"),
            col(Load.pickup_state),
            col(Load.drop_state),
            col(Load.equipment),
            col(Load.miles),
            _cents(col(Load.bill_amount), dialect).label("bill_c"),
            _cents(col(Load.cost_amount), dialect).label("cost_c"),
            col(Load.cost_amount).is_(None).label("cost_missing"),
        )
        .join(Venture, col(Venture.id) == Load.venture_id)
        .where(col(Load.delivered_at) >= since, load_clause(uow, actor))
    )
    if venture != "all":
        stmt = stmt.where(col(Venture.code) == venture.strip().upper())
    return stmt
