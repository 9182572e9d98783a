"""Organisation use cases. Each: validate -> authorize (scope) -> change -> audit; one transaction
(the caller's unit of work)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, func, update
from sqlmodel import col, select

from domain import clock
from domain.access.actor import Actor
from domain.access.audit import audit
from domain.access.auth import revoke_all_sessions
from domain.access.models import ApiToken, AuthSession
from domain.access.passwords import hash_password, password_problem
from domain.access.permissions import GRANTABLE_BY
from domain.access.roles import ASSIGNED, ROLE_SCOPES, Role
from domain.db import UnitOfWork, pk
from domain.errors import Conflict, Forbidden, Invalid, NotFound, Unique, duplicates_as_conflict
from domain.org.models import (
    MembershipPeriod,
    Office,
    OfficeUser,
    QuickLink,
    QuickLinkOwner,
    User,
    Venture,
    VentureUser,
)
from domain.org.queries import (
    forget_venture_timezone,
    link_view,
    load_venture,
    may_manage_user,
    office_view,
    user_views,
    venture_view,
)
from domain.org.schemas import (
    OfficeInput,
    OfficePatch,
    OfficeView,
    QuickLinkInput,
    QuickLinkPatch,
    QuickLinkView,
    UserInput,
    UserPatch,
    UserView,
    VentureInput,
    VenturePatch,
    VentureView,
)
from domain.schemas import apply_patch, parse, patch_values

MAX_PERSONAL_LINKS = 50

# The unique keys a user can hit: the database decides, a duplicate is a Conflict naming the field.
_VENTURE_KEYS = (
    Unique("venture", ("code",), "code", "is already used by another venture"),
    Unique("venture", ("slug",), "slug", "is already used by another venture"),
)
_OFFICE_NAME = Unique(
    "office", ("venture_id", "name"), "name", "is already used by another office of this venture"
)
_USER_EMAIL = Unique("user_account", ("email",), "email", "is already used by another user")
_MEMBERSHIPS = (
    Unique(
        "venture_user",
        ("user_id", "venture_id"),
        "venture_ids",
        "were changed by someone else at the same moment; reload and try again",
    ),
    Unique(
        "office_user",
        ("user_id", "office_id"),
        "office_ids",
        "were changed by someone else at the same moment; reload and try again",
    ),
    Unique(
        "membership_period",
        ("user_id", "venture_id"),
        "venture_ids",
        "were changed by someone else at the same moment; reload and try again",
    ),
)


# -- ventures and offices -------------------------------------------------------------------------


def create_venture(
    uow: UnitOfWork, actor: Actor, data: Mapping[str, Any] | VentureInput
) -> VentureView:
    actor.require("admin.ventures.manage")
    inp = parse(VentureInput, data)
    venture = Venture(**inp.model_dump())
    with duplicates_as_conflict(uow.session, *_VENTURE_KEYS):
        uow.session.add(venture)
    audit(
        uow,
        actor,
        "venture.created",
        entity_type="venture",
        entity_id=venture.id,
        venture_id=venture.id,
        detail={"code": venture.code, "type": venture.type.value},
    )
    return venture_view(venture)


def update_venture(
    uow: UnitOfWork, actor: Actor, venture_id: int, data: Mapping[str, Any] | VenturePatch
) -> VentureView:
    venture = load_venture(uow, actor, venture_id)
    actor.require("admin.ventures.manage", venture.id)
    changes = patch_values(parse(VenturePatch, data))
    before = apply_patch(venture, changes)
    audit(
        uow,
        actor,
        "venture.updated",
        entity_type="venture",
        entity_id=venture.id,
        venture_id=venture.id,
        detail={"before": before, "after": changes},
    )
    if "timezone" in changes:  # this process reads the new zone at once, others within a minute
        uow.after_commit(lambda: forget_venture_timezone(venture_id))
    return venture_view(venture)


def create_office(
    uow: UnitOfWork, actor: Actor, venture_id: int, data: Mapping[str, Any] | OfficeInput
) -> OfficeView:
    venture = load_venture(uow, actor, venture_id)
    actor.require("admin.ventures.manage", venture.id)
    inp = parse(OfficeInput, data)
    office = Office(
        venture_id=pk(venture),
        name=inp.name,
        city=inp.city,
        country=inp.country,
        timezone=inp.timezone or venture.timezone,
    )
    with duplicates_as_conflict(uow.session, _OFFICE_NAME):
        uow.session.add(office)
    audit(
        uow,
        actor,
        "office.created",
        entity_type="office",
        entity_id=office.id,
        venture_id=venture.id,
        detail={"name": office.name},
    )
    return office_view(office)


def update_office(
    uow: UnitOfWork, actor: Actor, office_id: int, data: Mapping[str, Any] | OfficePatch
) -> OfficeView:
    office = uow.session.get(Office, office_id)
    if office is None or not actor.scope.allows_venture(office.venture_id):
        raise NotFound("office", office_id)
    actor.require("admin.ventures.manage", office.venture_id)
    changes = patch_values(parse(OfficePatch, data))
    with duplicates_as_conflict(uow.session, _OFFICE_NAME):
        before = apply_patch(office, changes)
    audit(
        uow,
        actor,
        "office.updated",
        entity_type="office",
        entity_id=office.id,
        venture_id=office.venture_id,
        detail={"before": before, "after": changes},
    )
    return office_view(office)


# -- users ----------------------------------------------------------------------------------------


def _check_grant(actor: Actor, role: Role, field: str = "role") -> None:
    if actor.role not in GRANTABLE_BY[role]:
        raise Invalid.field(field, f"you cannot grant the {role.value} role")


def _validate_memberships(
    uow: UnitOfWork, actor: Actor, role: Role, venture_ids: Sequence[int], office_ids: Sequence[int]
) -> tuple[list[int], list[int]]:
    venture_ids, office_ids = sorted(set(venture_ids)), sorted(set(office_ids))
    errors: dict[str, str] = {}
    found = set(
        uow.session.execute(select(Venture.id).where(col(Venture.id).in_(venture_ids))).scalars()
    )
    missing = [v for v in venture_ids if v not in found or not actor.scope.allows_venture(v)]
    if missing:
        errors["venture_ids"] = f"unknown venture id(s): {', '.join(map(str, missing))}"
    offices = {
        o.id: o
        for o in uow.session.execute(select(Office).where(col(Office.id).in_(office_ids))).scalars()
    }
    bad = [
        o
        for o in office_ids
        if o not in offices or not actor.scope.allows_venture(offices[o].venture_id)
    ]
    if bad:
        errors["office_ids"] = f"unknown office id(s): {', '.join(map(str, bad))}"
    elif ROLE_SCOPES[role][0] == ASSIGNED:
        outside = [o for o in office_ids if offices[o].venture_id not in set(venture_ids)]
        if outside:
            errors["office_ids"] = "every office must belong to one of the user's ventures"
    if errors:
        raise Invalid(errors)
    return venture_ids, office_ids


def _set_memberships(
    uow: UnitOfWork, user_id: int, venture_ids: list[int], office_ids: list[int]
) -> None:
    uow.session.execute(delete(VentureUser).where(col(VentureUser.user_id) == user_id))
    uow.session.execute(delete(OfficeUser).where(col(OfficeUser.user_id) == user_id))
    uow.session.add_all([VentureUser(user_id=user_id, venture_id=v) for v in venture_ids])
    uow.session.add_all([OfficeUser(user_id=user_id, office_id=o) for o in office_ids])


def _venture_today(uow: UnitOfWork, venture_id: int) -> date:
    venture = uow.session.get(Venture, venture_id)
    assert venture is not None
    return clock.today(venture.timezone)


def _sync_periods(uow: UnitOfWork, user_id: int, role: Role, venture_ids: Sequence[int]) -> None:
    """Bring the membership history in line with the user's ventures and role now.

    A change takes effect on the business date it is made, in each venture's timezone: a period
    that changes ends the day before (or disappears when it began today), the new one starts
    today. The user's row is locked first, so two admins editing one user queue up; the partial
    unique index (one open period per user and venture) is the backstop.
    """
    uow.session.execute(select(User.id).where(User.id == user_id).with_for_update())
    wanted = set(venture_ids)
    open_periods = uow.session.execute(
        select(MembershipPeriod)
        .where(MembershipPeriod.user_id == user_id, col(MembershipPeriod.valid_to).is_(None))
        .with_for_update()
    ).scalars()
    kept: set[int] = set()
    for period in open_periods:
        if period.venture_id in wanted and period.role is role:
            kept.add(period.venture_id)
            continue
        today = _venture_today(uow, period.venture_id)
        if period.valid_from >= today:
            uow.session.delete(period)
        else:
            period.valid_to = today - timedelta(days=1)
    uow.session.flush()
    for venture_id in sorted(wanted - kept):
        today = _venture_today(uow, venture_id)
        uow.session.add(
            MembershipPeriod(user_id=user_id, venture_id=venture_id, role=role, valid_from=today)
        )


def _memberships(uow: UnitOfWork, user_id: int) -> tuple[list[int], list[int]]:
    v = sorted(
        uow.session.execute(
            select(VentureUser.venture_id).where(VentureUser.user_id == user_id)
        ).scalars()
    )
    o = sorted(
        uow.session.execute(
            select(OfficeUser.office_id).where(OfficeUser.user_id == user_id)
        ).scalars()
    )
    return v, o


def create_user(uow: UnitOfWork, actor: Actor, data: Mapping[str, Any] | UserInput) -> UserView:
    actor.require("admin.users.manage")
    inp = parse(UserInput, data)
    _check_grant(actor, inp.role)
    if uow.session.execute(select(User.id).where(User.email == inp.email)).first():
        raise Conflict(fields={_USER_EMAIL.field: _USER_EMAIL.reason})  # before hashing
    password_hash = None
    if inp.password:
        problem = password_problem(inp.password, email=inp.email)
        if problem:
            raise Invalid.field("password", problem)
        password_hash = hash_password(inp.password)
    venture_ids, office_ids = _validate_memberships(
        uow, actor, inp.role, inp.venture_ids, inp.office_ids
    )
    user = User(
        email=inp.email,
        name=inp.name,
        role=inp.role,
        password_hash=password_hash,
        is_service_account=inp.is_service_account,
        password_changed_at=clock.now() if password_hash else None,
    )
    with duplicates_as_conflict(uow.session, _USER_EMAIL):
        uow.session.add(user)
    assert user.id is not None
    _set_memberships(uow, user.id, venture_ids, office_ids)
    _sync_periods(uow, user.id, user.role, venture_ids)
    audit(
        uow,
        actor,
        "user.created",
        entity_type="user",
        entity_id=user.id,
        detail={
            "email": user.email,
            "role": user.role.value,
            "venture_ids": venture_ids,
            "office_ids": office_ids,
        },
    )
    uow.flush()
    return user_views(uow, [user], actor)[0]


def get_manageable_user(uow: UnitOfWork, actor: Actor, user_id: int) -> User:
    """A user the actor may administer (read permission decides visibility, manage the change)."""
    if not actor.can("admin.users.read"):
        raise NotFound("user", user_id)
    user = uow.session.get(User, user_id)
    if user is None:
        raise NotFound("user", user_id)
    actor.require("admin.users.manage")
    if not may_manage_user(actor, user.role):
        raise Forbidden("Only the CEO can change the CEO's account.")
    return user


def update_user(
    uow: UnitOfWork, actor: Actor, user_id: int, data: Mapping[str, Any] | UserPatch
) -> UserView:
    user = get_manageable_user(uow, actor, user_id)
    changes = patch_values(parse(UserPatch, data))
    before = apply_patch(user, changes)
    audit(
        uow,
        actor,
        "user.updated",
        entity_type="user",
        entity_id=user.id,
        detail={"before": before, "after": changes},
    )
    return user_views(uow, [user], actor)[0]


def assign_role(uow: UnitOfWork, actor: Actor, user_id: int, role: Role | str) -> UserView:
    actor.require("admin.roles.assign")
    user = get_manageable_user(uow, actor, user_id)
    try:
        new_role = Role(role.upper()) if isinstance(role, str) else role
    except ValueError:
        raise Invalid.field("role", f"unknown role {role!r}") from None
    if user.id == actor.real_user_id:
        raise Invalid.field("role", "you cannot change your own role")
    _check_grant(actor, new_role)
    old = user.role
    if old is new_role:
        return user_views(uow, [user], actor)[0]
    user.role = new_role
    assert user.id is not None
    if user.is_active:
        _sync_periods(uow, user.id, new_role, _memberships(uow, user.id)[0])
    audit(
        uow,
        actor,
        "user.role_changed",
        entity_type="user",
        entity_id=user.id,
        detail={"from": old.value, "to": new_role.value},
    )
    return user_views(uow, [user], actor)[0]


def set_user_ventures(
    uow: UnitOfWork,
    actor: Actor,
    user_id: int,
    venture_ids: Sequence[int],
    office_ids: Sequence[int] | None = None,
) -> UserView:
    """Replace the user's venture (and optionally office) assignments."""
    actor.require("admin.roles.assign")
    user = get_manageable_user(uow, actor, user_id)
    assert user.id is not None
    # Lock the user's row before reading the memberships: two admins editing one user queue up
    # here instead of both inserting the same VentureUser rows (and one failing with a conflict).
    uow.session.execute(select(User.id).where(User.id == user.id).with_for_update())
    old_v, old_o = _memberships(uow, user.id)
    offices = old_o if office_ids is None else office_ids
    # Offices of ventures the user leaves are dropped with them.
    if office_ids is None:
        keep = set(
            uow.session.execute(
                select(Office.id).where(col(Office.venture_id).in_(list(venture_ids)))
            ).scalars()
        )
        offices = [o for o in old_o if o in keep]
    new_v, new_o = _validate_memberships(uow, actor, user.role, venture_ids, offices)
    with duplicates_as_conflict(uow.session, *_MEMBERSHIPS):
        _set_memberships(uow, user.id, new_v, new_o)
        _sync_periods(uow, user.id, user.role, new_v if user.is_active else [])
    if new_v != old_v:
        audit(
            uow,
            actor,
            "user.ventures_changed",
            entity_type="user",
            entity_id=user.id,
            detail={"from": old_v, "to": new_v},
        )
    if new_o != old_o:
        audit(
            uow,
            actor,
            "user.offices_changed",
            entity_type="user",
            entity_id=user.id,
            detail={"from": old_o, "to": new_o},
        )
    uow.flush()
    return user_views(uow, [user], actor)[0]


