"""The BPO domain events (spec/events-and-gamification.md). Payloads carry what handlers need
without reading the rows again (business dates in the venture's timezone)."""

from __future__ import annotations

from datetime import date

from domain.events.types import DomainEvent


class BpoCallCompleted(DomainEvent):
    """A call log with an end was written (form or CSV: one event per call)."""

    type = "BpoCallCompleted"
    venture_id: int
    call_id: int
    agent_id: int
    campaign_id: int
    business_date: date
    connected: bool
    deal_won: bool
    user_id: int


class BpoKpiUpserted(DomainEvent):
    """A KPI record (campaign, agent, business date) created or replaced."""

    type = "BpoKpiUpserted"
    venture_id: int
    campaign_id: int
    agent_id: int
    business_date: date
    user_id: int


class BpoCallsImported(DomainEvent):
    """A call CSV was imported: ``days`` are the distinct business dates touched (each
    recomputed once, rather than one BpoCallCompleted per line of a 10,000-line file)."""

    type = "BpoCallsImported"
    venture_id: int
    days: list[date]
    rows: int
    user_id: int


class BpoKpiImported(DomainEvent):
    """A KPI-record CSV was imported (every line upserted as one BpoKpiRecord, as the single
    upsert writes it): ``days`` are the distinct business dates touched, each recomputed once,
    rather than one BpoKpiUpserted per line (as BpoCallsImported for calls)."""

    type = "BpoKpiImported"
    venture_id: int
    days: list[date]
    rows: int
    user_id: int


BPO_EVENTS = (BpoCallCompleted, BpoKpiUpserted, BpoCallsImported, BpoKpiImported)
