"""Organisation reads. Every query takes the Actor and applies scope in SQL."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import col, select

from domain import clock
from domain.access.actor import Actor
from domain.access.roles import Role
from domain.db import UnitOfWork
from domain.errors import Invalid, NotFound
from domain.org.models import (
    SECTION_OF_TYPE,
    Office,
    OfficeUser,
    QuickLink,
    QuickLinkOwner,
    User,
    Venture,
    VentureUser,
)
from domain.org.schemas import (
    MemberView,
    OfficeView,
    QuickLinkGroup,
    QuickLinkView,
    UserView,
    VentureDetail,
    VentureView,
)
from domain.pagination import Page, SortKey, paginate


def venture_view(v: Venture) -> VentureView:
    return VentureView(
        id=v.id,
        code=v.code,
        slug=v.slug,
        name=v.name,
        type=v.type,
        section=SECTION_OF_TYPE[v.type],
        currency=v.currency,
        timezone=v.timezone,
        is_active=v.is_active,
        critical_load_amount=v.critical_load_amount,
    )


def office_view(o: Office) -> OfficeView:
    return OfficeView.model_validate(o)


def _ventures_in_scope(uow: UnitOfWork, actor: Actor, *, active_only: bool) -> list[Venture]:
    stmt = select(Venture).where(actor.scope.venture_clause(Venture.id))
    if active_only:
        stmt = stmt.where(col(Venture.is_active).is_(True))
    return list(uow.session.execute(stmt.order_by(Venture.name)).scalars())


def list_ventures(
    uow: UnitOfWork, actor: Actor, *, include_inactive: bool = False
) -> list[VentureView]:
    actor.require("ventures.read")
    return [
        venture_view(v) for v in _ventures_in_scope(uow, actor, active_only=not include_inactive)
    ]


def load_venture(uow: UnitOfWork, actor: Actor, venture_id: int) -> Venture:
    """The venture row if it exists *and* is in scope; NotFound otherwise (same message)."""
    venture = uow.session.get(Venture, venture_id)
    if venture is None or not actor.scope.allows_venture(venture.id):
        raise NotFound("venture", venture_id)
    return venture


def venture_today(uow: UnitOfWork, actor: Actor, venture_id: int) -> date:
    """Today's business date in the venture's timezone (form defaults, "due today")."""
    return clock.today(load_venture(uow, actor, venture_id).timezone)


def end_of_business_day(uow: UnitOfWork, actor: Actor, venture_id: int, day: date) -> datetime:
    """The last second of business date ``day`` in the venture's timezone, as a UTC instant: a
    quote that "expires on" a date is good through that day where the venture works."""
    tz = load_venture(uow, actor, venture_id).timezone
    return clock.day_bounds_utc(day, tz)[1] - timedelta(seconds=1)


# Venture timezones change rarely (an admin edit); a minute-old answer is fine for display.
_TZ_TTL_SECONDS = 60.0
_timezones: dict[int, tuple[float, str]] = {}


def venture_timezone(venture_id: int) -> str:
    """The venture's timezone (no scope: a timezone is not confidential, and callers hold a view
    of a row they may see), cached for a minute per process."""
    import time

    hit = _timezones.get(venture_id)
    if hit is not None and time.monotonic() - hit[0] < _TZ_TTL_SECONDS:
        return hit[1]
    from domain.db import read_only

    with read_only() as uow:
        venture = uow.session.get(Venture, venture_id)
        if venture is None:
            raise NotFound("venture", venture_id)
        tz = venture.timezone
    _timezones[venture_id] = (time.monotonic(), tz)
    return tz


def forget_venture_timezone(venture_id: int) -> None:
    _timezones.pop(venture_id, None)


def business_date_in(venture_id: int, instant: datetime) -> date:
    """The business date of ``instant`` in the venture's timezone (a load's "created on")."""
    return clock.business_date(instant, venture_timezone(venture_id))


def venture_by_code(uow: UnitOfWork, actor: Actor, code: str) -> Venture:
    venture = uow.session.execute(
        select(Venture).where(Venture.code == code.strip().upper())
    ).scalar_one_or_none()
    if venture is None or not actor.scope.allows_venture(venture.id):
        raise NotFound("venture", code)
    return venture


def get_venture(uow: UnitOfWork, actor: Actor, venture_id: int) -> VentureDetail:
    actor.require("ventures.read")
    venture = load_venture(uow, actor, venture_id)
    offices_stmt = select(Office).where(Office.venture_id == venture.id)
    if not actor.scope.all_offices and not actor.is_leadership:
        offices_stmt = offices_stmt.where(actor.scope.office_clause(Office.id))
    offices = [
        office_view(o) for o in uow.session.execute(offices_stmt.order_by(Office.name)).scalars()
    ]
    members: list[MemberView] | None = None
    if actor.can("ventures.members.read"):
        rows = uow.session.execute(
            select(User)
            .join(VentureUser, col(VentureUser.user_id) == User.id)
            .where(VentureUser.venture_id == venture.id, col(User.is_active).is_(True))
            .order_by(User.name)
        ).scalars()
        members = [MemberView(user_id=u.id, name=u.name, email=u.email, role=u.role) for u in rows]
    links = uow.session.execute(
        select(QuickLink)
        .where(QuickLink.venture_id == venture.id, col(QuickLink.user_id).is_(None))
        .order_by(col(QuickLink.position), col(QuickLink.id))
    ).scalars()
    editable = actor.can("quicklinks.venture.manage", venture.id)
    return VentureDetail(
        venture=venture_view(venture),
        offices=offices,
        members=members,
        links=[link_view(q, editable=editable) for q in links],
    )


def my_offices(
    uow: UnitOfWork,
    actor: Actor,
    venture_ids: Iterable[int] | None = None,
    *,
    active_only: bool = True,
) -> list[OfficeView]:
    """The offices the actor works in (``Scope.allows_office``: inside their ventures, and their
    assigned offices unless their role covers all): what a form offers and a filter lists, the
    same rule the services check when an office is chosen."""
    stmt = select(Office).where(
        actor.scope.venture_clause(Office.venture_id), actor.scope.office_clause(Office.id)
    )
    if venture_ids is not None:
        stmt = stmt.where(col(Office.venture_id).in_(list(venture_ids)))
    if active_only:
        stmt = stmt.where(col(Office.is_active).is_(True))
    return [office_view(o) for o in uow.session.execute(stmt.order_by(Office.name)).scalars()]


def list_offices(uow: UnitOfWork, actor: Actor, venture_id: int | None = None) -> list[OfficeView]:
    stmt = select(Office).where(actor.scope.venture_clause(Office.venture_id))
    if venture_id is not None:
        stmt = stmt.where(Office.venture_id == venture_id)
    return [office_view(o) for o in uow.session.execute(stmt.order_by(Office.name)).scalars()]


# -- quick links ----------------------------------------------------------------------------------


def link_view(q: QuickLink, *, editable: bool = False) -> QuickLinkView:
    return QuickLinkView(
        id=q.id,
        label=q.label,
        url=q.url,
        icon=q.icon,
        position=q.position,
        owner=q.owner,
        venture_id=q.venture_id,
        editable=editable,
    )


def visible_quick_links(uow: UnitOfWork, actor: Actor) -> list[QuickLinkGroup]:
    """Global first, then each venture in scope by name, then the actor's personal links.

    Venture links are filtered by scope in SQL: a link of an out-of-scope venture is never read.
    """
    rows = uow.session.execute(
        select(QuickLink, Venture)
        .outerjoin(Venture, col(Venture.id) == QuickLink.venture_id)
        .where(
            (col(QuickLink.user_id) == actor.user_id)
            | (col(QuickLink.user_id).is_(None) & col(QuickLink.venture_id).is_(None))
            | (
                col(QuickLink.venture_id).is_not(None)
                & actor.scope.venture_clause(QuickLink.venture_id)
                & col(Venture.is_active).is_(True)
            )
        )
        .order_by(col(QuickLink.position), col(QuickLink.id))
    ).all()
    global_links: list[QuickLinkView] = []
    personal: list[QuickLinkView] = []
    by_venture: dict[int, list[QuickLinkView]] = defaultdict(list)
    ventures: dict[int, Venture] = {}
    can_global = actor.can("admin.quicklinks.manage")
    for link, venture in rows:
        if link.owner is QuickLinkOwner.PERSONAL:
            personal.append(link_view(link, editable=True))
        elif link.owner is QuickLinkOwner.GLOBAL:
            global_links.append(link_view(link, editable=can_global))
        else:
            ventures[venture.id] = venture
            editable = actor.can("quicklinks.venture.manage", venture.id)
            by_venture[venture.id].append(link_view(link, editable=editable))
    groups: list[QuickLinkGroup] = []
    if global_links:
        groups.append(QuickLinkGroup(kind="global", title="Everyone", links=global_links))
    for vid in sorted(by_venture, key=lambda i: ventures[i].name.lower()):
        v = ventures[vid]
        groups.append(
            QuickLinkGroup(
                kind="venture",
                title=v.name,
                venture_id=v.id,
                venture_code=v.code,
                links=by_venture[vid],
            )
        )
    groups.append(QuickLinkGroup(kind="personal", title="My links", links=personal))
    return groups


# -- users ----------------------------------------------------------------------------------------


def may_manage_user(actor: Actor, target_role: Role) -> bool:
    """The user-administration rule: the manage permission, and only a CEO changes a CEO."""
    return actor.can("admin.users.manage") and (
        target_role is not Role.CEO or actor.role is Role.CEO
    )


def user_views(uow: UnitOfWork, users: list[User], actor: Actor | None = None) -> list[UserView]:
    """Views of ``users``; with ``actor``, what that actor may do to each (``can_manage``: edit
    in the admin page, never a service account there; ``can_act_as``: the impersonation rule)."""
    from domain.access.auth import act_as_refusal

    ids = [u.id for u in users]
    ventures: dict[int, list[tuple[int, str]]] = defaultdict(list)
    offices: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if ids:
        for uid, vid, code in uow.session.execute(
            select(VentureUser.user_id, Venture.id, Venture.code)
            .join(Venture, col(Venture.id) == VentureUser.venture_id)
            .where(col(VentureUser.user_id).in_(ids))
            .order_by(Venture.code)
        ):
            ventures[uid].append((vid, code))
        for uid, oid, name in uow.session.execute(
            select(OfficeUser.user_id, Office.id, Office.name)
            .join(Office, col(Office.id) == OfficeUser.office_id)
            .where(col(OfficeUser.user_id).in_(ids))
            .order_by(Office.name)
        ):
            offices[uid].append((oid, name))
    return [
        UserView(
            id=u.id,
            email=u.email,
            name=u.name,
            role=u.role,
            is_active=u.is_active,
            is_service_account=u.is_service_account,
            venture_ids=[v for v, _ in ventures[u.id]],
            venture_codes=[c for _, c in ventures[u.id]],
            office_ids=[o for o, _ in offices[u.id]],
            office_names=[n for _, n in offices[u.id]],
            locked_until=u.locked_until,
            last_login_at=u.last_login_at,
            created_at=u.created_at,
            can_manage=actor is not None
            and not u.is_service_account
            and may_manage_user(actor, u.role),
            can_act_as=actor is not None
            and act_as_refusal(
                actor,
                target_id=u.id,
                target_role=u.role,
                target_active=u.is_active,
                target_is_service_account=u.is_service_account,
            )
            is None,
        )
        for u in users
        if u.id is not None
    ]


def list_users(
    uow: UnitOfWork,
    actor: Actor,
    *,
    search: str | None = None,
    role: Role | None = None,
    venture_id: int | None = None,
    include_inactive: bool = True,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[UserView]:
    """Users for the admin pages, ordered by name (keyset cursor)."""
    actor.require("admin.users.read")
    stmt = select(User)
    if search:
        term = f"%{search.strip().lower()}%"
        stmt = stmt.where(col(User.email).like(term) | func.lower(col(User.name)).like(term))
    if role is not None:
        stmt = stmt.where(User.role == role)
    if venture_id is not None:
        load_venture(uow, actor, venture_id)
        stmt = stmt.where(
            col(User.id).in_(
                select(VentureUser.user_id).where(VentureUser.venture_id == venture_id)
            )
        )
    if not include_inactive:
        stmt = stmt.where(col(User.is_active).is_(True))
    keys = [SortKey(User.name, descending=False), SortKey(User.id, descending=False)]
    page = paginate(
        uow.session,
        stmt,
        keys,
        lambda u: (u.name, u.id),
        cursor=cursor,
        limit=limit,
        with_total=True,  # staff, not rows of work: the count is cheap
    )
    views = user_views(uow, page.items, actor)
    return Page(views, page.next_cursor, page.has_more, page.total)


def get_user(uow: UnitOfWork, actor: Actor, user_id: int) -> UserView:
    actor.require("admin.users.read")
    user = uow.session.get(User, user_id)
    if user is None:
        raise NotFound("user", user_id)
    return user_views(uow, [user], actor)[0]


# -- look-ups by natural key (the command line names ventures, offices and users) -----------------


def venture_ids_by_code(uow: UnitOfWork, actor: Actor, codes: Iterable[str]) -> list[int]:
    """The ids of the ventures ``codes`` name, in that order; an unknown or out-of-scope code is
    an error naming the ``venture`` field."""
    wanted = [c.strip().upper() for c in codes]
    found: dict[str, int] = {
        str(code): int(vid)
        for code, vid in uow.session.execute(
            select(Venture.code, Venture.id).where(
                col(Venture.code).in_(wanted), actor.scope.venture_clause(Venture.id)
            )
        ).all()
    }
    missing = [c for c in wanted if c not in found]
    if missing:
        raise Invalid.field("venture", f"unknown venture code(s): {', '.join(missing)}")
    return [found[c] for c in wanted]


def office_ids_by_ref(
    uow: UnitOfWork, actor: Actor, venture_ids: list[int], refs: Iterable[str]
) -> list[int]:
    """Offices named ``NAME`` (looked up in ``venture_ids``) or ``CODE/NAME``; an unknown or
    ambiguous name is an error naming the ``office`` field."""
    ids: list[int] = []
    for ref in refs:
        code, _, name = ref.rpartition("/")
        stmt = (
            select(Office.id, Venture.code)
            .join(Venture, col(Venture.id) == Office.venture_id)
            .where(Office.name == name.strip(), actor.scope.venture_clause(Venture.id))
        )
        if code:
            stmt = stmt.where(Venture.code == code.strip().upper())
        elif venture_ids:
            stmt = stmt.where(col(Office.venture_id).in_(venture_ids))
        found = uow.session.execute(stmt).all()
        if not found:
            raise Invalid.field("office", f"no office named {ref!r} in the user's ventures")
        if len(found) > 1:
            raise Invalid.field(
                "office",
                f"{ref!r} matches offices of {', '.join(c for _, c in found)}; write CODE/NAME",
            )
        ids.append(int(found[0][0]))
    return ids


def user_id_by_email(uow: UnitOfWork, actor: Actor, email: str) -> int:
    """The id of the person or service account with this email (never the system account)."""
    from domain.access.auth import normalise_email
    from domain.access.scope import SYSTEM_EMAIL

    actor.require("admin.users.read")
    user = uow.session.execute(
        select(User.id, User.email).where(User.email == normalise_email(email))
    ).first()
    if user is None or user.email == SYSTEM_EMAIL:
        raise NotFound("user", email)
    return int(user.id)
