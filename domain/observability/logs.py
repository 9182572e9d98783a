"""Logs: one line per record, JSON in production, with the request or run id on every line.

The ids live in context variables, so every logger of the process (ours, SQLAlchemy's,
papermill's) gets them without passing anything around:

- ``request_id``: an API call (the ``X-Request-ID`` it came with, or a new one, echoed in the
  response) or a page event (a new one per handler run, set by the session guard);
- ``run_id``: a job run, set by the runner for the time the run executes.

``configure_logging`` installs one handler on the root logger; the format is JSON when
``VCC_LOG_FORMAT=json`` or ``VCC_ENV=production`` (text otherwise), the level ``VCC_LOG_LEVEL``.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import re
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TextIO

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)
run_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("run_id", default=None)

_SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_HANDLER_NAME = "vcc"
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def new_request_id(offered: str | None = None) -> str:
    """``offered`` (a proxy's X-Request-ID) when it is a sane token, else a new random id."""
    if offered and _SAFE_ID.fullmatch(offered):
        return offered
    return secrets.token_hex(8)


def set_request_id(value: str | None) -> None:
    request_id_var.set(value)


@contextmanager
def run_context(run_id: str) -> Iterator[None]:
    """Every log line inside carries ``run_id``."""
    token = run_id_var.set(run_id)
    try:
        yield
    finally:
        run_id_var.reset(token)


class ContextIds(logging.Filter):
    """Puts the current request and run ids on each record (None when outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.run_id = run_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "message", "request_id"?, "run_id"?, "exc"?, ...extra}``."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("request_id", "run_id"):
            value = getattr(record, key, None)
            if value:
                out[key] = value
        for key, value in vars(record).items():  # extra={...} of the call
            if key not in _STANDARD and key not in out and key not in ("request_id", "run_id"):
                out[key] = value if isinstance(value, str | int | float | bool) else repr(value)
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(ids)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        ids = [f"{k}={v}" for k in ("request_id", "run_id") if (v := getattr(record, k, None))]
        record.ids = f" [{' '.join(ids)}]" if ids else ""
        return super().format(record)


def wants_json() -> bool:
    fmt = os.environ.get("VCC_LOG_FORMAT", "").lower()
    if fmt in ("json", "text"):
        return fmt == "json"
    return os.environ.get("VCC_ENV", "").lower() == "production"


def configure_logging(
    *, json_format: bool | None = None, level: str | None = None, stream: TextIO | None = None
) -> logging.Handler:
    """Install (or replace) the product's handler on the root logger; returns it."""
    root = logging.getLogger()
    for h in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(h)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.addFilter(ContextIds())
    use_json = wants_json() if json_format is None else json_format
    handler.setFormatter(JsonFormatter() if use_json else TextFormatter())
    root.addHandler(handler)
    root.setLevel((level or os.environ.get("VCC_LOG_LEVEL") or "INFO").upper())
    return handler
