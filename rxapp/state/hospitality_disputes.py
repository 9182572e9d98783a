"""/hospitality/disputes: disputes of the hotels the reader works with, newest first, by status;
open a dispute, update an open one (evidence due date, status, reference, notes), and resolve it
WON, LOST or CLOSED_NO_ACTION after a confirmation naming what will happen. A resolution is final
(the domain's conditional UPDATE decides): a resolved dispute shows as final, with no actions.

Handlers take the dispute id from the client and hand it to the domain, which finds the dispute
through scope (out of scope = not found) and checks the permission.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from domain import clock
from domain.access.actor import Actor
from domain.db import read_only
from domain.errors import DomainError, Forbidden, NotFound
from domain.hospitality.access import hospitality_ventures_for
from domain.hospitality.models import OPEN_DISPUTE_STATUSES, DisputeStatus
from domain.hospitality.queries import get_dispute_view, list_disputes, list_hotels
from domain.hospitality.schemas import DisputeView
from domain.hospitality.services import create_dispute, resolve_dispute, update_dispute
from rxapp.state.form_base import Form, Saved, in_unit_of_work, submits
from rxapp.state.forms import Option, as_amount, as_date, as_int, as_text
from rxapp.state.guards import guarded
from rxapp.state.paging import CursorPages
from rxapp.state.session import SessionState
from rxapp.views.hospitality import (
    DISPUTE_STATUS,
    DISPUTE_TYPES,
    RESOLUTIONS,
    DisputeRow,
    dispute_row,
)

PAGE_SIZE = 50
OPEN = "open"

CREATE_FIELDS = (
    "hotel_id",
    "type",
    "channel",
    "reference",
    "amount",
    "evidence_due_date",
    "description",
)
EDIT_FIELDS = ("status", "reference", "evidence_due_date", "description")
LABELS = {
    "hotel_id": "Hotel",
    "type": "Type",
    "channel": "Channel",
    "reference": "Reference",
    "amount": "Amount",
    "currency": "Currency",
    "evidence_due_date": "Evidence due",
    "owner_id": "Owner",
    "description": "Notes",
    "status": "Status",
}
CREATE_FORM = Form(CREATE_FIELDS, LABELS, err="c_err", summary="c_errors", open="create_open")
EDIT_FORM = Form(EDIT_FIELDS, LABELS, err="e_err", summary="e_errors", open="edit_open")


def _today() -> Any:
    from domain.settings import get_settings

    return clock.today(get_settings().group_timezone)


def _dispute(actor: Actor, dispute_id: int) -> DisputeView:
    """The dispute through the domain's scope; any refusal says no more than a missing one."""
    try:
        with read_only() as uow:
            return get_dispute_view(uow, actor, dispute_id)
    except (NotFound, Forbidden):
        raise NotFound("dispute", dispute_id) from None


def _final(dispute_id: int, label: str) -> str:
    return f"Dispute #{dispute_id} is {label}: a resolution is final."


