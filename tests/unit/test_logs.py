"""Log lines: JSON in production, with the request or run id of the context on every line."""

from __future__ import annotations

import contextvars
import io
import json
import logging

import pytest

from domain.observability.logs import (
    configure_logging,
    new_request_id,
    run_context,
    set_request_id,
    wants_json,
)


@pytest.fixture(autouse=True)
def _restore_root_logger():
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield
    root.setLevel(level)
    for h in root.handlers[:]:
        if h not in handlers:
            root.removeHandler(h)


@pytest.fixture
def stream():
    out = io.StringIO()
    handler = configure_logging(json_format=True, level="INFO", stream=out)
    yield out
    logging.getLogger().removeHandler(handler)


def _lines(out: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_json_lines_carry_the_request_and_run_ids(stream: io.StringIO) -> None:
    log = logging.getLogger("domain.test")

    def in_request() -> None:
        set_request_id("req-1")
        log.info("loaded %d rows", 3, extra={"table": "load"})
        with run_context("20261127T063000-0badc0de"):
            log.warning("inside a run")
        try:
            raise ValueError("bad")
        except ValueError:
            log.exception("failed")

    contextvars.copy_context().run(in_request)
    contextvars.Context().run(log.info, "outside")  # a context with no ids set
    first, second, third, fourth = _lines(stream)
    assert first["message"] == "loaded 3 rows" and first["request_id"] == "req-1"
    assert (
        first["table"] == "load" and first["level"] == "INFO" and first["logger"] == "domain.test"
    )
    assert first["ts"].endswith("+00:00")
    assert second["run_id"] == "20261127T063000-0badc0de" and second["request_id"] == "req-1"
    assert "run_id" not in third and "ValueError: bad" in third["exc"]
    assert "request_id" not in fourth and "run_id" not in fourth  # nothing leaks out


def test_one_handler_however_often_it_is_configured() -> None:
    a = configure_logging(json_format=False, stream=io.StringIO())
    b = configure_logging(json_format=False, stream=io.StringIO())
    try:
        ours = [h for h in logging.getLogger().handlers if h.get_name() == "vcc"]
        assert ours == [b] and a not in logging.getLogger().handlers
    finally:
        logging.getLogger().removeHandler(b)


def test_text_lines_show_the_ids_in_brackets() -> None:
    out = io.StringIO()
    handler = configure_logging(json_format=False, level="INFO", stream=out)
    try:

        def run() -> None:
            set_request_id("abc")
            logging.getLogger("rxapp.x").info("hello")

        contextvars.copy_context().run(run)
    finally:
        logging.getLogger().removeHandler(handler)
    assert out.getvalue().rstrip().endswith("INFO rxapp.x [request_id=abc]: hello")


@pytest.mark.parametrize(
    ("offered", "kept"),
    [
        ("lb-7f3a-0001", True),
        ("a" * 64, True),
        ("a" * 65, False),
        ("x\r\nSet-Cookie: evil", False),
        ("", False),
        (None, False),
    ],
)
def test_an_offered_request_id_is_kept_only_when_sane(offered, kept) -> None:
    rid = new_request_id(offered)
    assert (rid == offered) is kept
    assert 1 <= len(rid) <= 64


def test_json_in_production_or_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VCC_LOG_FORMAT", raising=False)
    monkeypatch.setenv("VCC_ENV", "production")
    assert wants_json()
    monkeypatch.setenv("VCC_ENV", "demo")
    assert not wants_json()
    monkeypatch.setenv("VCC_LOG_FORMAT", "json")
    assert wants_json()
    monkeypatch.setenv("VCC_ENV", "production")
    monkeypatch.setenv("VCC_LOG_FORMAT", "text")
    assert not wants_json()
