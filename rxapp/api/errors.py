"""Every failure of /api/v1 answers ``{"error": {"code", "message", "fields"?}}`` (platform spec).

| cause | status | code |
|---|---|---|
| ``Invalid``; a body, query or path value that fails validation; malformed JSON | 400 | invalid |
| ``Unauthenticated`` (no, forged, expired or revoked session/token) | 401 | unauthenticated |
| ``Forbidden`` | 403 | forbidden |
| ``NotFound`` (missing *or* outside scope: same answer), an unknown /api path | 404 | not_found |
| a known path with another method | 405 | method_not_allowed |
| ``Conflict`` | 409 | conflict |
| body larger than the limit | 413 | too_large |
| database unreachable or not migrated | 503 | unavailable |
| anything else (a bug) | 500 | internal, with no internals in the answer |

422 is never used: FastAPI's request validation becomes a 400 naming each field, the same shape
as the domain's ``Invalid``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.db import NotMigrated
from domain.errors import DomainError, Invalid, Unauthenticated
from domain.observability.errors import record_error
from domain.observability.logs import request_id_var

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
        msg = str(err.get("msg", "is not valid")).removeprefix("Value error, ")
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
    for db_down in (NotMigrated, OperationalError, InterfaceError):
        app.add_exception_handler(db_down, _unavailable)
    app.add_exception_handler(Exception, _unexpected)