def set_user_offices(
    uow: UnitOfWork, actor: Actor, user_id: int, office_ids: Sequence[int]
) -> UserView:
    user = get_manageable_user(uow, actor, user_id)
    assert user.id is not None
    ventures, _ = _memberships(uow, user.id)
    return set_user_ventures(uow, actor, user_id, ventures, office_ids)


def deactivate_user(uow: UnitOfWork, actor: Actor, user_id: int) -> UserView:
    """Deactivate: the user can no longer log in; sessions and API tokens end at once."""
    user = get_manageable_user(uow, actor, user_id)
    if user.id == actor.real_user_id:
        raise Invalid.field("user_id", "you cannot deactivate yourself")
    if user.is_active:
        now = clock.now()
        user.is_active, user.deactivated_at = False, now
        assert user.id is not None
        _sync_periods(uow, user.id, user.role, [])
        uow.session.execute(
            update(AuthSession)
            .where(col(AuthSession.user_id) == user.id, col(AuthSession.revoked_at).is_(None))
            .values(revoked_at=now, revoked_reason="deactivated")
        )
        uow.session.execute(
            update(ApiToken)
            .where(col(ApiToken.user_id) == user.id, col(ApiToken.revoked_at).is_(None))
            .values(revoked_at=now)
        )
        audit(
            uow,
            actor,
            "user.deactivated",
            entity_type="user",
            entity_id=user.id,
            detail={"email": user.email},
        )
    return user_views(uow, [user], actor)[0]


