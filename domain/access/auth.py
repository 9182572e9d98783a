"""Authentication: passwords, email codes, lockout, sessions, API tokens, impersonation.

Every function here is a use case taking the unit of work; each writes its audit rows itself.
Failures that must be remembered (failed attempts, locks) are committed before the error is
raised, so a rollback of the caller never erases a failed login.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import col, select

from domain import clock
from domain.access.actor import Actor
from domain.access.audit import audit
from domain.access.models import ApiToken, AuditLog, AuthSession, LoginCode
from domain.access.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from domain.access.roles import Role
from domain.access.scope import actor_for
from domain.db import UnitOfWork, pk, read_only, unit_of_work
from domain.errors import Forbidden, Invalid, NotFound, RateLimited, Unauthenticated
from domain.integrations.email import EmailSender, get_email_sender
from domain.org.models import User
from domain.schemas import View
from domain.settings import get_settings

MAX_FAILED_ATTEMPTS = 5
# Rate limits, counted from the audit log so they hold across workers and processes.
RATE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_IP = 30
MAX_CODES_PER_ACCOUNT = 5
MAX_CODES_PER_IP = 20
LOCK_DURATION = timedelta(minutes=15)
CODE_VALIDITY = timedelta(minutes=10)
SESSION_TOUCH_EVERY = timedelta(seconds=60)
TOKEN_PREFIX = "vcc_"
BAD_CREDENTIALS = "Wrong email or password."
BAD_CODE = "That code is not valid. Check the latest email or request a new code."


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _hash_code(user_id: int, code: str) -> str:
    return hashlib.sha256(f"{user_id}:{code}".encode()).hexdigest()


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _find_user(uow: UnitOfWork, email: str) -> User | None:
    email = normalise_email(email)
    if not email:
        return None
    return uow.session.execute(select(User).where(User.email == email)).scalar_one_or_none()


@dataclass(frozen=True)
class LoginResult:
    token: str
    session_id: int
    user_id: int
    expires_at: datetime


def format_unlock(until: datetime) -> str:
    local = clock.local_time(until, get_settings().group_timezone)
    return local.strftime("%H:%M %Z")


def _locked_error(until: datetime) -> Unauthenticated:
    return Unauthenticated(
        f"This account is locked after too many failed attempts. Try again after "
        f"{format_unlock(until)}.",
        reason="locked",
        until=until,
    )


def _check_lock(uow: UnitOfWork, user: User, ip: str | None) -> None:
    """Raise while locked; clear an expired lock."""
    now = clock.now()
    if user.locked_until is not None:
        if user.locked_until > now:
            audit(
                uow,
                None,
                "auth.login_failed",
                entity_type="user",
                entity_id=user.id,
                user_id=user.id,
                detail={"reason": "locked"},
                ip=ip,
            )
            uow.commit()
            raise _locked_error(user.locked_until)
        user.locked_until = None
        user.failed_attempts = 0


def _register_failure(uow: UnitOfWork, user: User, method: str, ip: str | None) -> None:
    user.failed_attempts += 1
    audit(
        uow,
        None,
        "auth.login_failed",
        entity_type="user",
        entity_id=user.id,
        user_id=user.id,
        detail={"method": method, "attempt": user.failed_attempts},
        ip=ip,
    )
    if user.failed_attempts >= MAX_FAILED_ATTEMPTS:
        user.locked_until = clock.now() + LOCK_DURATION
        audit(
            uow,
            None,
            "auth.lock",
            entity_type="user",
            entity_id=user.id,
            user_id=user.id,
            detail={"until": user.locked_until, "attempts": user.failed_attempts},
            ip=ip,
        )
        uow.commit()
        raise _locked_error(user.locked_until)
    uow.commit()


def _unknown_account(uow: UnitOfWork, email: str, method: str, ip: str | None) -> Unauthenticated:
    audit(
        uow,
        None,
        "auth.login_failed",
        detail={"email": normalise_email(email)[:254], "method": method, "reason": "unknown"},
        ip=ip,
    )
    uow.commit()
    return Unauthenticated(BAD_CREDENTIALS if method == "password" else BAD_CODE)


def _open_session(
    uow: UnitOfWork, user: User, method: str, ip: str | None, user_agent: str | None
) -> LoginResult:
    assert user.id is not None
    now = clock.now()
    raw = secrets.token_urlsafe(32)  # 256 bits
    row = AuthSession(
        token_hash=_hash_token(raw),
        user_id=user.id,
        method=method,
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(days=get_settings().session_absolute_days),
        ip=ip,
        user_agent=(user_agent or "")[:255] or None,
    )
    uow.session.add(row)
    user.failed_attempts = 0
    user.locked_until = None
    user.last_login_at = now
    uow.flush()
    assert row.id is not None
    audit(
        uow,
        None,
        "auth.login",
        entity_type="session",
        entity_id=row.id,
        user_id=user.id,
        detail={"method": method},
        ip=ip,
    )
    return LoginResult(token=raw, session_id=row.id, user_id=user.id, expires_at=row.expires_at)


def _recent(
    uow: UnitOfWork, action: str, *, ip: str | None = None, user_id: int | None = None
) -> int:
    stmt = (
        select(func.count())
        .select_from(AuditLog)
        .where(col(AuditLog.action) == action, col(AuditLog.at) >= clock.now() - RATE_WINDOW)
    )
    if ip is not None:
        stmt = stmt.where(col(AuditLog.ip) == ip)
    if user_id is not None:
        stmt = stmt.where(col(AuditLog.real_user_id) == user_id)
    return int(uow.session.execute(stmt).scalar_one())


def _check_ip(uow: UnitOfWork, ip: str | None) -> None:
    """Many failures from one address across accounts: slow the guesser down (per IP)."""
    if ip and _recent(uow, "auth.login_failed", ip=ip) >= MAX_FAILURES_PER_IP:
        raise RateLimited(
            "Too many failed sign-ins from your network. Wait a few minutes and try again."
        )


def login_with_password(
    uow: UnitOfWork,
    email: str,
    password: str,
    *,
    ip: str | None = None,
    user_agent: str | None = None,
) -> LoginResult:
    _check_ip(uow, ip)
    user = _find_user(uow, email)
    if user is None or not user.is_active or user.is_service_account:
        verify_password(None, password or "x")  # same cost as a real check
        raise _unknown_account(uow, email, "password", ip)
    _check_lock(uow, user, ip)
    if not verify_password(user.password_hash, password or ""):
        _register_failure(uow, user, "password", ip)
        raise Unauthenticated(BAD_CREDENTIALS)
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return _open_session(uow, user, "password", ip, user_agent)


def request_login_code(
    uow: UnitOfWork, email: str, *, sender: EmailSender | None = None, ip: str | None = None
) -> None:
    """Email a six-digit code. Unknown addresses get the same answer and no email."""
    _check_ip(uow, ip)
    if ip and _recent(uow, "auth.code_requested", ip=ip) >= MAX_CODES_PER_IP:
        raise RateLimited("Too many codes requested from your network. Try again later.")
    user = _find_user(uow, email)
    if user is None or not user.is_active or user.is_service_account:
        return
    assert user.id is not None
    now = clock.now()
    if user.locked_until is not None and user.locked_until > now:
        raise _locked_error(user.locked_until)
    if _recent(uow, "auth.code_requested", user_id=user.id) >= MAX_CODES_PER_ACCOUNT:
        raise RateLimited(
            "Several codes were sent in the last 15 minutes. Use the latest one, or wait and "
            "request a new one."
        )
    # A new code replaces any earlier unused one.
    uow.session.execute(
        update(LoginCode)
        .where(col(LoginCode.user_id) == user.id, col(LoginCode.used_at).is_(None))
        .values(used_at=now)
    )
    code = f"{secrets.randbelow(1_000_000):06d}"
    uow.session.add(
        LoginCode(
            user_id=user.id,
            code_hash=_hash_code(user.id, code),
            created_at=now,
            expires_at=now + CODE_VALIDITY,
        )
    )
    audit(
        uow,
        None,
        "auth.code_requested",
        entity_type="user",
        entity_id=user.id,
        user_id=user.id,
        ip=ip,
    )
    mailer = sender or get_email_sender()
    to, minutes = user.email, int(CODE_VALIDITY.total_seconds() // 60)
    body = (
        f"Your Venture Command Center sign-in code is {code}.\n\n"
        f"It is valid for {minutes} minutes and can be used once. If you did not ask for it, "
        f"ignore this email."
    )
    # Send only once the code is stored: never email a code that does not exist.
    uow.after_commit(lambda: mailer.send(to, f"Your sign-in code: {code}", body))


def login_with_code(
    uow: UnitOfWork,
    email: str,
    code: str,
    *,
    ip: str | None = None,
    user_agent: str | None = None,
) -> LoginResult:
    _check_ip(uow, ip)
    user = _find_user(uow, email)
    if user is None or not user.is_active or user.is_service_account:
        raise _unknown_account(uow, email, "code", ip)
    assert user.id is not None
    _check_lock(uow, user, ip)
    code = (code or "").strip()
    now = clock.now()
    match = None
    if code.isdigit() and len(code) == 6:
        match = uow.session.execute(
            select(LoginCode)
            .where(LoginCode.user_id == user.id, LoginCode.code_hash == _hash_code(user.id, code))
            .order_by(col(LoginCode.id).desc())
            .limit(1)
        ).scalar_one_or_none()
    if match is None or match.used_at is not None:
        _register_failure(uow, user, "code", ip)
        raise Unauthenticated(BAD_CODE)
    if match.expires_at <= now:
        _register_failure(uow, user, "code", ip)
        raise Unauthenticated(
            "That code has expired (codes last 10 minutes). Request a new one.", reason="expired"
        )
    match.used_at = now
    return _open_session(uow, user, "code", ip, user_agent)


# -- sessions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResolvedSession:
    actor: Actor
    session_id: int
    needs_touch: bool


def resolve_session(uow: UnitOfWork, token: str | None) -> ResolvedSession:
    """The Actor behind a web-session token, or Unauthenticated (missing, forged, expired,
    revoked, or the user deactivated)."""
    if not token:
        raise Unauthenticated()
    row = uow.session.execute(
        select(AuthSession).where(AuthSession.token_hash == _hash_token(token))
    ).scalar_one_or_none()
    now = clock.now()
    if row is None or row.revoked_at is not None:
        raise Unauthenticated("Your session has ended. Please log in again.")
    settings = get_settings()
    if now >= row.expires_at or now - row.last_seen_at >= timedelta(
        hours=settings.session_idle_hours
    ):
        raise Unauthenticated("Your session has expired. Please log in again.", reason="expired")
    user = uow.session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise Unauthenticated("This account is not active.", reason="inactive")
    effective = user
    if row.acting_as_user_id is not None:
        target = uow.session.get(User, row.acting_as_user_id)
        if target is not None and target.is_active:
            effective = target
    assert row.id is not None
    actor = actor_for(uow.session, effective, real_user=user, session_id=row.id)
    return ResolvedSession(actor, row.id, now - row.last_seen_at >= SESSION_TOUCH_EVERY)


def touch_session(uow: UnitOfWork, session_id: int) -> None:
    uow.session.execute(
        update(AuthSession)
        .where(col(AuthSession.id) == session_id)
        .values(last_seen_at=clock.now())
    )


def authenticate(token: str | None) -> Actor:
    """Resolve a session token in its own short transactions (what the web app calls on every
    page load and privileged event). The idle clock is refreshed at most once a minute."""
    with read_only() as uow:
        resolved = resolve_session(uow, token)
    if resolved.needs_touch:
        with unit_of_work() as uow:
            touch_session(uow, resolved.session_id)
    return resolved.actor


def logout(uow: UnitOfWork, token: str | None, *, ip: str | None = None) -> None:
    if not token:
        return
    row = uow.session.execute(
        select(AuthSession).where(AuthSession.token_hash == _hash_token(token))
    ).scalar_one_or_none()
    if row is None or row.revoked_at is not None:
        return
    row.revoked_at, row.revoked_reason = clock.now(), "logout"
    if row.acting_as_user_id is not None:
        audit(
            uow,
            None,
            "auth.impersonation_end",
            entity_type="user",
            entity_id=row.acting_as_user_id,
            user_id=row.user_id,
            detail={"reason": "logout", "target_user_id": row.acting_as_user_id},
            ip=ip,
        )
        row.acting_as_user_id = None
    audit(
        uow,
        None,
        "auth.logout",
        entity_type="session",
        entity_id=row.id,
        user_id=row.user_id,
        ip=ip,
    )


def _revoke_all_sessions(uow: UnitOfWork, user_id: int, reason: str) -> int:
    result = uow.session.execute(
        update(AuthSession)
        .where(col(AuthSession.user_id) == user_id, col(AuthSession.revoked_at).is_(None))
        .values(revoked_at=clock.now(), revoked_reason=reason)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def change_password(uow: UnitOfWork, actor: Actor, current: str, new: str) -> None:
    """Change one's own password; every session of the user ends (log in again)."""
    if actor.impersonating:
        raise Forbidden("Stop acting as another user before changing a password.")
    user = uow.session.get(User, actor.real_user_id)
    if user is None:
        raise NotFound("user")
    if not verify_password(user.password_hash, current or ""):
        raise Invalid.field("current_password", "is not your current password")
    problem = password_problem(new or "", email=user.email)
    if problem:
        raise Invalid.field("new_password", problem)
    user.password_hash = hash_password(new)
    user.password_changed_at = clock.now()
    revoked = _revoke_all_sessions(uow, actor.real_user_id, "password_change")
    audit(
        uow,
        actor,
        "auth.password_changed",
        entity_type="user",
        entity_id=user.id,
        detail={"sessions_revoked": revoked},
    )


