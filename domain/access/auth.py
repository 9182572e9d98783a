"""Authentication: passwords, email codes, lockout, sessions, API tokens, impersonation.

Every function here is a use case taking the unit of work; each writes its audit rows itself.
Failures that must be remembered (failed attempts, locks) are committed before the error is
raised, so a rollback of the caller never erases a failed login.

Counting attempts is a check-then-write raced by every worker at once, so nothing here reads a
count and writes it back: an attempt is counted by one atomic statement *before* the expensive
check (``UPDATE user_account ... RETURNING`` for the account, an upsert on ``login_throttle`` for
the address), and committed, so N parallel attempts count N and the sixth finds the account
already locked without its password being checked.

A failed sign-in answers the same for an unknown address, a wrong password or code, a locked,
inactive or service account: same error, same wording, no unlock time, and the same hashing
cost; only the audit log tells them apart.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, case, func, literal, or_, update
from sqlmodel import col, select

from domain import clock
from domain.access.actor import Actor
from domain.access.audit import audit
from domain.access.events import UserLoggedIn
from domain.access.models import ApiToken, AuthSession, LoginCode, LoginThrottle
from domain.access.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from domain.access.roles import Role
from domain.access.scope import actor_for
from domain.columns import UTCDateTime
from domain.db import UnitOfWork, dialect_insert, pk, read_only, unit_of_work
from domain.errors import (
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    RateLimited,
    ServiceUnavailable,
    Unauthenticated,
)
from domain.events.outbox import record
from domain.integrations.email import EmailSender, get_email_sender
from domain.integrations.http import ProviderError, breaker_is_open
from domain.org.models import User, Venture, VentureUser
from domain.schemas import View
from domain.settings import get_settings

log = logging.getLogger(__name__)

MAX_FAILED_ATTEMPTS = 5
LOCK_DURATION = timedelta(minutes=15)
# Rate limits, counted in ``login_throttle`` so they hold across workers and processes.
RATE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_IP = 30
MAX_CODES_PER_ACCOUNT = 5
MAX_CODES_PER_IP = 20
CODE_VALIDITY = timedelta(minutes=10)
SESSION_TOUCH_EVERY = timedelta(seconds=60)
TOKEN_PREFIX = "vcc_"
# One answer for every failed sign-in (see the module docstring); it states the lockout rule
# without saying whether it applies to this address.
PAUSE = (
    f"After {MAX_FAILED_ATTEMPTS} failed attempts, sign-in pauses for "
    f"{int(LOCK_DURATION.total_seconds() // 60)} minutes."
)
BAD_CREDENTIALS = f"Wrong email or password. {PAUSE}"
CODE_NOT_SENT = "We could not send the code, try again in a few minutes."
BAD_CODE = f"That code is not valid. Check the latest email or request a new code. {PAUSE}"


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
    return uow.session.execute(select(User).where(col(User.email) == email)).scalar_one_or_none()


def _can_sign_in(user: User | None) -> bool:
    """People sign in; a service account (API tokens only) and an inactive account never do."""
    return user is not None and user.is_active and not user.is_service_account


@dataclass(frozen=True)
class LoginResult:
    token: str
    session_id: int
    user_id: int
    expires_at: datetime


# -- attempt counters ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Slot:
    """One attempt counted in ``login_throttle`` (so a success can give it back)."""

    key: str
    window_start: datetime


def _window_start(now: datetime) -> datetime:
    size = int(RATE_WINDOW.total_seconds())
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % size, UTC)


def _throttle_estimate(uow: UnitOfWork, key: str, current: int, start: datetime) -> int:
    """Attempts in the last RATE_WINDOW: this window's count plus the share of the previous
    window's that still falls inside it (a sliding window from two fixed ones)."""
    previous = uow.session.execute(
        select(LoginThrottle.attempts).where(
            col(LoginThrottle.key) == key, col(LoginThrottle.window_start) == start - RATE_WINDOW
        )
    ).scalar_one_or_none()
    if not previous:
        return current
    remaining = 1 - (clock.now() - start) / RATE_WINDOW
    return current + int(previous * max(0.0, remaining))


