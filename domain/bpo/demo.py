"""Demo BPO data for the BPO ventures (PBP, Kolkata, INR): campaigns, their agents, 90 days of
call logs, the agents' daily KPI records with QA scores, and BpoKpiDaily.

Every employee and contractor of the venture works one campaign (agent.pbp the first, at Salt
Lake, and the floor's best closer); each agent has a skill of their own (the leaderboard
spreads) and the floor gets a little better over the 90 days (the trend charts move). Calls
start between 10:00 and 19:00 Kolkata time on the business days up to yesterday, Sundays at
under half the volume; the volume is ``Plan.calls`` over the 90 days, so the large size has
about 300,000 call logs. A connected call talks for minutes, an unanswered one rings for
seconds; some connects set an appointment, some appointments close a deal with revenue in INR.
Each agent-day with calls has a KPI record (the day's sums and, most days, a QA score from the
floor's reviewers).

Deterministic under the seed and the anchor (``ctx.rng``, ``ctx.as_of``): the bulk rows go in
with SQLAlchemy Core inserts (``ctx.bulk_insert``), then BpoKpiDaily of the 90 days comes from
the KPI path itself (``kpi.backfill_kpi``), so the incentives demo after this wing finds BPO
metric values to pay on.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import col, select

from domain import clock
from domain.bpo import kpi
from domain.bpo.models import BPO_VENTURE_TYPES, BpoAgent, BpoCallLog, BpoCampaign, BpoKpiRecord
from domain.db import pk
from domain.demo import DemoContext, Size
from domain.org.models import Role, User, Venture, VentureUser

log = logging.getLogger(__name__)

DAYS = 90
SHIFT_START_HOUR = 10  # local time
SHIFT_SECONDS = 9 * 3600
SUNDAY_VOLUME = 0.4
FIRST_AGENT = "agent.pbp@vcc.example"
REVIEWER = "lead.bpo@vcc.example"
AGENT_ROLES = (Role.EMPLOYEE, Role.CONTRACTOR)


@dataclass(frozen=True)
class Plan:
    campaigns: int
    calls: int  # call logs over the 90 days, about


PLANS = {
    Size.SMALL: Plan(campaigns=2, calls=2_700),  # the test fixture: kept light
    Size.MEDIUM: Plan(campaigns=4, calls=36_000),
    Size.LARGE: Plan(campaigns=6, calls=300_000),
}


@dataclass(frozen=True)
class CampaignShape:
    name: str
    client: str
    office: str
    connect_rate: float  # of calls
    appointment_rate: float  # of connects
    close_rate: float  # of appointments
    revenue: tuple[int, int]  # INR of a deal, low and high


CAMPAIGNS = [
    CampaignShape(
        "Home loan leads", "Axis Home Finance", "Salt Lake", 0.36, 0.3, 0.45, (18_000, 65_000)
    ),
    CampaignShape("Broadband upgrades", "FibreNet", "Sector V", 0.46, 0.22, 0.55, (2_400, 9_000)),
    CampaignShape(
        "Health cover renewals", "CarePlus", "Salt Lake", 0.41, 0.26, 0.5, (6_000, 24_000)
    ),
    CampaignShape("Card activations", "Kotak Cards", "Sector V", 0.52, 0.18, 0.6, (1_000, 4_000)),
    CampaignShape(
        "Admissions outreach", "LearnRight", "Salt Lake", 0.33, 0.28, 0.35, (25_000, 90_000)
    ),
    CampaignShape(
        "Rooftop solar surveys", "SunGrid", "Sector V", 0.3, 0.34, 0.3, (40_000, 160_000)
    ),
]


def seed(ctx: DemoContext) -> None:
    t0 = time.perf_counter()
    ventures = [v for v in ctx.ventures.values() if v.type in BPO_VENTURE_TYPES]
    for venture in sorted(ventures, key=lambda v: v.code):
        _seed_venture(ctx, venture, PLANS[ctx.size])
    if ventures:
        spans = [demo_days(ctx, v) for v in ventures]
        result = kpi.backfill_kpi(
            sorted(pk(v) for v in ventures),
            min(first for first, _ in spans),
            max(last for _, last in spans),
            run_id="demo-seed",
            engine=ctx.engine,
        )
        ctx.count("bpo_kpi_days", result.rows_written)
    log.info("demo bpo in %.1f s", time.perf_counter() - t0)


def _agent_users(ctx: DemoContext, venture: Venture) -> list[User]:
    """The venture's employees and contractors, agent.pbp first, then by email."""
    users = ctx.uow.session.execute(
        select(User)
        .join(VentureUser, col(VentureUser.user_id) == User.id)
        .where(
            col(VentureUser.venture_id) == pk(venture),
            col(User.role).in_(AGENT_ROLES),
            col(User.is_active).is_(True),
        )
    ).scalars()
    return sorted(users, key=lambda u: (u.email != FIRST_AGENT, u.email))


