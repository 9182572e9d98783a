"""My Day, the Ventures list, a venture's detail page and the section overview pages."""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict

import reflex as rx

from domain.access.actor import Actor
from domain.db import read_only
from domain.errors import NotFound
from domain.org.queries import get_venture, list_offices, list_ventures, visible_quick_links
from domain.org.schemas import OfficeView, VentureView
from domain.settings import get_settings
from rxapp.format import greeting, role_color, role_label, venture_type_label
from rxapp.state.guards import guarded
from rxapp.state.quick_links import QuickLinksState
from rxapp.state.session import NavPageRow, SessionState
from rxapp.views.gamification import DayPointsRow, day_points_row
from rxapp.views.payouts import WaitingRow

SECTION_PAGES = {
    "freight": "Freight",
    "hospitality": "Hospitality",
    "bpo": "BPO",
    "saas": "SaaS",
    "holdings": "Holdings",
    "operations": "Operations",
    "admin": "Admin",
}


@dataclasses.dataclass
class OfficeRow:
    id: int = 0
    name: str = ""
    city: str = ""
    country: str = ""
    place: str = ""
    timezone: str = ""
    active: bool = True


@dataclasses.dataclass
class VentureLinkRow:
    label: str = ""
    url: str = ""
    icon: str = "link"


@dataclasses.dataclass
class VentureCard:
    id: int = 0
    href: str = ""
    code: str = ""
    name: str = ""
    type_label: str = ""
    section: str = ""
    currency: str = ""
    timezone: str = ""
    active: bool = True
    office_count: int = 0
    offices_text: str = ""
    offices: list[OfficeRow] = dataclasses.field(default_factory=list)
    links: list[VentureLinkRow] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class FireRow:
    """A CRITICAL briefing item on the My Day firefront."""

    id: int = 0
    title: str = ""
    detail: str = ""
    venture_code: str = ""
    day: str = ""
    link: str = ""


@dataclasses.dataclass
class MemberRow:
    id: int = 0
    name: str = ""
    email: str = ""
    role_label: str = ""
    role_color: str = "gray"


def office_row(o: OfficeView) -> OfficeRow:
    place = ", ".join(p for p in (o.city, o.country) if p)
    return OfficeRow(
        id=o.id,
        name=o.name,
        city=o.city,
        country=o.country,
        place=place or "—",
        timezone=o.timezone,
        active=o.is_active,
    )


def venture_card(
    v: VentureView, offices: list[OfficeView], links: list[VentureLinkRow] | None = None
) -> VentureCard:
    n = len(offices)
    return VentureCard(
        id=v.id,
        href=f"/ventures/{v.id}",
        code=v.code,
        name=v.name,
        type_label=venture_type_label(v.type),
        section=v.section,
        currency=v.currency,
        timezone=v.timezone,
        active=v.is_active,
        office_count=n,
        offices_text=f"{n} office{'s' if n != 1 else ''}" if n else "No offices in your scope",
        offices=[office_row(o) for o in offices],
        links=links or [],
    )


def _cards(
    actor: Actor, *, only: int | None = None, section: str | None = None, links: bool = False
) -> list[VentureCard]:
    with read_only() as uow:
        ventures = list_ventures(uow, actor)
        offices = list_offices(uow, actor)
        groups = visible_quick_links(uow, actor) if links else []
    by_venture: dict[int, list[OfficeView]] = defaultdict(list)
    for o in offices:
        if actor.scope.all_offices or actor.is_leadership or o.id in actor.scope.office_ids:
            by_venture[o.venture_id].append(o)
    venture_links: dict[int, list[VentureLinkRow]] = defaultdict(list)
    for g in groups:
        if g.kind == "venture" and g.venture_id is not None:
            venture_links[g.venture_id] = [
                VentureLinkRow(q.label, q.url, q.icon or "link") for q in g.links
            ]
    return [
        venture_card(v, by_venture[v.id], venture_links[v.id])
        for v in ventures
        if (only is None or v.id == only) and (section is None or v.section == section)
    ]


def _fires(actor: Actor, only: int | None) -> list[FireRow]:
    """The reader's CRITICAL briefing items of the last days (the domain applies scope), in the
    venture of the header filter when one is chosen."""
    from domain.briefing.queries import firefront
    from rxapp.format import fmt_date

    with read_only() as uow:
        items = firefront(uow, actor)
    return [
        FireRow(
            id=i.id,
            title=i.title,
            detail=i.detail,
            venture_code=i.venture_code,
            day=fmt_date(i.business_date),
            link=i.link or "",
        )
        for i in items
        if only is None or i.venture_id == only
    ]


def _briefing(actor: Actor, only: int | None) -> tuple[str, str]:
    """The summary line of the morning's briefing (yesterday, group timezone) in the reader's
    scope, and its day; the card links to the page."""
    from domain.briefing.queries import briefing_day
    from rxapp.format import fmt_date

    with read_only() as uow:
        day = briefing_day(uow, actor, venture_id=only)
    return day.summary, fmt_date(day.day)