def _count_attempt(uow: UnitOfWork, key: str) -> tuple[int, _Slot]:
    """Add one attempt for ``key`` with one atomic upsert; returns the attempts in the last
    RATE_WINDOW, this one included, and the slot it used."""
    key = key[:120]
    start = _window_start(clock.now())
    table = LoginThrottle.__table__  # type: ignore[attr-defined]
    insert = dialect_insert(uow.session.get_bind())
    stmt = (
        insert(table)
        .values(key=key, window_start=start, attempts=1)
        .on_conflict_do_update(
            index_elements=[table.c.key, table.c.window_start],
            set_={"attempts": table.c.attempts + 1},
        )
        .returning(table.c.attempts)
    )
    current = int(uow.session.execute(stmt).scalar_one())
    return _throttle_estimate(uow, key, current, start), _Slot(key, start)


def _give_back(uow: UnitOfWork, slot: _Slot | None) -> None:
    """A successful sign-in is not a failure: take its attempt off the address's count."""
    if slot is None:
        return
    uow.session.execute(
        update(LoginThrottle)
        .where(
            col(LoginThrottle.key) == slot.key,
            col(LoginThrottle.window_start) == slot.window_start,
            col(LoginThrottle.attempts) > 0,
        )
        .values(attempts=col(LoginThrottle.attempts) - 1)
    )


def _recent_attempts(uow: UnitOfWork, key: str) -> int:
    start = _window_start(clock.now())
    current = uow.session.execute(
        select(LoginThrottle.attempts).where(
            col(LoginThrottle.key) == key[:120], col(LoginThrottle.window_start) == start
        )
    ).scalar_one_or_none()
    return _throttle_estimate(uow, key[:120], int(current or 0), start)


def _ip_failures_exceeded() -> RateLimited:
    return RateLimited(
        "Too many failed sign-ins from your network. Wait a few minutes and try again."
    )


def _count_ip_attempt(uow: UnitOfWork, ip: str | None) -> _Slot | None:
    """Count a sign-in attempt from ``ip`` before anything is checked; past the limit the
    attempt is refused (committed first, so the count holds)."""
    if not ip:
        return None
    attempts, slot = _count_attempt(uow, f"ip:{ip}")
    if attempts > MAX_FAILURES_PER_IP:
        uow.commit()
        raise _ip_failures_exceeded()
    return slot


def _reserve_attempt(uow: UnitOfWork, user_id: int) -> tuple[int, datetime | None] | None:
    """Count one attempt on the account before its password or code is checked: one atomic
    ``UPDATE ... RETURNING``. Returns (attempt number, lock end) or ``None`` while the account
    is locked. An expired lock starts a new count; the attempt that reaches the limit locks the
    account in the same statement, so a burst cannot slip more checks in before the lock."""
    now = clock.now()
    t = User.__table__  # type: ignore[attr-defined]
    expired = and_(t.c.locked_until.is_not(None), t.c.locked_until <= now)
    attempt = case((expired, 1), else_=t.c.failed_attempts + 1)
    lock_end = literal(now + LOCK_DURATION, UTCDateTime())
    row = uow.session.execute(
        update(t)
        .where(t.c.id == user_id, or_(t.c.locked_until.is_(None), t.c.locked_until <= now))
        .values(
            failed_attempts=attempt,
            locked_until=case((attempt >= MAX_FAILED_ATTEMPTS, lock_end), else_=None),
        )
        .returning(t.c.failed_attempts, t.c.locked_until)
    ).first()
    return None if row is None else (int(row[0]), row[1])


def _refuse(
    uow: UnitOfWork,
    user: User | None,
    method: str,
    ip: str | None,
    reason: str,
    secret: str,
) -> Unauthenticated:
    """The answer to a sign-in refused before any check: audited (never with the typed address:
    it may be a pasted password), committed, and as slow as a real password check."""
    audit(
        uow,
        None,
        "auth.login_failed",
        entity_type="user" if user is not None else None,
        entity_id=user.id if user is not None else None,
        user_id=user.id if user is not None else None,
        detail={"method": method, "reason": reason},
        ip=ip,
    )
    uow.commit()
    if method == "password":
        verify_password(None, secret or "x")  # the cost of a real check
        return Unauthenticated(BAD_CREDENTIALS)
    return Unauthenticated(BAD_CODE)


def _reserve_or_refuse(
    uow: UnitOfWork, email: str, method: str, ip: str | None, secret: str
) -> tuple[User, int, datetime | None]:
    """The account to check, its attempt already counted and committed; or the refusal."""
    user = _find_user(uow, email)
    if user is None or not _can_sign_in(user):
        reason = (
            "unknown_account"
            if user is None
            else ("service_account" if user.is_service_account else "inactive")
        )
        raise _refuse(uow, user, method, ip, reason, secret)
    reserved = _reserve_attempt(uow, pk(user))
    if reserved is None:
        raise _refuse(uow, user, method, ip, "locked", secret)
    uow.commit()  # the attempt counts before it is checked
    attempt, locked_until = reserved
    return user, attempt, locked_until


