"""``/api/v1/holdings``: assets, bank accounts and balance snapshots (cursor lists, create,
update) and the balances KPI read (per currency, never a mixed total).

Thin calls of ``domain.holdings``: the domain applies scope (an id of another venture answers
404 exactly like a missing one), checks the role, validates (400 with ``fields``: an account
number of more than 4 digits is refused, never truncated; a snapshot in a currency other than
its account's is refused) and decides a second balance of one (account, date) by the unique key
(409 naming ``day``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from domain.analytics.ranges import Preset
from domain.db import read_only, unit_of_work
from domain.errors import Invalid
from domain.holdings.models import AssetType
from domain.holdings.queries import lists, totals
from domain.holdings.schemas import (
    AccountInput,
    AccountPatch,
    AccountView,
    AssetInput,
    AssetPatch,
    AssetView,
    BalancesView,
    DashboardView,
    SnapshotInput,
    SnapshotPatch,
    SnapshotView,
)
from domain.holdings.services import accounts, assets
from domain.pagination import DEFAULT_PAGE_SIZE
from domain.schemas import BusinessDate
from rxapp.api.deps import CurrentActor
from rxapp.api.paging import Cursor, Limit
from rxapp.api.schemas import MAX_ID, PageOut, PathId, error_responses

router = APIRouter(prefix="/holdings", tags=["holdings"], responses=error_responses(400, 401, 403))

QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]


# -- assets ---------------------------------------------------------------------------------------


@router.get("/assets", response_model=PageOut[AssetView], summary="Assets in scope, by name")
def holding_assets(
    actor: CurrentActor,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    venture: QueryId = None,
    type: AssetType | None = None,
) -> PageOut[AssetView]:
    with read_only() as uow:
        page = lists.list_assets(
            uow, actor, venture_id=venture, type=type, cursor=cursor, limit=limit
        )
    return PageOut[AssetView](
        items=page.items, next_cursor=page.next_cursor, has_more=page.has_more
    )


@router.post(
    "/assets",
    response_model=AssetView,
    status_code=201,
    responses=error_responses(404),
    summary="Add an asset (value estimate in USD or INR)",
)
def create_holding_asset(actor: CurrentActor, body: AssetInput) -> AssetView:
    with unit_of_work() as uow:
        return assets.create_asset(uow, actor, body)


@router.patch(
    "/assets/{asset_id}",
    response_model=AssetView,
    responses=error_responses(404),
    summary="Change an asset (only the fields sent)",
)
def update_holding_asset(actor: CurrentActor, asset_id: PathId, body: AssetPatch) -> AssetView:
    with unit_of_work() as uow:
        return assets.update_asset(uow, actor, asset_id, body)


# -- bank accounts --------------------------------------------------------------------------------


@router.get(
    "/accounts",
    response_model=PageOut[AccountView],
    summary="Bank accounts in scope, by name, each with its latest balance",
)
def bank_accounts(
    actor: CurrentActor,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    venture: QueryId = None,
) -> PageOut[AccountView]:
    with read_only() as uow:
        page = lists.list_accounts(uow, actor, venture_id=venture, cursor=cursor, limit=limit)
    return PageOut[AccountView](
        items=page.items, next_cursor=page.next_cursor, has_more=page.has_more
    )


@router.post(
    "/accounts",
    response_model=AccountView,
    status_code=201,
    responses=error_responses(404),
    summary="Add a bank account (only the last 4 digits of its number; a longer one is 400)",
)
def create_bank_account(actor: CurrentActor, body: AccountInput) -> AccountView:
    with unit_of_work() as uow:
        return accounts.create_account(uow, actor, body)


@router.patch(
    "/accounts/{account_id}",
    response_model=AccountView,
    responses=error_responses(404),
    summary="Change a bank account's bank, name or last 4 digits",
)
def update_bank_account(actor: CurrentActor, account_id: PathId, body: AccountPatch) -> AccountView:
    with unit_of_work() as uow:
        return accounts.update_account(uow, actor, account_id, body)


# -- snapshots ------------------------------------------------------------------------------------


@router.get(
    "/snapshots",
    response_model=PageOut[SnapshotView],
    responses=error_responses(404),
    summary="Balance snapshots in scope, newest date first",
)
def bank_snapshots(
    actor: CurrentActor,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    venture: QueryId = None,
    account: QueryId = None,
) -> PageOut[SnapshotView]:
    with read_only() as uow:
        page = lists.list_snapshots(
            uow, actor, venture_id=venture, account_id=account, cursor=cursor, limit=limit
        )
    return PageOut[SnapshotView](
        items=page.items, next_cursor=page.next_cursor, has_more=page.has_more
    )


@router.post(
    "/snapshots",
    response_model=SnapshotView,
    status_code=201,
    responses=error_responses(404, 409),
    summary="Record an account's balance on a date (one per account and date: a second is 409)",
)
def record_bank_snapshot(actor: CurrentActor, body: SnapshotInput) -> SnapshotView:
    with unit_of_work() as uow:
        return accounts.record_snapshot(uow, actor, body)


@router.patch(
    "/snapshots/{snapshot_id}",
    response_model=SnapshotView,
    responses=error_responses(404),
    summary="Correct a recorded balance",
)
def update_bank_snapshot(
    actor: CurrentActor, snapshot_id: PathId, body: SnapshotPatch
) -> SnapshotView:
    with unit_of_work() as uow:
        return accounts.update_snapshot(uow, actor, snapshot_id, body)


# -- KPI ------------------------------------------------------------------------------------------

_NAMES = {"start": "from", "end": "to", "venture_id": "venture"}


@router.get(
    "/balances",
    response_model=BalancesView,
    responses=error_responses(404),
    summary="Balances per currency on a date (each account's latest snapshot on or before it)",
)
def holdings_balances(
    actor: CurrentActor,
    on: BusinessDate | None = None,
    venture: QueryId = None,
) -> BalancesView:
    with read_only() as uow:
        return totals.balances(uow, actor, on, venture_id=venture)


@router.get(
    "/kpi",
    response_model=DashboardView,
    responses=error_responses(404),
    summary="Balances per currency over a date range (default the last 30 days), assets by type",
)
def holdings_kpi(
    actor: CurrentActor,
    date_from: Annotated[BusinessDate | None, Query(alias="from")] = None,
    date_to: Annotated[BusinessDate | None, Query(alias="to")] = None,
    preset: Preset | None = None,
    venture: QueryId = None,
) -> DashboardView:
    try:
        with read_only() as uow:
            return totals.holdings_dashboard(
                uow, actor, date_from, date_to, venture_id=venture, preset=preset
            )
    except Invalid as exc:
        raise Invalid({_NAMES.get(k, k): v for k, v in exc.fields.items()}) from None