class HospitalityDisputesState(CursorPages, SessionState):
    rows: list[DisputeRow] = []
    status_options: list[Option] = [Option(OPEN, "Open or in progress")] + [
        Option(s.value, label) for s, (label, _c) in DISPUTE_STATUS.items()
    ]
    f_status: str = OPEN
    can_manage: bool = False
    busy: bool = False

    # create
    create_open: bool = False
    hotel_options: list[Option] = []
    type_options: list[Option] = [Option(t.value, label) for t, label in DISPUTE_TYPES.items()]
    c_err: dict[str, str] = dict.fromkeys(CREATE_FIELDS, "")
    c_errors: list[str] = []
    create_key: int = 0

    # update
    edit_open: bool = False
    edit_status_options: list[Option] = [
        Option(s.value, DISPUTE_STATUS[s][0])
        for s in (DisputeStatus.OPEN, DisputeStatus.IN_PROGRESS)
    ]
    e_err: dict[str, str] = dict.fromkeys(EDIT_FIELDS, "")
    e_errors: list[str] = []
    edit_key: int = 0
    dispute: DisputeRow = DisputeRow()

    # resolve
    confirm_open: bool = False
    confirm_title: str = ""
    confirm_text: str = ""
    confirm_label: str = ""
    confirm_danger: bool = False

    _edit_id: int | None = None
    _resolve: tuple[int, str] | None = None

    @rx.var
    def page_summary(self) -> str:
        if not self.rows:
            return ""
        start = self._page_start(PAGE_SIZE)
        return f"Disputes {start:,} to {start + len(self.rows) - 1:,}, newest first"

    def _statuses(self) -> list[DisputeStatus]:
        if self.f_status == OPEN:
            return sorted(OPEN_DISPUTE_STATUSES)
        if self.f_status in DisputeStatus.__members__:
            return [DisputeStatus(self.f_status)]
        return []

    def _query(self, actor: Actor) -> None:
        with read_only() as uow:
            page = list_disputes(
                uow,
                actor,
                venture_id=self._filter_venture_id(actor),
                statuses=self._statuses(),
                cursor=self._page_cursor(),
                limit=PAGE_SIZE,
            )
        today = _today()
        self.rows = [dispute_row(v, today) for v in page.items]
        self._took(page.has_more, page.next_cursor)

    def _refresh(self, actor: Actor) -> None:
        try:
            self._query(actor)
        except DomainError:
            self.rows = []

    @rx.event
    @guarded(page="hospitality_disputes")
    def load(self, actor: Actor):
        with read_only() as uow:
            manageable = hospitality_ventures_for(uow, actor, "hospitality.disputes.manage")
        self.can_manage = bool(manageable)
        self.create_open = self.edit_open = self.confirm_open = False
        self._edit_id, self._resolve = None, None
        self._first_page()
        event = self._safe_query(actor)
        self._ready("hospitality_disputes")
        return event

    @rx.event
    @guarded
    def apply_filters(self, actor: Actor, form_data: dict[str, Any]):
        status = as_text(form_data.get("status") or "all", 20)
        self.f_status = status if status in {o.value for o in self.status_options} else "all"
        self._first_page()
        return self._safe_query(actor)

    # -- create -------------------------------------------------------------------------------

    @rx.event
    @guarded
    def open_create(self, actor: Actor):
        if not actor.can("hospitality.disputes.manage"):
            return rx.toast.error("Your role does not open disputes.")
        with read_only() as uow:
            hotels = list_hotels(uow, actor, venture_id=self._filter_venture_id(actor), limit=200)
        self.hotel_options = [Option(str(h.id), f"{h.code} · {h.name}") for h in hotels.items]
        CREATE_FORM.clear(self)
        self.create_key += 1
        self.create_open = True
        return None

    @rx.event
    def set_create_open(self, open: bool) -> None:
        if not self.busy:
            self.create_open = bool(open)

    @rx.event(background=True)
    @submits(CREATE_FORM)
    async def create(self, actor: Actor, form_data: dict[str, Any]):
        typed = {f: as_text(form_data.get(f), 5_000) for f in CREATE_FIELDS}
        data: dict[str, Any] = {
            "hotel_id": as_int(typed["hotel_id"]) or typed["hotel_id"] or None,
            "type": typed["type"] or None,
            "channel": typed["channel"] or None,
            "reference": typed["reference"] or None,
            "amount": as_amount(typed["amount"]),
            "evidence_due_date": typed["evidence_due_date"] or None,
            "description": typed["description"] or None,
        }
        data = {k: v for k, v in data.items() if v is not None}
        view = await in_unit_of_work(create_dispute, actor, data)
        async with self:
            self._first_page()
            self._refresh(actor)
        row = dispute_row(view)
        return Saved(f"Dispute #{view.id} opened for {view.hotel_code}: {row.amount}.")

    # -- update -------------------------------------------------------------------------------

    @rx.event
    @guarded
    def open_edit(self, actor: Actor, dispute_id: int):
        did = as_int(dispute_id)
        if did is None:
            return None
        view = _dispute(actor, did)
        row = dispute_row(view, _today())
        if row.final:
            self.dispute = row
            return rx.toast.error(_final(view.id, row.status_label))
        self.dispute = row
        self._edit_id = view.id
        EDIT_FORM.clear(self)
        self.edit_key += 1
        self.edit_open = True
        return None

    @rx.event
    def set_edit_open(self, open: bool) -> None:
        if not self.busy:
            self.edit_open = bool(open)
            if not open:
                self._edit_id = None

    @rx.event(background=True)
    @submits(EDIT_FORM)
    async def save_edit(self, actor: Actor, form_data: dict[str, Any]):
        async with self:
            did = self._edit_id
        if did is None:
            return None
        typed = {f: as_text(form_data.get(f), 5_000) for f in EDIT_FIELDS}
        due = typed["evidence_due_date"]
        data: dict[str, Any] = {
            "reference": typed["reference"] or None,
            "evidence_due_date": (as_date(due) or due) if due else None,
            "description": typed["description"] or None,
        }
        if typed["status"]:
            data["status"] = typed["status"]
        view = await in_unit_of_work(update_dispute, actor, did, data)
        async with self:
            self._edit_id = None
            self._refresh(actor)
        return Saved(f"Dispute #{view.id} updated.")

    # -- resolve ------------------------------------------------------------------------------

    @rx.event
    @guarded
    def ask_resolve(self, actor: Actor, dispute_id: int, status: str):
        did = as_int(dispute_id)
        if did is None or str(status) not in {s.value for s in RESOLUTIONS}:
            return None
        view = _dispute(actor, did)
        row = dispute_row(view)
        if row.final:
            self._refresh(actor)
            return rx.toast.error(_final(view.id, row.status_label))
        outcome = DisputeStatus(str(status))
        label = DISPUTE_STATUS[outcome][0]
        self._resolve = (view.id, outcome.value)
        self.confirm_title = f"Resolve dispute #{view.id} as {label}?"
        money_note = {
            DisputeStatus.WON: f"{row.amount} counts as recovered.",
            DisputeStatus.LOST: f"{row.amount} is not recovered.",
            DisputeStatus.CLOSED_NO_ACTION: "It is closed with nothing recovered or lost.",
        }[outcome]
        self.confirm_text = (
            f"{view.hotel_code} · {row.type_label} via {view.channel}. {money_note} "
            "A resolution is final: it cannot be changed afterwards."
        )
        self.confirm_label = f"Resolve as {label}"
        self.confirm_danger = outcome != DisputeStatus.WON
        self.confirm_open = True
        return None

    @rx.event
    def set_confirm_open(self, open: bool) -> None:
        if not self.busy:
            self.confirm_open = bool(open)
            if not open:
                self._resolve = None

    def _resolve_failed(self, exc: DomainError) -> Any:
        self.confirm_open, self._resolve = False, None
        self._refresh_quietly()
        return rx.toast.error(exc.message)

    def _refresh_quietly(self) -> None:
        actor = self._actor()
        if actor is not None:
            self._refresh(actor)

    @rx.event(background=True)
    @guarded(busy="busy", on_error=_resolve_failed)
    async def resolve(self, actor: Actor):
        async with self:
            chosen = self._resolve
        if chosen is None:
            return
        did, status = chosen
        view = await in_unit_of_work(resolve_dispute, actor, did, {"status": status})
        async with self:
            self.confirm_open, self._resolve = False, None
            self._refresh(actor)
        yield rx.toast.success(
            f"Dispute #{view.id} resolved: {DISPUTE_STATUS[view.status][0]}. It is final."
        )