def _register_failure(
    uow: UnitOfWork,
    user: User,
    attempt: int,
    locked_until: datetime | None,
    method: str,
    ip: str | None,
    reason: str,
) -> None:
    audit(
        uow,
        None,
        "auth.login_failed",
        entity_type="user",
        entity_id=user.id,
        user_id=user.id,
        detail={"method": method, "reason": reason, "attempt": attempt},
        ip=ip,
    )
    if attempt >= MAX_FAILED_ATTEMPTS:
        # Only the attempt whose count reached the limit gets here: one lock, one audit row.
        audit(
            uow,
            None,
            "auth.lock",
            entity_type="user",
            entity_id=user.id,
            user_id=user.id,
            detail={"until": locked_until, "attempts": attempt},
            ip=ip,
        )
    uow.commit()


def _open_session(
    uow: UnitOfWork,
    user: User,
    method: str,
    ip: str | None,
    user_agent: str | None,
    ip_slot: _Slot | None,
) -> LoginResult:
    uid = pk(user)
    now = clock.now()
    _give_back(uow, ip_slot)  # the address row first, then the user's: one lock order
    uow.session.execute(
        update(User).where(col(User.id) == uid).values(failed_attempts=0, locked_until=None)
    )
    raw = secrets.token_urlsafe(32)  # 256 bits
    row = AuthSession(
        token_hash=_hash_token(raw),
        user_id=uid,
        method=method,
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(days=get_settings().session_absolute_days),
        ip=ip,
        user_agent=(user_agent or "")[:255] or None,
    )
    uow.session.add(row)
    user.last_login_at = now
    uow.flush()
    assert row.id is not None
    record(uow, UserLoggedIn(user_id=uid, method=method, session_id=row.id, logged_in_at=now))
    audit(
        uow,
        None,
        "auth.login",
        entity_type="session",
        entity_id=row.id,
        user_id=uid,
        detail={"method": method},
        ip=ip,
    )
    return LoginResult(token=raw, session_id=row.id, user_id=uid, expires_at=row.expires_at)


def login_with_password(
    uow: UnitOfWork,
    email: str,
    password: str,
    *,
    ip: str | None = None,
    user_agent: str | None = None,
) -> LoginResult:
    ip_slot = _count_ip_attempt(uow, ip)
    user, attempt, locked_until = _reserve_or_refuse(uow, email, "password", ip, password)
    if not verify_password(user.password_hash, password or ""):
        _register_failure(uow, user, attempt, locked_until, "password", ip, "wrong_password")
        raise Unauthenticated(BAD_CREDENTIALS)
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return _open_session(uow, user, "password", ip, user_agent, ip_slot)


