"""Inputs (validated before any write) and views (what hospitality services and queries return)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field

from domain.hospitality.models import DisputeStatus, DisputeType, HotelStatus, ReviewSource
from domain.schemas import BusinessDate, Id, Input, Patch, View

Amount = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Count = Annotated[int, Field(ge=0, le=100_000)]
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,19}$")


def _code(value: str) -> str:
    value = value.strip().upper()
    if not _CODE.match(value):
        raise ValueError("must be 2-20 letters, digits or dashes")
    return value


HotelCode = Annotated[str, AfterValidator(_code)]


# -- hotels ---------------------------------------------------------------------------------------


class HotelInput(Input):
    venture_id: Id
    office_id: Id
    name: str = Field(min_length=1, max_length=160)
    code: HotelCode
    rooms: Annotated[int, Field(ge=1, le=10_000)]
    city: str = Field(min_length=1, max_length=80)
    status: HotelStatus = HotelStatus.ACTIVE


class HotelPatch(Patch):
    name: str | None = Field(default=None, min_length=1, max_length=160)
    rooms: Annotated[int, Field(ge=1, le=10_000)] | None = None
    city: str | None = Field(default=None, min_length=1, max_length=80)
    status: HotelStatus | None = None


class HotelView(View):
    id: int
    venture_id: int
    office_id: int
    name: str
    code: str
    rooms: int
    city: str
    status: HotelStatus


# -- hotel KPI days -------------------------------------------------------------------------------


class HotelKpiInput(Input):
    """One hotel-day, from the form (the CSV's rows are checked into the same fields)."""

    hotel_id: Id
    day: BusinessDate
    rooms_available: Count
    rooms_sold: Count
    room_revenue: Amount
    other_revenue: Amount = Decimal("0.00")
    cancellations: Count = 0
    no_shows: Count = 0


class HotelKpiView(View):
    id: int
    hotel_id: int
    hotel_code: str
    hotel_name: str
    venture_id: int
    day: date
    rooms_available: int
    rooms_sold: int
    room_revenue: Decimal
    other_revenue: Decimal
    total_revenue: Decimal
    cancellations: int
    no_shows: int
    occupancy: Decimal | None
    adr: Decimal | None
    revpar: Decimal | None


class UploadResult(View):
    """What an accepted CSV wrote: "N rows written for M hotels"."""

    venture_id: int
    rows_written: int
    hotels: int
    first_day: date | None
    last_day: date | None
    days: int

    @property
    def written(self) -> str:
        rows = "row" if self.rows_written == 1 else "rows"
        hotels = "hotel" if self.hotels == 1 else "hotels"
        return f"{self.rows_written} {rows} written for {self.hotels} {hotels}"


# -- reviews --------------------------------------------------------------------------------------


class ReviewInput(Input):
    """A review as it arrives from a source (imports, the demo, tests)."""

    hotel_id: Id
    source: ReviewSource
    external_id: str = Field(min_length=1, max_length=80)
    rating: Annotated[int, Field(ge=1, le=5)]
    review_date: BusinessDate
    reviewer_name: str | None = Field(default=None, max_length=120)
    text: str = Field(default="", max_length=10_000)


class RespondInput(Input):
    response_text: str = Field(min_length=1, max_length=5_000)


class ReviewView(View):
    id: int
    hotel_id: int
    hotel_code: str
    hotel_name: str
    venture_id: int
    source: ReviewSource
    external_id: str
    rating: int
    review_date: date
    reviewer_name: str | None
    text: str
    response_text: str | None
    responded_by_id: int | None
    responded_by_name: str | None
    responded_at: datetime | None


# -- disputes -------------------------------------------------------------------------------------


class DisputeInput(Input):
    hotel_id: Id
    type: DisputeType
    channel: str = Field(min_length=1, max_length=60)
    reference: str | None = Field(default=None, max_length=80)
    amount: Amount
    currency: str | None = Field(default=None, min_length=3, max_length=3)  # the venture's
    evidence_due_date: BusinessDate | None = None
    owner_id: Id | None = None
    description: str | None = Field(default=None, max_length=5_000)


class DisputePatch(Patch):
    clearable = frozenset({"reference", "evidence_due_date", "owner_id", "description"})

    type: DisputeType | None = None
    channel: str | None = Field(default=None, min_length=1, max_length=60)
    reference: str | None = Field(default=None, max_length=80)
    amount: Amount | None = None
    evidence_due_date: BusinessDate | None = None
    owner_id: Id | None = None
    description: str | None = Field(default=None, max_length=5_000)
    status: DisputeStatus | None = None  # OPEN or IN_PROGRESS; resolving is ``resolve_dispute``


class ResolveInput(Input):
    status: DisputeStatus
    outcome_note: str | None = Field(default=None, max_length=500)


class DisputeView(View):
    id: int
    hotel_id: int
    hotel_code: str
    hotel_name: str
    venture_id: int
    type: DisputeType
    channel: str
    reference: str | None
    amount: Decimal
    currency: str
    evidence_due_date: date | None
    owner_id: int | None
    owner_name: str | None
    description: str | None
    status: DisputeStatus
    created_at: datetime
    resolved_at: datetime | None
    resolved_by_id: int | None
    outcome_note: str | None


# -- the venture KPI and its dashboard ------------------------------------------------------------


class KpiMetrics(View):
    """The numbers of HospitalityKpiDaily (a day, a chart point or a period)."""

    hotels_reporting: int
    rooms_available: int
    rooms_sold: int
    room_revenue: Decimal
    other_revenue: Decimal
    total_revenue: Decimal
    occupancy: Decimal | None
    adr: Decimal | None
    revpar: Decimal | None
    reviews_received: int
    reviews_responded: int
    average_rating: Decimal | None
    disputes_opened: int
    disputes_won: int
    amount_recovered: Decimal


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
    """One day of the charts, summed over the dashboard's ventures (ratios of the sums)."""


class KpiTotals(KpiMetrics, _Period):
    """A period: sums, and ratios of the sums (weighted, never a mean of days or hotels)."""


class Headline(View):
    metric: str
    label: str
    kind: str  # count | money | ratio
    value: Decimal | None
    previous: Decimal | None
    change: Decimal | None  # relative for counts and money, points for ratios


class HotelRow(View):
    """One hotel over the dashboard's period (its own sums and ratios)."""

    hotel_id: int
    code: str
    name: str
    rooms: int
    status: HotelStatus
    rooms_available: int
    rooms_sold: int
    room_revenue: Decimal
    occupancy: Decimal | None
    adr: Decimal | None
    revpar: Decimal | None


class HospitalityDashboard(View):
    start: date
    end: date
    previous_start: date
    previous_end: date
    venture_ids: list[int]
    currency: str | None
    current: KpiTotals
    previous: KpiTotals
    headlines: list[Headline]
    series: list[KpiPoint]
    hotels: list[HotelRow]
    computed_now: list[date]
    computed_note: str = ""  # what the page says about them (analytics.kpi_days)
