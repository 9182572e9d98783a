"""Who sees which holdings rows, in one place.

Only HOLDINGS ventures hold holdings rows; every clause is limited to the holdings ventures in
the actor's scope. Holdings rows belong to the venture (no office): a role that may read them
sees its ventures' rows. A row out of scope answers ``NotFound`` exactly like a missing row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import false
from sqlalchemy.sql import ColumnElement
from sqlmodel import col, select

from domain.access.actor import Actor
from domain.db import UnitOfWork
from domain.errors import Invalid, NotFound
from domain.holdings.models import HOLDINGS_VENTURE_TYPES, BankAccount, BankSnapshot, HoldingAsset
from domain.org.models import Venture


def holdings_venture_ids(uow: UnitOfWork, actor: Actor) -> list[int]:
    """Ids of the holdings ventures in the actor's scope."""
    stmt = select(Venture.id).where(
        col(Venture.type).in_(sorted(HOLDINGS_VENTURE_TYPES)),
        actor.scope.venture_clause(Venture.id),
    )
    return sorted(uow.session.execute(stmt).scalars())


def venture_filter(
    uow: UnitOfWork, actor: Actor, column: Any, venture_id: int | None = None
) -> ColumnElement[bool]:
    """``column`` limited to the holdings ventures in scope (narrowed to ``venture_id``)."""
    ids = holdings_venture_ids(uow, actor)
    if venture_id is not None:
        ids = [venture_id] if venture_id in ids else []
    if not ids:
        return false()
    return col(column).in_(ids)


def require_holdings_venture(
    uow: UnitOfWork, actor: Actor, venture_id: int, *, field: str = "venture_id"
) -> Venture:
    """A holdings venture in scope; missing or out of scope is NotFound, another type or an
    inactive venture is Invalid naming ``field``."""
    venture = uow.session.get(Venture, venture_id)
    if venture is None or not actor.scope.allows_venture(venture.id):
        raise NotFound("venture", venture_id)
    if venture.type not in HOLDINGS_VENTURE_TYPES:
        raise Invalid.field(field, f"{venture.code} is not a holdings venture")
    if not venture.is_active:
        raise Invalid.field(field, f"{venture.code} is not active")
    return venture


def _get(
    uow: UnitOfWork, actor: Actor, model: Any, entity: str, row_id: int, for_update: bool
) -> Any:
    stmt = select(model).where(
        col(model.id) == row_id, venture_filter(uow, actor, model.venture_id)
    )
    if for_update:
        stmt = stmt.with_for_update()
    row = uow.session.execute(stmt).scalar_one_or_none()
    if row is None:
        raise NotFound(entity, row_id)
    return row


def get_asset(
    uow: UnitOfWork, actor: Actor, asset_id: int, *, for_update: bool = False
) -> HoldingAsset:
    actor.require("holdings.assets.read")
    row: HoldingAsset = _get(uow, actor, HoldingAsset, "asset", asset_id, for_update)
    return row


def get_account(
    uow: UnitOfWork, actor: Actor, account_id: int, *, for_update: bool = False
) -> BankAccount:
    actor.require("holdings.accounts.read")
    row: BankAccount = _get(uow, actor, BankAccount, "bank account", account_id, for_update)
    return row


def get_snapshot(
    uow: UnitOfWork, actor: Actor, snapshot_id: int, *, for_update: bool = False
) -> BankSnapshot:
    actor.require("holdings.accounts.read")
    row: BankSnapshot = _get(uow, actor, BankSnapshot, "bank snapshot", snapshot_id, for_update)
    return row
