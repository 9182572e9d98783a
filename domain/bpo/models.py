"""BPO tables: campaigns, agents (the link from a user to call logs), call logs, per-agent daily
KPI records and the pre-aggregated BpoKpiDaily of a venture (spec/operations.md, BPO).

Only BPO ventures hold these rows (enforced by the services and every query, see
``domain.bpo.access``). Agents, call logs and KPI records carry their venture (copied from the
campaign when written) so that every read is one index-served filter.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain import clock
from domain.columns import Money, Rate, UTCDateTime
from domain.org.models import VentureType

BPO_VENTURE_TYPES = frozenset({VentureType.BPO})


class BpoCampaign(SQLModel, table=True):
    __tablename__ = "bpo_campaign"
    __table_args__ = (UniqueConstraint("venture_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    venture_id: int = Field(foreign_key="venture.id", index=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    name: str = Field(max_length=120)
    client: str = Field(max_length=120)
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)


class BpoAgent(SQLModel, table=True):
    """A user working a campaign; call logs and KPI records are credited through it."""

    __tablename__ = "bpo_agent"
    __table_args__ = (UniqueConstraint("user_id", "campaign_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    venture_id: int = Field(foreign_key="venture.id", index=True)
    campaign_id: int = Field(foreign_key="bpo_campaign.id", index=True)
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)


class BpoCallLog(SQLModel, table=True):
    """One call (or dialling attempt series) of an agent; talk seconds = ended_at - started_at."""

    __tablename__ = "bpo_call_log"
    __table_args__ = (
        Index("ix_bpo_call_log_venture_started", "venture_id", "started_at", "id"),
        Index("ix_bpo_call_log_agent_started", "agent_id", "started_at"),
        Index("ix_bpo_call_log_campaign_started", "campaign_id", "started_at"),
        CheckConstraint("dial_count >= 1", name="dial_count_positive"),
        CheckConstraint("ended_at IS NULL OR ended_at >= started_at", name="ends_after_start"),
        CheckConstraint("revenue >= 0", name="revenue_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    venture_id: int = Field(foreign_key="venture.id")
    agent_id: int = Field(foreign_key="bpo_agent.id")
    campaign_id: int = Field(foreign_key="bpo_campaign.id")
    started_at: datetime = Field(sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    dial_count: int = Field(default=1)
    connected: bool = Field(default=False)
    appointment_set: bool = Field(default=False)
    deal_won: bool = Field(default=False)
    revenue: Decimal = Field(default=Decimal("0.00"), sa_type=Money)
    notes: str | None = Field(default=None, sa_type=Text)
    created_by_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=True)
    )
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)


class BpoKpiRecord(SQLModel, table=True):
    """An agent's numbers on one campaign and business date; upserted by (campaign, agent, day)."""

    __tablename__ = "bpo_kpi_record"
    __table_args__ = (
        UniqueConstraint("campaign_id", "agent_id", "day"),
        Index("ix_bpo_kpi_record_venture_day", "venture_id", "day"),
        CheckConstraint("qa_score IS NULL OR (qa_score >= 0 AND qa_score <= 100)", name="qa_0_100"),
        CheckConstraint(
            "calls >= 0 AND talk_seconds >= 0 AND appointments >= 0 AND deals >= 0",
            name="counts_not_negative",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    venture_id: int = Field(foreign_key="venture.id")
    campaign_id: int = Field(foreign_key="bpo_campaign.id")
    agent_id: int = Field(foreign_key="bpo_agent.id", index=True)
    day: date
    calls: int = Field(default=0)
    talk_seconds: int = Field(default=0)
    qa_score: Decimal | None = Field(default=None, sa_type=Rate)
    appointments: int = Field(default=0)
    deals: int = Field(default=0)
    revenue: Decimal = Field(default=Decimal("0.00"), sa_type=Money)
    updated_by_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=True)
    )
    updated_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)


class BpoKpiDaily(SQLModel, table=True):
    """Pre-aggregated BPO numbers of one venture on one business date (see ``kpi.py``)."""

    __tablename__ = "bpo_kpi_daily"
    __table_args__ = (UniqueConstraint("venture_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    venture_id: int = Field(foreign_key="venture.id")
    day: date
    dials: int = Field(default=0)
    connects: int = Field(default=0)
    connect_rate: Decimal | None = Field(default=None, sa_type=Rate)  # None: no dial
    talk_minutes: Decimal = Field(default=Decimal("0"), sa_type=Rate)
    avg_handle_seconds: Decimal | None = Field(default=None, sa_type=Rate)  # None: no connect
    appointments: int = Field(default=0)
    deals: int = Field(default=0)
    conversion: Decimal | None = Field(default=None, sa_type=Rate)  # None: no connect
    revenue: Decimal = Field(default=Decimal("0.00"), sa_type=Money)
    avg_qa: Decimal | None = Field(default=None, sa_type=Rate)  # None: no QA score
    computed_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    run_id: str | None = Field(default=None, max_length=64, index=True)
