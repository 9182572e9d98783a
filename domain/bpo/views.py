"""Rows to views (plain data; talk seconds derived, never stored)."""

from __future__ import annotations

from domain.bpo.models import BpoCallLog
from domain.bpo.rules import talk_seconds
from domain.bpo.schemas import CallView


def call_view(row: BpoCallLog) -> CallView:
    return CallView(
        id=row.id or 0,
        venture_id=row.venture_id,
        agent_id=row.agent_id,
        campaign_id=row.campaign_id,
        started_at=row.started_at,
        ended_at=row.ended_at,
        dial_count=row.dial_count,
        connected=row.connected,
        appointment_set=row.appointment_set,
        deal_won=row.deal_won,
        revenue=row.revenue,
        notes=row.notes,
        talk_seconds=talk_seconds(row.started_at, row.ended_at),
    )
