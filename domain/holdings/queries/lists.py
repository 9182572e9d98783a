"""Cursor lists of assets, bank accounts (with their latest balance) and snapshots."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import col, select

from domain.access.actor import Actor
from domain.db import UnitOfWork
from domain.holdings.access import get_account, venture_filter
from domain.holdings.models import AssetType, BankAccount, BankSnapshot, HoldingAsset
from domain.holdings.schemas import AccountView, AssetView, SnapshotView
from domain.holdings.views import account_view, asset_view, snapshot_view
from domain.pagination import Page, SortKey, paginate


def list_assets(
    uow: UnitOfWork,
    actor: Actor,
    *,
    venture_id: int | None = None,
    type: AssetType | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[AssetView]:
    """The assets of the holdings ventures in scope, by name."""
    actor.require("holdings.assets.read")
    stmt = select(HoldingAsset).where(
        venture_filter(uow, actor, HoldingAsset.venture_id, venture_id)
    )
    if type is not None:
        stmt = stmt.where(col(HoldingAsset.type) == type)
    keys = [SortKey(HoldingAsset.name, descending=False), SortKey(HoldingAsset.id, False)]
    page = paginate(uow.session, stmt, keys, lambda a: (a.name, a.id), cursor=cursor, limit=limit)
    return page.map(asset_view)


def _latest(uow: UnitOfWork, account_ids: list[int]) -> dict[int, tuple[date, Decimal]]:
    """Each account's latest snapshot (day, balance): one read served by the unique key."""
    if not account_ids:
        return {}
    last = (
        select(BankSnapshot.account_id, func.max(BankSnapshot.day).label("day"))
        .where(col(BankSnapshot.account_id).in_(account_ids))
        .group_by(col(BankSnapshot.account_id))
        .subquery()
    )
    rows = uow.session.execute(
        select(col(BankSnapshot.account_id), col(BankSnapshot.day), col(BankSnapshot.balance)).join(
            last,
            (col(BankSnapshot.account_id) == last.c.account_id)
            & (col(BankSnapshot.day) == last.c.day),
        )
    ).all()
    return {r[0]: (r[1], r[2]) for r in rows}


def list_accounts(
    uow: UnitOfWork,
    actor: Actor,
    *,
    venture_id: int | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[AccountView]:
    """The bank accounts of the holdings ventures in scope, by name, each with its latest
    balance (day and amount, in the account's currency)."""
    actor.require("holdings.accounts.read")
    stmt = select(BankAccount).where(venture_filter(uow, actor, BankAccount.venture_id, venture_id))
    keys = [SortKey(BankAccount.name, descending=False), SortKey(BankAccount.id, False)]
    page = paginate(uow.session, stmt, keys, lambda a: (a.name, a.id), cursor=cursor, limit=limit)
    latest = _latest(uow, [a.id for a in page.items])
    return page.map(lambda a: account_view(a, *latest.get(a.id, (None, None))))


def get_account_view(uow: UnitOfWork, actor: Actor, account_id: int) -> AccountView:
    account = get_account(uow, actor, account_id)
    latest = _latest(uow, [account_id])
    return account_view(account, *latest.get(account_id, (None, None)))


def list_snapshots(
    uow: UnitOfWork,
    actor: Actor,
    *,
    venture_id: int | None = None,
    account_id: int | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[SnapshotView]:
    """Balance snapshots in scope, newest day first (optionally of one account: an account
    out of scope is NotFound)."""
    actor.require("holdings.accounts.read")
    stmt = select(BankSnapshot).where(
        venture_filter(uow, actor, BankSnapshot.venture_id, venture_id)
    )
    if account_id is not None:
        get_account(uow, actor, account_id)
        stmt = stmt.where(col(BankSnapshot.account_id) == account_id)
    keys = [SortKey(BankSnapshot.day), SortKey(BankSnapshot.id)]
    page = paginate(uow.session, stmt, keys, lambda s: (s.day, s.id), cursor=cursor, limit=limit)
    return page.map(snapshot_view)