def reactivate_user(uow: UnitOfWork, actor: Actor, user_id: int) -> UserView:
    user = get_manageable_user(uow, actor, user_id)
    if not user.is_active:
        user.is_active, user.deactivated_at = True, None
        assert user.id is not None
        _sync_periods(uow, user.id, user.role, _memberships(uow, user.id)[0])
        user.failed_attempts, user.locked_until = 0, None
        audit(uow, actor, "user.reactivated", entity_type="user", entity_id=user.id)
    return user_views(uow, [user], actor)[0]


# -- quick links ----------------------------------------------------------------------------------


def _require_link_owner(actor: Actor, owner: QuickLinkOwner, venture_id: int | None) -> None:
    if owner is QuickLinkOwner.GLOBAL:
        actor.require("admin.quicklinks.manage")
    elif owner is QuickLinkOwner.VENTURE:
        actor.require("quicklinks.venture.manage", venture_id)
    else:
        actor.require("quicklinks.personal.manage")


def _load_link(uow: UnitOfWork, actor: Actor, link_id: int) -> QuickLink:
    """A link the actor can see (else NotFound) and may change (else Forbidden)."""
    link = uow.session.get(QuickLink, link_id)
    visible = link is not None and (
        link.owner is QuickLinkOwner.GLOBAL
        or (link.owner is QuickLinkOwner.VENTURE and actor.scope.allows_venture(link.venture_id))
        or (link.owner is QuickLinkOwner.PERSONAL and link.user_id == actor.user_id)
    )
    if link is None or not visible:
        raise NotFound("quick link", link_id)
    _require_link_owner(actor, link.owner, link.venture_id)
    return link


