"""Provider servers for the client tests: pytest-httpserver answering like Twilio, SendGrid and
FMCSA, failing on purpose when told to. No database here unless a test asks for one."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from domain.integrations.http import reset_breakers


@pytest.fixture(autouse=True)
def _fresh_breakers() -> Iterator[None]:
    reset_breakers()
    yield
    reset_breakers()


class TwilioServer:
    """Answers ``POST /2010-04-01/Accounts/<sid>/Messages.json`` like Twilio, counting the
    requests per ``To`` number. Numbers in ``rejected`` get Twilio's 400 for a bad number;
    numbers in ``down`` get a 503 (every attempt)."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.requests: Counter[str] = Counter()
        self.rejected: set[str] = set()
        self.down: set[str] = set()
        self._lock = threading.Lock()
        self._n = 0
        server.expect_request(
            "/2010-04-01/Accounts/AC123/Messages.json", method="POST"
        ).respond_with_handler(self._handle)

    def _handle(self, request: Request) -> Response:
        to = request.form.get("To", "")
        with self._lock:
            self.requests[to] += 1
            self._n += 1
            n = self._n
        if to in self.rejected:
            body = {"code": 21211, "message": f"The 'To' number {to} is not a valid phone number."}
            return Response(json.dumps(body), status=400, content_type="application/json")
        if to in self.down:
            return Response("upstream busy", status=503)
        return Response(
            json.dumps({"sid": f"SM{n:032d}", "status": "queued", "to": to}),
            status=201,
            content_type="application/json",
        )

    def sender(self, **http: Any) -> Any:
        from domain.integrations.twilio import TwilioSmsSender

        http.setdefault("sleep", lambda s: None)
        return TwilioSmsSender(
            "AC123", "token-xyz", "+15550000000", self.server.url_for("/").rstrip("/"), **http
        )


@pytest.fixture
def twilio(httpserver: HTTPServer) -> TwilioServer:
    return TwilioServer(httpserver)