def set_password(uow: UnitOfWork, actor: Actor, user_id: int, new: str) -> None:
    """An administrator sets someone's password (reset); their sessions end."""
    from domain.org.services import get_manageable_user

    user = get_manageable_user(uow, actor, user_id)
    problem = password_problem(new or "", email=user.email)
    if problem:
        raise Invalid.field("password", problem)
    user.password_hash = hash_password(new)
    user.password_changed_at = clock.now()
    user.failed_attempts, user.locked_until = 0, None
    assert user.id is not None
    revoked = _revoke_all_sessions(uow, user.id, "password_reset")
    audit(
        uow,
        actor,
        "auth.password_reset",
        entity_type="user",
        entity_id=user.id,
        detail={"sessions_revoked": revoked},
    )


# -- impersonation ------------------------------------------------------------------------------


def start_impersonation(uow: UnitOfWork, actor: Actor, target_user_id: int) -> Actor:
    """Act as another user in this web session (CEO and ADMIN; never a CEO; audited)."""
    if actor.session_id is None:
        raise Forbidden("Acting as someone is only possible in a web session.")
    if actor.impersonating:
        raise Forbidden("Stop acting as the current user first.")
    if actor.real_role not in (Role.CEO, Role.ADMIN):
        raise Forbidden(
            "Only the CEO and administrators can act as another user.", action="impersonate"
        )
    target = uow.session.get(User, target_user_id)
    if target is None or not target.is_active or target.is_service_account:
        raise NotFound("user", target_user_id)
    if target.role is Role.CEO:
        raise Forbidden("Nobody can act as the CEO.", action="impersonate")
    if target.id == actor.real_user_id:
        raise Invalid.field("user_id", "is yourself")
    row = uow.session.get(AuthSession, actor.session_id)
    if row is None or row.revoked_at is not None:
        raise Unauthenticated()
    row.acting_as_user_id, row.acting_since = target.id, clock.now()
    real = uow.session.get(User, actor.real_user_id)
    assert real is not None
    new_actor = actor_for(uow.session, target, real_user=real, session_id=row.id)
    audit(
        uow,
        new_actor,
        "auth.impersonation_start",
        entity_type="user",
        entity_id=target.id,
        detail={"target_email": target.email, "target_role": target.role.value},
    )
    return new_actor


