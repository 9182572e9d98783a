"""What the BPO pages show: display rows built from the domain's views (campaigns, agents, call
logs) and the dashboard's funnel, trend points and leaderboard. Formatting follows ui.md (money in
the venture's currency, one-decimal percentages, "n/a" for an undefined ratio). Pure functions; no
state, no database."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from domain.bpo.dashboard import BpoPoint, FunnelRow, LeaderRow
from domain.bpo.queries import CallOutcome
from domain.bpo.schemas import CallView
from rxapp.format import fmt_datetime, fmt_time
from rxapp.views.freight import count, money, pct

# -- the dashboard --------------------------------------------------------------------------------


@dataclasses.dataclass
class FunnelTableRow:
    campaign: str = ""
    client: str = ""
    dials: str = ""
    connects: str = ""
    appointments: str = ""
    deals: str = ""
    connect_rate: str = ""
    appointment_rate: str = ""
    conversion: str = ""
    revenue: str = ""


@dataclasses.dataclass
class LeaderTableRow:
    rank: int = 0
    name: str = ""
    campaign: str = ""
    calls: str = ""
    connects: str = ""
    appointments: str = ""
    deals: str = ""
    conversion: str = ""
    revenue: str = ""


def _num(v: Decimal | None, scale: int = 1) -> float | None:
    return None if v is None else round(float(v) * scale, 2)


def trend_point(p: BpoPoint) -> dict[str, Any]:
    return {
        "day": f"{p.day.day} {p.day:%b}",
        "dials": p.dials,
        "connects": p.connects,
        "appointments": p.appointments,
        "deals": p.deals,
        "connect_rate": _num(p.connect_rate, 100),
        "conversion": _num(p.conversion, 100),
        "revenue": _num(p.revenue),
        "talk_minutes": float(p.talk_minutes),
        "average_qa": _num(p.average_qa),
    }


def funnel_row(f: FunnelRow, currency: str | None) -> FunnelTableRow:
    return FunnelTableRow(
        campaign=f.name,
        client=f.client,
        dials=count(f.dials),
        connects=count(f.connects),
        appointments=count(f.appointments),
        deals=count(f.deals),
        connect_rate=pct(f.connect_rate),
        appointment_rate=pct(f.appointment_rate),
        conversion=pct(f.conversion),
        revenue=money(f.revenue, currency),
    )


def funnel_chart(rows: list[FunnelRow]) -> list[dict[str, Any]]:
    """One bar group per campaign: its four funnel steps side by side."""
    return [
        {
            "campaign": f.name,
            "dials": f.dials,
            "connects": f.connects,
            "appointments": f.appointments,
            "deals": f.deals,
        }
        for f in rows
    ]


def leader_row(r: LeaderRow, currency: str | None) -> LeaderTableRow:
    return LeaderTableRow(
        rank=r.rank,
        name=r.name,
        campaign=r.campaign,
        calls=count(r.calls),
        connects=count(r.connects),
        appointments=count(r.appointments),
        deals=count(r.deals),
        conversion=pct(r.conversion),
        revenue=money(r.revenue, currency),
    )


# -- call logs ------------------------------------------------------------------------------------

# The outcome of a call, the furthest step of the funnel it reached: label, badge colour.
OUTCOMES: dict[str, tuple[str, str]] = {
    CallOutcome.DEAL.value: ("Deal won", "green"),
    CallOutcome.APPOINTMENT.value: ("Appointment", "amber"),
    CallOutcome.CONNECTED.value: ("Connected", "blue"),
    CallOutcome.NOT_CONNECTED.value: ("Not connected", "gray"),
}


def outcome_of(v: CallView) -> str:
    if v.deal_won:
        return CallOutcome.DEAL.value
    if v.appointment_set:
        return CallOutcome.APPOINTMENT.value
    if v.connected:
        return CallOutcome.CONNECTED.value
    return CallOutcome.NOT_CONNECTED.value


def talk_text(seconds: int | None) -> str:
    if seconds is None:
        return "—"
    m, s = divmod(int(seconds), 60)
    return f"{m}:{s:02d}"


@dataclasses.dataclass
class CallRow:
    id: int = 0
    started: str = ""
    ended: str = ""
    campaign: str = ""
    agent: str = ""
    dials: str = ""
    talk: str = ""
    outcome: str = ""
    outcome_label: str = ""
    outcome_color: str = "gray"
    revenue: str = ""
    notes: str = ""


def call_row(v: CallView, *, campaign: str, agent: str, currency: str | None) -> CallRow:
    outcome = outcome_of(v)
    label, color = OUTCOMES[outcome]
    return CallRow(
        id=v.id,
        started=fmt_datetime(v.started_at),
        ended=fmt_time(v.ended_at) if v.ended_at else "in progress",
        campaign=campaign,
        agent=agent,
        dials=count(v.dial_count),
        talk=talk_text(v.talk_seconds),
        outcome=outcome,
        outcome_label=label,
        outcome_color=color,
        revenue=money(v.revenue, currency) if v.revenue else "—",
        notes=(v.notes or "")[:120],
    )


def call_rows(uow: Any, calls: list[CallView]) -> list[CallRow]:
    """Rows of calls read through scope, with their campaign, agent and currency."""
    from domain.bpo.dashboard import labels

    agents, campaigns, currencies = labels(
        uow,
        agent_ids={c.agent_id for c in calls},
        campaign_ids={c.campaign_id for c in calls},
        venture_ids={c.venture_id for c in calls},
    )
    return [
        call_row(
            c,
            campaign=campaigns.get(c.campaign_id, ""),
            agent=agents[c.agent_id].agent if c.agent_id in agents else "",
            currency=currencies.get(c.venture_id),
        )
        for c in calls
    ]


# -- campaigns and agents -------------------------------------------------------------------------


@dataclasses.dataclass
class CampaignRow:
    id: int = 0
    name: str = ""
    client: str = ""
    venture: str = ""
    office: str = ""
    active: bool = True


@dataclasses.dataclass
class AgentRow:
    id: int = 0
    name: str = ""
    email: str = ""
    campaign: str = ""
    venture: str = ""
    active: bool = True
