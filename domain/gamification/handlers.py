"""Points on the outbox (spec/events-and-gamification.md, the default table): one handler per
source event, each calling :func:`domain.gamification.award.award` with the spec's recipient and
idempotency key. Idempotent by the award's unique key: a redelivered event awards nothing.

``rebuild`` replays the stored outbox events through the same functions (:data:`AWARDERS`).
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from datetime import date, timedelta

from sqlalchemy import Connection, func, select

from domain import cache, clock
from domain.access.events import UserLoggedIn
from domain.bpo.events import BpoCallCompleted
from domain.db import UnitOfWork
from domain.events.registry import handles
from domain.events.types import RecordedEvent
from domain.freight.events import LoadDelivered, OutreachAwarded, OutreachSent, QuoteConverted
from domain.gamification.award import award, awarding_at, points_moving
from domain.gamification.models import GamificationBalance, GamificationEvent
from domain.gamification.queries import LEADERBOARD
from domain.hospitality.events import HotelDisputeResolved, HotelReviewResponded
from domain.operations.events import EodSubmitted, TaskCompleted
from domain.org.models import MembershipPeriod, Venture

_EVENT = GamificationEvent.__table__  # type: ignore[attr-defined]
_BALANCE = GamificationBalance.__table__  # type: ignore[attr-defined]
_VENTURE = Venture.__table__  # type: ignore[attr-defined]
_PERIOD = MembershipPeriod.__table__  # type: ignore[attr-defined]

Awarder = Callable[[Connection, RecordedEvent], None]
# Set by the rebuild of one venture: a login replays into that venture only.
replaying_venture: ContextVar[int | None] = ContextVar("gamification_replay", default=None)
AWARDERS: dict[str, Awarder] = {}


def _awards(event_type: str) -> Callable[[Awarder], Awarder]:
    def decorate(fn: Awarder) -> Awarder:
        AWARDERS[event_type] = fn
        return fn

    return decorate


def _day_of(conn: Connection, venture_id: int, event: RecordedEvent) -> date:
    """The business date (venture timezone) of an event whose payload carries none."""
    tz = conn.execute(select(_VENTURE.c.timezone).where(_VENTURE.c.id == venture_id)).scalar_one()
    return clock.business_date(event.created_at, tz)


@_awards(LoadDelivered.type)
def _load_delivered(conn: Connection, event: RecordedEvent) -> None:
    ev = event.parse(LoadDelivered)
    award(
        conn,
        user_id=ev.sales_user_id,
        venture_id=ev.venture_id,
        office_id=ev.office_id,
        kind="LOAD_COMPLETED",
        key=f"load-delivered:{ev.load_id}",
        day=ev.business_date,
        details={"load_id": ev.load_id, "reference": ev.reference},
    )


@_awards(QuoteConverted.type)
def _quote_converted(conn: Connection, event: RecordedEvent) -> None:
    ev = event.parse(QuoteConverted)
    award(
        conn,
        user_id=ev.sales_user_id,
        venture_id=ev.venture_id,
        kind="QUOTE_CONVERTED",
        key=f"quote-converted:{ev.quote_id}",
        day=_day_of(conn, ev.venture_id, event),
        details={"quote_id": ev.quote_id, "load_id": ev.load_id},
    )


@_awards(OutreachSent.type)
def _outreach_sent(conn: Connection, event: RecordedEvent) -> None:
    # The outreach is the message (its batches are deliveries of it): one award per outreach.
    ev = event.parse(OutreachSent)
    if ev.sent_count < 1:
        return
    award(
        conn,
        user_id=ev.sender_user_id,
        venture_id=ev.venture_id,
        kind="CARRIER_OUTREACH_SENT",
        key=f"outreach-sent:{ev.outreach_id}",
        day=_day_of(conn, ev.venture_id, event),
        details={"outreach_id": ev.outreach_id, "load_id": ev.load_id},
    )


@_awards(OutreachAwarded.type)
def _outreach_awarded(conn: Connection, event: RecordedEvent) -> None:
    ev = event.parse(OutreachAwarded)
    award(
        conn,
        user_id=ev.user_id,
        venture_id=ev.venture_id,
        kind="OUTREACH_AWARDED",
        key=f"outreach-awarded:{ev.load_id}",
        day=_day_of(conn, ev.venture_id, event),
        details={"outreach_id": ev.outreach_id, "load_id": ev.load_id},
    )


@_awards(TaskCompleted.type)
def _task_completed(conn: Connection, event: RecordedEvent) -> None:
    ev = event.parse(TaskCompleted)
    award(
        conn,
        user_id=ev.assignee_id or ev.completed_by_id,
        venture_id=ev.venture_id,
        office_id=ev.office_id,
        kind="TASK_COMPLETED",
        key=f"task-completed:{ev.task_id}",
        day=ev.business_date,
        details={"task_id": ev.task_id},
    )


@_awards(BpoCallCompleted.type)
def _bpo_call_completed(conn: Connection, event: RecordedEvent) -> None:
    ev = event.parse(BpoCallCompleted)
    award(
        conn,
        user_id=ev.user_id,
        venture_id=ev.venture_id,
        office_id=None,
        kind="BPO_CALL_COMPLETED",
        key=f"bpo-call:{ev.call_id}",
        day=ev.business_date,
        details={"call_id": ev.call_id},
    )


def weekdays_of(day: date) -> tuple[date, date]:
    """Monday and Friday of ``day``'s ISO week."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=4)


