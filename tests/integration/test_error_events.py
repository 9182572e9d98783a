"""Unhandled errors: counted per place and cause, readable by global admins only, sent to Sentry
only when SENTRY_DSN is set (checked against a local HTTP server standing in for Sentry)."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlmodel import select

from domain.db import read_only, use_database
from domain.errors import Forbidden, Invalid, NotFound
from domain.observability import errors as errmod
from domain.observability.errors import (
    ErrorFilter,
    get_error_event,
    list_error_events,
    record_error,
    stack_hash,
)
from domain.observability.models import ErrorEvent
from domain.pagination import decode_cursor
from domain.settings import reset_settings
from tests.helpers import actor, user_id


def _boom(order_id: int) -> None:
    raise ValueError(f"order {order_id} has no lines")


def _raised(fn, *args) -> Exception:
    try:
        fn(*args)
    except Exception as exc:
        return exc
    raise AssertionError("did not raise")


def _rows() -> list[ErrorEvent]:
    with read_only() as uow:
        return list(uow.session.execute(select(ErrorEvent).order_by(ErrorEvent.id)).scalars())


def test_one_row_per_place_and_cause_counted(demo) -> None:
    ceo = user_id("ceo@vcc.example")
    first = record_error(_raised(_boom, 1), kind="api", where="GET /api/v1/x", user_id=None)
    again = record_error(_raised(_boom, 2), kind="api", where="GET /api/v1/x", user_id=ceo)
    other = record_error(_raised(_boom, 3), kind="page", where="AuditState.load")
    assert first == again != other
    rows = _rows()
    assert [(r.kind, r.where, r.count) for r in rows] == [
        ("api", "GET /api/v1/x", 2),
        ("page", "AuditState.load", 1),
    ]
    api = rows[0]
    # the latest occurrence's message, stack and user; the first sighting kept
    assert api.message == "order 2 has no lines" and api.last_user_id == ceo
    assert api.error_type == "ValueError" and "_boom" in api.stack
    assert api.first_seen_at <= api.last_seen_at


def test_the_hash_ignores_the_message_but_not_the_code_path() -> None:
    a, b = _raised(_boom, 1), _raised(_boom, 99)
    assert stack_hash("api", "x", a) == stack_hash("api", "x", b)
    assert stack_hash("api", "x", a) != stack_hash("api", "y", a)
    assert stack_hash("api", "x", a) != stack_hash("api", "x", _raised({}.__getitem__, "k"))
    # The same type from another path through our code is another bug.
    deep = _raised(decode_cursor, "not-a-cursor", 2)  # raised inside domain/pagination.py
    assert isinstance(deep, Invalid)
    assert stack_hash("api", "x", deep) != stack_hash("api", "x", _raised(_invalid))


def _invalid() -> None:
    raise Invalid.field("cursor", "is not a cursor this list issued")


def test_recording_never_raises_when_the_database_is_gone(tmp_path) -> None:
    use_database(f"sqlite:///{tmp_path}/missing/dir/x.db")
    try:
        assert record_error(_raised(_boom, 1), kind="job", where="job x") is None
    finally:
        use_database(None)


def test_only_global_admins_read_errors(demo) -> None:
    record_error(_raised(_boom, 1), kind="api", where="GET /api/v1/x")
    record_error(_raised(_boom, 2), kind="job", where="job kpi-aggregate: ValueError")
    with read_only() as uow:
        ceo = actor("ceo@vcc.example")
        page = list_error_events(uow, ceo)
        assert [v.where for v in page.items] == ["job kpi-aggregate: ValueError", "GET /api/v1/x"]
        assert [v.where for v in list_error_events(uow, ceo, ErrorFilter(kind="api")).items] == [
            "GET /api/v1/x"
        ]
        found = list_error_events(uow, ceo, ErrorFilter(search="KPI-aggregate")).items
        assert [v.kind for v in found] == ["job"]
        assert get_error_event(uow, ceo, page.items[0].id).stack
        with pytest.raises(NotFound):
            get_error_event(uow, ceo, 987654)
        for email in ("coo@vcc.example", "hr@vcc.example", "auditor@vcc.example"):
            with pytest.raises(Forbidden):
                list_error_events(uow, actor(email))
            with pytest.raises(Forbidden):
                get_error_event(uow, actor(email), page.items[0].id)


# -- Sentry -------------------------------------------------------------------------------------


class _Sentry(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        if self.headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        _Sentry.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def sentry_server() -> Iterator[str]:
    _Sentry.received = []
    server = HTTPServer(("127.0.0.1", 0), _Sentry)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://public@127.0.0.1:{server.server_address[1]}/42"
    finally:
        server.shutdown()


def test_sentry_gets_the_error_only_when_a_dsn_is_set(
    sentry_server: str, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    use_database(f"sqlite:///{tmp_path}/missing/dir/x.db")  # recording fails: Sentry still gets it
    try:
        monkeypatch.delenv("SENTRY_DSN", raising=False)
        reset_settings()
        assert not errmod.report_to_sentry(_raised(_boom, 1), kind="api", where="GET /x")
        errmod.flush_sentry()
        assert _Sentry.received == []

        monkeypatch.setenv("SENTRY_DSN", sentry_server)
        reset_settings()
        record_error(_raised(_boom, 7), kind="page", where="AuditState.load", user_id=5)
        errmod.flush_sentry()
    finally:
        use_database(None)
        monkeypatch.delenv("SENTRY_DSN", raising=False)
        reset_settings()
    lines = [json.loads(x) for body in _Sentry.received for x in body.splitlines() if x.strip()]
    events = [x for x in lines if "exception" in x]
    assert len(events) == 1
    (exc,) = events[0]["exception"]["values"]
    assert exc["type"] == "ValueError" and exc["value"] == "order 7 has no lines"
    assert events[0]["tags"] == {"kind": "page", "where": "AuditState.load"}
    assert events[0]["user"] == {"id": "5"}
