"""Outreach: /freight/outreach (messages sent about loads, each recipient's status, award) and the
"Find carriers" dialog of a load page (send a message to selected eligible carriers).

Ids that arrive from the client (an outreach, a load) are handed to the domain, which reads them
through scope; what a dialog acts on afterwards is kept server-side (``_outreach_id``,
``_load_id``) and re-checked by the service that acts.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import Callable
from typing import Any

import reflex as rx
from reflex_components_sonner.toast import ToastAction

from domain.access.actor import Actor
from domain.db import UnitOfWork, read_only, unit_of_work
from domain.errors import DomainError, Invalid
from domain.freight.models import LoadStatus, OutreachChannel, RecipientStatus
from domain.freight.queries import (
    eligible_carriers_for_load,
    get_load_detail,
    get_outreach_view,
    list_outreach,
    outreach_template,
)
from domain.freight.schemas import MAX_OUTREACH_RECIPIENTS, OutreachView, RecipientView
from domain.freight.services import award_outreach, retry_outreach, send_outreach
from domain.pagination import Page
from rxapp.export import CsvExport, ExportPlan, csv_time
from rxapp.state.errors import form_errors
from rxapp.state.form_base import Form, Saved, submits
from rxapp.state.forms import as_amount, as_int, as_text
from rxapp.state.freight_load import FreightLoadState
from rxapp.state.guards import guarded
from rxapp.state.paging import CursorPages
from rxapp.state.session import SessionState
from rxapp.views.freight import when
from rxapp.views.status import LOAD_STATUS, recipient_status

PAGE_SIZE = 25


@dataclasses.dataclass
class RecipientRow:
    carrier_id: int = 0
    carrier: str = ""
    carrier_href: str = ""
    address: str = ""
    status: str = ""
    status_color: str = "gray"
    sent_at: str = ""
    error: str = ""
    can_award: bool = False
    awarded: bool = False


@dataclasses.dataclass
class OutreachRow:
    id: int = 0
    load_reference: str = ""
    load_href: str = ""
    load_status: str = ""
    load_status_color: str = "gray"
    load_status_icon: str = "circle"
    channel: str = ""
    subject: str = ""
    body: str = ""
    sent_by: str = ""
    when: str = ""
    sent: int = 0
    failed: int = 0
    pending: int = 0  # QUEUED or SENDING: delivery under way
    awarded_to: str = ""
    awarded_at: str = ""
    can_award: bool = False
    can_retry: bool = False
    recipients: list[RecipientRow] = dataclasses.field(default_factory=list)


def outreach_row(o: OutreachView) -> OutreachRow:
    label, color, icon = LOAD_STATUS[o.load_status]
    return OutreachRow(
        id=o.id,
        load_reference=o.load_reference,
        load_href=f"/freight/loads/{o.load_id}",
        load_status=label,
        load_status_color=color,
        load_status_icon=icon,
        channel="SMS" if o.channel is OutreachChannel.SMS else "Email",
        subject=o.subject or "",
        body=o.body,
        sent_by=o.sent_by_name,
        when=when(o.created_at),
        sent=o.sent_count,
        failed=o.failed_count,
        pending=o.pending_count,
        awarded_to=o.awarded_carrier_name or "",
        awarded_at=when(o.awarded_at, empty=""),
        can_award=o.can_award,
        can_retry=o.can_retry,
        recipients=[
            RecipientRow(
                carrier_id=r.carrier_id,
                carrier=r.carrier_name,
                carrier_href=f"/freight/carriers/{r.carrier_id}",
                address=r.address,
                status=recipient_status(r.status)[0],
                status_color=recipient_status(r.status)[1],
                sent_at=when(r.sent_at, empty=""),
                error=r.error or "",
                can_award=o.can_award and r.status is RecipientStatus.SENT,
                awarded=o.awarded_carrier_id == r.carrier_id,
            )
            for r in o.recipients
        ],
    )


def _retry(actor: Actor, outreach_id: int) -> OutreachView:
    with unit_of_work() as uow:
        retry_outreach(uow, actor, outreach_id)
    with read_only() as uow:  # after commit and the delivery that follows it
        return get_outreach_view(uow, actor, outreach_id)


def _award(actor: Actor, outreach_id: int, carrier_id: int, cost: str | None) -> OutreachView:
    data: dict[str, Any] = {"carrier_id": carrier_id}
    if cost is not None:
        data["cost_amount"] = cost
    with unit_of_work() as uow:
        return award_outreach(uow, actor, outreach_id, data)


OUTREACH_CSV_HEADER = (
    "Message",
    "Load",
    "Load status",
    "Channel",
    "Subject",
    "Message text",
    "Sent by",
    "Sent (UTC)",
    "Delivered to",
    "Failed",
    "Recipients",
    "Awarded to",
    "Awarded (UTC)",
)


def _outreach_csv_row(o: OutreachView) -> list[str]:
    """One line per message; the recipients as "name <address>: status" joined by "; "."""

    def recipient(r: RecipientView) -> str:
        status = (
            f"failed ({r.error or 'no reason'})"
            if r.status is RecipientStatus.FAILED
            else r.status.value.lower()
        )
        return f"{r.carrier_name} <{r.address}>: {status}"

    return [
        str(o.id),
        o.load_reference,
        LoadStatus(o.load_status).value,
        OutreachChannel(o.channel).value,
        o.subject or "",
        o.body,
        o.sent_by_name,
        csv_time(o.created_at),
        str(o.sent_count),
        str(o.failed_count),
        "; ".join(recipient(r) for r in o.recipients),
        o.awarded_carrier_name or "",
        csv_time(o.awarded_at),
    ]


# The outreach dialog re-reads its recipients this often while some are still being sent.
WATCH_SECONDS = 2.0
WATCH_LIMIT = 120.0


def _read_outreach(actor: Actor, outreach_id: int) -> OutreachView:
    with read_only() as uow:
        return get_outreach_view(uow, actor, outreach_id)


class FreightOutreachState(CursorPages, CsvExport, SessionState):
    rows: list[OutreachRow] = []
    load_filter: str = ""  # the reference of the load the list is narrowed to

    detail_open: bool = False
    detail: OutreachRow = OutreachRow()

    confirm_open: bool = False
    confirm_title: str = ""
    confirm_text: str = ""
    award_error: str = ""
    busy: bool = False

    _load_id: int | None = None
    _outreach_id: int | None = None
    _award_carrier: int | None = None
    _watching: bool = False

    @rx.var
    def page_summary(self) -> str:
        if not self.rows:
            return ""
        start = self._page_start(PAGE_SIZE)
        return f"Messages {start:,} to {start + len(self.rows) - 1:,}, newest first"

    def _lister(self, actor: Actor) -> Callable[[UnitOfWork, str | None, int], Page[OutreachView]]:
        """The outreach query with the filters on screen (for the page and the export)."""
        venture_id, load_id = self._filter_venture_id(actor), self._load_id

        def fetch(uow: UnitOfWork, cursor: str | None, size: int) -> Page[OutreachView]:
            return list_outreach(
                uow, actor, venture_id=venture_id, load_id=load_id, cursor=cursor, limit=size
            )

        return fetch

    def _query(self, actor: Actor) -> None:
        with read_only() as uow:
            page = self._lister(actor)(uow, self._page_cursor(), PAGE_SIZE)
        self.rows = [outreach_row(o) for o in page.items]
        self._took(page.has_more, page.next_cursor)

    def _export_plan(self, actor: Actor) -> ExportPlan[OutreachView]:
        return ExportPlan(
            "messages", "outreach", OUTREACH_CSV_HEADER, self._lister(actor), _outreach_csv_row
        )

    @rx.event
    @guarded(page="freight_outreach")
    def load(self, actor: Actor):
        try:
            params = dict(self.router.url.query_parameters)
        except Exception:
            params = {}
        self._load_id, self.load_filter = None, ""
        load_id = as_int(params.get("load"))
        if load_id is not None:
            try:
                with read_only() as uow:
                    ref = get_load_detail(uow, actor, load_id).load.reference
                self._load_id, self.load_filter = load_id, ref
            except DomainError:
                self._load_id, self.load_filter = -1, "an unknown load"  # matches nothing
        self.detail_open = self.confirm_open = False
        self._first_page()
        event = self._safe_query(actor)
        self._ready("freight_outreach")
        return event

    @rx.event
    @guarded
    def open_outreach(self, actor: Actor, outreach_id: int):
        oid = as_int(outreach_id)
        if oid is None:
            return None
        with read_only() as uow:
            view = get_outreach_view(uow, actor, oid)
        self._outreach_id = view.id
        self.detail = outreach_row(view)
        self.detail_open = True
        return FreightOutreachState.watch_detail if view.pending_count else None

    @rx.event
    @guarded
    def refresh_detail(self, actor: Actor):
        """Read the open outreach again (its recipients' statuses while delivery runs)."""
        if self._outreach_id is None:
            return None
        with read_only() as uow:
            self.detail = outreach_row(get_outreach_view(uow, actor, self._outreach_id))
        return None

    @rx.event(background=True)
    @guarded
    async def watch_detail(self, actor: Actor):
        """Keep the open outreach's statuses live while delivery runs: re-read it every
        ``WATCH_SECONDS`` until nothing is pending, the dialog closes, or ``WATCH_LIMIT`` ends."""
        async with self:
            if self._watching:
                return
            self._watching = True
        try:
            deadline = time.monotonic() + WATCH_LIMIT
            while time.monotonic() < deadline:
                await asyncio.sleep(WATCH_SECONDS)
                async with self:
                    oid = self._outreach_id if self.detail_open else None
                if oid is None:
                    return
                try:
                    view = await asyncio.to_thread(_read_outreach, actor, oid)
                except DomainError:
                    return
                async with self:
                    if self._outreach_id == oid:
                        self.detail = outreach_row(view)
                if not view.pending_count:
                    failed = f", {view.failed_count} failed" if view.failed_count else ""
                    yield rx.toast.info(f"Delivery finished: {view.sent_count} sent{failed}.")
                    return
        finally:
            async with self:
                self._watching = False

    @rx.event(background=True)
    @guarded(busy="busy")
    async def retry_failed(self, actor: Actor):
        """Send again to the FAILED recipients of the open outreach."""
        async with self:
            oid = self._outreach_id
        if oid is None:
            return
        view = await asyncio.to_thread(_retry, actor, oid)
        async with self:
            self.detail = outreach_row(view)
            with contextlib.suppress(DomainError):
                self._query(actor)
        if view.pending_count:
            yield FreightOutreachState.watch_detail
        if view.failed_count:
            yield rx.toast.warning(f"Sent again; {view.failed_count} still failed (see reasons).")
        else:
            yield rx.toast.success("Sent again to every failed recipient.")

    @rx.event
    def set_detail_open(self, open: bool) -> None:
        self.detail_open = bool(open)
        if not open:
            self._outreach_id = None

    @rx.event
    def ask_award(self, carrier_id: int) -> None:
        row = next((r for r in self.detail.recipients if r.carrier_id == as_int(carrier_id)), None)
        if row is None or self._outreach_id is None or not row.can_award:
            return
        self._award_carrier = row.carrier_id
        self.award_error = ""
        others = len([r for r in self.detail.recipients if r.carrier_id != row.carrier_id])
        self.confirm_title = f"Award {self.detail.load_reference} to {row.carrier}?"
        self.confirm_text = (
            f"{row.carrier} becomes the load's carrier and {self.detail.load_reference} moves to "
            "Covered."
            + (
                f" The other {others} carrier{'s' if others != 1 else ''} are not told "
                "automatically."
                if others
                else ""
            )
        )
        self.confirm_open = True

    @rx.event
    def set_confirm_open(self, open: bool) -> None:
        if not self.busy:
            self.confirm_open = bool(open)

    def _award_failed(self, exc: DomainError) -> None:
        self.award_error = "; ".join(form_errors(exc, {"cost_amount": "Carrier rate"})[1])

    @rx.event(background=True)
    @guarded(busy="busy", on_error=_award_failed)
    async def award(self, actor: Actor, form_data: dict[str, Any]):
        async with self:
            oid, cid = self._outreach_id, self._award_carrier
            self.award_error = ""
        if oid is None or cid is None:
            return
        view = await asyncio.to_thread(
            _award, actor, oid, cid, as_amount(form_data.get("cost_amount"))
        )
        async with self:
            self.confirm_open = False
            self.detail = outreach_row(view)
            try:
                self._query(actor)
            except DomainError:
                self.rows = []
        yield rx.toast.success(
            f"{view.load_reference} is covered by {view.awarded_carrier_name}.",
            action=ToastAction(
                label="Open load", on_click=rx.redirect(f"/freight/loads/{view.load_id}")
            ),
            duration=8000,
        )


# -- the "Find carriers" dialog of a load page ----------------------------------------------------


@dataclasses.dataclass
class CandidateRow:
    id: int = 0
    name: str = ""
    mc: str = ""
    home_state: str = ""
    address: str = ""


SEND_LABELS = {"carrier_ids": "Carriers", "body": "Message", "subject": "Subject"}


SEND_FORM = Form(tuple(SEND_LABELS), SEND_LABELS, open="send_open")


def _send(actor: Actor, data: dict[str, Any]) -> Any:
    with unit_of_work() as uow:
        view = send_outreach(uow, actor, data)
    with read_only() as uow:  # after commit and the delivery that follows it
        return get_outreach_view(uow, actor, view.id)


class FreightSendState(SessionState):
    send_open: bool = False
    load_reference: str = ""
    channel: str = "SMS"
    candidates: list[CandidateRow] = []
    body: str = ""
    err: dict[str, str] = dict.fromkeys(SEND_LABELS, "")
    errors: list[str] = []
    busy: bool = False
    form_key: int = 0

    _load_id: int | None = None

    def _candidates(self, actor: Actor) -> None:
        assert self._load_id is not None
        channel = OutreachChannel(self.channel)
        with read_only() as uow:
            found = eligible_carriers_for_load(
                uow, actor, self._load_id, channel=channel, limit=MAX_OUTREACH_RECIPIENTS
            )
        self.candidates = [
            CandidateRow(
                id=c.id,
                name=c.name,
                mc=c.mc_number,
                home_state=c.home_state or "",
                address=(c.phone if channel is OutreachChannel.SMS else c.email) or "",
            )
            for c in found
        ]

    @rx.event
    @guarded
    def open_send(self, actor: Actor, load_id: int):
        lid = as_int(load_id)
        if lid is None:
            return None
        try:
            with read_only() as uow:
                detail = get_load_detail(uow, actor, lid)
            if not detail.can_send_outreach:
                return rx.toast.error(
                    f"Outreach is for loads that still need a carrier; {detail.load.reference} "
                    "does not, or your role does not send outreach."
                )
            self._load_id = lid
            self.channel = "SMS"
            self._candidates(actor)
        except DomainError as exc:
            self._load_id = None
            return rx.toast.error(exc.message)
        self.load_reference = detail.load.reference
        self.body = outreach_template(detail.load)
        SEND_FORM.clear(self)
        self.form_key += 1
        self.send_open = True
        return None

    @rx.event
    def set_send_open(self, open: bool) -> None:
        if not self.busy:
            self.send_open = bool(open)

    @rx.event
    @guarded
    def set_channel(self, actor: Actor, channel: str | list[str]):
        if self._load_id is None or str(channel) not in OutreachChannel.__members__:
            return None
        self.channel = str(channel)
        try:
            self._candidates(actor)
        except DomainError as exc:
            self.candidates = []
            return rx.toast.error(exc.message)
        return None

    @rx.event(background=True)
    @submits(SEND_FORM)
    async def send(self, actor: Actor, form_data: dict[str, Any]):
        async with self:
            load_id, channel, ref = self._load_id, self.channel, self.load_reference
            self.body = as_text(form_data.get("body"), 1000)
        if load_id is None:
            return None
        carrier_ids = sorted(
            {
                n
                for key, value in form_data.items()
                if key.startswith("carrier_")
                and value not in (None, "", False, "off")
                and (n := as_int(key.removeprefix("carrier_"))) is not None
            }
        )
        data: dict[str, Any] = {
            "load_id": load_id,
            "channel": channel,
            "carrier_ids": carrier_ids,
            "body": as_text(form_data.get("body"), 2000),
        }
        subject = as_text(form_data.get("subject"), 300)
        if subject and channel == "EMAIL":
            data["subject"] = subject
        if not carrier_ids:
            raise Invalid.field("carrier_ids", "choose at least one carrier")
        view = await asyncio.to_thread(_send, actor, data)
        async with self:
            page = await self.get_state(FreightLoadState)
            page._refresh(actor)
        failed = f", {view.failed_count} failed" if view.failed_count else ""
        pending = f", {view.pending_count} still being sent" if view.pending_count else ""
        return Saved(
            f"Outreach about {ref} sent to {view.sent_count} carrier"
            f"{'s' if view.sent_count != 1 else ''}{failed}{pending}.",
            action=ToastAction(
                label="See recipients", on_click=rx.redirect(f"/freight/outreach?load={load_id}")
            ),
            duration=8000,
        )
