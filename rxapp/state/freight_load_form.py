"""/freight/loads/new and /freight/loads/<id>/edit: the load form. Labels above fields, each
domain field error under its field and a summary at the top; the submit button shows progress and
cannot submit twice. ``create_load`` / ``update_load`` validate, check scope and decide.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import reflex as rx

from domain.access.actor import Actor
from domain.db import read_only
from domain.errors import DomainError, Invalid, NotFound
from domain.freight.access import freight_ventures_for
from domain.freight.queries import get_load_detail, load_form_options
from domain.freight.services import create_load, update_load
from domain.org.queries import venture_today
from rxapp.state.form_base import Form, Saved, in_unit_of_work, submits
from rxapp.state.forms import Option, as_amount, as_int, as_text
from rxapp.state.guards import guarded
from rxapp.state.session import SessionState
from rxapp.views.freight import EQUIPMENT

FIELDS = (
    "reference",
    "office_id",
    "customer_id",
    "pickup_city",
    "pickup_state",
    "pickup_date",
    "drop_city",
    "drop_state",
    "drop_date",
    "miles",
    "equipment",
    "bill_amount",
    "cost_amount",
    "sales_user_id",
    "dispatcher_user_id",
)
LABELS = {
    "venture_id": "Venture",
    "reference": "Reference",
    "office_id": "Office",
    "customer_id": "Customer",
    "pickup_city": "Pickup city",
    "pickup_state": "Pickup state",
    "pickup_date": "Pickup date",
    "drop_city": "Drop city",
    "drop_state": "Drop state",
    "drop_date": "Drop date",
    "miles": "Miles",
    "equipment": "Equipment",
    "bill_amount": "Bill amount",
    "cost_amount": "Carrier cost",
    "sales_user_id": "Sales",
    "dispatcher_user_id": "Dispatcher",
}
NONE = "none"  # a select item cannot have an empty value


FORM = Form(FIELDS, LABELS)


def _blank() -> dict[str, str]:
    return dict.fromkeys(FIELDS, "")


class FreightLoadFormState(SessionState):
    mode: str = "new"  # new | edit
    reference: str = ""  # of the load being edited
    subtitle: str = ""
    back_href: str = "/freight/loads"
    venture_choices: list[Option] = []
    f_venture: str = ""
    office_options: list[Option] = []
    customer_options: list[Option] = []
    sales_options: list[Option] = []
    dispatcher_options: list[Option] = []
    equipment_options: list[Option] = [Option(e.value, label) for e, label in EQUIPMENT.items()]
    state_options: list[str] = []
    can_assign: bool = False
    val: dict[str, str] = _blank()
    err: dict[str, str] = _blank()
    errors: list[str] = []
    busy: bool = False
    form_key: int = 0

    _edit_id: int | None = None

    def _options(self, actor: Actor, venture_id: int) -> None:
        with read_only() as uow:
            opts = load_form_options(uow, actor, venture_id)
        self.office_options = [Option(str(c.id), c.label) for c in opts.offices]
        self.customer_options = [Option(str(c.id), c.label) for c in opts.customers]
        self.sales_options = [Option(str(c.id), c.label) for c in opts.sales_users]
        self.dispatcher_options = [Option(NONE, "Not assigned")] + [
            Option(str(c.id), c.label) for c in opts.dispatchers
        ]
        self.state_options = list(opts.states)
        self.can_assign = opts.can_assign

    def _defaults(self, actor: Actor, venture_id: int) -> None:
        with read_only() as uow:
            today = venture_today(uow, actor, venture_id)
        val = _blank()
        val.update(
            pickup_date=today.isoformat(),
            drop_date=(today + timedelta(days=1)).isoformat(),
            equipment="DRY_VAN",
            sales_user_id=str(actor.user_id),
            dispatcher_user_id=NONE,
        )
        if len(self.office_options) == 1:
            val["office_id"] = self.office_options[0].value
        self.val = val

    def _subtitle(self) -> None:
        name = next((o.label for o in self.venture_choices if o.value == self.f_venture), "")
        self.subtitle = f"A new Open load in {name}. Fields marked optional can wait."

    def _route_edit_id(self) -> int | None:
        parts = [p for p in self._current_path().split("/") if p]
        if len(parts) == 4 and parts[:2] == ["freight", "loads"] and parts[3] == "edit":
            return as_int(parts[2])
        return None

    # -- page loads ----------------------------------------------------------------------------

    @rx.event
    @guarded(page="freight_load_new")
    def load_new(self, actor: Actor):
        self.mode, self.reference, self._edit_id = "new", "", None
        self.back_href = "/freight/loads"
        FORM.clear(self)
        with read_only() as uow:
            ventures = freight_ventures_for(uow, actor, "freight.loads.create")
        self.venture_choices = [Option(str(v.id), f"{v.name} ({v.code})") for v in ventures]
        if not ventures:
            self._deny("freight_load_new")
            return None
        preferred = self._filter_venture_id(actor)
        chosen = next((v.id for v in ventures if v.id == preferred), ventures[0].id)
        self.f_venture = str(chosen)
        try:
            self._options(actor, chosen)
        except DomainError as exc:
            self._deny("freight_load_new")
            return rx.toast.error(exc.message)
        self._defaults(actor, chosen)
        self._subtitle()
        self.form_key += 1
        self._ready("freight_load_new")
        return None

    @rx.event
    @guarded(page="freight_load_edit")
    def load_edit(self, actor: Actor):
        FORM.clear(self)
        load_id = self._route_edit_id()
        try:
            if load_id is None:
                raise NotFound("load")
            with read_only() as uow:
                detail = get_load_detail(uow, actor, load_id)
            if not detail.can_edit:
                raise NotFound("load", load_id)
            self._options(actor, detail.load.venture_id)
        except DomainError:
            self._edit_id, self.reference, self.val = None, "", _blank()
            self._deny("freight_load_edit")
            return None
        v = detail.load
        self.mode, self._edit_id, self.reference = "edit", v.id, v.reference
        self.back_href = f"/freight/loads/{v.id}"
        self.f_venture = str(v.venture_id)
        self.venture_choices = [Option(str(v.venture_id), v.venture_code)]
        self.subtitle = (
            f"{v.customer_name} · {v.venture_code}. Status changes are made on the load's page."
        )
        # The current values stay choosable even if no longer offered (an inactive customer).
        if all(o.value != str(v.customer_id) for o in self.customer_options):
            self.customer_options.insert(0, Option(str(v.customer_id), v.customer_name))
        if all(o.value != str(v.office_id) for o in self.office_options):
            self.office_options.insert(0, Option(str(v.office_id), v.office_name))
        if all(o.value != str(v.sales_user_id) for o in self.sales_options):
            self.sales_options.insert(0, Option(str(v.sales_user_id), v.sales_user_name))
        did = v.dispatcher_user_id
        if did and all(o.value != str(did) for o in self.dispatcher_options):
            self.dispatcher_options.append(Option(str(did), v.dispatcher_user_name or str(did)))
        self.val = {
            "reference": v.reference,
            "office_id": str(v.office_id),
            "customer_id": str(v.customer_id),
            "pickup_city": v.pickup_city,
            "pickup_state": v.pickup_state,
            "pickup_date": v.pickup_date.isoformat(),
            "drop_city": v.drop_city,
            "drop_state": v.drop_state,
            "drop_date": v.drop_date.isoformat(),
            "miles": str(v.miles or ""),
            "equipment": v.equipment.value,
            "bill_amount": f"{v.bill_amount:.2f}" if v.bill_amount is not None else "",
            "cost_amount": f"{v.cost_amount:.2f}" if v.cost_amount is not None else "",
            "sales_user_id": str(v.sales_user_id),
            "dispatcher_user_id": str(did) if did else NONE,
        }
        self.form_key += 1
        self._ready("freight_load_edit")
        return None

    # -- form ------------------------------------------------------------------------------------

    @rx.event
    @guarded
    def choose_venture(self, actor: Actor, value: str):
        """A new load's venture: the offices, customers and people offered follow it."""
        if self.mode != "new" or str(value) not in {o.value for o in self.venture_choices}:
            return None
        venture_id = int(value)
        self._options(actor, venture_id)
        self.f_venture = str(value)
        FORM.clear(self)
        self._defaults(actor, venture_id)
        self._subtitle()
        self.form_key += 1
        return None

    @rx.event(background=True)
    @submits(FORM)
    async def save(self, actor: Actor, form_data: dict[str, Any]):
        async with self:
            mode, edit_id, venture = self.mode, self._edit_id, as_int(self.f_venture)
            typed = {f: as_text(form_data.get(f), 200) for f in FIELDS}
            self.val = typed  # a failed save keeps what was typed
        data: dict[str, Any] = {
            "office_id": as_int(typed["office_id"]) or typed["office_id"] or None,
            "customer_id": as_int(typed["customer_id"]) or typed["customer_id"] or None,
            "pickup_city": typed["pickup_city"],
            "pickup_state": typed["pickup_state"],
            "pickup_date": typed["pickup_date"] or None,
            "drop_city": typed["drop_city"],
            "drop_state": typed["drop_state"],
            "drop_date": typed["drop_date"] or None,
            "miles": typed["miles"].replace(",", "") or None,
            "equipment": typed["equipment"] or None,
            "bill_amount": as_amount(typed["bill_amount"]),
            "cost_amount": as_amount(typed["cost_amount"]),
            "sales_user_id": as_int(typed["sales_user_id"]),
            "dispatcher_user_id": as_int(typed["dispatcher_user_id"]),
            "reference": typed["reference"] or None,
        }
        if mode == "new":  # a missing field is "required", not "must be a whole number"
            data = {k: v for k, v in data.items() if v not in (None, "")}
        else:
            for required in ("office_id", "customer_id", "equipment", "sales_user_id"):
                if data[required] is None:
                    data.pop(required)  # unchanged
        if mode == "new":
            if venture is None:
                raise Invalid.field("venture_id", "choose a venture")
            view = await in_unit_of_work(create_load, actor, {"venture_id": venture, **data})
            message = f"Load {view.reference} created."
        else:
            if edit_id is None:
                raise NotFound("load")
            view = await in_unit_of_work(update_load, actor, edit_id, data)
            message = f"Saved {view.reference}."
        return Saved(message, redirect=f"/freight/loads/{view.id}")
