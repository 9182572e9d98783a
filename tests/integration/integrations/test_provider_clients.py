"""The real FMCSA, SendGrid and Twilio clients against a local server that fails on purpose.

Every call: at most 3 attempts, retried only on timeouts, connection errors, 429 and 5xx, never
sooner than Retry-After; a breaker per provider that opens after 5 consecutive failures, fails
fast, lets a trial call through 30 s later (a test clock moves time, nothing sleeps) and closes
on its success. Waits are recorded by the client's ``sleep`` instead of slept.
"""

from __future__ import annotations

import json
import socket
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from domain import clock
from domain.integrations.fmcsa import FmcsaClient
from domain.integrations.http import (
    ProviderBadResponse,
    ProviderCircuitOpen,
    ProviderRejected,
    ProviderUnavailable,
    breaker,
    breaker_states,
)
from domain.integrations.sendgrid import SendGridEmailSender
from domain.integrations.twilio import TwilioSmsSender
from tests.integration.integrations.conftest import TwilioServer

T0 = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)


def _sendgrid(server: HTTPServer, waits: list[float], **kw: Any) -> SendGridEmailSender:
    return SendGridEmailSender(
        "SG.key", "no-reply@vcc.example", server.url_for("/").rstrip("/"), sleep=waits.append, **kw
    )


def _fmcsa(server: HTTPServer, waits: list[float] | None = None, **kw: Any) -> FmcsaClient:
    sleep = waits.append if waits is not None else (lambda s: None)
    return FmcsaClient("webkey-123", server.url_for("/qc/services"), sleep=sleep, **kw)


def _carrier(**fields: Any) -> dict[str, Any]:
    carrier = {
        "dotNumber": 1234567,
        "legalName": "Acme Hauling LLC",
        "allowedToOperate": "Y",
        "commonAuthorityStatus": "A",
        "contractAuthorityStatus": "N",
        "safetyRating": "S",
        "bipdInsuranceOnFile": "750",
    } | fields
    return {"content": {"carrier": carrier}}


MAIL = "/v3/mail/send"


def _accepted(server: HTTPServer) -> None:
    server.expect_ordered_request(MAIL, method="POST").respond_with_data(
        "", status=202, headers={"X-Message-Id": "sg-msg-1"}
    )


# -- retries --------------------------------------------------------------------------------------


def test_a_burst_of_5xx_then_success_is_retried_with_growing_jittered_waits(httpserver) -> None:
    httpserver.expect_ordered_request(MAIL, method="POST").respond_with_data("oops", status=503)
    httpserver.expect_ordered_request(MAIL, method="POST").respond_with_data("oops", status=502)
    _accepted(httpserver)
    waits: list[float] = []
    assert _sendgrid(httpserver, waits).send("a@x.example", "Hi", "Body") == "sg-msg-1"
    assert len(httpserver.log) == 3
    assert len(waits) == 2 and all(0 <= w <= 8 for w in waits)
    sent = json.loads(httpserver.log[-1][0].get_data())
    assert sent["personalizations"][0]["to"] == [{"email": "a@x.example"}]
    assert httpserver.log[-1][0].headers["Authorization"] == "Bearer SG.key"


def test_at_most_three_attempts_then_the_error_says_why(httpserver) -> None:
    httpserver.expect_request(MAIL).respond_with_data("down", status=500)
    with pytest.raises(ProviderUnavailable, match="HTTP 500"):
        _sendgrid(httpserver, []).send("a@x.example", "Hi", "Body")
    assert len(httpserver.log) == 3


def test_429_waits_at_least_retry_after(httpserver) -> None:
    httpserver.expect_ordered_request(MAIL).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "7"}
    )
    _accepted(httpserver)
    waits: list[float] = []
    _sendgrid(httpserver, waits).send("a@x.example", "Hi", "Body")
    assert waits and waits[0] >= 7
    assert len(httpserver.log) == 2