def _owner_filter(owner: QuickLinkOwner, venture_id: int | None, user_id: int) -> Any:
    if owner is QuickLinkOwner.PERSONAL:
        return QuickLink.user_id == user_id
    if owner is QuickLinkOwner.VENTURE:
        return (col(QuickLink.venture_id) == venture_id) & col(QuickLink.user_id).is_(None)
    return col(QuickLink.venture_id).is_(None) & col(QuickLink.user_id).is_(None)


def add_quick_link(
    uow: UnitOfWork, actor: Actor, data: Mapping[str, Any] | QuickLinkInput
) -> QuickLinkView:
    inp = parse(QuickLinkInput, data)
    if inp.owner is QuickLinkOwner.VENTURE:
        if inp.venture_id is None:
            raise Invalid.field("venture_id", "is required for a venture link")
        load_venture(uow, actor, inp.venture_id)
    elif inp.venture_id is not None:
        raise Invalid.field("venture_id", "is only for venture links")
    _require_link_owner(actor, inp.owner, inp.venture_id)
    if inp.owner is QuickLinkOwner.PERSONAL:
        # The cap is count-then-insert: lock the owner's row first, so parallel adds of one user
        # count one after the other (PostgreSQL; SQLite's write lock already serialises them).
        # NO KEY UPDATE: rows that merely reference the user (sessions, audit) are not blocked.
        uow.session.execute(
            select(User.id).where(col(User.id) == actor.user_id).with_for_update(key_share=True)
        ).scalar_one()
    where = _owner_filter(inp.owner, inp.venture_id, actor.user_id)
    count, last = uow.session.execute(
        select(func.count(), func.max(QuickLink.position)).where(where)
    ).one()
    if inp.owner is QuickLinkOwner.PERSONAL and count >= MAX_PERSONAL_LINKS:
        raise Invalid.field("url", f"you already have {MAX_PERSONAL_LINKS} personal links")
    link = QuickLink(
        label=inp.label,
        url=inp.url,
        icon=inp.icon or None,
        position=(last if last is not None else -1) + 1,
        venture_id=inp.venture_id if inp.owner is QuickLinkOwner.VENTURE else None,
        user_id=actor.user_id if inp.owner is QuickLinkOwner.PERSONAL else None,
        created_by_id=actor.real_user_id,
    )
    uow.session.add(link)
    uow.flush()
    audit(
        uow,
        actor,
        "quicklink.created",
        entity_type="quick_link",
        entity_id=link.id,
        venture_id=link.venture_id,
        detail={"owner": inp.owner.value, "label": link.label},
    )
    return link_view(link, editable=True)


