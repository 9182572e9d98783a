"""Inputs (validated before any write) and views (what freight services and queries return)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, field_validator

from domain.freight.models import (
    AuthorityStatus,
    Equipment,
    LoadStatus,
    LostReason,
    OutreachChannel,
    QuoteStatus,
    RecipientStatus,
    SafetyRating,
)
from domain.schemas import BusinessDate, BusinessInstant, Id, Input, Patch, View

US_STATES = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "DC",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
    ]
)
MAX_OUTREACH_RECIPIENTS = 50
REFERENCE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,39}$")
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,19}$")
DIGITS_RE = re.compile(r"^\d{1,12}$")
PHONE_RE = re.compile(r"^\+?[0-9 ()-]{7,31}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

Amount = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]


def _state(v: str) -> str:
    v = v.strip().upper()
    if v not in US_STATES:
        raise ValueError("is not a US state code (two letters, e.g. NJ)")
    return v


def _reference(v: str) -> str:
    v = v.strip().upper()
    if not REFERENCE_RE.match(v):
        raise ValueError("must be 2-40 letters, digits or hyphens")
    return v


def _code(v: str) -> str:
    v = v.upper()
    if not CODE_RE.match(v):
        raise ValueError("must be up to 20 letters, digits or hyphens")
    return v


def _digits(v: str) -> str:
    v = v.strip().upper().removeprefix("MC").removeprefix("DOT").strip(" -#")
    if not DIGITS_RE.match(v):
        raise ValueError("must be 1-12 digits")
    return v


def _phone(v: str | None) -> str | None:
    if v is None or v == "":
        return None
    if not PHONE_RE.match(v):
        raise ValueError("is not a phone number")
    return v


def _email(v: str | None) -> str | None:
    if v is None or v == "":
        return None
    v = v.lower()
    if not EMAIL_RE.match(v):
        raise ValueError("is not an email address")
    return v


def _upper(v: Any) -> Any:
    return v.strip().upper() if isinstance(v, str) else v


# -- the lane --------------------------------------------------------------------------------------
# Loads and quotes both carry a lane: pickup and drop city and state, the pickup date, miles and
# equipment. Each lane field's type (its bounds, normalising and wording) is defined once here and
# used by LoadInput, LoadPatch, QuoteInput and QuotePatch. The fields themselves are declared in
# each schema, not in a mixin: a mixin's fields come first, which would reorder the API's bodies
# and change the OpenAPI document (loads and quotes list the lane in different orders).
City = Annotated[str, Field(min_length=1, max_length=80)]
State = Annotated[str, AfterValidator(_state)]
Miles = Annotated[int, Field(ge=1, le=6000)]
# An equipment name, accepted in any case ("reefer" is REEFER); carriers use it too.
EquipmentName = Annotated[Equipment, BeforeValidator(_upper)]

Reference = Annotated[str, AfterValidator(_reference)]
Code = Annotated[str, Field(min_length=1, max_length=20), AfterValidator(_code)]
Digits = Annotated[str, AfterValidator(_digits)]
Phone = Annotated[str | None, Field(max_length=32), AfterValidator(_phone)]
Email = Annotated[str | None, Field(max_length=254), AfterValidator(_email)]
# Timezone-aware, within the business-date bounds (domain.schemas).
Aware = BusinessInstant


# -- customers ------------------------------------------------------------------------------------


class CustomerInput(Input):
    venture_id: Id
    name: str = Field(min_length=1, max_length=160)
    code: Code
    sales_user_id: Id | None = None
    csr_user_id: Id | None = None
    is_active: bool = True


class CustomerPatch(Patch):
    clearable = frozenset({"sales_user_id", "csr_user_id"})

    name: str | None = Field(default=None, min_length=1, max_length=160)
    code: Code | None = None
    sales_user_id: Id | None = None
    csr_user_id: Id | None = None
    is_active: bool | None = None


# -- carriers -------------------------------------------------------------------------------------


class CarrierInput(Input):
    mc_number: Digits
    dot_number: Digits
    name: str = Field(min_length=1, max_length=160)
    equipment: EquipmentName
    phone: Phone = None
    email: Email = None
    home_state: State | None = None
    is_active: bool = True


class CarrierPatch(Patch):
    clearable = frozenset({"phone", "email", "home_state"})

    name: str | None = Field(default=None, min_length=1, max_length=160)
    equipment: EquipmentName | None = None
    phone: Phone = None
    email: Email = None
    home_state: State | None = None
    is_active: bool | None = None


class FmcsaSnapshotInput(Input):
    authority_status: AuthorityStatus
    safety_rating: SafetyRating
    insurance_on_file: bool
    checked_at: Aware | None = None  # default: now


class CarrierBlockInput(Input):
    blocked: bool
    reason: str | None = Field(default=None, max_length=300)  # required when blocking


# -- loads ----------------------------------------------------------------------------------------


class LoadInput(Input):
    venture_id: Id
    office_id: Id
    customer_id: Id
    reference: Reference | None = None  # generated when empty
    pickup_city: City
    pickup_state: State
    pickup_date: BusinessDate
    drop_city: City
    drop_state: State
    drop_date: BusinessDate
    miles: Miles | None = None
    equipment: EquipmentName = Equipment.DRY_VAN
    bill_amount: Amount | None = None
    cost_amount: Amount | None = None
    sales_user_id: Id | None = None  # default: the creator
    dispatcher_user_id: Id | None = None


class LoadPatch(Patch):
    clearable = frozenset({"miles", "bill_amount", "cost_amount", "dispatcher_user_id"})

    office_id: Id | None = None
    customer_id: Id | None = None
    reference: Reference | None = None
    pickup_city: City | None = None
    pickup_state: State | None = None
    pickup_date: BusinessDate | None = None
    drop_city: City | None = None
    drop_state: State | None = None
    drop_date: BusinessDate | None = None
    miles: Miles | None = None
    equipment: EquipmentName | None = None
    bill_amount: Amount | None = None
    cost_amount: Amount | None = None
    sales_user_id: Id | None = None
    dispatcher_user_id: Id | None = None


class TransitionInput(Input):
    """A status change (the API's ``PATCH`` body ``{status, note?, lost_reason?}``)."""

    status: Annotated[LoadStatus, BeforeValidator(_upper)]
    note: str | None = Field(default=None, max_length=500)
    lost_reason: Annotated[LostReason | None, BeforeValidator(_upper)] = None
    carrier_id: Id | None = None  # entering COVERED (else the load's carrier)
    cost_amount: Amount | None = None  # the carrier rate agreed when covering
    delivered_at: Aware | None = None  # entering DELIVERED (default now; not in the future)
    # entering DELIVERED (default the delivery business date)
    billing_date: BusinessDate | None = None


# -- quotes ---------------------------------------------------------------------------------------


class QuoteInput(Input):
    venture_id: Id
    customer_id: Id
    sales_user_id: Id | None = None  # default: the creator
    pickup_city: City
    pickup_state: State
    drop_city: City
    drop_state: State
    pickup_date: BusinessDate | None = None
    miles: Miles | None = None
    equipment: EquipmentName = Equipment.DRY_VAN
    quoted_rate: Amount
    expires_at: Aware | None = None


class QuotePatch(Patch):
    clearable = frozenset({"pickup_date", "miles", "expires_at"})

    customer_id: Id | None = None
    sales_user_id: Id | None = None
    pickup_city: City | None = None
    pickup_state: State | None = None
    drop_city: City | None = None
    drop_state: State | None = None
    pickup_date: BusinessDate | None = None
    miles: Miles | None = None
    equipment: EquipmentName | None = None
    quoted_rate: Amount | None = None
    expires_at: Aware | None = None


class QuoteStatusInput(Input):
    status: Annotated[QuoteStatus, BeforeValidator(_upper)]


class ConvertInput(Input):
    office_id: Id | None = None  # default: the sales user's office in the venture
    reference: Reference | None = None
    pickup_date: BusinessDate | None = None  # default: the quote's, else today
    drop_date: BusinessDate | None = None  # default: the pickup date


# -- outreach -------------------------------------------------------------------------------------


class OutreachInput(Input):
    load_id: Id
    channel: Annotated[OutreachChannel, BeforeValidator(_upper)]
    carrier_ids: list[Id] = Field(min_length=1, max_length=MAX_OUTREACH_RECIPIENTS)
    body: str = Field(min_length=1, max_length=1000)
    subject: str | None = Field(default=None, max_length=200)
    dry_run: bool = False

    @field_validator("carrier_ids")
    @classmethod
    def _unique(cls, v: list[int]) -> list[int]:
        if len(set(v)) != len(v):
            raise ValueError("lists a carrier more than once")
        return v


class OutreachRetryInput(Input):
    """Which FAILED recipients to queue again: the carriers given, or every FAILED one."""

    carrier_ids: list[int] | None = None


class AwardInput(Input):
    carrier_id: Id
    cost_amount: Amount | None = None
    note: str | None = Field(default=None, max_length=500)


# -- views ----------------------------------------------------------------------------------------


class CustomerView(View):
    id: int
    venture_id: int
    venture_code: str
    name: str
    code: str
    sales_user_id: int | None
    sales_user_name: str | None
    csr_user_id: int | None
    csr_user_name: str | None
    is_active: bool
    created_at: datetime


class CarrierView(View):
    id: int
    mc_number: str
    dot_number: str
    name: str
    equipment: Equipment
    phone: str | None
    email: str | None
    home_state: str | None
    is_active: bool
    is_blocked: bool
    blocked_reason: str | None
    authority_status: AuthorityStatus | None
    safety_rating: SafetyRating | None
    insurance_on_file: bool | None
    fmcsa_checked_at: datetime | None
    fmcsa_failed: bool
    eligible: bool  # may cover a load / receive outreach
    ineligible_reason: str | None


class LoadView(View):
    id: int
    venture_id: int
    venture_code: str
    currency: str
    office_id: int
    office_name: str
    reference: str
    customer_id: int
    customer_name: str
    carrier_id: int | None
    carrier_name: str | None
    quote_id: int | None
    pickup_city: str
    pickup_state: str
    pickup_date: date
    drop_city: str
    drop_state: str
    drop_date: date
    miles: int | None
    equipment: Equipment
    bill_amount: Decimal | None
    cost_amount: Decimal | None
    margin: Decimal  # bill - cost, nulls as 0
    margin_pct: Decimal | None  # margin / bill; None when there is no bill amount
    sales_user_id: int
    sales_user_name: str
    dispatcher_user_id: int | None
    dispatcher_user_name: str | None
    status: LoadStatus
    created_at: datetime
    updated_at: datetime
    covered_at: datetime | None
    delivered_at: datetime | None
    lost_at: datetime | None
    billing_date: date | None
    lost_reason: LostReason | None
    lost_note: str | None


class LoadEventView(View):
    id: int
    at: datetime
    from_status: LoadStatus | None
    to_status: LoadStatus
    user_id: int | None
    user_name: str | None
    note: str | None


class TransitionOption(View):
    status: LoadStatus
    label: str
    needs_carrier: bool  # entering COVERED without a carrier on the load
    needs_lost_reason: bool


class OutreachSummary(View):
    id: int
    channel: OutreachChannel
    created_at: datetime
    sent_by_name: str
    sent_count: int
    failed_count: int
    awarded_carrier_id: int | None


class LoadDetail(View):
    load: LoadView
    timeline: list[LoadEventView]  # oldest first
    allowed_transitions: list[TransitionOption]  # what this actor may do now
    can_edit: bool
    can_send_outreach: bool
    can_award: bool
    outreach: list[OutreachSummary]
    lost_reasons: list[LostReason]


class QuoteView(View):
    id: int
    venture_id: int
    venture_code: str
    currency: str
    customer_id: int
    customer_name: str
    sales_user_id: int
    sales_user_name: str
    pickup_city: str
    pickup_state: str
    drop_city: str
    drop_state: str
    pickup_date: date | None
    miles: int | None
    equipment: Equipment
    quoted_rate: Decimal
    status: QuoteStatus
    expires_at: datetime | None
    sent_at: datetime | None
    converted_at: datetime | None
    load_id: int | None
    created_at: datetime
    allowed_transitions: list[QuoteStatus]
    can_convert: bool


class RecipientView(View):
    carrier_id: int
    carrier_name: str
    address: str
    status: RecipientStatus
    error: str | None
    provider_message_id: str | None
    sent_at: datetime | None  # when the provider answered (SENT or FAILED)
    attempts: int


class OutreachView(View):
    id: int
    venture_id: int
    load_id: int
    load_reference: str
    load_status: LoadStatus
    channel: OutreachChannel
    subject: str | None
    body: str
    sent_by_id: int
    sent_by_name: str
    created_at: datetime
    sent_count: int
    failed_count: int
    pending_count: int  # QUEUED or SENDING: delivery not answered yet
    awarded_carrier_id: int | None
    awarded_carrier_name: str | None
    awarded_at: datetime | None
    recipients: list[RecipientView]
    can_award: bool
    can_retry: bool  # FAILED recipients exist and the actor may send outreach


class OutreachPreviewRecipient(View):
    carrier_id: int
    carrier_name: str
    address: str


class OutreachPreview(View):
    """A dry run: what would be sent, to whom. Nothing is written or sent."""

    load_id: int
    channel: OutreachChannel
    subject: str | None
    body: str
    recipients: list[OutreachPreviewRecipient]


class CarrierDetail(View):
    carrier: CarrierView
    recent_loads: list[LoadView]  # the actor's visible loads of this carrier, newest first
    loads_delivered: int  # in the actor's scope
    outreach_received: int  # in the actor's scope


class CustomerDetail(View):
    customer: CustomerView
    recent_loads: list[LoadView]
    open_quotes: list[QuoteView]


# -- KPI dashboard --------------------------------------------------------------------------------


class KpiMetrics(View):
    """The numbers of FreightKpiDaily, shared by a day, a chart point and a period. A view lists
    it FIRST among its bases and its own key fields in a second base, so the key fields come
    first in the field order (pydantic orders fields base by base, the last base first)."""

    loads_created: int
    loads_covered: int
    loads_delivered: int
    loads_lost: int
    revenue: Decimal
    cost: Decimal
    profit: Decimal
    margin_pct: Decimal | None
    coverage_rate: Decimal | None
    active_customers: int
    active_carriers: int


class _VentureDay(View):
    venture_id: int
    day: date


class _Day(View):
    day: date


class _Period(View):
    start: date
    end: date


class KpiDayView(KpiMetrics, _VentureDay):
    pass


class KpiPoint(KpiMetrics, _Day):
    """One day of the charts, summed over the ventures of the dashboard."""


class KpiTotals(KpiMetrics, _Period):
    """A period: counts and money summed, ratios of the sums, "active" counts of its last day."""


class Headline(View):
    metric: str
    label: str
    kind: str  # count | money | ratio
    value: Decimal | None
    previous: Decimal | None
    # counts and money: relative change (0.125 = +12.5 %), None when the previous value is 0;
    # ratios: the difference in points (0.03 = +3 points), None when either side is None.
    change: Decimal | None


class FreightDashboard(View):
    start: date
    end: date
    previous_start: date
    previous_end: date
    venture_ids: list[int]
    currency: str | None
    current: KpiTotals
    previous: KpiTotals
    headlines: list[Headline]
    series: list[KpiPoint]  # every day of [start, end]
    computed_now: list[date]  # days that were missing and were computed for this request
    computed_note: str = ""  # what the page says about them (analytics.kpi_days)


class Choice(View):
    id: int
    label: str


class LoadFormOptions(View):
    """What the create/edit load form offers the actor in one venture."""

    venture_id: int
    offices: list[Choice]  # active offices of the venture the actor may book in
    customers: list[Choice]  # active customers, by name (first 500; search for more)
    sales_users: list[Choice]  # whom the load may be credited to (just the actor for staff)
    dispatchers: list[Choice]
    equipment: list[Equipment]
    states: list[str]
    can_assign: bool