def test_retry_after_as_an_http_date_is_honoured_too(httpserver) -> None:
    when = datetime.now(UTC) + timedelta(seconds=12)
    httpserver.expect_ordered_request(MAIL).respond_with_data(
        "", status=503, headers={"Retry-After": when.strftime("%a, %d %b %Y %H:%M:%S GMT")}
    )
    _accepted(httpserver)
    waits: list[float] = []
    _sendgrid(httpserver, waits).send("a@x.example", "Hi", "Body")
    assert 9 <= waits[0] <= 13


def test_a_retry_after_too_long_for_a_request_fails_now(httpserver) -> None:
    httpserver.expect_request(MAIL).respond_with_data(
        "", status=429, headers={"Retry-After": "3600"}
    )
    waits: list[float] = []
    with pytest.raises(ProviderUnavailable, match="429"):
        _sendgrid(httpserver, waits).send("a@x.example", "Hi", "Body")
    assert len(httpserver.log) == 1 and waits == []


def test_a_slow_answer_past_the_timeout_is_a_timeout_and_retried(httpserver) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.6)
        return Response("", status=202)

    httpserver.expect_request(MAIL).respond_with_handler(slow)
    started = time.monotonic()
    with pytest.raises(ProviderUnavailable, match=r"no answer within 0\.2 s"):
        _sendgrid(httpserver, [], timeout=0.2).send("a@x.example", "Hi", "Body")
    assert time.monotonic() - started < 2.5  # three short timeouts, never the server's pace


def test_connection_refused_is_retried_then_reported() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    waits: list[float] = []
    client = SendGridEmailSender(
        "SG.key", "no-reply@vcc.example", f"http://127.0.0.1:{port}", sleep=waits.append
    )
    with pytest.raises(ProviderUnavailable, match="connection failed"):
        client.send("a@x.example", "Hi", "Body")
    assert len(waits) == 2  # three attempts


def test_a_4xx_is_the_request_refused_not_retried_and_not_a_provider_failure(
    twilio: TwilioServer,
) -> None:
    twilio.rejected.add("+15550001111")
    sender = twilio.sender()
    with pytest.raises(ProviderRejected, match="not a valid phone number"):
        sender.send("+15550001111", "Load available")
    assert twilio.requests["+15550001111"] == 1
    assert breaker("twilio").fail_counter == 0
    assert sender.send("+15550002222", "Load available").startswith("SM")


# -- bad answers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("<html>Service page</html>", "unreadable"),  # not JSON
        (json.dumps([1, 2, 3]), "unreadable"),  # JSON, not an object
        (json.dumps({"content": None}), "no carrier record"),
        (json.dumps(_carrier(commonAuthorityStatus="Z")), "unknown authority status"),
        (json.dumps(_carrier(safetyRating="X")), "unknown safety rating"),
        (json.dumps(_carrier(allowedToOperate="maybe")), "allowedToOperate"),
        (json.dumps(_carrier(bipdInsuranceOnFile="lots")), "insurance"),
        (json.dumps({"content": {"carrier": {"dotNumber": 1}}}), "unreadable"),  # fields missing
    ],
)
def test_an_unreadable_fmcsa_answer_is_a_provider_error_never_a_good_carrier(
    httpserver, answer: str, reason: str
) -> None:
    httpserver.expect_request("/qc/services/carriers/1234567").respond_with_data(
        answer, status=200, content_type="application/json"
    )
    with pytest.raises(ProviderBadResponse, match=reason):
        _fmcsa(httpserver).lookup(dot_number="1234567")
    assert len(httpserver.log) == 1  # not retried
    assert breaker("fmcsa").fail_counter == 1  # but a failure of the provider


def test_twilio_201_without_a_sid_is_a_bad_answer(httpserver) -> None:
    httpserver.expect_request("/2010-04-01/Accounts/AC123/Messages.json").respond_with_json(
        {"status": "queued"}, status=201
    )
    sender = TwilioSmsSender(
        "AC123", "token", "+15550000000", httpserver.url_for("/").rstrip("/"), sleep=lambda s: None
    )
    with pytest.raises(ProviderBadResponse):
        sender.send("+15550001111", "x")


