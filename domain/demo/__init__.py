"""Deterministic demo data: ``vcc demo seed --size small|medium|large --seed N``.

One module per vertical. Each exposes ``seed(ctx)`` and is listed in ``SEEDERS`` in dependency
order; a later vertical adds its module there. Everything random comes from ``ctx.rng`` (seeded),
so the same size and seed give the same data.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import Engine
from sqlmodel import select

from domain.db import UnitOfWork, get_engine, read_only, unit_of_work
from domain.org.models import Office, User, Venture

DEMO_PASSWORD = "vcc-demo-pass-2026"


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
    ventures: dict[str, Venture] = field(default_factory=dict)  # by code
    offices: dict[tuple[str, str], Office] = field(default_factory=dict)  # (code, name)
    users: dict[str, User] = field(default_factory=dict)  # by email
    summary: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, n: int) -> None:
        self.summary[what] = self.summary.get(what, 0) + n


def _seeders() -> list[Callable[[DemoContext], None]]:
    from domain.demo import freight, org

    return [org.seed, freight.seed]


def database_is_empty(engine: Engine | None = None) -> bool:
    with read_only(engine) as uow:
        return uow.session.execute(select(Venture.id).limit(1)).first() is None


def seed(
    size: Size | str = Size.SMALL, seed: int = 7, engine: Engine | None = None
) -> dict[str, int]:
    """Seed an empty database. Returns counts of what was created."""
    engine = engine or get_engine()
    ctx: DemoContext | None = None
    # One transaction per vertical: a bulk vertical may also write through ``ctx.engine``
    # once the organisation rows it refers to are committed.
    for step in _seeders():
        with unit_of_work(engine) as uow:
            if ctx is None:
                ctx = DemoContext(
                    uow=uow, engine=engine, size=Size(size), seed=seed, rng=random.Random(seed)
                )
            ctx.uow = uow
            step(ctx)
    return ctx.summary if ctx else {}