@_awards(EodSubmitted.type)
def _eod_submitted(conn: Connection, event: RecordedEvent) -> None:
    ev = event.parse(EodSubmitted)
    award(
        conn,
        user_id=ev.user_id,
        venture_id=ev.venture_id,
        kind="EOD_REPORT_SUBMITTED",
        key=f"eod:{ev.report_id}",
        day=ev.business_date,
        details={"report_id": ev.report_id},
    )
    if ev.business_date.weekday() >= 5:  # weekend reports do not count toward a perfect week
        return
    # Lock the (user, venture) balance row before counting: two EODs of one week handled at
    # once would each see four days otherwise, and neither award the week.
    conn.execute(
        select(_BALANCE.c.id)
        .where(_BALANCE.c.user_id == ev.user_id, _BALANCE.c.venture_id == ev.venture_id)
        .with_for_update()
    )
    monday, friday = weekdays_of(ev.business_date)
    covered = conn.execute(
        select(func.count(func.distinct(_EVENT.c.business_date))).where(
            _EVENT.c.user_id == ev.user_id,
            _EVENT.c.venture_id == ev.venture_id,
            _EVENT.c.type == "EOD_REPORT_SUBMITTED",
            _EVENT.c.business_date.between(monday, friday),
        )
    ).scalar_one()
    if covered == 5:
        year, week, _ = ev.business_date.isocalendar()
        award(
            conn,
            user_id=ev.user_id,
            venture_id=ev.venture_id,
            kind="PERFECT_WEEK_EOD",
            key=f"perfect-week:{ev.user_id}:{ev.venture_id}:{year}-W{week:02d}",
            day=ev.business_date,
            details={"week": f"{year}-W{week:02d}"},
        )


@_awards(HotelReviewResponded.type)
def _review_responded(conn: Connection, event: RecordedEvent) -> None:
    ev = event.parse(HotelReviewResponded)
    award(
        conn,
        user_id=ev.user_id,
        venture_id=ev.venture_id,
        kind="HOTEL_REVIEW_RESPONDED",
        key=f"hotel-review-responded:{ev.review_id}",
        day=ev.business_date,
        details={"review_id": ev.review_id, "hotel_id": ev.hotel_id},
    )


@_awards(HotelDisputeResolved.type)
def _dispute_resolved(conn: Connection, event: RecordedEvent) -> None:
    ev = event.parse(HotelDisputeResolved)
    award(
        conn,
        user_id=ev.owner_id or ev.user_id,
        venture_id=ev.venture_id,
        kind="HOTEL_DISPUTE_RESOLVED",
        key=f"hotel-dispute-resolved:{ev.dispute_id}",
        day=ev.business_date,
        details={"dispute_id": ev.dispute_id, "status": ev.status},
    )


@_awards(UserLoggedIn.type)
def _logged_in(conn: Connection, event: RecordedEvent) -> None:
    """FIRST_DAILY_LOGIN in each (active) venture the user belonged to on the business date of
    the login in that venture's timezone (the membership history, not today's memberships: a
    sweeper's late delivery and ``rebuild`` after the user left a venture award what the login
    earned then); the key makes later logins of that date award nothing."""
    ev = event.parse(UserLoggedIn)
    periods = conn.execute(
        select(_VENTURE.c.id, _VENTURE.c.timezone, _PERIOD.c.valid_from, _PERIOD.c.valid_to)
        .join(_PERIOD, _PERIOD.c.venture_id == _VENTURE.c.id)
        .where(_PERIOD.c.user_id == ev.user_id, _VENTURE.c.is_active.is_(True))
        .order_by(_VENTURE.c.id, _PERIOD.c.valid_from)
    ).all()
    only = replaying_venture.get()
    awarded: set[int] = set()
    for venture_id, tz, valid_from, valid_to in periods:
        if (only is not None and venture_id != only) or venture_id in awarded:
            continue
        day = clock.business_date(ev.logged_in_at, tz)
        if day < valid_from or (valid_to is not None and day > valid_to):
            continue
        awarded.add(venture_id)
        award(
            conn,
            user_id=ev.user_id,
            venture_id=venture_id,
            kind="FIRST_DAILY_LOGIN",
            key=f"first-login:{ev.user_id}:{venture_id}:{day.isoformat()}",
            day=day,
            details={"method": ev.method},
        )


@handles(*AWARDERS, name="gamification.points")
def award_points(uow: UnitOfWork, event: RecordedEvent) -> None:
    """The outbox handler: the event's awarder, in the delivery's transaction. Awards are stamped
    with the time of the action (the event's), also when the sweeper retries it later: the
    leaderboard's "who reached the score first" and the rebuild agree with it. The leaderboards
    of the ventures whose points moved are invalidated after the commit, never before (a read in
    between would cache the old board under the new generation)."""
    with awarding_at(event.created_at), points_moving() as moved:
        AWARDERS[event.type](uow.session.connection(), event)
    for venture_id in sorted(moved):
        cache.invalidate_after_commit(uow, LEADERBOARD, venture_id)