def test_fmcsa_snapshot_from_the_carrier_record(httpserver) -> None:
    httpserver.expect_request(
        "/qc/services/carriers/1234567", query_string={"webKey": "webkey-123"}
    ).respond_with_json(_carrier())
    httpserver.expect_request("/qc/services/carriers/docket-number/98765").respond_with_json(
        {
            "content": [
                _carrier(allowedToOperate="N", safetyRating=None, bipdInsuranceOnFile="0")[
                    "content"
                ]
            ]
        }
    )
    good = _fmcsa(httpserver).lookup(dot_number="1234567")
    assert (good.authority_status, good.safety_rating, good.insurance_on_file) == (
        "ACTIVE",
        "SATISFACTORY",
        True,
    )
    bad = _fmcsa(httpserver).lookup(mc_number="MC-98765")
    assert (bad.authority_status, bad.safety_rating, bad.insurance_on_file) == (
        "INACTIVE",
        "NOT_RATED",
        False,
    )


# -- the circuit breaker --------------------------------------------------------------------------


def test_breaker_opens_after_five_failures_fails_fast_half_opens_and_closes(httpserver) -> None:
    httpserver.expect_request("/qc/services/carriers/1234567").respond_with_data("", status=503)
    client = _fmcsa(httpserver)
    with clock.frozen(T0):
        with pytest.raises(ProviderUnavailable):
            client.lookup(dot_number="1234567")  # 3 failed attempts
        assert breaker("fmcsa").fail_counter == 3
        # Attempts 4 and 5 fail; the fifth opens the breaker, so no third attempt is made.
        with pytest.raises(ProviderCircuitOpen):
            client.lookup(dot_number="1234567")
        assert len(httpserver.log) == 5
        state = {s.provider: s for s in breaker_states()}["fmcsa"]
        assert state.state == "open" and state.opened_at == T0
        assert state.trial_at == T0 + timedelta(seconds=30)
        with pytest.raises(ProviderCircuitOpen):  # fails fast: the server sees nothing
            client.lookup(dot_number="1234567")
        assert len(httpserver.log) == 5
    with clock.frozen(T0 + timedelta(seconds=29)), pytest.raises(ProviderCircuitOpen):
        client.lookup(dot_number="1234567")
    assert len(httpserver.log) == 5

    httpserver.clear()
    httpserver.expect_request("/qc/services/carriers/1234567").respond_with_json(_carrier())
    with clock.frozen(T0 + timedelta(seconds=31)):
        assert {s.provider: s.state for s in breaker_states()}["fmcsa"] == "half-open"
        assert client.lookup(dot_number="1234567").authority_status == "ACTIVE"  # the trial
        assert {s.provider: s.state for s in breaker_states()}["fmcsa"] == "closed"
    assert len(httpserver.log) == 1


def test_a_failed_trial_call_opens_the_breaker_again(httpserver) -> None:
    httpserver.expect_request("/qc/services/carriers/1234567").respond_with_data("", status=500)
    client = _fmcsa(httpserver, attempts=1)
    with clock.frozen(T0):
        for _ in range(5):
            with pytest.raises(ProviderUnavailable):
                client.lookup(dot_number="1234567")
        assert breaker("fmcsa").current_state == "open"
    with clock.frozen(T0 + timedelta(seconds=31)):
        with pytest.raises(ProviderUnavailable):  # the trial went through and failed
            client.lookup(dot_number="1234567")
        assert len(httpserver.log) == 6
        assert breaker("fmcsa").current_state == "open"
        with pytest.raises(ProviderCircuitOpen):
            client.lookup(dot_number="1234567")
    assert len(httpserver.log) == 6


def test_breakers_are_per_provider(httpserver, twilio: TwilioServer) -> None:
    httpserver.expect_request("/qc/services/carriers/1234567").respond_with_data("", status=500)
    fmcsa = _fmcsa(httpserver, attempts=1)
    for _ in range(5):
        with pytest.raises(ProviderUnavailable):
            fmcsa.lookup(dot_number="1234567")
    states = {s.provider: s.state for s in breaker_states()}
    assert states == {"fmcsa": "open", "sendgrid": "closed", "twilio": "closed"}
    assert twilio.sender().send("+15550003333", "still works").startswith("SM")