def _waiting(actor: Actor) -> list[WaitingRow]:
    """Payout periods CALCULATED and unapproved that this reader approves (finance's landing)."""
    from domain.incentives.payout_services import awaiting_approval
    from rxapp.views.payouts import waiting_row

    with read_only() as uow:
        return [waiting_row(p) for p in awaiting_approval(uow, actor)]


def _points(actor: Actor, only: int | None) -> list[DayPointsRow]:
    """Points today and rank this week in each venture the reader is a member of (the domain's
    card), in the venture of the header filter when one is chosen."""
    from domain.gamification.queries import my_day_card

    with read_only() as uow:
        cards = my_day_card(uow, actor)
    return [day_points_row(c) for c in cards if only is None or c.venture_id == only]


class MyDayState(SessionState):
    greeting: str = ""
    first_name: str = ""
    today: str = ""
    ventures: list[VentureCard] = []
    fires: list[FireRow] = []
    incentives: list[str] = []  # this month's own incentives, one amount per currency
    payouts_waiting: list[WaitingRow] = []  # periods waiting for the reader's approval
    briefing_summary: str = ""  # "2 fires, 3 storms, 1 win" of the latest briefing day
    briefing_day: str = ""
    points: list[DayPointsRow] = []  # points today and rank this week, per venture of mine

    @rx.event
    async def load(self):
        actor, bounce = self._enter("my_day")
        if actor is None:
            return bounce
        from domain import clock
        from rxapp.format import fmt_date

        self.greeting = greeting()
        self.first_name = (actor.name.split() or [""])[0]
        self.today = fmt_date(clock.today(get_settings().group_timezone))
        only = self._filter_venture_id(actor)
        self.ventures = _cards(actor, only=only)
        self.fires = _fires(actor, only)
        self.briefing_summary, self.briefing_day = _briefing(actor, only)
        from rxapp.state.incentives import this_month_totals

        self.incentives = this_month_totals(actor)
        self.payouts_waiting = _waiting(actor)
        self.points = _points(actor, only)
        from rxapp.state.operations import MyWorkState

        work = await self.get_state(MyWorkState)
        work._refresh(actor, only)
        links = await self.get_state(QuickLinksState)
        links._refresh(actor, "my_day")
        self._ready("my_day")
        return None


class VenturesState(SessionState):
    """/ventures and the section overview pages (/freight, /hospitality, ..., /admin)."""

    ventures: list[VentureCard] = []
    section_title: str = ""

    @rx.var
    def admin_areas(self) -> list[NavPageRow]:
        """The admin pages in the sidebar (from the last page load), minus the overview."""
        for section in self.nav:
            if section.key == "admin":
                return [p for p in section.pages if p.key != "admin_home"]
        return []

    @rx.event
    @guarded(page="ventures")
    def load(self, actor: Actor):
        self.ventures = _cards(actor, only=self._filter_venture_id(actor))
        self._ready("ventures")
        return None

    @rx.event
    def load_section(self, section: str):
        section = str(section)
        if section not in SECTION_PAGES:
            return rx.redirect("/")
        key = f"{section}_home"
        actor, bounce = self._enter(key)
        if actor is None:
            return bounce
        self.section_title = SECTION_PAGES[section]
        if section == "admin":
            self.ventures = []
        elif section == "operations":
            self.ventures = _cards(actor, only=self._filter_venture_id(actor), links=True)
        else:
            self.ventures = _cards(
                actor, only=self._filter_venture_id(actor), section=section, links=True
            )
        self._ready(key)
        return None


class VentureDetailState(SessionState):
    venture: VentureCard = VentureCard()
    members: list[MemberRow] = []
    can_see_members: bool = False
    member_count: int = 0
    role_mix: str = ""

    def _route_venture_id(self) -> int | None:
        parts = [p for p in self._current_path().split("/") if p]
        if len(parts) == 2 and parts[0] == "ventures" and parts[1].isdigit():
            return int(parts[1])
        return None

    @rx.event
    async def load(self):
        actor, bounce = self._enter("venture_detail")
        if actor is None:
            return bounce
        venture_id = self._route_venture_id()
        try:
            if venture_id is None:
                raise NotFound("venture")
            with read_only() as uow:
                detail = get_venture(uow, actor, venture_id)
        except NotFound:
            # Out of scope and nonexistent look the same (no information leak): "no access".
            self.venture, self.members = VentureCard(), []
            self._deny("venture_detail")
            return None
        self.venture = venture_card(detail.venture, detail.offices)
        self.can_see_members = detail.members is not None
        members = detail.members or []
        self.members = [
            MemberRow(m.user_id, m.name, m.email, role_label(m.role), role_color(m.role))
            for m in members
        ]
        self.member_count = len(members)
        counts = Counter(role_label(m.role) for m in members)
        self.role_mix = " · ".join(f"{label} ({n})" for label, n in counts.most_common(4))
        links = await self.get_state(QuickLinksState)
        links._refresh(actor, "venture", venture_id)
        self._ready("venture_detail")
        return None
