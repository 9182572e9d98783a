"""FIRST_DAILY_LOGIN (spec: 1 point, the user in each of their ventures, once per venture and
business date) through the real logins: password, email code, and a session resumed on a new
business day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain import clock
from domain.access import auth
from domain.db import unit_of_work
from domain.demo import DEMO_PASSWORD
from tests.helpers import user_id, venture_id
from tests.integration.gamification.conftest import awards, balance, event_sum, set_config

DISPATCHER = "dispatch.rtr@vcc.example"  # member of AFL and RTR
CSR = "csr.afl@vcc.example"  # member of AFL only
AT = datetime(2026, 11, 10, 15, 0, tzinfo=UTC)  # 10:00 in New York


def _login(email: str) -> auth.LoginResult:
    with unit_of_work() as uow:
        return auth.login_with_password(uow, email, DEMO_PASSWORD, ip="10.0.0.1")


def _logins(email: str) -> list[tuple[int, str]]:
    uid = user_id(email)
    return sorted(
        (a.venture_id, a.idempotency_key) for a in awards("FIRST_DAILY_LOGIN") if a.user_id == uid
    )


def test_a_login_awards_once_in_each_venture_of_the_day(db, demo) -> None:
    uid = user_id(DISPATCHER)
    with clock.frozen(AT):
        _login(DISPATCHER)
    got = _logins(DISPATCHER)
    assert [v for v, _ in got] == sorted([venture_id("AFL"), venture_id("RTR")])
    assert all(k.startswith(f"first-login:{uid}:") for _, k in got)
    assert all(a.points == 1 for a in awards("FIRST_DAILY_LOGIN"))
    with clock.frozen(AT + timedelta(hours=2)):
        _login(DISPATCHER)  # the same business date: nothing more
    assert _logins(DISPATCHER) == got
    for code in ("AFL", "RTR"):
        assert balance(uid, venture_id(code)) == event_sum(uid, venture_id(code))


def test_an_email_code_login_the_next_day_awards_again(db, demo, mailbox) -> None:
    with clock.frozen(AT):
        _login(CSR)
    with clock.frozen(AT + timedelta(days=1)):
        with unit_of_work() as uow:
            auth.request_login_code(uow, CSR)
        body = mailbox.last_to(CSR).body  # type: ignore[attr-defined]
        code = next(w.rstrip(".") for w in body.split() if w.rstrip(".").isdigit())
        with unit_of_work() as uow:
            auth.login_with_code(uow, CSR, code)
    afl, uid = venture_id("AFL"), user_id(CSR)
    assert _logins(CSR) == [
        (afl, f"first-login:{uid}:{afl}:2026-11-10"),
        (afl, f"first-login:{uid}:{afl}:2026-11-11"),
    ]


def test_a_session_resumed_on_a_new_business_day_is_that_days_login(db, demo) -> None:
    late = datetime(2026, 11, 10, 4, 0, tzinfo=UTC)  # 23:00 on 9 Nov in New York
    with clock.frozen(late):
        token = _login(CSR).token
    with clock.frozen(late + timedelta(minutes=30)):
        auth.authenticate(token)  # still 9 Nov in New York: no new login
    with clock.frozen(late + timedelta(hours=2)):
        auth.authenticate(token)  # 01:00 on 10 Nov: a new business day
    afl, uid = venture_id("AFL"), user_id(CSR)
    assert _logins(CSR) == [
        (afl, f"first-login:{uid}:{afl}:2026-11-09"),
        (afl, f"first-login:{uid}:{afl}:2026-11-10"),
    ]


def test_a_disabled_venture_gives_no_login_point_and_the_other_venture_still_does(db, demo) -> None:
    afl, rtr = venture_id("AFL"), venture_id("RTR")
    set_config(rtr, enabled=False)
    with clock.frozen(AT):
        _login(DISPATCHER)
    assert [v for v, _ in _logins(DISPATCHER)] == [afl]
    set_config(rtr, enabled=True)  # enabled again: the next day's login counts there too
    with clock.frozen(AT + timedelta(days=1)):
        _login(DISPATCHER)
    uid = user_id(DISPATCHER)
    assert sorted(v for v, _ in _logins(DISPATCHER)) == sorted([afl, afl, rtr])
    assert balance(uid, rtr) == event_sum(uid, rtr) == 1