def stop_impersonation(uow: UnitOfWork, actor: Actor) -> Actor:
    if actor.session_id is None or not actor.impersonating:
        raise Invalid.field("session", "is not acting as anyone")
    row = uow.session.get(AuthSession, actor.session_id)
    if row is None:
        raise Unauthenticated()
    started = row.acting_since
    row.acting_as_user_id, row.acting_since = None, None
    seconds = int((clock.now() - started).total_seconds()) if started else None
    audit(
        uow,
        actor,
        "auth.impersonation_end",
        entity_type="user",
        entity_id=actor.user_id,
        detail={"duration_seconds": seconds},
    )
    real = uow.session.get(User, actor.real_user_id)
    assert real is not None
    return actor_for(uow.session, real, session_id=row.id)


# -- API tokens ---------------------------------------------------------------------------------


class TokenView(View):
    id: int
    user_id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


def _token_view(t: ApiToken) -> TokenView:
    assert t.id is not None
    return TokenView.model_validate(t)


def create_api_token(
    uow: UnitOfWork,
    actor: Actor,
    *,
    name: str = "API token",
    days: int | None = None,
    user_id: int | None = None,
) -> tuple[TokenView, str]:
    """Create a token (for oneself, or for a service account by a global admin).

    Returns the view and the raw token, which is shown once and never stored.
    """
    owner_id = actor.real_user_id if user_id is None else user_id
    if owner_id != actor.real_user_id:
        actor.require("tokens.others.manage")
    days = get_settings().api_token_default_days if days is None else days
    if not 1 <= days <= 366:
        raise Invalid.field("days", "must be between 1 and 366")
    name = (name or "").strip() or "API token"
    if len(name) > 80:
        raise Invalid.field("name", "must be at most 80 characters")
    owner = uow.session.get(User, owner_id)
    if owner is None or not owner.is_active:
        raise NotFound("user", owner_id)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    row = ApiToken(
        user_id=owner_id,
        name=name,
        token_hash=_hash_token(raw),
        prefix=raw[:12],
        created_at=now,
        created_by_id=actor.real_user_id,
        expires_at=now + timedelta(days=days),
    )
    uow.session.add(row)
    uow.flush()
    audit(
        uow,
        actor,
        "auth.token_created",
        entity_type="api_token",
        entity_id=row.id,
        detail={"owner_user_id": owner_id, "name": name, "expires_at": row.expires_at},
    )
    return _token_view(row), raw