def _seed_venture(ctx: DemoContext, venture: Venture, plan: Plan) -> None:
    s, rng = ctx.uow.session, ctx.rng
    tz = venture.timezone
    first_day, _ = demo_days(ctx, venture)
    shapes = CAMPAIGNS[: plan.campaigns]
    created = clock.day_bounds_utc(first_day - timedelta(days=14), tz)[0]
    campaigns = [
        BpoCampaign(
            venture_id=pk(venture),
            office_id=pk(ctx.offices[(venture.code, shape.office)]),
            name=shape.name,
            client=shape.client,
            created_at=created,
        )
        for shape in shapes
    ]
    s.add_all(campaigns)
    s.flush()
    users = _agent_users(ctx, venture)
    # Round-robin over the campaigns: agent.pbp on the first (Salt Lake), each campaign staffed.
    agents = [
        (
            BpoAgent(
                user_id=pk(u),
                venture_id=pk(venture),
                campaign_id=pk(campaigns[i % len(campaigns)]),
                created_at=created,
            ),
            shapes[i % len(campaigns)],
            1.3 if u.email == FIRST_AGENT else rng.uniform(0.75, 1.25),  # the agent's skill
        )
        for i, u in enumerate(users)
    ]
    s.add_all(a for a, _, _ in agents)
    s.flush()
    reviewer = ctx.users.get(REVIEWER)
    reviewer_id = pk(reviewer) if reviewer is not None else None
    s.commit()  # the bulk rows below go through their own connections

    days = [first_day + timedelta(days=d) for d in range(DAYS)]
    weight = {d: SUNDAY_VOLUME if d.weekday() == 6 else 1.0 for d in days}
    per_agent_day = plan.calls / (max(1, len(agents)) * sum(weight.values()))
    calls: list[dict[str, Any]] = []
    records: list[dict[str, Any]] = []
    for agent, shape, skill in agents:
        aid, cid, uid = pk(agent), agent.campaign_id, agent.user_id
        for n_day, day in enumerate(days):
            mean = per_agent_day * weight[day]
            n = max(0, round(rng.gauss(mean, mean * 0.25)))
            if n == 0:
                continue
            trend = 0.9 + 0.2 * n_day / DAYS  # the floor improves over the quarter
            midnight = clock.day_bounds_utc(day, tz)[0]
            shift = midnight + timedelta(hours=SHIFT_START_HOUR)
            talk_total = appointments = deals = 0
            revenue_total = Decimal("0.00")
            for _ in range(n):
                started = shift + timedelta(seconds=rng.randrange(SHIFT_SECONDS))
                connected = rng.random() < min(0.95, shape.connect_rate * skill)
                if connected:
                    talk = int(min(1_500, max(30, rng.gauss(260, 110))))
                    appointment = rng.random() < shape.appointment_rate * trend
                    won = appointment and rng.random() < min(0.95, shape.close_rate * skill)
                else:
                    talk, appointment, won = rng.randint(0, 25), False, False
                revenue = (
                    Decimal(rng.randint(*shape.revenue)).quantize(Decimal("0.01"))
                    if won
                    else Decimal("0.00")
                )
                ended = started + timedelta(seconds=talk)
                calls.append(
                    {
                        "venture_id": pk(venture),
                        "agent_id": aid,
                        "campaign_id": cid,
                        "started_at": started,
                        "ended_at": ended,
                        "dial_count": 1 + (rng.random() < 0.3) + (rng.random() < 0.1),
                        "connected": connected,
                        "appointment_set": appointment,
                        "deal_won": won,
                        "revenue": revenue,
                        "notes": None,
                        "created_by_id": uid,
                        "created_at": ended,
                    }
                )
                talk_total += talk
                appointments += appointment
                deals += won
                revenue_total += revenue
            scored = rng.random() < 0.85
            records.append(
                {
                    "venture_id": pk(venture),
                    "campaign_id": cid,
                    "agent_id": aid,
                    "day": day,
                    "calls": n,
                    "talk_seconds": talk_total,
                    "qa_score": (
                        Decimal(str(round(min(100.0, rng.gauss(84, 7)), 1))) if scored else None
                    ),
                    "appointments": appointments,
                    "deals": deals,
                    "revenue": revenue_total,
                    "updated_by_id": reviewer_id,
                    "updated_at": midnight + timedelta(hours=21),
                }
            )
    ctx.bulk_insert(BpoCallLog, calls)
    ctx.bulk_insert(BpoKpiRecord, records)
    ctx.count("bpo_campaigns", len(campaigns))
    ctx.count("bpo_agents", len(agents))
    ctx.count("bpo_call_logs", len(calls))
    ctx.count("bpo_kpi_records", len(records))


def demo_days(ctx: DemoContext, venture: Venture) -> tuple[date, date]:
    """The business dates the demo's calls cover for ``venture``: (first, last)."""
    last = clock.business_date(ctx.as_of, venture.timezone) - timedelta(days=1)
    return last - timedelta(days=DAYS - 1), last
