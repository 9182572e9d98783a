"""What the freight pages show: display rows built from the domain views, and the formatting of
money, ratios, lanes and dates (ui.md: ``$12,345.67``, one-decimal percentages, "n/a" for an
undefined ratio, business dates ``27 Nov 2026``). Pure functions; no state, no database.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal

from domain.freight import rules
from domain.freight.models import AuthorityStatus, Equipment, LostReason, SafetyRating
from domain.freight.schemas import CarrierView, LoadView, QuoteView
from domain.money import format_money
from domain.org.queries import business_date_in
from rxapp.export import csv_time
from rxapp.format import fmt_date, fmt_datetime
from rxapp.state.forms import Option
from rxapp.views.status import LOAD_STATUS, QUOTE_STATUS, status_label

DASH = "—"

LOST_REASONS: dict[LostReason, str] = {
    LostReason.RATE: "Rate (price)",
    LostReason.CAPACITY: "No capacity",
    LostReason.SERVICE_FAILURE: "Service failure",
    LostReason.CUSTOMER_CANCELLED: "Customer cancelled",
    LostReason.TENDER_REJECTED: "Tender rejected",
    LostReason.COMPLIANCE: "Compliance",
    LostReason.INTERNAL_ERROR: "Internal error",
    LostReason.OTHER: "Other",
}

EQUIPMENT: dict[Equipment, str] = {
    Equipment.DRY_VAN: "Dry van",
    Equipment.REEFER: "Reefer",
    Equipment.FLATBED: "Flatbed",
    Equipment.STEP_DECK: "Step deck",
    Equipment.POWER_ONLY: "Power only",
    Equipment.HOTSHOT: "Hotshot",
    Equipment.CONESTOGA: "Conestoga",
    Equipment.BOX_TRUCK: "Box truck",
}


# -- formatting -----------------------------------------------------------------------------------


def money(amount: Decimal | int | None, currency: str | None = "USD", *, empty: str = DASH) -> str:
    if amount is None:
        return empty
    return format_money(amount, currency or "USD")


def pct(ratio: Decimal | float | None, *, signed: bool = False) -> str:
    """``12.5%`` (one decimal); "n/a" when the ratio is undefined."""
    if ratio is None:
        return "n/a"
    value = Decimal(str(ratio)) * 100
    text = f"{value:+.1f}%" if signed else f"{value:.1f}%"
    return text.replace("-0.0%", "0.0%").replace("+0.0%", "0.0%")


def count(n: int | Decimal | None) -> str:
    return f"{int(n or 0):,}"


def equipment_label(e: Equipment | str | None) -> str:
    if e is None:
        return DASH
    try:
        return EQUIPMENT[Equipment(e)]
    except ValueError:
        return str(e)


def lost_reason_label(reason: LostReason | str | None) -> str:
    if reason is None:
        return ""
    try:
        return LOST_REASONS[LostReason(reason)]
    except ValueError:
        return str(reason)


def place(city: str, state: str) -> str:
    return f"{city}, {state}"


def day(d: date | None, *, empty: str = DASH) -> str:
    return fmt_date(d) if d else empty


def local_day(venture_id: int, t: datetime) -> date:
    """The business date of an instant where the venture works (the domain's rule)."""
    return business_date_in(venture_id, t)


def when(t: datetime | None, *, empty: str = DASH) -> str:
    return fmt_datetime(t, empty=empty)


# -- rows -----------------------------------------------------------------------------------------


@dataclasses.dataclass
class LoadRow:
    id: int = 0
    href: str = ""
    reference: str = ""
    venture_code: str = ""
    status: str = ""
    status_label: str = ""
    status_color: str = "gray"
    status_icon: str = "circle"
    customer: str = ""
    carrier: str = ""
    origin: str = ""
    destination: str = ""
    pickup: str = ""
    drop: str = ""
    equipment: str = ""
    miles: str = ""
    bill: str = ""
    cost: str = ""
    margin: str = ""
    margin_pct: str = ""
    margin_negative: bool = False
    office: str = ""
    sales: str = ""
    created: str = ""
    created_day: str = ""
    lane_note: str = ""


def margin_known(v: LoadView) -> bool:
    """The domain's rule (``rules.margin_known``): both amounts known."""
    return rules.margin_known(v.bill_amount, v.cost_amount)


def margin_text(v: LoadView) -> str:
    return money(v.margin, v.currency) if margin_known(v) else DASH


def load_row(v: LoadView) -> LoadRow:
    label, color, icon = LOAD_STATUS[v.status]
    return LoadRow(
        id=v.id,
        href=f"/freight/loads/{v.id}",
        reference=v.reference,
        venture_code=v.venture_code,
        status=v.status.value,
        status_label=label,
        status_color=color,
        status_icon=icon,
        customer=v.customer_name,
        carrier=v.carrier_name or "",
        origin=place(v.pickup_city, v.pickup_state),
        destination=place(v.drop_city, v.drop_state),
        pickup=day(v.pickup_date),
        drop=day(v.drop_date),
        equipment=equipment_label(v.equipment),
        miles=f"{v.miles:,}" if v.miles else DASH,
        bill=money(v.bill_amount, v.currency),
        cost=money(v.cost_amount, v.currency),
        margin=margin_text(v),
        margin_pct=pct(v.margin_pct) if margin_known(v) else "",
        margin_negative=margin_known(v) and v.margin < 0,
        office=v.office_name,
        sales=v.sales_user_name,
        created=when(v.created_at),
        created_day=day(local_day(v.venture_id, v.created_at)),
        lane_note=equipment_label(v.equipment)
        + (f" · {v.miles:,} mi" if v.miles else "")
        + f" · pickup {day(v.pickup_date)}",
    )


LOAD_CSV_HEADER = (
    "Reference",
    "Venture",
    "Status",
    "Customer",
    "Carrier",
    "Origin",
    "Destination",
    "Pickup date",
    "Drop date",
    "Equipment",
    "Miles",
    "Currency",
    "Bill amount",
    "Cost amount",
    "Margin",
    "Margin %",
    "Office",
    "Sales",
    "Created",
    "Delivered",
    "Billing date",
    "Lost reason",
)


def load_csv_row(v: LoadView) -> list[str]:
    """Plain values for a spreadsheet: ISO dates, bare amounts, no currency symbols."""

    def amount(a: Decimal | None) -> str:
        return "" if a is None else f"{a:.2f}"

    return [
        v.reference,
        v.venture_code,
        status_label(v.status),
        v.customer_name,
        v.carrier_name or "",
        place(v.pickup_city, v.pickup_state),
        place(v.drop_city, v.drop_state),
        v.pickup_date.isoformat(),
        v.drop_date.isoformat(),
        equipment_label(v.equipment),
        str(v.miles or ""),
        v.currency,
        amount(v.bill_amount),
        amount(v.cost_amount),
        amount(v.margin) if margin_known(v) else "",
        "" if v.margin_pct is None or not margin_known(v) else f"{v.margin_pct * 100:.1f}",
        v.office_name,
        v.sales_user_name,
        csv_time(v.created_at),
        csv_time(v.delivered_at),
        v.billing_date.isoformat() if v.billing_date else "",
        lost_reason_label(v.lost_reason),
    ]


@dataclasses.dataclass
class QuoteRow:
    id: int = 0
    customer: str = ""
    venture_code: str = ""
    origin: str = ""
    destination: str = ""
    pickup: str = ""
    equipment: str = ""
    miles: str = ""
    rate: str = ""
    status: str = ""
    status_label: str = ""
    status_color: str = "gray"
    expires: str = ""
    sales: str = ""
    created: str = ""
    load_href: str = ""
    lane_note: str = ""
    transitions: list[Option] = dataclasses.field(default_factory=list)
    can_convert: bool = False


def quote_row(q: QuoteView) -> QuoteRow:
    label, color = QUOTE_STATUS[q.status]
    return QuoteRow(
        id=q.id,
        customer=q.customer_name,
        venture_code=q.venture_code,
        origin=place(q.pickup_city, q.pickup_state),
        destination=place(q.drop_city, q.drop_state),
        pickup=day(q.pickup_date),
        equipment=equipment_label(q.equipment),
        miles=f"{q.miles:,}" if q.miles else DASH,
        rate=money(q.quoted_rate, q.currency),
        status=q.status.value,
        status_label=label,
        status_color=color,
        expires=day(local_day(q.venture_id, q.expires_at)) if q.expires_at else DASH,
        sales=q.sales_user_name,
        created=day(local_day(q.venture_id, q.created_at)),
        load_href=f"/freight/loads/{q.load_id}" if q.load_id else "",
        lane_note=equipment_label(q.equipment)
        + (f" · pickup {day(q.pickup_date)}" if q.pickup_date else "")
        + (f" · {q.miles:,} mi" if q.miles else ""),
        transitions=[Option(s.value, QUOTE_STATUS[s][0]) for s in q.allowed_transitions],
        can_convert=q.can_convert and q.load_id is None,
    )


@dataclasses.dataclass
class CarrierRow:
    id: int = 0
    href: str = ""
    name: str = ""
    mc: str = ""
    dot: str = ""
    equipment: str = ""
    home_state: str = ""
    phone: str = ""
    email: str = ""
    authority: str = ""
    safety: str = ""
    insurance: str = ""
    checked: str = ""
    standing: str = ""  # Eligible | Blocked | Inactive | FMCSA failed
    standing_color: str = "gray"
    standing_icon: str = "circle"
    reason: str = ""


AUTHORITY = {
    AuthorityStatus.ACTIVE: "Active",
    AuthorityStatus.INACTIVE: "Inactive",
    AuthorityStatus.REVOKED: "Revoked",
    AuthorityStatus.PENDING: "Pending",
}
SAFETY = {
    SafetyRating.SATISFACTORY: "Satisfactory",
    SafetyRating.CONDITIONAL: "Conditional",
    SafetyRating.UNSATISFACTORY: "Unsatisfactory",
    SafetyRating.NOT_RATED: "Not rated",
}


def carrier_row(c: CarrierView) -> CarrierRow:
    if not c.is_active:
        standing, color, icon = "Inactive", "gray", "circle-minus"
    elif c.is_blocked:
        standing, color, icon = "Blocked", "red", "ban"
    elif c.fmcsa_failed:
        standing, color, icon = "FMCSA failed", "orange", "shield-alert"
    else:
        standing, color, icon = "Eligible", "green", "circle-check"
    checked = c.fmcsa_checked_at is not None
    return CarrierRow(
        id=c.id,
        href=f"/freight/carriers/{c.id}",
        name=c.name,
        mc=c.mc_number,
        dot=c.dot_number,
        equipment=equipment_label(c.equipment),
        home_state=c.home_state or DASH,
        phone=c.phone or DASH,
        email=c.email or DASH,
        authority=AUTHORITY.get(c.authority_status, DASH) if c.authority_status else "Not checked",
        safety=SAFETY.get(c.safety_rating, DASH) if c.safety_rating else DASH,
        insurance=("On file" if c.insurance_on_file else "Missing" if checked else DASH),
        checked=when(c.fmcsa_checked_at, empty="Never"),
        standing=standing,
        standing_color=color,
        standing_icon=icon,
        reason=(c.ineligible_reason or "").capitalize(),
    )


QUOTE_CSV_HEADER = (
    "Quote",
    "Venture",
    "Status",
    "Customer",
    "Origin",
    "Destination",
    "Pickup date",
    "Equipment",
    "Miles",
    "Currency",
    "Quoted rate",
    "Sales",
    "Created",
    "Sent",
    "Expires",
    "Converted",
    "Load id",
)


def quote_csv_row(q: QuoteView) -> list[str]:
    return [
        str(q.id),
        q.venture_code,
        QUOTE_STATUS[q.status][0],
        q.customer_name,
        place(q.pickup_city, q.pickup_state),
        place(q.drop_city, q.drop_state),
        q.pickup_date.isoformat() if q.pickup_date else "",
        equipment_label(q.equipment),
        str(q.miles or ""),
        q.currency,
        f"{q.quoted_rate:.2f}",
        q.sales_user_name,
        csv_time(q.created_at),
        csv_time(q.sent_at),
        csv_time(q.expires_at),
        csv_time(q.converted_at),
        str(q.load_id or ""),
    ]


CARRIER_CSV_HEADER = (
    "Name",
    "MC number",
    "DOT number",
    "Equipment",
    "Home state",
    "Phone",
    "Email",
    "Standing",
    "Why not eligible",
    "Authority",
    "Safety rating",
    "Insurance on file",
    "FMCSA checked",
)


def carrier_csv_row(c: CarrierView) -> list[str]:
    row = carrier_row(c)
    return [
        c.name,
        c.mc_number,
        c.dot_number,
        equipment_label(c.equipment),
        c.home_state or "",
        c.phone or "",
        c.email or "",
        row.standing,
        row.reason,
        AUTHORITY.get(c.authority_status, "") if c.authority_status else "",
        SAFETY.get(c.safety_rating, "") if c.safety_rating else "",
        "" if c.insurance_on_file is None else ("yes" if c.insurance_on_file else "no"),
        csv_time(c.fmcsa_checked_at),
    ]
