"""Authentication, from the security review: API tokens for other users, the lockout and the
per-address limit under parallel attempts, production start-up and secrets in logs, and what a
failed sign-in answers and records.

The spec (access.md, Authentication): tokens are created by the user, or by an admin for a
service account, never as a way around the impersonation rules; 5 consecutive failures lock an
account for 15 minutes (both methods) and the lock is audited; platform.md: a fake provider in
production is a configuration error at start, rate limits per account and per IP.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import Engine, create_engine, select

from domain.access import auth
from domain.access.models import ApiToken, AuditLog
from domain.access.scope import SYSTEM_EMAIL, system_actor
from domain.db import read_only, unit_of_work
from domain.demo import DEMO_PASSWORD
from domain.errors import DomainError, Invalid, RateLimited, Unauthenticated
from domain.org import services as org_services
from domain.org.models import User
from domain.org.services import create_user
from tests.api.conftest import as_user, assert_error, bearer, seed_org, session_token
from tests.helpers import actor, user_id

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

    from tests.conftest import TestDatabase

CSR = "csr.afl@vcc.example"
SERVICE = "etl.bot@vcc.example"


@pytest.fixture
def auth_org(db: TestDatabase) -> TestDatabase:
    """The demo organisation (every demo login), on each database."""
    seed_org(db)
    return db


@pytest.fixture
def auth_client() -> Iterator[TestClient]:
    import warnings

    with warnings.catch_warnings():  # starlette's notice about httpx, raised on import
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from rxapp.api import api

    with TestClient(api) as c:
        yield c


def make_service_account(
    email: str = SERVICE, role: str = "AUDITOR", by: str = "admin@vcc.example"
) -> int:
    with unit_of_work() as uow:
        view = create_user(
            uow,
            actor(by),
            {"email": email, "name": "ETL bot", "role": role, "is_service_account": True},
        )
    return view.id


def tokens_of(uid: int) -> list[ApiToken]:
    with read_only() as uow:
        return list(uow.session.execute(select(ApiToken).where(ApiToken.user_id == uid)).scalars())


def audit_rows(action: str | None = None) -> list[AuditLog]:
    with read_only() as uow:
        stmt = select(AuditLog).order_by(AuditLog.id)
        if action:
            stmt = stmt.where(AuditLog.action == action)
        return list(uow.session.execute(stmt).scalars())


# -- 1. API tokens for another user ------------------------------------------------------------


def test_an_admin_cannot_mint_a_token_for_the_ceo_or_any_other_person(
    auth_org, auth_client: TestClient
) -> None:
    admin = as_user("admin@vcc.example")
    for email in ("ceo@vcc.example", "coo@vcc.example", "hr@vcc.example", CSR):
        target = user_id(email)
        resp = auth_client.post(
            "/api/v1/auth/tokens", json={"user_id": target, "days": 1}, headers=admin
        )
        assert_error(resp, 403, "forbidden")
        assert tokens_of(target) == [], email
    # The CEO cannot mint one for a person either (not even for an admin).
    resp = auth_client.post(
        "/api/v1/auth/tokens",
        json={"user_id": user_id("admin@vcc.example")},
        headers=as_user("ceo@vcc.example"),
    )
    assert_error(resp, 403, "forbidden")
    assert audit_rows("auth.token_created") == []


def test_a_global_admin_mints_a_token_for_a_service_account(
    auth_org, auth_client: TestClient
) -> None:
    bot = make_service_account()
    for email in ("admin@vcc.example", "ceo@vcc.example"):
        resp = auth_client.post(
            "/api/v1/auth/tokens", json={"user_id": bot, "name": "etl"}, headers=as_user(email)
        )
        assert resp.status_code == 201, resp.text
        raw = resp.json()["raw_token"]
        me = auth_client.get("/api/v1/me", headers=bearer(raw)).json()
        assert (me["user"]["email"], me["impersonating"], me["auth"]) == (SERVICE, False, "token")
    rows = tokens_of(bot)
    assert [r.created_by_id for r in rows] == [
        user_id("admin@vcc.example"),
        user_id("ceo@vcc.example"),
    ]
    # The service account never signs in: its admins list and revoke its tokens.
    admin = as_user("admin@vcc.example")
    listed = auth_client.get(f"/api/v1/auth/tokens?user_id={bot}", headers=admin).json()["items"]
    assert [t["id"] for t in listed] == [r.id for r in rows]
    resp = auth_client.delete(f"/api/v1/auth/tokens/{rows[0].id}", headers=admin)
    assert resp.status_code == 200 and resp.json()["revoked_at"]
    # Nobody lists a person's tokens but the person.
    for target in (user_id(CSR), user_id("ceo@vcc.example")):
        resp = auth_client.get(f"/api/v1/auth/tokens?user_id={target}", headers=admin)
        assert_error(resp, 403, "forbidden")


def test_only_global_admins_mint_service_account_tokens(auth_org, auth_client: TestClient) -> None:
    bot = make_service_account()
    for email in ("hr@vcc.example", "coo@vcc.example", CSR):
        resp = auth_client.post(
            "/api/v1/auth/tokens", json={"user_id": bot}, headers=as_user(email)
        )
        assert_error(resp, 403, "forbidden")
    assert tokens_of(bot) == []
    # A user id that does not exist is not found, as everywhere else.
    resp = auth_client.post(
        "/api/v1/auth/tokens", json={"user_id": 987654}, headers=as_user("admin@vcc.example")
    )
    assert_error(resp, 404, "not_found")


def test_an_admin_acting_as_someone_cannot_mint_tokens_for_others(auth_org) -> None:
    bot = make_service_account()
    admin = auth.authenticate(session_token("admin@vcc.example"))
    with unit_of_work() as uow:
        acting = auth.start_impersonation(uow, admin, user_id(CSR))
    with unit_of_work() as uow, pytest.raises(DomainError) as err:
        auth.create_api_token(uow, acting, user_id=bot)
    assert err.value.http_status == 403
    assert tokens_of(bot) == []


def test_no_token_acts_as_a_ceo_role_service_account_or_the_system_account(auth_org) -> None:
    ceo_bot = make_service_account("ceo.bot@vcc.example", role="CEO", by="ceo@vcc.example")
    with unit_of_work() as uow:
        system_id = system_actor(uow.session).user_id
    for target in (ceo_bot, system_id):
        for email in ("admin@vcc.example", "ceo@vcc.example"):
            with unit_of_work() as uow, pytest.raises(DomainError) as err:
                auth.create_api_token(uow, actor(email), user_id=target)
            assert err.value.http_status in (403, 404), (target, email)
        assert tokens_of(target) == []


def test_a_service_account_cannot_mint_tokens_for_itself(auth_org, auth_client: TestClient) -> None:
    bot = make_service_account()
    with unit_of_work() as uow:
        _, raw = auth.create_api_token(uow, actor("admin@vcc.example"), user_id=bot, days=1)
    resp = auth_client.post("/api/v1/auth/tokens", json={"days": 366}, headers=bearer(raw))
    assert_error(resp, 403, "forbidden")
    assert len(tokens_of(bot)) == 1


def test_a_service_account_never_signs_in_interactively(auth_org, mailbox) -> None:
    """Decision: a service account uses API tokens only. A password or code sign-in answers
    exactly like an unknown address, no code is emailed, and no password can be set on one."""
    bot = make_service_account()
    with unit_of_work() as uow, pytest.raises(Invalid) as err:
        org_services.set_password(uow, actor("admin@vcc.example"), bot, "a long bot passphrase 1")
    assert "password" in err.value.fields
    # Even with a password hash in place (an old row), it is never accepted.
    from domain.access.passwords import hash_password

    with unit_of_work() as uow:
        uow.session.get(User, bot).password_hash = hash_password("a long bot passphrase 1")  # type: ignore[union-attr]
    with unit_of_work() as uow, pytest.raises(Unauthenticated) as bot_err:
        auth.login_with_password(uow, SERVICE, "a long bot passphrase 1")
    with unit_of_work() as uow, pytest.raises(Unauthenticated) as unknown_err:
        auth.login_with_password(uow, "nobody@vcc.example", "a long bot passphrase 1")
    assert bot_err.value.message == unknown_err.value.message
    with unit_of_work() as uow:
        auth.request_login_code(uow, SERVICE)
    assert mailbox.messages == []
    with unit_of_work() as uow, pytest.raises(Unauthenticated):
        auth.login_with_code(uow, SERVICE, "123456")


# -- 2. lockout and per-address limit under parallel attempts (PostgreSQL) ----------------------


@pytest.fixture
def auth_pg(auth_org: TestDatabase) -> Iterator[Engine]:
    """The organisation on PostgreSQL (its users are ``postgres_only``), and an engine with a
    connection for every thread."""
    assert auth_org.backend == "postgresql"
    engine = create_engine(auth_org.url, pool_size=50, max_overflow=0)
    conns = [engine.connect() for _ in range(45)]  # open them before the race
    for c in conns:
        c.close()
    yield engine
    engine.dispose()


@pytest.fixture
def auth_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the real password verifications (against a stored hash)."""
    calls: list[int] = []
    lock = threading.Lock()
    real = auth.verify_password

    def counting(password_hash: str | None, password: str) -> bool:
        if password_hash:
            with lock:
                calls.append(1)
        return real(password_hash, password)

    monkeypatch.setattr(auth, "verify_password", counting)
    return calls