def update_quick_link(
    uow: UnitOfWork, actor: Actor, link_id: int, data: Mapping[str, Any] | QuickLinkPatch
) -> QuickLinkView:
    link = _load_link(uow, actor, link_id)
    changes = patch_values(parse(QuickLinkPatch, data))
    if "icon" in changes:
        changes["icon"] = changes["icon"] or None  # an empty icon clears it too
    apply_patch(link, changes)
    audit(
        uow,
        actor,
        "quicklink.updated",
        entity_type="quick_link",
        entity_id=link.id,
        venture_id=link.venture_id,
        detail={"changes": changes},
    )
    return link_view(link, editable=True)


def remove_quick_link(uow: UnitOfWork, actor: Actor, link_id: int) -> None:
    link = _load_link(uow, actor, link_id)
    audit(
        uow,
        actor,
        "quicklink.deleted",
        entity_type="quick_link",
        entity_id=link.id,
        venture_id=link.venture_id,
        detail={"label": link.label, "url": link.url},
    )
    uow.session.delete(link)


def reorder_quick_links(
    uow: UnitOfWork,
    actor: Actor,
    ordered_ids: Sequence[int],
    *,
    owner: QuickLinkOwner | str = QuickLinkOwner.PERSONAL,
    venture_id: int | None = None,
) -> list[QuickLinkView]:
    """Set the order of one owner's links: ``ordered_ids`` must list exactly those links."""
    owner = QuickLinkOwner(owner)
    if owner is QuickLinkOwner.VENTURE:
        if venture_id is None:
            raise Invalid.field("venture_id", "is required for venture links")
        load_venture(uow, actor, venture_id)
    _require_link_owner(actor, owner, venture_id)
    links = {
        q.id: q
        for q in uow.session.execute(
            select(QuickLink).where(_owner_filter(owner, venture_id, actor.user_id))
        ).scalars()
    }
    if sorted(ordered_ids) != sorted(links) or len(set(ordered_ids)) != len(ordered_ids):
        raise Invalid.field("ids", "must list each of these links exactly once")
    for position, link_id in enumerate(ordered_ids):
        links[link_id].position = position
    audit(
        uow,
        actor,
        "quicklink.reordered",
        entity_type="quick_link",
        venture_id=venture_id,
        detail={"owner": owner.value, "order": list(ordered_ids)},
    )
    return [link_view(links[i], editable=True) for i in ordered_ids]


def set_password(uow: UnitOfWork, actor: Actor, user_id: int, new: str) -> None:
    """An administrator sets someone's password (reset); their sessions end."""
    user = get_manageable_user(uow, actor, user_id)
    if user.is_service_account:
        raise Invalid.field("password", "a service account has none: it uses API tokens only")
    problem = password_problem(new or "", email=user.email)
    if problem:
        raise Invalid.field("password", problem)
    user.password_hash = hash_password(new)
    user.password_changed_at = clock.now()
    user.failed_attempts, user.locked_until = 0, None
    assert user.id is not None
    revoked = revoke_all_sessions(uow, user.id, "password_reset")
    audit(
        uow,
        actor,
        "auth.password_reset",
        entity_type="user",
        entity_id=user.id,
        detail={"sessions_revoked": revoked},
    )
