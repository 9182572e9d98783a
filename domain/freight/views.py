"""Views built from rows: one way each (``_from_row``: the row's own columns, plus what the row does
not hold, such as names looked up in batches and computed values), and the labels they show."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from sqlmodel import col, select

from domain.access.actor import Actor
from domain.db import UnitOfWork, pk
from domain.freight import kpi
from domain.freight.models import (
    Carrier,
    Customer,
    FreightKpiDaily,
    FreightQuote,
    Load,
    LoadStatus,
    Outreach,
    OutreachRecipient,
    RecipientStatus,
)
from domain.freight.rules import (
    CONVERTIBLE_QUOTE_STATUSES,
    NEEDS_COVER,
    allowed_quote_transitions,
    carrier_problem,
    fmcsa_failed,
    margin,
)
from domain.freight.schemas import (
    CarrierView,
    CustomerView,
    KpiDayView,
    LoadView,
    OutreachView,
    QuoteView,
    RecipientView,
)
from domain.org.models import Office, User, Venture
from domain.schemas import View

STATUS_LABELS: dict[LoadStatus, str] = {
    LoadStatus.OPEN: "Open",
    LoadStatus.WORKING: "Working",
    LoadStatus.AT_RISK: "At risk",
    LoadStatus.COVERED: "Covered",
    LoadStatus.IN_TRANSIT: "In transit",
    LoadStatus.DELIVERED: "Delivered",
    LoadStatus.FELL_OFF: "Fell off",
    LoadStatus.DORMANT: "Dormant",
    LoadStatus.LOST: "Lost",
}

V = TypeVar("V", bound=View)


def _from_row(view: type[V], row: Any, **computed: Any) -> V:
    """``view`` of ``row``: every field of the view the row has, then ``computed`` (what the row
    does not hold, or holds differently)."""
    own = {n: getattr(row, n) for n in view.model_fields if n not in computed and hasattr(row, n)}
    return view.model_validate({**own, **computed})


# -- lookups shared by the views ------------------------------------------------------------------


def _by_id(uow: UnitOfWork, model: Any, ids: Iterable[int | None], *cols: Any) -> dict[int, Any]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = uow.session.execute(select(model.id, *cols).where(col(model.id).in_(wanted))).all()
    return {r[0]: (r[1] if len(cols) == 1 else tuple(r[1:])) for r in rows}


def user_names(uow: UnitOfWork, ids: Iterable[int | None]) -> dict[int, str]:
    return _by_id(uow, User, ids, User.name)


# -- loads ----------------------------------------------------------------------------------------


def load_views(uow: UnitOfWork, loads: Sequence[Load]) -> list[LoadView]:
    """Views of ``loads`` with the names they show, in a handful of batched lookups."""
    ventures = _by_id(uow, Venture, (x.venture_id for x in loads), Venture.code, Venture.currency)
    offices = _by_id(uow, Office, (x.office_id for x in loads), Office.name)
    customers = _by_id(uow, Customer, (x.customer_id for x in loads), Customer.name)
    carriers = _by_id(uow, Carrier, (x.carrier_id for x in loads), Carrier.name)
    users = user_names(uow, [u for x in loads for u in (x.sales_user_id, x.dispatcher_user_id)])
    out = []
    for x in loads:
        code, currency = ventures.get(x.venture_id, ("?", "USD"))
        m = margin(x.bill_amount, x.cost_amount)
        out.append(
            _from_row(
                LoadView,
                x,
                id=pk(x),
                venture_code=code,
                currency=currency,
                office_name=offices.get(x.office_id, ""),
                customer_name=customers.get(x.customer_id, ""),
                carrier_name=carriers.get(x.carrier_id) if x.carrier_id else None,
                margin=m.amount,
                margin_pct=m.pct,
                sales_user_name=users.get(x.sales_user_id, ""),
                dispatcher_user_name=users.get(x.dispatcher_user_id)
                if x.dispatcher_user_id
                else None,
            )
        )
    return out


def load_view(uow: UnitOfWork, load: Load) -> LoadView:
    return load_views(uow, [load])[0]


# -- carriers and customers -----------------------------------------------------------------------


def carrier_view(c: Carrier) -> CarrierView:
    problem = carrier_problem(c)
    return _from_row(
        CarrierView,
        c,
        id=pk(c),
        fmcsa_failed=fmcsa_failed(c),
        eligible=problem is None,
        ineligible_reason=problem,
    )


def customer_views(uow: UnitOfWork, customers: Sequence[Customer]) -> list[CustomerView]:
    ventures = _by_id(uow, Venture, (c.venture_id for c in customers), Venture.code)
    users = user_names(uow, [u for c in customers for u in (c.sales_user_id, c.csr_user_id)])
    return [
        _from_row(
            CustomerView,
            c,
            id=pk(c),
            venture_code=ventures.get(c.venture_id, "?"),
            sales_user_name=users.get(c.sales_user_id) if c.sales_user_id else None,
            csr_user_name=users.get(c.csr_user_id) if c.csr_user_id else None,
        )
        for c in customers
    ]


# -- quotes ---------------------------------------------------------------------------------------


def quote_views(uow: UnitOfWork, actor: Actor, quotes: Sequence[FreightQuote]) -> list[QuoteView]:
    ventures = _by_id(uow, Venture, (q.venture_id for q in quotes), Venture.code, Venture.currency)
    customers = _by_id(uow, Customer, (q.customer_id for q in quotes), Customer.name)
    users = user_names(uow, (q.sales_user_id for q in quotes))
    ids = [pk(q) for q in quotes]
    loads: dict[int, int] = {}
    if ids:
        loads = {
            int(qid): int(lid)
            for qid, lid in uow.session.execute(
                select(Load.quote_id, Load.id).where(col(Load.quote_id).in_(ids))
            )
        }
    out = []
    for q in quotes:
        code, currency = ventures.get(q.venture_id, ("?", "USD"))
        manage = actor.can("freight.quotes.manage", q.venture_id)
        out.append(
            _from_row(
                QuoteView,
                q,
                id=pk(q),
                venture_code=code,
                currency=currency,
                customer_name=customers.get(q.customer_id, ""),
                sales_user_name=users.get(q.sales_user_id, ""),
                load_id=loads.get(pk(q)),
                allowed_transitions=allowed_quote_transitions(q.status) if manage else [],
                can_convert=manage
                and q.status in CONVERTIBLE_QUOTE_STATUSES
                and actor.can("freight.loads.create", q.venture_id),
            )
        )
    return out


# -- outreach -------------------------------------------------------------------------------------


def outreach_view(uow: UnitOfWork, actor: Actor, o: Outreach) -> OutreachView:
    load = uow.session.get(Load, o.load_id)
    assert load is not None
    recipients = list(
        uow.session.execute(
            select(OutreachRecipient)
            .where(col(OutreachRecipient.outreach_id) == o.id)
            .order_by(col(OutreachRecipient.id))
        ).scalars()
    )
    carriers = _by_id(
        uow, Carrier, [r.carrier_id for r in recipients] + [o.awarded_carrier_id], Carrier.name
    )
    names = user_names(uow, [o.sent_by_id])
    return _from_row(
        OutreachView,
        o,
        id=pk(o),
        load_reference=load.reference,
        load_status=load.status,
        sent_by_name=names.get(o.sent_by_id, ""),
        awarded_carrier_name=carriers.get(o.awarded_carrier_id) if o.awarded_carrier_id else None,
        recipients=[
            _from_row(RecipientView, r, carrier_name=carriers.get(r.carrier_id, ""))
            for r in recipients
        ],
        pending_count=sum(
            1 for r in recipients if r.status in (RecipientStatus.QUEUED, RecipientStatus.SENDING)
        ),
        can_award=o.awarded_carrier_id is None
        and load.carrier_id is None
        and load.status in NEEDS_COVER
        and any(r.status is RecipientStatus.SENT for r in recipients)
        and actor.can("freight.outreach.award", o.venture_id),
        can_retry=any(r.status is RecipientStatus.FAILED for r in recipients)
        and actor.can("freight.outreach.send", o.venture_id),
    )


# -- KPI ------------------------------------------------------------------------------------------


def kpi_day_view(r: FreightKpiDaily | kpi.KpiRow) -> KpiDayView:
    # Every field is an attribute of both (``from_attributes``: read in pydantic-core, a quarter
    # of the uncached dashboard's time when it went through ``_from_row``'s getattr loop).
    return KpiDayView.model_validate(r)


__all__ = [
    "STATUS_LABELS",
    "carrier_view",
    "customer_views",
    "kpi_day_view",
    "load_view",
    "load_views",
    "outreach_view",
    "quote_views",
    "user_names",
]
