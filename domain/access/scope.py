"""``scope(actor)``: computing a user's venture and office scope from the database."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from domain.access.actor import NO_SCOPE, Actor, Scope
from domain.access.roles import ALL, ROLE_SCOPES, Role
from domain.org.models import Office, OfficeUser, User, VentureUser

if TYPE_CHECKING:
    from domain.db import UnitOfWork


def scope_of_user(session: Session, user: User) -> Scope:
    if not user.is_active or user.id is None:
        return NO_SCOPE
    venture_kind, office_kind = ROLE_SCOPES[user.role]
    assigned_ventures = frozenset(
        session.execute(select(VentureUser.venture_id).where(VentureUser.user_id == user.id))
        .scalars()
        .all()
    )
    all_ventures = venture_kind == ALL
    if office_kind == ALL:
        return Scope(all_ventures, assigned_ventures, True, frozenset())
    # Assigned offices count only inside ventures the user may see.
    rows = session.execute(
        select(Office.id, Office.venture_id)
        .join(OfficeUser, col(OfficeUser.office_id) == Office.id)
        .where(OfficeUser.user_id == user.id)
    ).all()
    offices = frozenset(oid for oid, vid in rows if all_ventures or vid in assigned_ventures)
    return Scope(all_ventures, assigned_ventures, False, offices)


def actor_for(
    session: Session,
    user: User,
    *,
    real_user: User | None = None,
    session_id: int | None = None,
    token_id: int | None = None,
) -> Actor:
    """Build the Actor for ``user`` (the effective user); ``real_user`` when impersonating."""
    real = real_user or user
    assert user.id is not None and real.id is not None
    return Actor(
        user_id=user.id,
        role=user.role,
        scope=scope_of_user(session, user),
        real_user_id=real.id,
        real_role=real.role,
        email=user.email,
        name=user.name,
        real_email=real.email,
        real_name=real.name,
        session_id=session_id,
        token_id=token_id,
    )


def scope(actor: Actor) -> Scope:
    """The spec's ``scope(actor)``: the actor carries the scope resolved at authentication."""
    return actor.scope


SYSTEM_EMAIL = "system@vcc.local"


def system_actor_in(uow: UnitOfWork) -> Actor:
    """The system Actor inside a unit of work (the CLI and jobs never reach for the session)."""
    return system_actor(uow.session)


def system_actor(session: Session) -> Actor:
    """The Actor of the CLI and the scheduler: a service account that cannot log in.

    It exists as a real user row so the audit log can name it; it is created on first use.
    """
    user = session.execute(select(User).where(User.email == SYSTEM_EMAIL)).scalar_one_or_none()
    if user is None:
        user = User(
            email=SYSTEM_EMAIL,
            name="System (CLI and scheduler)",
            role=Role.CEO,
            is_service_account=True,
        )
        session.add(user)
        session.flush()
    return actor_for(session, user)
