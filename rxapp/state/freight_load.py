"""/freight/loads/<id>: one load (lane, money, people), its timeline of LoadEvents, and buttons for
exactly the status changes the domain allows this user now. Covering asks for a carrier (the
eligible ones), marking lost asks for a reason and confirms; every change goes through
``transition_load``, which decides.

The load's id comes from the URL on page load and is kept server-side (``_load_id``), only after
the domain returned the load to this actor; a load out of scope shows the "no access" panel, like
a missing one.
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import reflex as rx

from domain.access.actor import Actor
from domain.db import read_only, unit_of_work
from domain.errors import DomainError, Invalid, NotFound
from domain.freight.models import LoadStatus, LostReason
from domain.freight.queries import eligible_carriers_for_load, get_load_detail
from domain.freight.schemas import LoadDetail, LoadView
from domain.freight.services import transition_load
from rxapp.state.errors import form_errors
from rxapp.state.forms import Option, as_amount, as_int, as_text
from rxapp.state.guards import guarded
from rxapp.state.session import SessionState
from rxapp.views.freight import (
    DASH,
    LOST_REASONS,
    day,
    equipment_label,
    lost_reason_label,
    margin_known,
    margin_text,
    money,
    pct,
    place,
    when,
)
from rxapp.views.status import LOAD_STATUS

LABELS = {
    "carrier_id": "Carrier",
    "cost_amount": "Carrier rate",
    "lost_reason": "Reason",
    "note": "Note",
    "status": "Status",
}


@dataclasses.dataclass
class LoadCard:
    id: int = 0
    reference: str = ""
    venture_code: str = ""
    status: str = ""
    status_label: str = ""
    status_color: str = "gray"
    status_icon: str = "circle"
    customer: str = ""
    customer_href: str = ""
    carrier: str = ""
    carrier_href: str = ""
    office: str = ""
    origin: str = ""
    destination: str = ""
    pickup: str = ""
    drop: str = ""
    miles: str = ""
    equipment: str = ""
    bill: str = ""
    cost: str = ""
    margin: str = ""
    margin_pct: str = ""
    margin_negative: bool = False
    sales: str = ""
    dispatcher: str = ""
    created: str = ""
    covered: str = ""
    delivered: str = ""
    billing_date: str = ""
    lost: str = ""
    lost_reason: str = ""
    lost_note: str = ""
    quote: str = ""
    terminal: bool = False


@dataclasses.dataclass
class EventRow:
    id: int = 0
    at: str = ""
    title: str = ""
    color: str = "gray"
    icon: str = "circle"
    who: str = ""
    note: str = ""


@dataclasses.dataclass
class ActionRow:
    status: str = ""
    label: str = ""
    kind: str = "plain"  # plain | cover | deliver | lost
    color: str = "gray"
    icon: str = "circle"
    variant: str = "soft"


@dataclasses.dataclass
class OutreachLine:
    id: int = 0
    channel: str = ""
    when: str = ""
    who: str = ""
    sent: int = 0
    failed: int = 0
    awarded: bool = False


def load_card(v: LoadView) -> LoadCard:
    label, color, icon = LOAD_STATUS[v.status]
    return LoadCard(
        id=v.id,
        reference=v.reference,
        venture_code=v.venture_code,
        status=v.status.value,
        status_label=label,
        status_color=color,
        status_icon=icon,
        customer=v.customer_name,
        customer_href=f"/freight/loads?customer={v.customer_id}",
        carrier=v.carrier_name or "",
        carrier_href=f"/freight/carriers/{v.carrier_id}" if v.carrier_id else "",
        office=v.office_name,
        origin=place(v.pickup_city, v.pickup_state),
        destination=place(v.drop_city, v.drop_state),
        pickup=day(v.pickup_date),
        drop=day(v.drop_date),
        miles=f"{v.miles:,} mi" if v.miles else DASH,
        equipment=equipment_label(v.equipment),
        bill=money(v.bill_amount, v.currency),
        cost=money(v.cost_amount, v.currency),
        margin=margin_text(v),
        margin_pct=pct(v.margin_pct) if margin_known(v) else DASH,
        margin_negative=margin_known(v) and v.margin < 0,
        sales=v.sales_user_name,
        dispatcher=v.dispatcher_user_name or DASH,
        created=when(v.created_at),
        covered=when(v.covered_at, empty=""),
        delivered=when(v.delivered_at, empty=""),
        billing_date=day(v.billing_date, empty=""),
        lost=when(v.lost_at, empty=""),
        lost_reason=lost_reason_label(v.lost_reason),
        lost_note=v.lost_note or "",
        quote=f"Quote #{v.quote_id}" if v.quote_id else "",
        terminal=v.status in (LoadStatus.DELIVERED, LoadStatus.LOST),
    )


def _kind(status: LoadStatus, needs_carrier: bool) -> str:
    if status is LoadStatus.LOST:
        return "lost"
    if status is LoadStatus.DELIVERED:
        return "deliver"
    if status is LoadStatus.COVERED and needs_carrier:
        return "cover"
    return "plain"


# The status a user most likely wants next (the first of these that is allowed) is the one solid
# button; the other changes are quiet, and "Mark lost" is red.
PRIMARY = (
    LoadStatus.COVERED,
    LoadStatus.IN_TRANSIT,
    LoadStatus.DELIVERED,
    LoadStatus.WORKING,
    LoadStatus.OPEN,
)


def _fetch(actor: Actor, load_id: int) -> LoadDetail:
    with read_only() as uow:
        return get_load_detail(uow, actor, load_id)


def _transition(actor: Actor, load_id: int, data: dict[str, Any]) -> LoadView:
    with unit_of_work() as uow:
        return transition_load(uow, actor, load_id, data)


class FreightLoadState(SessionState):
    card: LoadCard = LoadCard()
    timeline: list[EventRow] = []
    actions: list[ActionRow] = []
    outreach: list[OutreachLine] = []
    can_edit: bool = False
    can_send_outreach: bool = False

    # the status-change dialog
    dlg_open: bool = False
    dlg_kind: str = "plain"
    dlg_status: str = ""
    dlg_title: str = ""
    dlg_text: str = ""
    dlg_confirm: str = ""
    carrier_options: list[Option] = []
    carrier_search: str = ""
    reason_options: list[Option] = [Option(r.value, label) for r, label in LOST_REASONS.items()]
    err_carrier: str = ""
    err_cost: str = ""
    err_reason: str = ""
    err_note: str = ""
    dlg_errors: list[str] = []
    busy: bool = False

    _load_id: int | None = None

    def _route_load_id(self) -> int | None:
        parts = [p for p in self._current_path().split("/") if p]
        if len(parts) == 3 and parts[:2] == ["freight", "loads"]:
            return as_int(parts[2])
        return None

    def _show(self, detail: LoadDetail) -> None:
        v = detail.load
        self._load_id = v.id
        self.card = load_card(v)
        self.timeline = [
            EventRow(
                id=e.id,
                at=when(e.at),
                title=(
                    f"{LOAD_STATUS[e.from_status][0]} → {LOAD_STATUS[e.to_status][0]}"
                    if e.from_status
                    else f"Created as {LOAD_STATUS[e.to_status][0]}"
                ),
                color=LOAD_STATUS[e.to_status][1],
                icon=LOAD_STATUS[e.to_status][2],
                who=e.user_name or "System",
                note=e.note or "",
            )
            for e in reversed(detail.timeline)  # newest first
        ]
        allowed = [t.status for t in detail.allowed_transitions]
        primary = next((s for s in PRIMARY if s in allowed), None)
        self.actions = [
            ActionRow(
                status=t.status.value,
                label="Mark lost…"
                if t.status is LoadStatus.LOST
                else ("Cover…" if t.needs_carrier else t.label),
                kind=_kind(t.status, t.needs_carrier),
                color=(
                    "red"
                    if t.status is LoadStatus.LOST
                    else "indigo"
                    if t.status is primary
                    else "gray"
                ),
                icon=LOAD_STATUS[t.status][2],
                variant="solid" if t.status is primary else "soft",
            )
            for t in detail.allowed_transitions
        ]
        self.can_edit = detail.can_edit
        self.can_send_outreach = detail.can_send_outreach
        self.outreach = [
            OutreachLine(
                id=o.id,
                channel="SMS" if o.channel.value == "SMS" else "Email",
                when=when(o.created_at),
                who=o.sent_by_name,
                sent=o.sent_count,
                failed=o.failed_count,
                awarded=o.awarded_carrier_id is not None,
            )
            for o in detail.outreach
        ]

    def _forget(self) -> None:
        self._load_id = None
        self.card = LoadCard()
        self.timeline, self.actions, self.outreach = [], [], []
        self.can_edit = self.can_send_outreach = False
        self.dlg_open = False

    def _refresh(self, actor: Actor) -> None:
        """Re-read the load after a change made elsewhere on the page (outreach)."""
        if self._load_id is not None:
            try:
                self._show(_fetch(actor, self._load_id))
            except DomainError:
                self._forget()

    # -- handlers ------------------------------------------------------------------------------

    @rx.event
    def load(self):
        actor, bounce = self._enter("freight_load")
        if actor is None:
            self._forget()
            return bounce
        load_id = self._route_load_id()
        try:
            if load_id is None:
                raise NotFound("load")
            detail = _fetch(actor, load_id)
        except NotFound:
            # Out of scope and nonexistent look the same: "no access", no data.
            self._forget()
            self._deny("freight_load")
            return None
        self._show(detail)
        self._ready("freight_load")
        return None

    def _clear_dialog_errors(self) -> None:
        self.err_carrier = self.err_cost = self.err_reason = self.err_note = ""
        self.dlg_errors = []

    def _carriers(self, actor: Actor) -> None:
        assert self._load_id is not None
        with read_only() as uow:
            found = eligible_carriers_for_load(
                uow, actor, self._load_id, search=self.carrier_search or None, limit=50
            )
        self.carrier_options = [
            Option(
                str(c.id),
                f"{c.name} · MC {c.mc_number}" + (f" · {c.home_state}" if c.home_state else ""),
            )
            for c in found
        ]

    @rx.event
    @guarded
    def ask(self, actor: Actor, status: str):
        """Open the dialog for one of the load's allowed status changes."""
        action = next((a for a in self.actions if a.status == str(status)), None)
        if action is None or self._load_id is None:
            return None
        self._clear_dialog_errors()
        ref = self.card.reference
        self.dlg_kind, self.dlg_status = action.kind, action.status
        self.carrier_options, self.carrier_search = [], ""
        if action.kind == "cover":
            try:
                self._carriers(actor)
            except DomainError as exc:
                return rx.toast.error(exc.message)
            self.dlg_title = f"Cover {ref}"
            self.dlg_text = (
                "Choose the carrier that will haul this load; only active carriers that are not "
                "blocked and pass FMCSA are offered. The load becomes Covered."
            )
            self.dlg_confirm = "Cover load"
        elif action.kind == "lost":
            self.dlg_title = f"Mark {ref} lost?"
            bill = self.card.bill
            self.dlg_text = (
                "Lost is final: the load leaves the pipeline and cannot be reopened"
                + (f", and {bill} will not be billed" if bill != DASH else "")
                + ". It shows as a fire on the firefront of everyone who follows "
                + self.card.venture_code
                + "."
            )
            self.dlg_confirm = f"Mark {ref} lost"
        elif action.kind == "deliver":
            self.dlg_title = f"Mark {ref} delivered?"
            self.dlg_text = (
                "Delivered is final. The load is billed on today's business date"
                + (f": {self.card.bill} to {self.card.customer}" if self.card.bill != DASH else "")
                + "."
            )
            self.dlg_confirm = "Mark delivered"
        else:
            self.dlg_title = f"Move {ref} to {action.label}?"
            self.dlg_text = f"The load moves from {self.card.status_label} to {action.label}."
            self.dlg_confirm = f"Move to {action.label}"
        self.dlg_open = True
        return None

    @rx.event
    def set_dialog_open(self, open: bool) -> None:
        if not self.busy:
            self.dlg_open = bool(open)

    @rx.event
    @guarded
    def find_carriers(self, actor: Actor, text: str):
        if self._load_id is None or self.dlg_kind != "cover":
            return None
        self.carrier_search = as_text(text, 80)
        try:
            self._carriers(actor)
        except DomainError as exc:
            self.carrier_options = []
            return rx.toast.error(exc.message)
        return None

    def _transition_failed(self, exc: DomainError) -> Any:
        by_field, summary = form_errors(exc, LABELS)
        self.err_carrier = by_field.get("carrier_id", "")
        self.err_cost = by_field.get("cost_amount", "")
        self.err_reason = by_field.get("lost_reason", "")
        self.err_note = by_field.get("note", "")
        self.dlg_errors = [s for s in summary if not any(s == v for v in by_field.values())]
        return None if isinstance(exc, Invalid) else rx.toast.error(exc.message)

    @rx.event(background=True)
    @guarded(busy="busy", on_error=_transition_failed)
    async def transition(self, actor: Actor, form_data: dict[str, Any]):
        async with self:
            load_id, status, kind = self._load_id, self.dlg_status, self.dlg_kind
            ref = self.card.reference
            self._clear_dialog_errors()
        if load_id is None:
            return
        data: dict[str, Any] = {"status": status}
        note = as_text(form_data.get("note"))
        if note:
            data["note"] = note
        if kind == "cover":
            data["carrier_id"] = as_int(form_data.get("carrier_id"))
            cost = as_amount(form_data.get("cost_amount"))
            if cost is not None:
                data["cost_amount"] = cost
        if kind == "lost":
            reason = as_text(form_data.get("lost_reason"), 40)
            data["lost_reason"] = reason if reason in LostReason.__members__ else None
        view = await asyncio.to_thread(_transition, actor, load_id, data)
        detail = await asyncio.to_thread(_fetch, actor, load_id)
        async with self:
            self.dlg_open = False
            self._show(detail)
        label = LOAD_STATUS[view.status][0]
        if view.status is LoadStatus.COVERED and view.carrier_name:
            yield rx.toast.success(f"{ref} is covered by {view.carrier_name}.")
        elif view.status is LoadStatus.LOST:
            yield rx.toast.success(
                f"{ref} is marked lost ({lost_reason_label(view.lost_reason).lower()})."
            )
        else:
            yield rx.toast.success(f"{ref} is now {label}.")
