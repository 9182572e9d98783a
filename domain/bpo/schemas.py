"""Inputs (validated before any write) and views (what BPO services and queries return)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import Field

from domain.schemas import BusinessDate, BusinessInstant, Id, Input, Patch, View

Amount = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Count = Annotated[int, Field(ge=0, le=1_000_000)]


class CampaignInput(Input):
    venture_id: Id
    office_id: Id
    name: str = Field(min_length=1, max_length=120)
    client: str = Field(min_length=1, max_length=120)
    active: bool = True


class CampaignPatch(Patch):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    client: str | None = Field(default=None, min_length=1, max_length=120)
    active: bool | None = None


class CampaignView(View):
    id: int
    venture_id: int
    office_id: int
    name: str
    client: str
    active: bool


class AgentInput(Input):
    user_id: Id
    campaign_id: Id
    active: bool = True


class AgentPatch(Patch):
    active: bool | None = None


class AgentView(View):
    id: int
    user_id: int
    venture_id: int
    campaign_id: int
    active: bool


class CallInput(Input):
    """One call. ``dial_count`` and the order of the times are checked by the service (so the
    error names the field with the rule's words, and the CSV shares the check)."""

    agent_id: Id
    campaign_id: Id
    started_at: BusinessInstant
    ended_at: BusinessInstant | None = None
    dial_count: int = Field(default=1, le=10_000)
    connected: bool = False
    appointment_set: bool = False
    deal_won: bool = False
    revenue: Amount = Decimal("0.00")
    notes: str | None = Field(default=None, max_length=2000)


class CallView(View):
    id: int
    venture_id: int
    agent_id: int
    campaign_id: int
    started_at: datetime
    ended_at: datetime | None
    dial_count: int
    connected: bool
    appointment_set: bool
    deal_won: bool
    revenue: Decimal
    notes: str | None
    talk_seconds: int


class KpiRecordInput(Input):
    campaign_id: Id
    agent_id: Id
    day: BusinessDate
    calls: Count = 0
    talk_seconds: Count = 0
    qa_score: Decimal | None = Field(default=None, max_digits=9, decimal_places=6)
    appointments: Count = 0
    deals: Count = 0
    revenue: Amount = Decimal("0.00")


class KpiRecordView(View):
    id: int
    venture_id: int
    campaign_id: int
    agent_id: int
    day: date
    calls: int
    talk_seconds: int
    qa_score: Decimal | None
    appointments: int
    deals: int
    revenue: Decimal


class KpiDailyView(View):
    venture_id: int
    day: date
    dials: int
    connects: int
    connect_rate: Decimal | None
    talk_minutes: Decimal
    avg_handle_seconds: Decimal | None
    appointments: int
    deals: int
    conversion: Decimal | None
    revenue: Decimal
    avg_qa: Decimal | None


class ImportResult(View):
    """What an accepted call CSV wrote: "N calls written over M days"."""

    venture_id: int
    rows_written: int
    first_day: date | None
    last_day: date | None
    days: int

    @property
    def written(self) -> str:
        calls = "call" if self.rows_written == 1 else "calls"
        days = "day" if self.days == 1 else "days"
        return f"{self.rows_written} {calls} written over {self.days} {days}"


class KpiImportResult(ImportResult):
    """What an accepted KPI-record CSV wrote: "N KPI records written over M days", and how many
    of them replaced a record already there (a file imported again replaces every one)."""

    replaced: int

    @property
    def written(self) -> str:
        records = "KPI record" if self.rows_written == 1 else "KPI records"
        days = "day" if self.days == 1 else "days"
        text = f"{self.rows_written} {records} written over {self.days} {days}"
        return f"{text}, {self.replaced} replacing earlier ones" if self.replaced else text
