"""What the gamification pages show: display rows built from the domain's views (my points, the
history with what each award was for, badges, leaderboard rows, the config of a venture). Pure
functions; no state, no database."""

from __future__ import annotations

import dataclasses
from typing import Any

from domain.gamification.models import CAPPED, DEFAULT_POINTS
from domain.gamification.queries import Badge, DayCard, HistoryLine, LeaderRow
from rxapp.format import fmt_date, fmt_datetime
from rxapp.views.freight import count

# The award types as people say them (the spec's table, in its order).
TYPE_LABELS: dict[str, str] = {
    "EOD_REPORT_SUBMITTED": "End-of-day report submitted",
    "PERFECT_WEEK_EOD": "Perfect week of EOD reports",
    "LOAD_COMPLETED": "Load delivered",
    "CARRIER_OUTREACH_SENT": "Carrier outreach sent",
    "OUTREACH_AWARDED": "Outreach awarded",
    "TASK_COMPLETED": "Task completed",
    "QUOTE_CONVERTED": "Quote converted",
    "HOTEL_REVIEW_RESPONDED": "Hotel review answered",
    "BPO_CALL_COMPLETED": "BPO call completed",
    "HOTEL_DISPUTE_RESOLVED": "Hotel dispute resolved",
    "FIRST_DAILY_LOGIN": "First login of the day",
}
assert set(TYPE_LABELS) == set(DEFAULT_POINTS)

PERIOD_LABELS = {"week": "This week", "month": "This month", "all": "All time"}


def type_label(kind: str) -> str:
    return TYPE_LABELS.get(kind, kind.replace("_", " ").capitalize())


def _signed(points: int) -> str:
    return f"+{points:,}" if points > 0 else f"{points:,}"


def award_reason(kind: str, details: dict[str, Any]) -> tuple[str, str]:
    """What the award was for, in words, and a link to it where the app has a page."""
    d = details or {}
    if kind == "LOAD_COMPLETED" and d.get("load_id"):
        ref = d.get("reference") or f"#{d['load_id']}"
        return f"Load {ref} delivered", f"/freight/loads/{d['load_id']}"
    if kind == "QUOTE_CONVERTED" and d.get("load_id"):
        return f"Quote #{d.get('quote_id')} became a load", f"/freight/loads/{d['load_id']}"
    if kind in ("CARRIER_OUTREACH_SENT", "OUTREACH_AWARDED") and d.get("load_id"):
        verb = "sent" if kind == "CARRIER_OUTREACH_SENT" else "awarded"
        return f"Carrier outreach {verb} for load #{d['load_id']}", f"/freight/loads/{d['load_id']}"
    if kind == "TASK_COMPLETED" and d.get("task_id"):
        return f"Task #{d['task_id']} done", "/operations/tasks"
    if kind == "PERFECT_WEEK_EOD" and d.get("week"):
        return f"Reports on every weekday of {d['week']}", ""
    if kind == "HOTEL_DISPUTE_RESOLVED" and d.get("status"):
        return f"Dispute #{d.get('dispute_id')} closed: {str(d['status']).lower()}", ""
    if kind == "HOTEL_REVIEW_RESPONDED" and d.get("review_id"):
        return f"Review #{d['review_id']} answered", ""
    if kind == "BPO_CALL_COMPLETED" and d.get("call_id"):
        return f"Call #{d['call_id']} logged", ""
    if kind == "FIRST_DAILY_LOGIN" and d.get("method"):
        return f"Signed in ({str(d['method']).replace('_', ' ')})", ""
    return type_label(kind), ""


@dataclasses.dataclass
class BalanceRow:
    venture_id: int = 0
    code: str = ""
    points: str = ""
    unit: str = "points"


def balance_row(venture_id: int, code: str, points: int) -> BalanceRow:
    return BalanceRow(venture_id, code, count(points), "point" if points == 1 else "points")


@dataclasses.dataclass
class HistoryRow:
    id: int = 0
    day: str = ""
    at: str = ""
    venture_code: str = ""
    kind: str = ""
    label: str = ""
    reason: str = ""
    link: str = ""
    points: str = ""
    capped: bool = False


def history_row(h: HistoryLine) -> HistoryRow:
    reason, link = award_reason(h.type, h.details)
    return HistoryRow(
        id=h.id,
        day=fmt_date(h.business_date),
        at=fmt_datetime(h.created_at),
        venture_code=h.venture_code,
        kind=h.type,
        label=type_label(h.type),
        reason=reason,
        link=link,
        points=_signed(h.points),
        capped=h.reason == CAPPED,
    )


@dataclasses.dataclass
class BadgeRow:
    key: str = ""
    label: str = ""
    venture_code: str = ""
    earned_on: str = ""
    period: str = ""


BADGE_RULES = {
    "on_a_roll": "EOD reports on 5 business days in a row",
    "closer": "10 loads delivered in one month",
    "guest_hero": "20 guest reviews answered in one month",
    "perfect_week": "EOD reports on every weekday of a week",
}


def badge_row(b: Badge, codes: dict[int, str]) -> BadgeRow:
    return BadgeRow(
        key=b.key,
        label=b.label,
        venture_code=codes.get(b.venture_id, ""),
        earned_on=fmt_date(b.earned_on),
        period=BADGE_RULES.get(b.key, "") + f" ({b.period})",
    )


@dataclasses.dataclass
class RankRow:
    rank: int = 0
    user_id: int = 0
    name: str = ""
    points: str = ""
    short: str = ""  # "26 pts" under a podium place
    mine: bool = False


def rank_row(r: LeaderRow, me: int) -> RankRow:
    return RankRow(
        rank=r.rank,
        user_id=r.user_id,
        name=r.name,
        points=count(r.points),
        short=f"{count(r.points)} pt{'' if r.points == 1 else 's'}",
        mine=r.user_id == me,
    )


@dataclasses.dataclass
class DayPointsRow:
    venture_id: int = 0
    code: str = ""
    today: str = ""
    rank: str = ""


def day_points_row(c: DayCard) -> DayPointsRow:
    return DayPointsRow(
        venture_id=c.venture_id,
        code=c.venture_code,
        today=f"{_signed(c.points_today)} today" if c.points_today else "0 today",
        rank=f"#{c.rank_this_week} this week" if c.rank_this_week else "Not ranked this week",
    )


@dataclasses.dataclass
class ConfigRow:
    kind: str = ""
    label: str = ""
    default: str = ""
    points: str = ""  # the override as typed ("" = the default)
    cap: str = ""  # "" = no cap
    effective: str = ""
