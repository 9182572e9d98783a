"""Scope helpers for wings that serve ventures of given types (BPO, and any later wing): the
ventures of those types in an actor's scope, an ``IN`` over them, and the venture a write names.

Generic on purpose (no wing imported): a wing passes its venture types and its noun.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import false
from sqlalchemy.sql import ColumnElement
from sqlmodel import col, select

from domain.access.actor import Actor
from domain.db import UnitOfWork
from domain.errors import Invalid, NotFound
from domain.org.models import Venture


def venture_ids_of_types(
    uow: UnitOfWork, actor: Actor, types: Collection[str], *, active_only: bool = False
) -> list[int]:
    """Ids of the ventures of ``types`` in the actor's scope."""
    stmt = select(Venture.id).where(
        col(Venture.type).in_(sorted(types)), actor.scope.venture_clause(Venture.id)
    )
    if active_only:
        stmt = stmt.where(col(Venture.is_active).is_(True))
    return sorted(uow.session.execute(stmt).scalars())


def in_ids(column: Any, ids: Collection[int]) -> ColumnElement[bool]:
    """``column IN ids`` (``false`` for none, ``=`` for one)."""
    if not ids:
        return false()
    if len(ids) == 1:
        return col(column) == next(iter(ids))
    return col(column).in_(sorted(ids))


def typed_venture_clause(
    uow: UnitOfWork,
    actor: Actor,
    column: Any,
    types: Collection[str],
    venture_id: int | None = None,
) -> ColumnElement[bool]:
    """``column`` limited to the ventures of ``types`` in scope, narrowed to ``venture_id`` when
    given (a venture out of scope or of another type matches nothing)."""
    ids = venture_ids_of_types(uow, actor, types)
    if venture_id is not None:
        ids = [venture_id] if venture_id in ids else []
    return in_ids(column, ids)


def require_venture_of_types(
    uow: UnitOfWork,
    actor: Actor,
    venture_id: int,
    types: Collection[str],
    holds: str,
    *,
    field: str = "venture_id",
) -> Venture:
    """A venture in scope, active and of ``types``. Out of scope or missing: NotFound; of another
    type or inactive: Invalid on ``field`` (``holds``: what only those ventures hold)."""
    venture = uow.session.get(Venture, venture_id)
    if venture is None or not actor.scope.allows_venture(venture.id):
        raise NotFound("venture", venture_id)
    if venture.type not in types:
        allowed = "/".join(sorted(str(t) for t in types))
        raise Invalid.field(
            field, f"{venture.code} is a {venture.type.value} venture: only {allowed} hold {holds}"
        )
    if not venture.is_active:
        raise Invalid.field(field, f"{venture.code} is not active")
    return venture
