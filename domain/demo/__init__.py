"""Deterministic demo data: ``vcc demo seed --size small|medium|large --seed N``.

The organisation here (``org.py``); each wing's data in its own ``demo.py``, named by its
manifest (``domain.verticals``) and run in the order of the wings. Everything random comes from
``ctx.rng`` (seeded) and every "now" from the anchor: the seed runs with the clock frozen at
``ctx.as_of``, midnight UTC of the anchor date (by default today's UTC date). The same size, seed
and anchor give the same data at any hour of the day. Midnight UTC is the early evening of the
previous business day in the American freight ventures' timezones, so the recent loads stand in
every open status.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine, insert
from sqlmodel import select

from domain import clock
from domain.db import UnitOfWork, get_engine, read_only, unit_of_work
from domain.org.models import Office, User, Venture

DEMO_PASSWORD = "vcc-demo-pass-2026"
BULK_CHUNK = 5_000  # rows per INSERT of a bulk demo table


class Size(StrEnum):
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


@dataclass
class DemoContext:
    uow: UnitOfWork
    engine: Engine
    size: Size
    seed: int
    rng: random.Random
    anchor: date = field(default_factory=lambda: default_anchor())
    ventures: dict[str, Venture] = field(default_factory=dict)  # by code
    offices: dict[tuple[str, str], Office] = field(default_factory=dict)  # (code, name)
    users: dict[str, User] = field(default_factory=dict)  # by email
    summary: dict[str, int] = field(default_factory=dict)

    @property
    def as_of(self) -> datetime:
        """The seed's "now": what has happened by this instant is the demo's history."""
        return anchor_instant(self.anchor)

    def count(self, what: str, n: int) -> None:
        self.summary[what] = self.summary.get(what, 0) + n

    def bulk_insert(self, model: Any, rows: list[dict[str, Any]]) -> None:
        """Write a wing's bulk rows with SQLAlchemy Core ``insert``, ``BULK_CHUNK`` rows per
        statement and transaction, through ``engine`` (commit the ORM rows they refer to first)."""
        table = model.__table__
        for i in range(0, len(rows), BULK_CHUNK):
            with self.engine.begin() as conn:
                conn.execute(insert(table), rows[i : i + BULK_CHUNK])


def default_anchor() -> date:
    """Today's date in UTC: the anchor when none is given."""
    return clock.now().astimezone(UTC).date()


def anchor_instant(anchor: date) -> datetime:
    return datetime.combine(anchor, time.min, tzinfo=UTC)


def _seeders() -> list[Callable[[DemoContext], None]]:
    """The organisation first, then each wing's seeder in the order of ``domain.verticals``."""
    from domain.demo import org
    from domain.verticals import verticals

    return [org.seed, *(v.demo_seed for v in verticals() if v.demo_seed is not None)]


def database_is_empty(engine: Engine | None = None) -> bool:
    with read_only(engine) as uow:
        return uow.session.execute(select(Venture.id).limit(1)).first() is None


def seed(
    size: Size | str = Size.SMALL,
    seed: int = 7,
    engine: Engine | None = None,
    anchor: date | None = None,
) -> dict[str, int]:
    """Seed an empty database as of ``anchor`` (default: today in UTC). Returns counts."""
    engine = engine or get_engine()
    anchor = anchor or default_anchor()
    ctx: DemoContext | None = None
    # One transaction per vertical: a bulk vertical may also write through ``ctx.engine``
    # once the organisation rows it refers to are committed. The clock is frozen at the anchor
    # so that default timestamps (created_at, computed_at, ...) are the anchor's too.
    with clock.frozen(anchor_instant(anchor)):
        for step in _seeders():
            with unit_of_work(engine) as uow:
                if ctx is None:
                    ctx = DemoContext(
                        uow=uow,
                        engine=engine,
                        size=Size(size),
                        seed=seed,
                        rng=random.Random(seed),
                        anchor=anchor,
                    )
                ctx.uow = uow
                step(ctx)
    return ctx.summary if ctx else {}