def list_api_tokens(uow: UnitOfWork, actor: Actor) -> list[TokenView]:
    rows = uow.session.execute(
        select(ApiToken).where(ApiToken.user_id == actor.real_user_id).order_by(col(ApiToken.id))
    ).scalars()
    return [_token_view(t) for t in rows]


def revoke_api_token(uow: UnitOfWork, actor: Actor, token_id: int) -> TokenView:
    row = uow.session.get(ApiToken, token_id)
    if row is None or (row.user_id != actor.real_user_id and not actor.can("tokens.others.manage")):
        raise NotFound("token", token_id)
    if row.revoked_at is None:
        row.revoked_at = clock.now()
        audit(
            uow,
            actor,
            "auth.token_revoked",
            entity_type="api_token",
            entity_id=row.id,
            detail={"owner_user_id": row.user_id},
        )
    return _token_view(row)


@dataclass(frozen=True)
class ResolvedToken:
    actor: Actor
    token_id: int
    needs_touch: bool


def resolve_api_token(uow: UnitOfWork, raw: str | None) -> ResolvedToken:
    """The Actor behind a personal API token, or Unauthenticated. Reads only."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        raise Unauthenticated("A valid API token is required.")
    row = uow.session.execute(
        select(ApiToken).where(ApiToken.token_hash == _hash_token(raw))
    ).scalar_one_or_none()
    now = clock.now()
    if row is None or row.revoked_at is not None:
        raise Unauthenticated("This API token is not valid or has been revoked.")
    if row.expires_at <= now:
        raise Unauthenticated("This API token has expired.", reason="expired")
    user = uow.session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise Unauthenticated("This account is not active.", reason="inactive")
    due = row.last_used_at is None or now - row.last_used_at >= SESSION_TOUCH_EVERY
    token_id = pk(row)
    return ResolvedToken(actor_for(uow.session, user, token_id=token_id), token_id, due)


def touch_api_token(uow: UnitOfWork, token_id: int) -> None:
    uow.session.execute(
        update(ApiToken).where(col(ApiToken.id) == token_id).values(last_used_at=clock.now())
    )


def authenticate_api_token(raw: str | None) -> Actor:
    """Resolve an API token like ``authenticate`` resolves a session: read-only, with
    ``last_used_at`` refreshed at most once a minute in its own short write."""
    with read_only() as uow:
        resolved = resolve_api_token(uow, raw)
    if resolved.needs_touch:
        with unit_of_work() as uow:
            touch_api_token(uow, resolved.token_id)
    return resolved.actor


def count_active_sessions(uow: UnitOfWork, user_id: int) -> int:
    return int(
        uow.session.execute(
            select(func.count())
            .select_from(AuthSession)
            .where(AuthSession.user_id == user_id, col(AuthSession.revoked_at).is_(None))
        ).scalar_one()
    )
