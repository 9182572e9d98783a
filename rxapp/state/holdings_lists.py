"""/holdings/assets and /holdings/accounts: the holdings ventures' assets by name, and their bank
accounts with the latest balance, each with a form to record a balance (one per account and
date: the domain refuses a second, a longer account number, a currency not the account's).

Handlers pass ids from the client to the domain, which finds them through scope."""

from __future__ import annotations

from typing import Any

import reflex as rx

from domain.access.actor import Actor
from domain.db import read_only
from domain.holdings.queries.lists import get_account_view, list_accounts, list_assets
from domain.holdings.services.accounts import record_snapshot
from rxapp.state.form_base import Form, Saved, in_unit_of_work, submits
from rxapp.state.forms import as_amount, as_int, as_text
from rxapp.state.guards import guarded
from rxapp.state.paging import CursorPages
from rxapp.state.session import SessionState
from rxapp.views.freight import money
from rxapp.views.holdings import AccountRow, AssetRow, account_row, asset_row

PAGE_SIZE = 50
SNAPSHOT_FIELDS = ("day", "balance")
SNAPSHOT_FORM = Form(
    SNAPSHOT_FIELDS,
    {"day": "Date", "balance": "Balance", "currency": "Currency", "account_id": "Account"},
    open="snapshot_open",
)


class HoldingsAssetsState(CursorPages, SessionState):
    rows: list[AssetRow] = []

    @rx.var
    def page_summary(self) -> str:
        if not self.rows:
            return ""
        start = self._page_start(PAGE_SIZE)
        return f"Assets {start:,} to {start + len(self.rows) - 1:,}, by name"

    def _query(self, actor: Actor) -> None:
        with read_only() as uow:
            page = list_assets(
                uow,
                actor,
                venture_id=self._filter_venture_id(actor),
                cursor=self._page_cursor(),
                limit=PAGE_SIZE,
            )
        self.rows = [asset_row(a) for a in page.items]
        self._took(page.has_more, page.next_cursor)

    @rx.event
    @guarded(page="holdings_assets")
    def load(self, actor: Actor):
        self._first_page()
        event = self._safe_query(actor)
        self._ready("holdings_assets")
        return event


class HoldingsAccountsState(CursorPages, SessionState):
    rows: list[AccountRow] = []
    can_record: bool = False
    busy: bool = False
    snapshot_open: bool = False
    snapshot_title: str = ""
    err: dict[str, str] = dict.fromkeys(SNAPSHOT_FIELDS, "")
    errors: list[str] = []
    form_key: int = 0

    _account_id: int | None = None

    @rx.var
    def page_summary(self) -> str:
        if not self.rows:
            return ""
        start = self._page_start(PAGE_SIZE)
        return f"Accounts {start:,} to {start + len(self.rows) - 1:,}, by name"

    def _query(self, actor: Actor) -> None:
        with read_only() as uow:
            page = list_accounts(
                uow,
                actor,
                venture_id=self._filter_venture_id(actor),
                cursor=self._page_cursor(),
                limit=PAGE_SIZE,
            )
        self.rows = [account_row(a) for a in page.items]
        self._took(page.has_more, page.next_cursor)

    @rx.event
    @guarded(page="holdings_accounts")
    def load(self, actor: Actor):
        self.can_record = actor.can("holdings.snapshots.write")
        self.snapshot_open, self._account_id = False, None
        self._first_page()
        event = self._safe_query(actor)
        self._ready("holdings_accounts")
        return event

    @rx.event
    @guarded
    def open_snapshot(self, actor: Actor, account_id: int):
        aid = as_int(account_id)
        if aid is None:
            return None
        if not actor.can("holdings.snapshots.write"):
            return rx.toast.error("Your role does not record balances.")
        with read_only() as uow:
            view = get_account_view(uow, actor, aid)
        self._account_id = view.id
        self.snapshot_title = f"Record a balance: {view.name} (····{view.last4}, {view.currency})"
        SNAPSHOT_FORM.clear(self)
        self.form_key += 1
        self.snapshot_open = True
        return None

    @rx.event
    def set_snapshot_open(self, open: bool) -> None:
        if not self.busy:
            self.snapshot_open = bool(open)

    @rx.event(background=True)
    @submits(SNAPSHOT_FORM)
    async def record(self, actor: Actor, form_data: dict[str, Any]):
        async with self:
            account_id = self._account_id
        if account_id is None:
            return None
        data: dict[str, Any] = {
            "account_id": account_id,
            "day": as_text(form_data.get("day"), 20) or None,
            "balance": as_amount(as_text(form_data.get("balance"), 40)),
        }
        view = await in_unit_of_work(
            record_snapshot, actor, {k: v for k, v in data.items() if v is not None}
        )
        async with self:
            self._safe_query(actor)
        return Saved(f"Balance of {money(view.balance, view.currency)} recorded for {view.day}.")