def request_login_code(
    uow: UnitOfWork, email: str, *, sender: EmailSender | None = None, ip: str | None = None
) -> None:
    """Email a six-digit code. An unknown, locked, inactive or service account, or one that
    has had its 5 codes in the last 15 minutes, gets the same answer and no email.

    The email goes out after the code is committed. When it cannot be sent the answer is
    ``ServiceUnavailable(CODE_NOT_SENT)``, worded for any address; while the email provider's
    breaker is open every request gets it before the account is even looked up, so the answer
    says nothing about whether the account exists."""
    mailer = sender or get_email_sender()
    if breaker_is_open(getattr(mailer, "provider", "")):
        raise ServiceUnavailable(CODE_NOT_SENT)
    if ip:
        if _recent_attempts(uow, f"ip:{ip}") >= MAX_FAILURES_PER_IP:
            raise _ip_failures_exceeded()
        if _count_attempt(uow, f"code-ip:{ip}")[0] > MAX_CODES_PER_IP:
            uow.commit()
            raise RateLimited("Too many codes requested from your network. Try again later.")
    user = _find_user(uow, email)
    if user is None or not _can_sign_in(user):
        return
    uid = pk(user)
    now = clock.now()
    if user.locked_until is not None and user.locked_until > now:
        return
    if _count_attempt(uow, f"code-user:{uid}")[0] > MAX_CODES_PER_ACCOUNT:
        return
    # A new code replaces any earlier unused one.
    uow.session.execute(
        update(LoginCode)
        .where(col(LoginCode.user_id) == uid, col(LoginCode.used_at).is_(None))
        .values(used_at=now)
    )
    code = f"{secrets.randbelow(1_000_000):06d}"
    uow.session.add(
        LoginCode(
            user_id=uid,
            code_hash=_hash_code(uid, code),
            created_at=now,
            expires_at=now + CODE_VALIDITY,
        )
    )
    audit(uow, None, "auth.code_requested", entity_type="user", entity_id=uid, user_id=uid, ip=ip)
    to, minutes = user.email, int(CODE_VALIDITY.total_seconds() // 60)
    body = (
        f"Your Venture Command Center sign-in code is {code}.\n\n"
        f"It is valid for {minutes} minutes and can be used once. If you did not ask for it, "
        f"ignore this email."
    )
    # Send only once the code is stored: never email a code that does not exist. The subject
    # carries no code: subjects end up in logs and notification previews.
    uow.commit()
    try:
        mailer.send(to, "Your Venture Command Center sign-in code", body)
    except ProviderError as exc:
        log.warning("sign-in code email to user %s failed: %s", uid, exc)
        raise ServiceUnavailable(CODE_NOT_SENT) from None


def login_with_code(
    uow: UnitOfWork,
    email: str,
    code: str,
    *,
    ip: str | None = None,
    user_agent: str | None = None,
) -> LoginResult:
    ip_slot = _count_ip_attempt(uow, ip)
    user, attempt, locked_until = _reserve_or_refuse(uow, email, "code", ip, code)
    uid = pk(user)
    code = (code or "").strip()
    now = clock.now()
    match = None
    if code.isdigit() and len(code) == 6:
        match = uow.session.execute(
            select(LoginCode)
            .where(col(LoginCode.user_id) == uid, col(LoginCode.code_hash) == _hash_code(uid, code))
            .order_by(col(LoginCode.id).desc())
            .limit(1)
        ).scalar_one_or_none()
    if match is None or match.used_at is not None:
        _register_failure(uow, user, attempt, locked_until, "code", ip, "wrong_code")
        raise Unauthenticated(BAD_CODE)
    if match.expires_at <= now:
        _register_failure(uow, user, attempt, locked_until, "code", ip, "expired_code")
        raise Unauthenticated(
            "That code has expired (codes last 10 minutes). Request a new one.", reason="expired"
        )
    # Single use, also when the same code arrives twice at once: only one UPDATE claims it.
    claimed = uow.session.execute(
        update(LoginCode)
        .where(col(LoginCode.id) == match.id, col(LoginCode.used_at).is_(None))
        .values(used_at=now)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        _register_failure(uow, user, attempt, locked_until, "code", ip, "wrong_code")
        raise Unauthenticated(BAD_CODE)
    return _open_session(uow, user, "code", ip, user_agent, ip_slot)


# -- sessions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResolvedSession:
    actor: Actor
    session_id: int
    needs_touch: bool
    last_seen_at: datetime | None = None


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
    return ResolvedSession(
        actor, row.id, now - row.last_seen_at >= SESSION_TOUCH_EVERY, row.last_seen_at
    )


def touch_session(uow: UnitOfWork, session_id: int, last_seen_at: datetime | None = None) -> None:
    """Refresh the idle clock. A session resumed on a new business day (of any of the user's
    ventures) since ``last_seen_at`` is a login of that day: UserLoggedIn, method "session"."""
    now = clock.now()
    touched = uow.session.execute(
        update(AuthSession)
        .where(
            col(AuthSession.id) == session_id,
            col(AuthSession.last_seen_at) < now,
        )
        .values(last_seen_at=now)
        .returning(col(AuthSession.user_id))
    ).scalar_one_or_none()
    if touched is None or last_seen_at is None:
        return
    zones = uow.session.execute(
        select(Venture.timezone)
        .join(VentureUser, col(VentureUser.venture_id) == col(Venture.id))
        .where(col(VentureUser.user_id) == touched)
        .distinct()
    ).scalars()
    if any(clock.business_date(last_seen_at, tz) != clock.business_date(now, tz) for tz in zones):
        record(
            uow,
            UserLoggedIn(
                user_id=int(touched), method="session", session_id=session_id, logged_in_at=now
            ),
        )


def authenticate(token: str | None) -> Actor:
    """Resolve a session token in its own short transactions (what the web app calls on every
    page load and privileged event). The idle clock is refreshed at most once a minute."""
    with read_only() as uow:
        resolved = resolve_session(uow, token)
    if resolved.needs_touch:
        with unit_of_work() as uow:
            touch_session(uow, resolved.session_id, resolved.last_seen_at)
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


def revoke_all_sessions(uow: UnitOfWork, user_id: int, reason: str) -> int:
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
    revoked = revoke_all_sessions(uow, actor.real_user_id, "password_change")
    audit(
        uow,
        actor,
        "auth.password_changed",
        entity_type="user",
        entity_id=user.id,
        detail={"sessions_revoked": revoked},
    )


# -- impersonation ------------------------------------------------------------------------------


def act_as_refusal(
    actor: Actor,
    *,
    target_id: int,
    target_role: Role,
    target_active: bool,
    target_is_service_account: bool,
) -> DomainError | None:
    """Why ``actor`` may not act as that user, or None when they may: the one rule, used by
    ``start_impersonation`` and shown on the users list (``UserView.can_act_as``)."""
    if actor.session_id is None:
        return Forbidden("Acting as someone is only possible in a web session.")
    if actor.impersonating:
        return Forbidden("Stop acting as the current user first.")
    if actor.real_role not in (Role.CEO, Role.ADMIN):
        return Forbidden(
            "Only the CEO and administrators can act as another user.", action="impersonate"
        )
    if not target_active or target_is_service_account:
        return NotFound("user", target_id)
    if target_role is Role.CEO:
        return Forbidden("Nobody can act as the CEO.", action="impersonate")
    if target_id == actor.real_user_id:
        return Invalid.field("user_id", "is yourself")
    return None


def start_impersonation(uow: UnitOfWork, actor: Actor, target_user_id: int) -> Actor:
    """Act as another user in this web session (CEO and ADMIN; never a CEO; audited)."""
    target = uow.session.get(User, target_user_id)
    refusal = act_as_refusal(
        actor,
        target_id=target_user_id,
        target_role=target.role if target else Role.EMPLOYEE,
        target_active=target.is_active if target else False,
        target_is_service_account=target.is_service_account if target else False,
    )
    if refusal is not None:
        raise refusal
    assert target is not None
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


def _token_owner(uow: UnitOfWork, actor: Actor, user_id: int | None) -> User:
    """Whose token may ``actor`` create? Their own (a person's), or, for a global admin who is
    not acting as someone, a service account's. A token for a person is never made by someone
    else, and none acts as a CEO: a token must not do what impersonation may not."""
    if user_id is None or user_id == actor.real_user_id:
        owner = uow.session.get(User, actor.real_user_id)
        if owner is None or not owner.is_active:
            raise NotFound("user", actor.real_user_id)
        if owner.is_service_account:
            raise Forbidden(
                "A service account's tokens are created by an administrator.",
                action="tokens.others.manage",
            )
        return owner
    actor.require("tokens.others.manage")
    if actor.impersonating:
        raise Forbidden(
            "Stop acting as another user before creating a token for someone else.",
            action="tokens.others.manage",
        )
    owner = uow.session.get(User, user_id)
    if owner is None or not owner.is_active:
        raise NotFound("user", user_id)
    if not owner.is_service_account:
        raise Forbidden(
            "API tokens for another user are only for service accounts; a person creates "
            "their own on their Profile page.",
            action="tokens.others.manage",
        )
    if owner.role is Role.CEO:
        raise Forbidden("No API token can act as a CEO account.", action="tokens.others.manage")
    return owner


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
    owner_id = pk(_token_owner(uow, actor, user_id))
    days = get_settings().api_token_default_days if days is None else days
    if not 1 <= days <= 366:
        raise Invalid.field("days", "must be between 1 and 366")
    name = (name or "").strip() or "API token"
    if len(name) > 80:
        raise Invalid.field("name", "must be at most 80 characters")
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


def list_api_tokens(
    uow: UnitOfWork, actor: Actor, *, user_id: int | None = None
) -> list[TokenView]:
    """The actor's own tokens; a global admin may list a service account's (to revoke them)."""
    owner_id = actor.real_user_id
    if user_id is not None and user_id != owner_id:
        owner_id = pk(_token_owner(uow, actor, user_id))
    rows = uow.session.execute(
        select(ApiToken).where(col(ApiToken.user_id) == owner_id).order_by(col(ApiToken.id))
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
