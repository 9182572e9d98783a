"""Every failure of /api/v1 answers ``{"error": {"code", "message", "fields"?}}`` (platform spec).

| cause | status | code |
|---|---|---|
| ``Invalid``; a body, query or path value that fails validation; malformed JSON | 400 | invalid |
| ``Unauthenticated`` (no, forged, expired or revoked session/token) | 401 | unauthenticated |
| ``Forbidden`` | 403 | forbidden |
| ``NotFound`` (missing *or* outside scope: same answer), an unknown /api path | 404 | not_found |
| a known path with another method | 405 | method_not_allowed |
| ``Conflict`` (a duplicate of a unique key: ``fields`` names it) | 409 | conflict |
| body larger than the limit | 413 | too_large |
| database unreachable or not migrated | 503 | unavailable |
| anything else (a bug) | 500 | internal, with no internals in the answer |

422 is never used: FastAPI's request validation becomes a 400 naming each field, the same shape
as the domain's ``Invalid``.

Some answers are written by the frameworks themselves, past every exception handler: Starlette's
body limit (413), and the 404 of the top-level app Reflex builds around ours when no route can
even match the path (a newline in it). ``ApiErrorEnvelope`` rewrites any error answer to an
/api path that is not JSON into the envelope; it wraps this app and, in ``rxapp.rxapp``, the
whole served app.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from domain.db import DATABASE_UNREACHABLE, NotMigrated
from domain.errors import DomainError, Invalid, Unauthenticated
from domain.observability.errors import record_error
from domain.observability.logs import request_id_var
from domain.schemas import friendly_message

log = logging.getLogger("rxapp.api")

# Where FastAPI found a bad value; the field name alone is what a client needs.
_LOCATIONS = ("body", "query", "path", "header", "cookie")

_HTTP_CODES = {
    400: "invalid",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
}

UNAVAILABLE = "The database is not available right now. Try again shortly."
INTERNAL = "Something went wrong on our side. It has been logged; try again or contact support."


def error_response(
    status: int,
    code: str,
    message: str,
    fields: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields is not None:
        body["fields"] = fields
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def _www_authenticate(status: int) -> dict[str, str] | None:
    return {"WWW-Authenticate": 'Bearer realm="vcc"'} if status == 401 else None


def validation_fields(errors: Sequence[Any], request: Request | None = None) -> dict[str, str]:
    """FastAPI/pydantic errors as ``{field: reason}`` (first reason per field)."""
    fields: dict[str, str] = {}
    for err in errors:
        loc = list(err.get("loc", ()))
        where = loc.pop(0) if loc and loc[0] in _LOCATIONS else None
        kind = err.get("type", "")
        if kind == "json_invalid":
            detail = (err.get("ctx") or {}).get("error", "")
            fields.setdefault("body", f"is not valid JSON ({detail})" if detail else "is not JSON")
            continue
        name = ".".join(str(p) for p in loc) or (where or "body")
        msg = friendly_message(str(err.get("msg", "is not valid")))
        if name == "body" and kind in ("model_attributes_type", "dict_type") and request:
            ctype = request.headers.get("content-type", "")
            if "json" not in ctype:
                msg = "must be a JSON object sent with Content-Type: application/json"
            else:
                msg = "must be a JSON object"
        fields.setdefault(name, msg)
    return fields


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    status = exc.http_status
    headers = _www_authenticate(status) if isinstance(exc, Unauthenticated) else None
    return JSONResponse({"error": exc.to_dict()}, status_code=status, headers=headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    invalid = Invalid(validation_fields(exc.errors(), request))
    return JSONResponse({"error": invalid.to_dict()}, status_code=400)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    code = _HTTP_CODES.get(status, "http_error")
    message = exc.detail if isinstance(exc.detail, str) and exc.detail else "Request failed."
    headers = dict(exc.headers or {})
    headers.update(_www_authenticate(status) or {})
    fields = {"body": message} if status == 400 else None
    return error_response(status, code, message, fields, headers or None)


async def _unavailable(request: Request, exc: Exception) -> JSONResponse:
    log.error("database unavailable for %s %s: %s", request.method, request.url.path, exc)
    return error_response(503, "unavailable", UNAVAILABLE, headers={"Retry-After": "5"})


def _route_template(request: Request) -> str:
    """The path template of the route that answered (``/api/v1/loads/{load_id}``), not the URL:
    one ErrorEvent row per endpoint and bug, whatever the ids."""
    path = request.url.path
    route = request.scope.get("route")
    regex = getattr(route, "path_regex", None)
    if regex is None:
        return path
    # An included router's route knows its path without the router's prefix: find where the
    # route's own part of the URL starts and keep the prefix in front of the template.
    for i, ch in enumerate(path):
        if ch == "/" and regex.match(path[i:]):
            return path[:i] + str(route.path)
    return path


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error in %s %s", request.method, request.url.path, exc_info=exc)
    where = f"{request.method} {_route_template(request)}"
    user_id = getattr(request.state, "user_id", None)
    await run_in_threadpool(record_error, exc, kind="api", where=where, user_id=user_id)
    rid = request_id_var.get()
    message = f"{INTERNAL} Request id: {rid}." if rid else INTERNAL
    return error_response(500, "internal", message, headers={"X-Request-ID": rid} if rid else None)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    for db_down in (NotMigrated, *DATABASE_UNREACHABLE):
        app.add_exception_handler(db_down, _unavailable)
    app.add_exception_handler(Exception, _unexpected)


# -- answers written past the handlers ------------------------------------------------------------

_KEEP_HEADERS = frozenset({"allow", "retry-after", "www-authenticate", "x-request-id"})
_MAX_ORIGINAL = 300  # a plain-text reason longer than this is not a reason, it is a page


def is_api_path(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


def _reason(status: int, body: bytes, content_type: str, path: str) -> str:
    if status == 413:
        return "The request body is too large."
    if status == 404:
        shown = path.encode("unicode_escape").decode("ascii")[:200]
        return f"No API route {shown}."
    text = body.decode("utf-8", "replace").strip()
    if content_type.startswith("text/plain") and 0 < len(text) <= _MAX_ORIGINAL:
        return text
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Request failed."


class ApiErrorEnvelope:
    """ASGI middleware: an error answer (4xx/5xx) to an /api path whose body is not JSON becomes
    ``{"error": {"code", "message"}}`` with the same status and its meaningful headers (Allow,
    Retry-After, WWW-Authenticate, X-Request-ID). Other paths (the web app) pass untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_api_path(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        held: Message | None = None
        chunks: list[bytes] = []

        async def rewrite(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                headers = Headers(raw=message.get("headers", []))
                ctype = headers.get("content-type", "")
                if message["status"] >= 400 and "json" not in ctype:
                    held = message  # answer once its body is known
                    return
                await send(message)
                return
            if held is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await self._send_envelope(scope, held, b"".join(chunks), send)

        await self.app(scope, receive, rewrite)

    @staticmethod
    async def _send_envelope(scope: Scope, start: Message, body: bytes, send: Send) -> None:
        status = start["status"]
        original = Headers(raw=start.get("headers", []))
        code = _HTTP_CODES.get(status, "internal" if status >= 500 else "http_error")
        message = (
            INTERNAL
            if status >= 500
            else _reason(status, body, original.get("content-type", ""), scope.get("path", ""))
        )
        error: dict[str, Any] = {"code": code, "message": message}
        if status == 400:
            error["fields"] = {"body": message}
        payload = json.dumps({"error": error}).encode()
        kept = start.get("headers", [])
        headers = [(k, v) for k, v in kept if k.decode("latin-1").lower() in _KEEP_HEADERS]
        headers += [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(payload)).encode()),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send(
            {
                "type": "http.response.body",
                "body": b"" if scope.get("method") == "HEAD" else payload,
            }
        )
