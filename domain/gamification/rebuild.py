"""``vcc gamification rebuild --venture CODE``: wipe the venture's awards and balances and replay
them, in one transaction, from the recorded source events (the outbox rows the user actions
wrote in their own transactions: delivered loads, converted quotes, outreach, tasks, EODs,
review responses, resolved disputes, logins), through the very awarders the live handlers call,
in the order the actions happened and stamped with their times. The result equals the live path
(same events, points, reasons, balances) as long as the venture's config has not changed since;
the current config decides the replay.

The gamification wing reads no other wing's tables (the import rules): the outbox events carry
everything the awards need. Run it with the job runner quiet (docs/RUNBOOK.md).
"""

from __future__ import annotations

from sqlalchemy import delete, func, or_, select

from domain import cache
from domain.access.actor import Actor
from domain.db import unit_of_work
from domain.errors import NotFound
from domain.events.models import OutboxEvent
from domain.events.types import RecordedEvent
from domain.gamification.award import awarding_at
from domain.gamification.handlers import AWARDERS, replaying_venture
from domain.gamification.models import GamificationBalance, GamificationEvent
from domain.gamification.queries import LEADERBOARD
from domain.org.models import Venture
from domain.schemas import View

_O = OutboxEvent.__table__  # type: ignore[attr-defined]
_E = GamificationEvent.__table__  # type: ignore[attr-defined]
_B = GamificationBalance.__table__  # type: ignore[attr-defined]
BATCH = 2_000


class RebuildResult(View):
    venture_code: str
    source_events: int
    awards: int
    points: int
    users: int


def rebuild(actor: Actor, venture_code: str) -> RebuildResult:
    with unit_of_work() as uow:
        venture = uow.session.execute(
            select(Venture).where(Venture.code == venture_code.upper())  # type: ignore[arg-type]
        ).scalar_one_or_none()
        if venture is None or venture.id is None:
            raise NotFound("venture", venture_code)
        actor.require("gamification.config.manage", venture.id)
        vid = venture.id
        # Every board of the venture may change: bump it once the replay commits.
        cache.invalidate_after_commit(uow, LEADERBOARD, vid)
        conn = uow.session.connection()
        conn.execute(delete(_E).where(_E.c.venture_id == vid))
        conn.execute(delete(_B).where(_B.c.venture_id == vid))
        replayed, last = 0, 0
        types = sorted(AWARDERS)
        scope = replaying_venture.set(vid)
        while True:
            rows = conn.execute(
                select(
                    _O.c.id,
                    _O.c.type,
                    _O.c.venture_id,
                    _O.c.payload,
                    _O.c.created_at,
                    _O.c.attempts,
                )
                .where(
                    _O.c.id > last,
                    _O.c.type.in_(types),
                    or_(_O.c.venture_id == vid, _O.c.venture_id.is_(None)),
                )
                .order_by(_O.c.id)
                .limit(BATCH)
            ).all()
            if not rows:
                break
            for r in rows:
                event = RecordedEvent(
                    r.id, r.type, r.venture_id, dict(r.payload), r.created_at, r.attempts
                )
                with awarding_at(r.created_at):
                    AWARDERS[r.type](conn, event)
                replayed += 1
            last = rows[-1].id
        replaying_venture.reset(scope)
        awards, points, users = conn.execute(
            select(
                func.count(),
                func.coalesce(func.sum(_E.c.points), 0),
                func.count(func.distinct(_E.c.user_id)),
            ).where(_E.c.venture_id == vid)
        ).one()
    return RebuildResult(
        venture_code=venture.code,
        source_events=replayed,
        awards=int(awards),
        points=int(points),
        users=int(users),
    )
