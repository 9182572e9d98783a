"""What the gamification pages and the API read (every query takes an Actor and applies scope).

- :func:`my_points`: balance per venture, the history with the reason of each award, badges.
- :func:`leaderboard`: a venture (or one of its offices) for this week, this month or all time
  (business dates of the venture); ranks by points, ties broken by who reached the total first
  (the time of their last award of the period), then by user id; only members in scope; the
  reader's own rank always given. Read through the cache (:data:`LEADERBOARD`): the whole
  ranking is stored per (reader's scope, venture, office, period dates), the reader's row and the
  cut to ``limit`` are taken from it on every read, so one entry serves every reader of that
  scope and each still gets their own rank. Every award that moves points bumps the venture's
  generation once its transaction commits (:func:`domain.gamification.handlers.award_points`,
  the rebuild).
- :func:`my_day_card`: points today and rank this week, per venture of the reader.
- :func:`points_history`: the reader's own awards, newest first, one cursor page at a time
  (the My points page), with each award's metadata (what it was for).
- :func:`board_choices`: the ventures whose leaderboard the reader may open, with the offices of
  each they may narrow it to (the leaderboard page's venture and office switches).

Badges (derived from the events, no counters; each earned once per qualifying period, dated by
the business date of the event that completed it):

| badge | rule |
|---|---|
| On a roll | EOD reports on 5 consecutive business days (Mon-Fri; a weekend does not |
|  | break it); each run of 5 earns one |
| Closer | 10 LOAD_COMPLETED in one calendar month |
| Guest hero | 20 HOTEL_REVIEW_RESPONDED in one calendar month |
| Perfect week | each PERFECT_WEEK_EOD award |

Capped awards (0 points) still count toward badges: the work was done.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import func, select
from sqlmodel import col

from domain import cache, clock
from domain.access.actor import Actor
from domain.db import UnitOfWork
from domain.errors import Invalid, NotFound
from domain.gamification.models import GamificationBalance, GamificationEvent
from domain.org.models import Office, OfficeUser, User, Venture, VentureUser
from domain.pagination import Page, SortKey, paginate
from domain.schemas import View

Period = Literal["week", "month", "all"]
PERIODS: tuple[str, ...] = ("week", "month", "all")
_E = GamificationEvent.__table__  # type: ignore[attr-defined]
_B = GamificationBalance.__table__  # type: ignore[attr-defined]
# The cache's "what" of the leaderboard read; invalidated per venture when points move.
LEADERBOARD = "gamification.leaderboard"


class VenturePoints(View):
    venture_id: int
    venture_code: str
    points: int


class AwardLine(View):
    id: int
    venture_id: int
    type: str
    points: int
    reason: str | None
    business_date: date
    created_at: datetime


class HistoryLine(AwardLine):
    """An award of the My points history: the line of :class:`AwardLine`, its venture's code
    and the award's metadata (the load, the report, the week ... it was for)."""

    venture_code: str
    details: dict[str, Any]


class BoardOffice(View):
    id: int
    name: str


class BoardVenture(View):
    id: int
    code: str
    name: str
    offices: list[BoardOffice]


class Badge(View):
    key: str
    label: str
    venture_id: int
    earned_on: date
    period: str  # the qualifying period: "2026-W23", "2026-11", "2026-11-02..2026-11-06"


class MyPoints(View):
    total: int
    balances: list[VenturePoints]
    history: list[AwardLine]
    badges: list[Badge]


class LeaderRow(View):
    rank: int
    user_id: int
    name: str
    points: int
    reached_at: datetime | None


class Leaderboard(View):
    venture_id: int
    office_id: int | None
    period: str
    start: date | None
    end: date
    rows: list[LeaderRow]
    podium: list[LeaderRow]
    me: LeaderRow | None  # the reader's row (rank and points), also when outside the shown rows


class _Ranking(View):
    """The cached part of a leaderboard: every ranked row (the reader's row is picked per read)."""

    rows: list[LeaderRow]


