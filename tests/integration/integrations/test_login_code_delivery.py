"""Sign-in codes through SendGrid: the code row is committed before the email leaves, and a send
failure answers "we could not send the code" in words that say nothing about the account."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer
from sqlmodel import col, select

from domain.access import auth
from domain.access.models import LoginCode
from domain.db import read_only, unit_of_work
from domain.errors import ServiceUnavailable
from domain.integrations.email import set_email_sender
from domain.integrations.http import ProviderUnavailable, breaker
from domain.integrations.sendgrid import SendGridEmailSender
from tests.helpers import user_id

CSR = "csr.afl@vcc.example"
NOBODY = "nobody@vcc.example"


@pytest.fixture
def sendgrid(httpserver: HTTPServer) -> Iterator[SendGridEmailSender]:
    sender = SendGridEmailSender(
        "SG.key", "no-reply@vcc.example", httpserver.url_for("/").rstrip("/"), sleep=lambda s: None
    )
    set_email_sender(sender)
    yield sender
    set_email_sender(None)


def _codes(email: str) -> int:
    with read_only() as uow:
        return len(
            uow.session.execute(
                select(LoginCode).where(col(LoginCode.user_id) == user_id(email))
            ).all()
        )


def test_the_code_is_committed_before_the_email_leaves(demo) -> None:
    seen: list[int] = []

    class Checking:
        provider = "sendgrid"

        def send(self, to: str, subject: str, body: str) -> str:
            seen.append(_codes(CSR))  # another connection already sees the code
            return "id-1"

    with unit_of_work() as uow:
        auth.request_login_code(uow, CSR, sender=Checking())
    assert seen == [1]


def test_a_send_failure_says_we_could_not_send_the_code(demo, httpserver, sendgrid) -> None:
    httpserver.expect_request("/v3/mail/send").respond_with_data("down", status=503)
    with pytest.raises(ServiceUnavailable) as err, unit_of_work() as uow:
        auth.request_login_code(uow, CSR)
    assert err.value.message == auth.CODE_NOT_SENT
    assert "could not send the code, try again" in err.value.message.lower()
    assert CSR not in err.value.message and "account" not in err.value.message.lower()
    assert len(httpserver.log) == 3  # retried like every provider call
    assert _codes(CSR) == 1  # the code stays committed; a new request replaces it


def test_while_the_breaker_is_open_every_address_gets_the_same_answer(
    demo, httpserver, sendgrid
) -> None:
    cb = breaker("sendgrid")
    for _ in range(5):
        with pytest.raises(ProviderUnavailable):
            cb.call(_fail)
    assert cb.current_state == "open"
    answers = []
    for email in (CSR, NOBODY):
        with pytest.raises(ServiceUnavailable) as err, unit_of_work() as uow:
            auth.request_login_code(uow, email)
        answers.append((type(err.value), err.value.message, err.value.http_status))
    assert answers[0] == answers[1]
    assert httpserver.log == [] and _codes(CSR) == 0  # nothing sent, nothing stored


def _fail() -> None:
    raise ProviderUnavailable("sendgrid", "HTTP 503")