def burst(engine: Engine, n: int, fn: Callable[[Any, int], Any]) -> list[Any]:
    """Run ``fn(uow, i)`` in ``n`` threads, each in its own unit of work and connection,
    released together by a barrier; returns each result or exception."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        barrier.wait()
        try:
            with unit_of_work(engine) as uow:
                results[i] = fn(uow, i)
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def _user(email: str) -> User:
    with read_only() as uow:
        return uow.session.execute(select(User).where(User.email == email)).scalar_one()


@pytest.mark.postgres_only
def test_parallel_wrong_passwords_lock_after_at_most_five_checks(
    auth_pg: Engine, auth_checks: list[int]
) -> None:
    for _round in range(2):
        results = burst(
            auth_pg,
            20,
            lambda uow, i: auth.login_with_password(uow, CSR, f"wrong password {i}", ip=None),
        )
        assert all(isinstance(r, Unauthenticated) for r in results), results
        assert len({r.message for r in results}) == 1
    assert len(auth_checks) <= auth.MAX_FAILED_ATTEMPTS, f"{len(auth_checks)} passwords checked"
    user = _user(CSR)
    assert user.failed_attempts == auth.MAX_FAILED_ATTEMPTS and user.locked_until is not None
    assert len(audit_rows("auth.lock")) == 1
    assert len(audit_rows("auth.login_failed")) == 40  # every attempt is recorded once
    # Locked: the right password is not even checked.
    with unit_of_work() as uow, pytest.raises(Unauthenticated):
        auth.login_with_password(uow, CSR, DEMO_PASSWORD)
    assert len(auth_checks) <= auth.MAX_FAILED_ATTEMPTS


@pytest.mark.postgres_only
def test_parallel_wrong_codes_count_every_failure_and_lock_once(auth_pg: Engine) -> None:
    results = burst(auth_pg, 20, lambda uow, i: auth.login_with_code(uow, CSR, f"{i:06d}"))
    assert all(isinstance(r, Unauthenticated) for r in results), results
    user = _user(CSR)
    assert user.failed_attempts == auth.MAX_FAILED_ATTEMPTS and user.locked_until is not None
    assert len(audit_rows("auth.lock")) == 1


@pytest.mark.postgres_only
def test_parallel_failures_from_one_address_stop_at_the_limit(
    auth_pg: Engine, auth_checks: list[int]
) -> None:
    n = auth.MAX_FAILURES_PER_IP + 10
    emails = [f"nobody{i}@vcc.example" for i in range(n - 5)] + [CSR] * 5
    results = burst(
        auth_pg,
        n,
        lambda uow, i: auth.login_with_password(uow, emails[i], "guess 1234567", ip="198.51.100.7"),
    )
    limited = [r for r in results if isinstance(r, RateLimited)]
    refused = [r for r in results if isinstance(r, Unauthenticated)]
    assert (len(refused), len(limited)) == (auth.MAX_FAILURES_PER_IP, 10), results


@pytest.mark.postgres_only
def test_a_code_sent_twice_at_once_opens_one_session(auth_pg: Engine, mailbox) -> None:
    with unit_of_work() as uow:
        auth.request_login_code(uow, CSR)
    code = re.search(r"\b(\d{6})\b", mailbox.last_to(CSR).body)[1]  # type: ignore[index]
    results = burst(auth_pg, 10, lambda uow, i: auth.login_with_code(uow, CSR, code))
    sessions = [r for r in results if isinstance(r, auth.LoginResult)]
    assert len(sessions) == 1, results
    assert all(isinstance(r, Unauthenticated) for r in results if r not in sessions)


# -- 5. production start-up and secrets in logs ------------------------------------------------


GOOD_PRODUCTION = {
    "VCC_ENV": "production",
    "DATABASE_URL": "postgresql://vcc_app:Xk9-long-random-pass@db.internal/vcc",
    "VCC_EMAIL_PROVIDER": "sendgrid",
    "SENDGRID_API_KEY": "SG.a-real-looking-key.0123456789abcdef",
    "VCC_SMS_PROVIDER": "twilio",
    "TWILIO_ACCOUNT_SID": "AC0123456789abcdef0123456789abcdef",
    "TWILIO_AUTH_TOKEN": "f3a9c1d27e4b8a6d5c0e9f1b2a3c4d5e",
    "TWILIO_FROM_NUMBER": "+15557654321",
    "VCC_FMCSA_PROVIDER": "fmcsa",
    "FMCSA_WEBKEY": "9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c",
}


@pytest.fixture
def auth_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Any]]:
    """Set a production environment (overrides), read the settings fresh, and restore."""
    from domain.settings import get_settings, reset_settings

    def load(**overrides: str | None) -> Any:
        for key, value in (GOOD_PRODUCTION | overrides).items():
            if value is None:
                monkeypatch.delenv(key, raising=False)
            else:
                monkeypatch.setenv(key, value)
        reset_settings()
        return get_settings()

    yield load
    monkeypatch.undo()
    reset_settings()


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        ({"VCC_EMAIL_PROVIDER": "fake"}, "VCC_EMAIL_PROVIDER"),
        ({"VCC_EMAIL_PROVIDER": None}, "VCC_EMAIL_PROVIDER"),  # the default is the fake
        ({"SENDGRID_API_KEY": None}, "SENDGRID_API_KEY"),
        ({"SENDGRID_API_KEY": "changeme"}, "SENDGRID_API_KEY"),
        ({"VCC_SMS_PROVIDER": "fake"}, "VCC_SMS_PROVIDER"),
        ({"TWILIO_ACCOUNT_SID": None}, "TWILIO_ACCOUNT_SID"),
        ({"TWILIO_AUTH_TOKEN": None}, "TWILIO_AUTH_TOKEN"),
        ({"TWILIO_FROM_NUMBER": None}, "TWILIO_FROM_NUMBER"),
        ({"TWILIO_AUTH_TOKEN": "changeme"}, "TWILIO_AUTH_TOKEN"),
        ({"VCC_FMCSA_PROVIDER": None}, "VCC_FMCSA_PROVIDER"),  # the default is the fake
        ({"FMCSA_WEBKEY": None}, "FMCSA_WEBKEY"),
        ({"DATABASE_URL": None}, "DATABASE_URL"),  # the embedded SQLite default
        ({"DATABASE_URL": "postgresql://vcc:vcc@db/vcc"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgresql://postgres:postgres@db/vcc"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgresql://app:password@db/vcc"}, "DATABASE_URL"),
    ],
)
def test_production_refuses_fakes_and_missing_or_default_secrets(
    auth_env: Callable[..., Any], overrides: dict[str, str | None], variable: str
) -> None:
    from domain.settings import ConfigurationError

    with pytest.raises(ConfigurationError) as err:
        auth_env(**overrides)
    assert variable in str(err.value)


def test_production_problems_are_all_named_at_once(auth_env: Callable[..., Any]) -> None:
    from domain.settings import ConfigurationError

    with pytest.raises(ConfigurationError) as err:
        auth_env(VCC_EMAIL_PROVIDER="fake", VCC_SMS_PROVIDER="fake", DATABASE_URL=None)
    for variable in ("VCC_EMAIL_PROVIDER", "VCC_SMS_PROVIDER", "DATABASE_URL"):
        assert variable in str(err.value)


def test_demo_and_test_still_run_on_the_fakes(auth_env: Callable[..., Any]) -> None:
    for env in ("demo", "test"):
        settings = auth_env(VCC_ENV=env, VCC_EMAIL_PROVIDER="fake", DATABASE_URL=None)
        assert settings.env == env


def test_the_web_app_and_vcc_serve_refuse_to_start_in_production_on_a_fake(
    tmp_path, auth_env: Callable[..., Any]
) -> None:
    from domain.settings import ConfigurationError

    # The web app's start-up check (its lifespan task) reads the configuration first.
    from rxapp.rxapp import _refuse_unmigrated_database
    from tests.integration.test_cli import ROOT

    with pytest.raises(ConfigurationError, match="VCC_EMAIL_PROVIDER"):
        auth_env(VCC_EMAIL_PROVIDER="fake")
    with pytest.raises(ConfigurationError, match="VCC_EMAIL_PROVIDER"):
        _refuse_unmigrated_database()

    import os
    import subprocess
    import sys

    env = {**os.environ, **GOOD_PRODUCTION, "VCC_EMAIL_PROVIDER": "fake"}
    r = subprocess.run(
        [sys.executable, "-m", "domain.cli", "serve"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert r.stderr.startswith("error: ") and r.stderr.count("\n") == 1, r.stderr
    assert "VCC_EMAIL_PROVIDER" in r.stderr


def test_no_log_line_carries_a_code_a_password_or_a_token(
    auth_org, auth_client: TestClient, mailbox, caplog: pytest.LogCaptureFixture
) -> None:
    from domain.observability.logs import JsonFormatter

    caplog.set_level(logging.DEBUG)
    email = "manager.hotels@vcc.example"
    wrong = "Not-The-Passphrase-4417"
    secrets: list[str] = [DEMO_PASSWORD, wrong]
    with unit_of_work() as uow:
        auth.request_login_code(uow, email, ip="10.1.1.1")
    msg = mailbox.last_to(email)
    code = re.search(r"\b(\d{6})\b", msg.body)[1]  # type: ignore[index]
    secrets.append(code)
    assert code not in msg.subject
    with unit_of_work() as uow:
        secrets.append(auth.login_with_code(uow, email, code, ip="10.1.1.1").token)
    with unit_of_work() as uow, pytest.raises(Unauthenticated):
        auth.login_with_password(uow, email, wrong, ip="10.1.1.1")
    with unit_of_work() as uow:
        session = auth.login_with_password(uow, email, DEMO_PASSWORD, ip="10.1.1.1").token
    secrets.append(session)
    resp = auth_client.post("/api/v1/auth/tokens", json={"name": "logs"}, headers=bearer(session))
    raw = resp.json()["raw_token"]
    secrets.append(raw)
    assert auth_client.get("/api/v1/me", headers=bearer(raw)).status_code == 200

    assert caplog.records, "the flow logs something (the check below is not vacuous)"
    formatter = JsonFormatter()
    lines = [formatter.format(r) for r in caplog.records] + [caplog.text]
    lines += [json.dumps(vars(r), default=repr) for r in caplog.records]
    for secret in secrets:
        leaking = [line for line in lines if secret in line]
        assert leaking == [], f"{secret[:4]}... in the log: {leaking[:1]}"


# -- 8. what a failed sign-in answers and records ------------------------------------------------


def _refusal(fn: Callable[[Any], Any]) -> tuple[Any, ...]:
    with unit_of_work() as uow, pytest.raises(DomainError) as err:
        fn(uow)
    e = err.value
    return (
        type(e),
        e.http_status,
        e.message,
        getattr(e, "reason", None),
        getattr(e, "until", None),
    )


def test_locked_unknown_and_wrong_password_answer_alike(auth_org, mailbox) -> None:
    from rxapp.state.login import _message

    locked = "carriers.afl@vcc.example"
    for i in range(auth.MAX_FAILED_ATTEMPTS):
        with unit_of_work() as uow, pytest.raises(Unauthenticated):
            auth.login_with_password(uow, locked, f"wrong password {i}")
    assert _user(locked).locked_until is not None

    answers = {
        "locked, right password": _refusal(
            lambda uow: auth.login_with_password(uow, locked, DEMO_PASSWORD)
        ),
        "locked, wrong password": _refusal(
            lambda uow: auth.login_with_password(uow, locked, "wrong again 12")
        ),
        "unknown email": _refusal(
            lambda uow: auth.login_with_password(uow, "nobody@vcc.example", "wrong again 12")
        ),
        "wrong password": _refusal(
            lambda uow: auth.login_with_password(uow, CSR, "wrong again 12")
        ),
    }
    assert len(set(answers.values())) == 1, answers
    (kind, status, message, _reason, until) = answers["unknown email"]
    assert (kind, status, until) == (Unauthenticated, 401, None)
    assert not re.search(r"\d\d:\d\d", message)  # no unlock time

    codes = {
        "locked": _refusal(lambda uow: auth.login_with_code(uow, locked, "123456")),
        "unknown": _refusal(lambda uow: auth.login_with_code(uow, "nobody@vcc.example", "123456")),
        "wrong": _refusal(lambda uow: auth.login_with_code(uow, CSR, "123456")),
    }
    assert len(set(codes.values())) == 1, codes

    # Asking for a code: a locked account answers like an unknown address, and gets no email.
    with unit_of_work() as uow:
        auth.request_login_code(uow, locked)
    with unit_of_work() as uow:
        auth.request_login_code(uow, "nobody@vcc.example")
    assert mailbox.messages == []

    # The sign-in page words them alike too.
    errors = []
    for email, password in ((locked, DEMO_PASSWORD), ("nobody@vcc.example", "x" * 12)):
        with unit_of_work() as uow:
            try:
                auth.login_with_password(uow, email, password)
            except DomainError as exc:
                errors.append(_message(exc))
    assert errors[0] == errors[1]


def test_the_per_account_code_limit_does_not_tell_an_account_exists(auth_org, mailbox) -> None:
    for _ in range(auth.MAX_CODES_PER_ACCOUNT + 2):
        with unit_of_work() as uow:
            auth.request_login_code(uow, CSR)
        with unit_of_work() as uow:
            auth.request_login_code(uow, "nobody@vcc.example")
    assert len(mailbox.messages) == auth.MAX_CODES_PER_ACCOUNT


def test_a_failed_sign_in_records_no_typed_identifier_of_an_unknown_account(auth_org) -> None:
    pasted = "Correct-Horse-Battery-Staple-9"  # a password pasted into the email field
    with unit_of_work() as uow, pytest.raises(Unauthenticated):
        auth.login_with_password(uow, pasted, "whatever 12345", ip="10.2.2.2")
    with unit_of_work() as uow, pytest.raises(Unauthenticated):
        auth.login_with_code(uow, pasted + "@x.example", "123456", ip="10.2.2.2")
    rows = audit_rows("auth.login_failed")
    assert len(rows) == 2
    for row in rows:
        text = json.dumps([row.detail, row.entity_id, row.entity_type])
        assert pasted.lower() not in text.lower(), text
        assert row.real_user_id is None
    # A known account's failure names the account (its id), whatever the case typed.
    with unit_of_work() as uow, pytest.raises(Unauthenticated):
        auth.login_with_password(uow, "  CSR.AFL@vcc.example ", "whatever 12345", ip="10.2.2.2")
    assert audit_rows("auth.login_failed")[-1].real_user_id == user_id(CSR)


def test_the_system_account_never_signs_in(auth_org) -> None:
    with unit_of_work() as uow:
        system_actor(uow.session)
    with unit_of_work() as uow, pytest.raises(Unauthenticated):
        auth.login_with_password(uow, SYSTEM_EMAIL, "anything at all 1")
