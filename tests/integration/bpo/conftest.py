"""Helpers for the BPO integration tests: the demo's BPO venture PBP (Kolkata, INR), its head,
its Salt Lake team lead and agent; campaigns and agents built through the real services, and a
second BPO venture (another venture's rows for the scope tests)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from domain import clock
from domain.bpo import services
from domain.db import unit_of_work
from domain.org.models import Office, Venture, VentureType, VentureUser
from tests.helpers import actor, office_id, user_id, venture_id

HEAD = "head.bpo@vcc.example"
LEAD = "lead.bpo@vcc.example"  # TEAM_LEAD, Salt Lake only
AGENT = "agent.pbp@vcc.example"  # EMPLOYEE, Salt Lake
FINANCE_PBP = "finance.india@vcc.example"
OTHER_HEAD = "head.hotels@vcc.example"  # HHG only
KOLKATA = "Asia/Kolkata"


@dataclass(frozen=True)
class World:
    pbp: int
    campaign: int  # Salt Lake
    campaign_sector_v: int
    agent: int  # agent.pbp on `campaign`
    lead_agent: int  # lead.bpo on `campaign`
    other_venture: int
    other_campaign: int
    other_agent: int


def pbp() -> int:
    return venture_id("PBP")


def second_bpo_venture() -> tuple[int, int]:
    """A second BPO venture (OBP) with one office; the head of PBP is not a member."""
    with unit_of_work() as uow:
        v = Venture(
            code="OBP",
            slug="other-bpo",
            name="Other BPO",
            type=VentureType.BPO,
            currency="INR",
            timezone=KOLKATA,
        )
        uow.session.add(v)
        uow.session.flush()
        o = Office(venture_id=v.id or 0, name="Pune", timezone=KOLKATA)
        uow.session.add(o)
        uow.session.add(VentureUser(user_id=user_id("ceo@vcc.example"), venture_id=v.id or 0))
        uow.session.flush()
        return v.id or 0, o.id or 0


def join_venture(email: str, venture: int) -> None:
    """Make ``email`` (with their role) a member of ``venture`` too: e.g. the hotels' head also
    heads the second BPO venture, so they have the BPO section but not PBP."""
    with unit_of_work() as uow:
        uow.session.add(VentureUser(user_id=user_id(email), venture_id=venture))


def without_demo_activity() -> None:
    """Delete the demo's 90 days of PBP calls, KPI records and BpoKpiDaily (its campaigns and
    agents stay): these tests state the numbers of days holding only the calls they log."""
    from sqlalchemy import delete

    from domain.bpo.models import BpoCallLog, BpoKpiDaily, BpoKpiRecord

    with unit_of_work() as uow:
        for model in (BpoKpiDaily, BpoKpiRecord, BpoCallLog):
            uow.session.execute(delete(model).where(model.venture_id == pbp()))  # type: ignore[attr-defined]


def build_world() -> World:
    without_demo_activity()
    head = actor(HEAD)
    with unit_of_work() as uow:
        c1 = services.create_campaign(
            uow,
            head,
            {
                "venture_id": pbp(),
                "office_id": office_id("PBP", "Salt Lake"),
                "name": "Solar leads",
                "client": "SunCo",
            },
        )
        c2 = services.create_campaign(
            uow,
            head,
            {
                "venture_id": pbp(),
                "office_id": office_id("PBP", "Sector V"),
                "name": "Insurance renewals",
                "client": "SafeLife",
            },
        )
        a1 = services.create_agent(uow, head, {"user_id": user_id(AGENT), "campaign_id": c1.id})
        a2 = services.create_agent(uow, head, {"user_id": user_id(LEAD), "campaign_id": c1.id})
    other, other_office = second_bpo_venture()
    ceo = actor("ceo@vcc.example")
    with unit_of_work() as uow:
        oc = services.create_campaign(
            uow,
            ceo,
            {"venture_id": other, "office_id": other_office, "name": "Other", "client": "X"},
        )
        oa = services.create_agent(
            uow, ceo, {"user_id": user_id("ceo@vcc.example"), "campaign_id": oc.id}
        )
    return World(pbp(), c1.id, c2.id, a1.id, a2.id, other, oc.id, oa.id)


def this_morning(hours: int = 3) -> datetime:
    """An instant earlier today in Kolkata (today's business date), ``hours`` after midnight."""
    start, _ = clock.day_bounds_utc(clock.today(KOLKATA), KOLKATA)
    return start + timedelta(hours=hours)


def call(w: World, **overrides: object) -> dict[str, object]:
    t = this_morning()
    return {
        "agent_id": w.agent,
        "campaign_id": w.campaign,
        "started_at": t.isoformat(),
        "ended_at": (t + timedelta(minutes=5)).isoformat(),
        "dial_count": 2,
        "connected": True,
        "appointment_set": True,
        "deal_won": True,
        "revenue": "1500.00",
    } | overrides
