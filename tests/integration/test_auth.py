"""Authentication on a real database: lockout, codes, sessions, tokens, impersonation, audit."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from domain import clock
from domain.access import auth
from domain.access.models import AuditLog
from domain.db import read_only, unit_of_work
from domain.demo import DEMO_PASSWORD
from domain.errors import Forbidden, Invalid, NotFound, Unauthenticated
from domain.org.models import User
from tests.helpers import actor, user_id

CSR = "csr.afl@vcc.example"


def login(email: str = CSR, password: str = DEMO_PASSWORD) -> auth.LoginResult:
    with unit_of_work() as uow:
        return auth.login_with_password(uow, email, password, ip="10.0.0.1")


def audit_actions(uid: int | None = None) -> list[str]:
    with read_only() as uow:
        stmt = select(AuditLog.action).order_by(AuditLog.id)
        if uid is not None:
            stmt = stmt.where(AuditLog.real_user_id == uid)
        return list(uow.session.execute(stmt).scalars())


def test_login_opens_a_session_and_is_audited(demo) -> None:
    result = login()
    assert len(result.token) >= 43  # 256 bits, url-safe
    a = auth.authenticate(result.token)
    assert a.email == CSR and a.user_id == a.real_user_id
    assert "auth.login" in audit_actions(user_id(CSR))


def test_wrong_password_is_a_generic_error_and_audited(demo) -> None:
    with pytest.raises(Unauthenticated) as err:
        login(password="wrong password!")
    assert err.value.message == auth.BAD_CREDENTIALS
    with pytest.raises(Unauthenticated) as err2:
        login(email="nobody@vcc.example", password="whatever12345")
    assert err2.value.message == auth.BAD_CREDENTIALS  # no account enumeration
    assert audit_actions(user_id(CSR)) == ["auth.login_failed"]


def test_lockout_after_five_failures_and_unlock_after_fifteen_minutes(demo) -> None:
    start = clock.now()
    with clock.frozen(start):
        for _ in range(5):
            with pytest.raises(Unauthenticated) as err:
                login(password="not the password")
            # The fifth failure locks, and says nothing a wrong password would not say.
            assert (err.value.reason, err.value.message) == ("invalid", auth.BAD_CREDENTIALS)
        with read_only() as uow:
            user = uow.session.execute(select(User).where(User.email == CSR)).scalar_one()
            assert user.locked_until == start + timedelta(minutes=15)
        # While locked even the right password is refused, and so is a code.
        with pytest.raises(Unauthenticated) as err:
            login()
        assert err.value.message == auth.BAD_CREDENTIALS
        with unit_of_work() as uow, pytest.raises(Unauthenticated):
            auth.login_with_code(uow, CSR, "000000")
    with clock.frozen(start + timedelta(minutes=14, seconds=59)), pytest.raises(Unauthenticated):
        login()
    with clock.frozen(start + timedelta(minutes=15, seconds=1)):
        assert login().token
    actions = audit_actions(user_id(CSR))
    assert actions.count("auth.lock") == 1
    assert actions.count("auth.login_failed") >= 5
    assert actions[-1] == "auth.login"
    with read_only() as uow:
        user = uow.session.execute(select(User).where(User.email == CSR)).scalar_one()
        assert user.failed_attempts == 0 and user.locked_until is None


def test_success_resets_the_failure_counter(demo) -> None:
    for _ in range(4):
        with pytest.raises(Unauthenticated):
            login(password="not the password")
    login()
    for _ in range(4):  # four more: still not locked, the counter restarted
        with pytest.raises(Unauthenticated) as err:
            login(password="not the password")
        assert err.value.reason == "invalid"


def test_email_code_single_use_and_ten_minutes(demo, mailbox) -> None:
    start = clock.now()
    with clock.frozen(start):
        with unit_of_work() as uow:
            auth.request_login_code(uow, CSR)
        msg = mailbox.last_to(CSR)
        code = next(w.rstrip(".") for w in msg.body.split() if w.rstrip(".").isdigit())
        assert len(code) == 6
        with unit_of_work() as uow:
            result = auth.login_with_code(uow, CSR, code)
        assert auth.authenticate(result.token).email == CSR
        with unit_of_work() as uow, pytest.raises(Unauthenticated):  # single use
            auth.login_with_code(uow, CSR, code)
        with unit_of_work() as uow:
            auth.request_login_code(uow, CSR)
        code2 = next(
            w.rstrip(".") for w in mailbox.last_to(CSR).body.split() if w.rstrip(".").isdigit()
        )
    with clock.frozen(start + timedelta(minutes=10, seconds=1)):
        with unit_of_work() as uow, pytest.raises(Unauthenticated) as err:
            auth.login_with_code(uow, CSR, code2)
        assert err.value.reason == "expired"


def test_code_request_for_unknown_address_sends_nothing(demo, mailbox) -> None:
    with unit_of_work() as uow:
        auth.request_login_code(uow, "nobody@vcc.example")
    assert mailbox.messages == []


def test_session_idle_and_absolute_expiry(demo) -> None:
    start = clock.now()
    with clock.frozen(start):
        token = login().token
    with clock.frozen(start + timedelta(hours=11, minutes=59)):
        auth.authenticate(token)  # refreshes the idle clock
    with clock.frozen(start + timedelta(hours=23, minutes=58)):
        auth.authenticate(token)
    with clock.frozen(start + timedelta(hours=36)), pytest.raises(Unauthenticated) as err:
        auth.authenticate(token)  # 12h 2m idle
    assert err.value.reason == "expired"

    with clock.frozen(start):
        token = login().token
    t = start
    while t < start + timedelta(days=7) - timedelta(hours=11):
        t += timedelta(hours=11)
        with clock.frozen(t):
            auth.authenticate(token)  # active all week
    with clock.frozen(start + timedelta(days=7)), pytest.raises(Unauthenticated) as err:
        auth.authenticate(token)
    assert err.value.reason == "expired"


def test_forged_token_and_logout(demo) -> None:
    with pytest.raises(Unauthenticated):
        auth.authenticate("forged-token")
    with pytest.raises(Unauthenticated):
        auth.authenticate("")
    token = login().token
    with unit_of_work() as uow:
        auth.logout(uow, token)
    with pytest.raises(Unauthenticated):
        auth.authenticate(token)
    assert "auth.logout" in audit_actions(user_id(CSR))


def test_password_change_revokes_every_session(demo) -> None:
    t1, t2 = login().token, login().token
    a = auth.authenticate(t1)
    with unit_of_work() as uow, pytest.raises(Invalid) as err:
        auth.change_password(uow, a, DEMO_PASSWORD, "short")
    assert "new_password" in err.value.fields
    with unit_of_work() as uow:
        auth.change_password(uow, a, DEMO_PASSWORD, "a brand new passphrase")
    for t in (t1, t2):
        with pytest.raises(Unauthenticated):
            auth.authenticate(t)
    login(password="a brand new passphrase")


def test_api_token_create_resolve_revoke_expire(demo) -> None:
    a = actor(CSR)
    with unit_of_work() as uow:
        view, raw = auth.create_api_token(uow, a, name="script", days=30)
    assert raw.startswith("vcc_") and view.prefix == raw[:12]
    assert auth.authenticate_api_token(raw).email == CSR
    with unit_of_work() as uow:
        auth.revoke_api_token(uow, a, view.id)
    with pytest.raises(Unauthenticated):
        auth.authenticate_api_token(raw)
    with unit_of_work() as uow:
        _, raw2 = auth.create_api_token(uow, a, days=1)
    with (
        clock.frozen(clock.now() + timedelta(days=1, seconds=1)),
        unit_of_work() as uow,
        pytest.raises(Unauthenticated),
    ):
        auth.resolve_api_token(uow, raw2)
    # Someone else's token is "not found"; nobody mints a token for another person (only a
    # global admin, for a service account: tests/security/test_auth_security.py).
    with unit_of_work() as uow, pytest.raises(NotFound):
        auth.revoke_api_token(uow, actor("csr.mbr@vcc.example"), view.id)
    for creator in (a, actor("admin@vcc.example")):
        with unit_of_work() as uow, pytest.raises(Forbidden):
            auth.create_api_token(uow, creator, user_id=user_id("csr.mbr@vcc.example"))


def _web_actor(email: str):
    return auth.authenticate(login(email).token), login


def test_impersonation_rules_and_audit(demo) -> None:
    token = login("admin@vcc.example").token
    admin = auth.authenticate(token)
    with unit_of_work() as uow, pytest.raises(Forbidden):
        auth.start_impersonation(uow, admin, user_id("ceo@vcc.example"))  # never the CEO
    with unit_of_work() as uow:
        acting = auth.start_impersonation(uow, admin, user_id(CSR))
    assert acting.impersonating and acting.email == CSR
    # The session now resolves to the CSR's scope, with the admin as the real user.
    resolved = auth.authenticate(token)
    assert resolved.user_id == user_id(CSR) and resolved.real_user_id == admin.user_id
    assert not resolved.scope.all_ventures
    with unit_of_work() as uow, pytest.raises(Forbidden):
        auth.start_impersonation(uow, resolved, user_id("csr.mbr@vcc.example"))  # no nesting
    with unit_of_work() as uow:
        back = auth.stop_impersonation(uow, resolved)
    assert not back.impersonating and auth.authenticate(token).email == "admin@vcc.example"
    with read_only() as uow:
        rows = list(
            uow.session.execute(
                select(AuditLog)
                .where(AuditLog.action.like("auth.impersonation%"))
                .order_by(AuditLog.id)
            ).scalars()
        )
    assert [r.action for r in rows] == ["auth.impersonation_start", "auth.impersonation_end"]
    assert rows[0].real_user_id == admin.user_id and rows[0].effective_user_id == user_id(CSR)

    csr = auth.authenticate(login(CSR).token)
    with unit_of_work() as uow, pytest.raises(Forbidden):
        auth.start_impersonation(uow, csr, user_id("csr.mbr@vcc.example"))


def test_deactivated_user_cannot_log_in_and_sessions_end(demo) -> None:
    from domain.access.scope import system_actor
    from domain.org.services import deactivate_user

    token = login().token
    with unit_of_work() as uow:
        deactivate_user(uow, system_actor(uow.session), user_id(CSR))
    with pytest.raises(Unauthenticated):
        auth.authenticate(token)
    with pytest.raises(Unauthenticated):
        login()


def test_code_requests_are_limited_per_account_without_telling(demo, mailbox) -> None:
    # Past the limit the answer stays the same (an unknown address gets it too): no email.
    for _ in range(auth.MAX_CODES_PER_ACCOUNT + 1):
        with unit_of_work() as uow:
            auth.request_login_code(uow, CSR, ip="10.0.0.9")
    assert len(mailbox.messages) == auth.MAX_CODES_PER_ACCOUNT
    with clock.frozen(clock.now() + 2 * auth.RATE_WINDOW), unit_of_work() as uow:
        auth.request_login_code(uow, CSR, ip="10.0.0.9")
    assert len(mailbox.messages) == auth.MAX_CODES_PER_ACCOUNT + 1


def test_code_requests_are_rate_limited_per_address(demo, mailbox) -> None:
    from domain.errors import RateLimited

    for i in range(auth.MAX_CODES_PER_IP):
        with unit_of_work() as uow:
            auth.request_login_code(uow, f"nobody{i}@vcc.example", ip="10.0.0.10")
    with unit_of_work() as uow, pytest.raises(RateLimited) as err:
        auth.request_login_code(uow, CSR, ip="10.0.0.10")
    assert err.value.http_status == 429
    assert mailbox.messages == []


def test_failures_are_rate_limited_per_address_across_accounts(demo) -> None:
    from domain.errors import RateLimited

    for i in range(auth.MAX_FAILURES_PER_IP):
        with unit_of_work() as uow, pytest.raises(Unauthenticated):
            auth.login_with_password(uow, f"x{i}@vcc.example", "a wrong guess", ip="203.0.113.7")
    with unit_of_work() as uow, pytest.raises(RateLimited):
        auth.login_with_password(uow, CSR, DEMO_PASSWORD, ip="203.0.113.7")
    with unit_of_work() as uow, pytest.raises(RateLimited):
        auth.request_login_code(uow, CSR, ip="203.0.113.7")
    # Another address is unaffected, and successes do not count as failures.
    for _ in range(auth.MAX_FAILURES_PER_IP + 1):
        with unit_of_work() as uow:
            auth.login_with_password(uow, CSR, DEMO_PASSWORD, ip="203.0.113.8")
    # The limit lifts by itself.
    with clock.frozen(clock.now() + 2 * auth.RATE_WINDOW), unit_of_work() as uow:
        auth.login_with_password(uow, CSR, DEMO_PASSWORD, ip="203.0.113.7")
