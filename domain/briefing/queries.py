"""Reading briefing items in the reader's scope: the firefront (CRITICAL items) of My Day, and a
paginated list for the briefing page.

An item is shown when the reader has its venture in scope, may read its section, and, when the
item is about one entity (a load), may open that entity (``entities.visibility_clause``: the
entity's own scope rule, in SQL)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import case, false
from sqlalchemy.sql import ColumnElement
from sqlmodel import col, select

from domain import clock
from domain.access.actor import Actor
from domain.briefing.entities import visibility_clause
from domain.briefing.models import SEVERITY_ORDER, BriefingItem, Section, Severity
from domain.db import UnitOfWork
from domain.org.models import Venture
from domain.pagination import Page, SortKey, paginate
from domain.schemas import View
from domain.settings import get_settings

# An item of a section is shown only to roles that may read that section's data (a "load lost"
# item carries an amount; a contractor in the venture does not see it).
SECTION_ACTIONS: dict[Section, str] = {
    Section.FREIGHT: "freight.loads.read",
    # Hotel KPI drops and review counts are the hotel numbers' readers' (not the front desk's).
    Section.HOSPITALITY: "hospitality.kpi.read",
    # Overdue tasks and who sent no EOD report: the team view's readers.
    Section.OPERATIONS: "operations.eod.team.read",
    # Conversion and QA of a BPO venture: its KPI readers.
    Section.BPO: "bpo.kpi.read",
}
DEFAULT_ACTION = "page.briefing"


class BriefingItemView(View):
    id: int
    venture_id: int
    venture_code: str
    venture_name: str
    business_date: date
    section: Section
    severity: Severity
    title: str
    detail: str
    link: str | None
    created_at: datetime


def _visible(uow: UnitOfWork, actor: Actor) -> ColumnElement[bool]:
    sections = [s for s in Section if actor.can(SECTION_ACTIONS.get(s, DEFAULT_ACTION))]
    if not sections:
        return false()
    return (
        actor.scope.venture_clause(BriefingItem.venture_id)
        & col(BriefingItem.section).in_(sections)
        & visibility_clause(uow, actor, col(BriefingItem.source_key))
    )


def _view(item: BriefingItem, venture: Venture) -> BriefingItemView:
    return BriefingItemView(
        id=item.id,
        venture_id=item.venture_id,
        venture_code=venture.code,
        venture_name=venture.name,
        business_date=item.business_date,
        section=item.section,
        severity=item.severity,
        title=item.title,
        detail=item.detail,
        link=item.link,
        created_at=item.created_at,
    )


def firefront(
    uow: UnitOfWork, actor: Actor, *, days: int = 7, limit: int = 20
) -> list[BriefingItemView]:
    """The reader's CRITICAL items of the last ``days`` business dates (group timezone), newest
    first: the "firefront" panel of My Day."""
    actor.require("page.my_day")
    since = clock.today(get_settings().group_timezone) - timedelta(days=days - 1)
    rows = uow.session.execute(
        select(BriefingItem, Venture)
        .join(Venture, col(Venture.id) == BriefingItem.venture_id)
        .where(
            _visible(uow, actor),
            col(BriefingItem.severity) == Severity.CRITICAL,
            col(BriefingItem.business_date) >= since,
            col(Venture.is_active).is_(True),
        )
        .order_by(col(BriefingItem.business_date).desc(), col(BriefingItem.id).desc())
        .limit(max(1, min(limit, 200)))
    ).all()
    return [_view(item, venture) for item, venture in rows]


def list_briefing_items(
    uow: UnitOfWork,
    actor: Actor,
    *,
    day_from: date | None = None,
    day_to: date | None = None,
    severity: Severity | None = None,
    section: Section | None = None,
    venture_id: int | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[BriefingItemView]:
    """Briefing items in scope, newest business date first (keyset cursor)."""
    actor.require("page.briefing")
    stmt = (
        select(BriefingItem, Venture)
        .join(Venture, col(Venture.id) == BriefingItem.venture_id)
        .where(_visible(uow, actor))
    )
    if day_from is not None:
        stmt = stmt.where(col(BriefingItem.business_date) >= day_from)
    if day_to is not None:
        stmt = stmt.where(col(BriefingItem.business_date) <= day_to)
    if severity is not None:
        stmt = stmt.where(col(BriefingItem.severity) == severity)
    if section is not None:
        stmt = stmt.where(col(BriefingItem.section) == section)
    if venture_id is not None:
        stmt = stmt.where(col(BriefingItem.venture_id) == venture_id)
    keys = [SortKey(BriefingItem.business_date), SortKey(BriefingItem.id)]
    page = paginate(
        uow.session,
        stmt,
        keys,
        lambda r: (r[0].business_date, r[0].id),
        cursor=cursor,
        limit=limit,
        scalars=False,
    )
    return page.map(lambda r: _view(r[0], r[1]))


# The briefing page shows one day's items at most; beyond this the day says how many it left out.
DAY_LIMIT = 300


class BriefingDay(View):
    """One business date of the briefing as the reader may see it: fires, then storms, then
    wins, each grouped by venture (code order), with the counts of the summary line."""

    day: date
    items: list[BriefingItemView]
    fires: int
    storms: int
    wins: int
    left_out: int = 0

    @property
    def summary(self) -> str:
        def n(count: int, one: str, many: str) -> str:
            return f"{count} {one if count == 1 else many}"

        return ", ".join(
            [
                n(self.fires, "fire", "fires"),
                n(self.storms, "storm", "storms"),
                n(self.wins, "win", "wins"),
            ]
        )


def default_briefing_day() -> date:
    """The day the morning's briefing is about: yesterday in the group timezone."""
    return clock.today(get_settings().group_timezone) - timedelta(days=1)


def briefing_day(
    uow: UnitOfWork, actor: Actor, day: date | None = None, *, venture_id: int | None = None
) -> BriefingDay:
    """The reader's items of ``day`` (default: yesterday, group timezone), most severe first,
    grouped by venture; only ventures in scope, sections the reader may read and entities they
    may open (``_visible``)."""
    actor.require("page.briefing")
    day = day or default_briefing_day()
    stmt = (
        select(BriefingItem, Venture)
        .join(Venture, col(Venture.id) == BriefingItem.venture_id)
        .where(
            _visible(uow, actor),
            col(BriefingItem.business_date) == day,
            col(Venture.is_active).is_(True),
        )
    )
    if venture_id is not None:
        stmt = stmt.where(col(BriefingItem.venture_id) == venture_id)
    rank = case(
        *((col(BriefingItem.severity) == sev, i) for i, sev in enumerate(SEVERITY_ORDER)),
        else_=len(SEVERITY_ORDER),
    )
    stmt = stmt.order_by(rank, col(Venture.code), col(BriefingItem.section), col(BriefingItem.id))
    rows = uow.session.execute(stmt.limit(DAY_LIMIT + 1)).all()
    order = {s: i for i, s in enumerate(SEVERITY_ORDER)}
    views = sorted(
        (_view(item, venture) for item, venture in rows[:DAY_LIMIT]),
        key=lambda v: (order[v.severity], v.venture_code, v.section, v.id),
    )
    counts = {s: sum(1 for v in views if v.severity == s) for s in SEVERITY_ORDER}
    return BriefingDay(
        day=day,
        items=views,
        fires=counts[Severity.CRITICAL],
        storms=counts[Severity.WARN],
        wins=counts[Severity.INFO],
        left_out=max(0, len(rows) - DAY_LIMIT),
    )
