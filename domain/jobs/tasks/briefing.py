"""briefing: the daily briefing items of one business date (spec/briefing-and-dashboards.md).

Each wing declares its checks in its manifest (``domain.verticals.BriefingSignal``: freight's
coverage and losses, hospitality's hotel KPI drops and reviews, operations' overdue tasks and
missing EOD reports); this task runs those that apply to each venture's type for the business
date D (the day examined: yesterday when the scheduler fires) and knows none of them.

A live run replaces the venture-day's *signal* items (source keys ``signal:...``) with the ones
that fire now, in one transaction per venture: an item that fires again is updated in place (the
key is unique per venture and date), one that no longer fires is removed, so re-running a day
never duplicates an item and never leaves a stale fire. Items that events wrote (a lost load, a
big delivery) are never touched. A dry run computes the same items and writes nothing.

The result rows are the items (venture code, date, key, section, severity, title, detail, link):
no ids, no timestamps, so the output hash depends on what the briefing says only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlmodel import col

from domain import clock
from domain.briefing.models import SEVERITY_ORDER, BriefingItem
from domain.briefing.signals import SIGNAL_PREFIX, Draft, SignalVenture
from domain.db import dialect_insert, get_engine
from domain.org.models import Venture
from domain.verticals import BriefingSignal, briefing_signals


class JobInputError(ValueError):
    """A parameter the notebook cannot work with: the run fails with this message."""


def applies(signal: BriefingSignal, venture_type: str) -> bool:
    return not signal.venture_types or venture_type in signal.venture_types


def ventures_of(engine: Engine, venture: str, day: date) -> list[SignalVenture]:
    """The active ventures ``venture`` (a code or "all") names, with the day to examine."""
    stmt = select(
        col(Venture.id),
        col(Venture.code),
        col(Venture.type),
        col(Venture.timezone),
        col(Venture.currency),
    ).where(col(Venture.is_active).is_(True))
    if venture != "all":
        stmt = stmt.where(col(Venture.code) == venture)
    with engine.connect() as conn:
        rows: list[Any] = list(conn.execute(stmt.order_by(col(Venture.code))).all())
    if venture != "all" and not rows:
        raise JobInputError(f"venture {venture} is not an active venture")
    return [
        SignalVenture(int(i), str(c), str(t), str(tz), str(cur), day) for i, c, t, tz, cur in rows
    ]


def active_codes(engine: Engine, day: date) -> list[str]:
    """One scheduled run per active venture (``JobSpec.per_venture``)."""
    return [v.code for v in ventures_of(engine, "all", day)]


def row_of(v: SignalVenture, d: Draft) -> dict[str, Any]:
    return {
        "venture": v.code,
        "business_date": v.day.isoformat(),
        "source_key": d.source_key,
        "section": str(d.section),
        "severity": str(d.severity),
        "title": d.title[:200],
        "detail": d.detail[:1000],
        "link": d.link,
    }


@dataclass
class Briefing:
    business_date: date
    venture: str
    dry_run: bool
    rows: list[dict[str, Any]] = field(default_factory=list)
    drafts: dict[str, list[Draft]] = field(default_factory=dict)  # venture code -> drafts
    written: int = 0
    removed: int = 0

    @property
    def summary(self) -> dict[str, Any]:
        counts = {
            str(s): sum(1 for r in self.rows if r["severity"] == str(s)) for s in SEVERITY_ORDER
        }
        return {
            "ventures": sorted(self.drafts),
            "items": len(self.rows),
            "fires": counts["CRITICAL"],
            "storms": counts["WARN"],
            "wins": counts["INFO"],
            "written": self.written,
            "removed": self.removed,
        }


def _write(engine: Engine, v: SignalVenture, drafts: list[Draft]) -> tuple[int, int]:
    """Replace the venture-day's signal items by ``drafts`` in one transaction."""
    table = BriefingItem.__table__  # type: ignore[attr-defined]
    keys = [d.source_key for d in drafts]
    now = clock.now()
    with engine.begin() as conn:
        stale = delete(table).where(
            table.c.venture_id == v.id,
            table.c.business_date == v.day,
            table.c.source_key.like(f"{SIGNAL_PREFIX}:%"),
        )
        if keys:
            stale = stale.where(table.c.source_key.not_in(keys))
        removed = conn.execute(stale).rowcount or 0
        if not drafts:
            return 0, removed
        insert = dialect_insert(conn)
        stmt = insert(table).values(
            [
                {
                    "venture_id": v.id,
                    "business_date": v.day,
                    "section": d.section,
                    "severity": d.severity,
                    "title": d.title[:200],
                    "detail": d.detail[:1000],
                    "link": d.link,
                    "source_key": d.source_key,
                    "created_at": now,
                }
                for d in drafts
            ]
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["venture_id", "business_date", "source_key"],
            set_={
                "section": stmt.excluded.section,
                "severity": stmt.excluded.severity,
                "title": stmt.excluded.title,
                "detail": stmt.excluded.detail,
                "link": stmt.excluded.link,
            },
        )
        conn.execute(stmt)
    return len(drafts), removed


def build(
    business_date: date,
    venture: str = "all",
    *,
    dry_run: bool,
    engine: Engine | None = None,
) -> Briefing:
    """Evaluate every applicable signal for each venture on ``business_date``; a live run
    writes the items (see the module docstring), a dry run only returns them."""
    engine = engine or get_engine()
    result = Briefing(business_date, venture, dry_run)
    signals = briefing_signals()
    for v in ventures_of(engine, venture, business_date):
        drafts: list[Draft] = []
        with engine.connect() as conn:
            for signal in signals:
                if applies(signal, v.type):
                    drafts.extend(signal.evaluate(conn, v))
        seen: set[str] = set()
        for d in drafts:
            if d.source_key in seen:
                raise RuntimeError(f"two briefing items of {v.code} share the key {d.source_key}")
            seen.add(d.source_key)
        order = {s: i for i, s in enumerate(SEVERITY_ORDER)}
        drafts.sort(key=lambda d: (order[d.severity], d.section, d.source_key))
        result.drafts[v.code] = drafts
        result.rows.extend(row_of(v, d) for d in drafts)
        if not dry_run:
            written, removed = _write(engine, v, drafts)
            result.written += written
            result.removed += removed
    return result


def stored_rows(engine: Engine, venture_ids: list[int], day: date) -> list[dict[str, Any]]:
    """The signal items stored for the ventures and day, as result rows (what a live run wrote)."""
    table = BriefingItem.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        named: list[Any] = list(
            conn.execute(
                select(col(Venture.id), col(Venture.code)).where(col(Venture.id).in_(venture_ids))
            )
        )
        codes = {int(r[0]): str(r[1]) for r in named}
        rows = conn.execute(
            select(table)
            .where(table.c.venture_id.in_(venture_ids), table.c.business_date == day)
            .where(table.c.source_key.like(f"{SIGNAL_PREFIX}:%"))
        ).mappings()
        return [
            {
                "venture": codes[int(r["venture_id"])],
                "business_date": day.isoformat(),
                "source_key": r["source_key"],
                "section": str(r["section"]),
                "severity": str(r["severity"]),
                "title": r["title"],
                "detail": r["detail"],
                "link": r["link"],
            }
            for r in rows
        ]