class DayCard(View):
    venture_id: int
    venture_code: str
    points_today: int
    rank_this_week: int | None


def period_bounds(period: str, today: date) -> tuple[date | None, date]:
    if period == "week":
        return today - timedelta(days=today.weekday()), today
    if period == "month":
        return today.replace(day=1), today
    if period == "all":
        return None, today
    raise Invalid({"period": f"must be one of {', '.join(PERIODS)}"})


def _ventures(uow: UnitOfWork, actor: Actor) -> dict[int, Venture]:
    rows = uow.session.execute(
        select(Venture)
        .join(VentureUser, VentureUser.venture_id == Venture.id)  # type: ignore[arg-type]
        .where(col(VentureUser.user_id) == actor.user_id)
    ).scalars()
    return {int(v.id or 0): v for v in rows}


def badges_of(uow: UnitOfWork, user_id: int) -> list[Badge]:
    kinds = ("EOD_REPORT_SUBMITTED", "LOAD_COMPLETED", "HOTEL_REVIEW_RESPONDED", "PERFECT_WEEK_EOD")
    rows = uow.session.execute(
        select(_E.c.venture_id, _E.c.type, _E.c.business_date, _E.c.details)
        .where(_E.c.user_id == user_id, _E.c.type.in_(kinds))
        .order_by(_E.c.business_date, _E.c.id)
    ).all()
    out: list[Badge] = []
    by: dict[tuple[int, str], list[date]] = defaultdict(list)
    for venture_id, kind, day, details in rows:
        if kind == "PERFECT_WEEK_EOD":
            week = (details or {}).get("week") or "{}-W{:02d}".format(*day.isocalendar()[:2])
            out.append(
                Badge(
                    key="perfect_week",
                    label="Perfect week",
                    venture_id=venture_id,
                    earned_on=day,
                    period=week,
                )
            )
        else:
            by[(int(venture_id), kind)].append(day)
    for (venture_id, kind), days in by.items():
        if kind == "EOD_REPORT_SUBMITTED":
            out.extend(_streaks(venture_id, sorted(set(d for d in days if d.weekday() < 5))))
        else:
            need, key, label = (
                (10, "closer", "Closer")
                if kind == "LOAD_COMPLETED"
                else (20, "guest_hero", "Guest hero")
            )
            per_month: dict[str, list[date]] = defaultdict(list)
            for d in sorted(days):
                per_month[d.strftime("%Y-%m")].append(d)
            for month, ds in per_month.items():
                if len(ds) >= need:
                    out.append(
                        Badge(
                            key=key,
                            label=label,
                            venture_id=venture_id,
                            earned_on=ds[need - 1],
                            period=month,
                        )
                    )
    return sorted(out, key=lambda b: (b.earned_on, b.key, b.venture_id))


def _next_business_day(d: date) -> date:
    d += timedelta(days=1)
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return d


def _streaks(venture_id: int, days: list[date]) -> list[Badge]:
    out: list[Badge] = []
    run: list[date] = []
    for d in days:
        run = [*run, d] if run and _next_business_day(run[-1]) == d else [d]
        if len(run) == 5:
            out.append(
                Badge(
                    key="on_a_roll",
                    label="On a roll",
                    venture_id=venture_id,
                    earned_on=d,
                    period=f"{run[0].isoformat()}..{d.isoformat()}",
                )
            )
            run = []
    return out


def my_points(uow: UnitOfWork, actor: Actor, *, limit: int = 100) -> MyPoints:
    """The reader's own points: every venture they have a balance in (their own data)."""
    actor.require("page.my_points")
    codes = dict(uow.session.execute(select(col(Venture.id), col(Venture.code))).all())
    balances = [
        VenturePoints(venture_id=v, venture_code=codes.get(v, ""), points=int(p))
        for v, p in uow.session.execute(
            select(_B.c.venture_id, _B.c.points)
            .where(_B.c.user_id == actor.user_id)
            .order_by(_B.c.venture_id)
        ).all()
    ]
    history = [
        AwardLine.model_validate(dict(r))
        for r in uow.session.execute(
            select(
                _E.c.id,
                _E.c.venture_id,
                _E.c.type,
                _E.c.points,
                _E.c.reason,
                _E.c.business_date,
                _E.c.created_at,
            )
            .where(_E.c.user_id == actor.user_id)
            .order_by(_E.c.created_at.desc(), _E.c.id.desc())
            .limit(limit)
        ).mappings()
    ]
    return MyPoints(
        total=sum(b.points for b in balances),
        balances=balances,
        history=history,
        badges=badges_of(uow, actor.user_id),
    )


