"""The one award function every handler (and the rebuild) calls.

In the caller's transaction: read the venture's config (at award time, never cached), insert the
event with ``INSERT ... ON CONFLICT (venture, type, idempotency key) DO NOTHING RETURNING id``
(the unique constraint decides a duplicate, never a prior read), then move the balance with one
atomic ``UPDATE ... SET points = points + :p``. A disabled venture awards nothing.

Daily caps: when the type has a cap in the venture's config, the (user, venture) balance row is
locked (``SELECT ... FOR UPDATE``) before the day's awarded events of the type are counted, so
two awards at once can never both see "cap - 1": the second waits for the first to commit and
then counts it. Past the cap the award is recorded with 0 points and the reason ``capped``.
SQLite serialises writers (``BEGIN IMMEDIATE``), where the lock is a no-op.

The leaderboard cache: inside :func:`points_moving`, every award that moves points (not a
duplicate, not a disabled venture, not a capped 0-point award: none of them changes a board)
adds its venture to the set the caller gets, who invalidates those ventures' leaderboards once
its transaction commits (the award has no unit of work to hook, only the connection).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, select, update

from domain import clock
from domain.db import dialect_insert
from domain.gamification.models import (
    CAPPED,
    DEFAULT_POINTS,
    GamificationBalance,
    GamificationConfig,
    GamificationEvent,
)

_EVENT = GamificationEvent.__table__  # type: ignore[attr-defined]
_BALANCE = GamificationBalance.__table__  # type: ignore[attr-defined]
_CONFIG = GamificationConfig.__table__  # type: ignore[attr-defined]


# The time stamped on awards: now, or (the rebuild) the time of the event being replayed.
_award_time: ContextVar[datetime | None] = ContextVar("gamification_award_time", default=None)


@contextmanager
def awarding_at(at: datetime) -> Iterator[None]:
    """Stamp the awards made inside with ``at`` (the rebuild replays an event at its time)."""
    token = _award_time.set(at)
    try:
        yield
    finally:
        _award_time.reset(token)


# The ventures whose points moved inside ``points_moving`` (None outside it).
_moved: ContextVar[set[int] | None] = ContextVar("gamification_points_moved", default=None)


@contextmanager
def points_moving() -> Iterator[set[int]]:
    """The set of ventures in which an award made inside moved points (filled as they happen)."""
    moved: set[int] = set()
    token = _moved.set(moved)
    try:
        yield moved
    finally:
        _moved.reset(token)


@dataclass(frozen=True)
class Awarded:
    event_id: int
    points: int
    reason: str | None


@dataclass(frozen=True)
class Rules:
    enabled: bool
    points: dict[str, int]
    daily_caps: dict[str, int]

    def points_for(self, kind: str) -> int:
        return int(self.points.get(kind, DEFAULT_POINTS[kind]))


def rules_of(conn: Connection, venture_id: int) -> Rules:
    """The venture's config as it is now (no row: enabled, the default table, no caps)."""
    row = conn.execute(
        select(_CONFIG.c.enabled, _CONFIG.c.points, _CONFIG.c.daily_caps).where(
            _CONFIG.c.venture_id == venture_id
        )
    ).first()
    if row is None:
        return Rules(True, {}, {})
    return Rules(bool(row.enabled), dict(row.points or {}), dict(row.daily_caps or {}))


def award(
    conn: Connection,
    *,
    user_id: int,
    venture_id: int,
    kind: str,
    key: str,
    day: date,
    office_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> Awarded | None:
    """Award ``kind`` to the user in the venture once per ``key``; None when the venture is
    disabled or the key was awarded already. ``day`` is the business date (venture timezone) the
    daily cap counts on."""
    if kind not in DEFAULT_POINTS:
        raise ValueError(f"unknown gamification event type {kind!r}")
    rules = rules_of(conn, venture_id)
    if not rules.enabled:
        return None
    points, reason = rules.points_for(kind), None
    insert = dialect_insert(conn)
    # The balance row exists before the event (so it can be locked, and updated atomically).
    conn.execute(
        insert(_BALANCE)
        .values(user_id=user_id, venture_id=venture_id, points=0)
        .on_conflict_do_nothing(index_elements=["user_id", "venture_id"])
    )
    cap = rules.daily_caps.get(kind)
    if cap is not None and points > 0:
        conn.execute(
            select(_BALANCE.c.id)
            .where(_BALANCE.c.user_id == user_id, _BALANCE.c.venture_id == venture_id)
            .with_for_update()
        )
        awarded_today = conn.execute(
            select(func.count()).where(
                _EVENT.c.user_id == user_id,
                _EVENT.c.venture_id == venture_id,
                _EVENT.c.type == kind,
                _EVENT.c.business_date == day,
                _EVENT.c.reason.is_(None),
            )
        ).scalar_one()
        if awarded_today >= int(cap):
            points, reason = 0, CAPPED
    event_id = conn.execute(
        insert(_EVENT)
        .values(
            user_id=user_id,
            venture_id=venture_id,
            office_id=office_id,
            type=kind,
            points=points,
            idempotency_key=key,
            reason=reason,
            details=details or {},
            business_date=day,
            created_at=_award_time.get() or clock.now(),
        )
        .on_conflict_do_nothing(index_elements=["venture_id", "type", "idempotency_key"])
        .returning(_EVENT.c.id)
    ).scalar_one_or_none()
    if event_id is None:
        return None
    if points:
        conn.execute(
            update(_BALANCE)
            .where(_BALANCE.c.user_id == user_id, _BALANCE.c.venture_id == venture_id)
            .values(points=_BALANCE.c.points + points)
        )
        moved = _moved.get()
        if moved is not None:
            moved.add(venture_id)
    return Awarded(int(event_id), points, reason)
