"""Bank account and balance snapshot use cases.

A snapshot is one balance per (account, date): a second snapshot of the same day is decided by
the unique key (``Conflict`` naming ``day``, HTTP 409; nothing written), so two recorders racing
on one day leave one row; a correction goes through ``update_snapshot``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain import cache, clock
from domain.access.actor import Actor
from domain.access.audit import audit
from domain.db import UnitOfWork, pk
from domain.errors import Invalid, Unique, duplicates_as_conflict
from domain.holdings import kpi
from domain.holdings.access import get_account, get_snapshot, require_holdings_venture
from domain.holdings.audit import HoldingsAudit
from domain.holdings.models import BankAccount, BankSnapshot
from domain.holdings.schemas import (
    AccountInput,
    AccountPatch,
    AccountView,
    SnapshotInput,
    SnapshotPatch,
    SnapshotView,
)
from domain.holdings.services.assets import _jsonable
from domain.holdings.views import account_view, snapshot_view
from domain.schemas import apply_patch, parse, patch_values

SNAPSHOT_KEY = Unique(
    "bank_snapshot", ("account_id", "day"), "day", "already has a balance for this account"
)


def create_account(
    uow: UnitOfWork, actor: Actor, data: Mapping[str, Any] | AccountInput
) -> AccountView:
    inp = parse(AccountInput, data)
    venture = require_holdings_venture(uow, actor, inp.venture_id)
    actor.require("holdings.accounts.manage", pk(venture))
    account = BankAccount(**inp.model_dump())
    uow.session.add(account)
    uow.session.flush()
    audit(
        uow,
        actor,
        HoldingsAudit.ACCOUNT_CREATED,
        entity_type="bank_account",
        entity_id=account.id,
        venture_id=account.venture_id,
        detail={"bank": account.bank, "name": account.name, "currency": str(account.currency)},
    )
    return account_view(account)


def update_account(
    uow: UnitOfWork, actor: Actor, account_id: int, data: Mapping[str, Any] | AccountPatch
) -> AccountView:
    account = get_account(uow, actor, account_id, for_update=True)
    actor.require("holdings.accounts.manage", account.venture_id)
    changes = patch_values(parse(AccountPatch, data))
    before = apply_patch(account, changes)
    account.updated_at = clock.now()
    uow.session.flush()
    audit(
        uow,
        actor,
        HoldingsAudit.ACCOUNT_UPDATED,
        entity_type="bank_account",
        entity_id=account.id,
        venture_id=account.venture_id,
        detail={"before": _jsonable(before), "after": _jsonable(changes)},
    )
    return account_view(account)


def record_snapshot(
    uow: UnitOfWork, actor: Actor, data: Mapping[str, Any] | SnapshotInput
) -> SnapshotView:
    """Record an account's balance on a date. Another venture's account is NotFound; a
    currency other than the account's is Invalid on ``currency``; a second balance of the same
    (account, day) is a Conflict on ``day``. Nothing is written on any refusal."""
    inp = parse(SnapshotInput, data)
    account = get_account(uow, actor, inp.account_id)
    actor.require("holdings.snapshots.write", account.venture_id)
    if inp.currency is not None and inp.currency != account.currency:
        raise Invalid.field(
            "currency",
            f"must be {account.currency}, the currency of account {account.name} "
            f"(····{account.last4}); {inp.currency} was given",
        )
    snap = BankSnapshot(
        account_id=pk(account),
        venture_id=account.venture_id,
        day=inp.day,
        balance=inp.balance,
        currency=account.currency,
    )
    with duplicates_as_conflict(uow.session, SNAPSHOT_KEY):
        uow.session.add(snap)
    kpi.snapshots_changed(uow.session.connection(), snap.venture_id, snap.day)
    cache.invalidate_after_commit(uow, kpi.DASHBOARD, snap.venture_id)
    audit(
        uow,
        actor,
        HoldingsAudit.SNAPSHOT_RECORDED,
        entity_type="bank_snapshot",
        entity_id=snap.id,
        venture_id=snap.venture_id,
        detail={"account_id": snap.account_id, "day": str(snap.day), "balance": str(snap.balance)},
    )
    return snapshot_view(snap)


def update_snapshot(
    uow: UnitOfWork, actor: Actor, snapshot_id: int, data: Mapping[str, Any] | SnapshotPatch
) -> SnapshotView:
    snap = get_snapshot(uow, actor, snapshot_id, for_update=True)
    actor.require("holdings.snapshots.write", snap.venture_id)
    changes = patch_values(parse(SnapshotPatch, data))
    before = apply_patch(snap, changes)
    snap.updated_at = clock.now()
    uow.session.flush()
    kpi.snapshots_changed(uow.session.connection(), snap.venture_id, snap.day)
    cache.invalidate_after_commit(uow, kpi.DASHBOARD, snap.venture_id)
    audit(
        uow,
        actor,
        HoldingsAudit.SNAPSHOT_UPDATED,
        entity_type="bank_snapshot",
        entity_id=snap.id,
        venture_id=snap.venture_id,
        detail={"before": _jsonable(before), "after": _jsonable(changes)},
    )
    return snapshot_view(snap)