def leaderboard(
    uow: UnitOfWork,
    actor: Actor,
    venture_id: int,
    *,
    office_id: int | None = None,
    period: str = "week",
    limit: int = 50,
) -> Leaderboard:
    actor.require("gamification.leaderboard.read", venture_id)
    venture = uow.session.get(Venture, venture_id)
    if venture is None:
        raise NotFound("venture", venture_id)
    start, end = period_bounds(period, clock.today(venture.timezone))
    if office_id is not None:
        office = uow.session.get(Office, office_id)
        if (
            office is None
            or office.venture_id != venture_id
            or not actor.scope.allows_office(office_id, venture_id)
        ):
            raise NotFound("office", office_id)
    # The period's resolved dates are in the key: a new week (or day) never reads last week's.
    params = {"office_id": office_id, "period": period, "start": start, "end": end}
    rows = cache.cached(
        LEADERBOARD,
        actor,
        params,
        [venture_id],
        lambda: _Ranking(rows=_ranked(uow, venture_id, office_id, start, end, _seen_by(actor))),
        _Ranking,
    ).rows
    me = next((r for r in rows if r.user_id == actor.user_id), None)
    return Leaderboard(
        venture_id=venture_id,
        office_id=office_id,
        period=period,
        start=start,
        end=end,
        rows=rows[:limit],
        podium=rows[:3],
        me=me,
    )


def _seen_by(actor: Actor) -> tuple[int, frozenset[int]] | None:
    """Whom a reader's board may show beyond the venture's or office's membership: None for a
    reader with every office in scope; otherwise (the reader, the reader's offices): members of
    those offices and the reader themselves (spec: only users in scope are shown)."""
    if actor.scope.all_offices:
        return None
    return actor.user_id, actor.scope.office_ids


def _ranked(
    uow: UnitOfWork,
    venture_id: int,
    office_id: int | None,
    start: date | None,
    end: date,
    seen_by: tuple[int, frozenset[int]] | None = None,
) -> list[LeaderRow]:
    """Every member of the venture (or office) with points in the period, ranked; for a reader
    with assigned offices (``seen_by``) only the members of those offices and the reader."""
    members = select(col(VentureUser.user_id)).where(col(VentureUser.venture_id) == venture_id)
    if office_id is not None:
        members = select(col(OfficeUser.user_id)).where(col(OfficeUser.office_id) == office_id)
    stmt = (
        select(
            _E.c.user_id,
            func.sum(_E.c.points).label("points"),
            func.max(_E.c.created_at, type_=_E.c.created_at.type).label("last_at"),
        )
        .where(
            _E.c.venture_id == venture_id,
            _E.c.points > 0,
            _E.c.business_date <= end,
            _E.c.user_id.in_(members),
        )
        .group_by(_E.c.user_id)
    )
    if start is not None:
        stmt = stmt.where(_E.c.business_date >= start)
    if seen_by is not None:
        reader, offices = seen_by
        colleagues = select(col(OfficeUser.user_id)).where(
            col(OfficeUser.office_id).in_(sorted(offices))
        )
        stmt = stmt.where(_E.c.user_id.in_(colleagues) | (_E.c.user_id == reader))
    scored = uow.session.execute(stmt).all()
    names: dict[int, str] = {
        int(i): str(n)
        for i, n in uow.session.execute(
            select(col(User.id), col(User.name)).where(
                col(User.id).in_([int(r.user_id) for r in scored])
            )
        ).all()
    }
    ordered = sorted(
        scored, key=lambda r: (-int(r.points), clock.ensure_utc(r.last_at), int(r.user_id))
    )
    return [
        LeaderRow(
            rank=i,
            user_id=int(r.user_id),
            name=names.get(r.user_id, ""),
            points=int(r.points),
            reached_at=clock.ensure_utc(r.last_at),
        )
        for i, r in enumerate(ordered, start=1)
    ]


def my_day_card(uow: UnitOfWork, actor: Actor) -> list[DayCard]:
    """Points today and rank this week in each of the reader's ventures."""
    out = []
    for vid, venture in sorted(_ventures(uow, actor).items()):
        today = clock.today(venture.timezone)
        points = uow.session.execute(
            select(func.coalesce(func.sum(_E.c.points), 0)).where(
                _E.c.user_id == actor.user_id, _E.c.venture_id == vid, _E.c.business_date == today
            )
        ).scalar_one()
        board = (
            leaderboard(uow, actor, vid, period="week") if actor.scope.allows_venture(vid) else None
        )
        out.append(
            DayCard(
                venture_id=vid,
                venture_code=venture.code,
                points_today=int(points),
                rank_this_week=board.me.rank if board and board.me else None,
            )
        )
    return out


def points_history(
    uow: UnitOfWork,
    actor: Actor,
    *,
    venture_id: int | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[HistoryLine]:
    """The reader's own awards (capped ones included, with their reason), newest first; only
    the one venture when ``venture_id`` is given. The reader's own data: no venture scope."""
    actor.require("page.my_points")
    stmt = (
        select(
            _E.c.id,
            _E.c.venture_id,
            col(Venture.code).label("venture_code"),
            _E.c.type,
            _E.c.points,
            _E.c.reason,
            _E.c.details,
            _E.c.business_date,
            _E.c.created_at,
        )
        .join(Venture.__table__, col(Venture.id) == _E.c.venture_id)  # type: ignore[attr-defined]
        .where(_E.c.user_id == actor.user_id)
    )
    if venture_id is not None:
        stmt = stmt.where(_E.c.venture_id == venture_id)
    keys = [SortKey(_E.c.created_at), SortKey(_E.c.id)]
    page = paginate(
        uow.session,
        stmt,
        keys,
        lambda r: (clock.ensure_utc(r.created_at), r.id),
        cursor=cursor,
        limit=limit,
        scalars=False,
    )
    return page.map(
        lambda r: HistoryLine(
            id=r.id,
            venture_id=r.venture_id,
            venture_code=r.venture_code,
            type=r.type,
            points=r.points,
            reason=r.reason,
            details=dict(r.details or {}),
            business_date=r.business_date,
            created_at=clock.ensure_utc(r.created_at),
        )
    )


def board_choices(uow: UnitOfWork, actor: Actor) -> list[BoardVenture]:
    """The active ventures in the reader's scope whose leaderboard they may read, each with the
    offices the reader may narrow it to (every office for leadership and all-office scopes, else
    the reader's own offices): exactly what :func:`leaderboard` accepts."""
    if not actor.can("gamification.leaderboard.read"):
        return []
    ventures = (
        uow.session.execute(
            select(Venture)
            .where(actor.scope.venture_clause(Venture.id), col(Venture.is_active).is_(True))
            .order_by(col(Venture.code))
        )
        .scalars()
        .all()
    )
    offices: dict[int, list[BoardOffice]] = defaultdict(list)
    for o in uow.session.execute(
        select(Office)
        .where(col(Office.venture_id).in_([v.id for v in ventures]))
        .order_by(col(Office.name))
    ).scalars():
        if actor.scope.allows_office(o.id, o.venture_id):
            offices[int(o.venture_id)].append(BoardOffice(id=int(o.id or 0), name=o.name))
    return [
        BoardVenture(id=int(v.id or 0), code=v.code, name=v.name, offices=offices[int(v.id or 0)])
        for v in ventures
    ]
