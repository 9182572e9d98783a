"""The FastAPI application serving /api/v1, mounted on the Reflex backend.

``rx.App(api_transformer=api)`` mounts Reflex *inside* this app: the routes here answer first and
every other path (the event websocket, uploads, the built frontend) falls through to Reflex. So
every route lives under /api/, and an unknown /api/ path answers a JSON 404 here rather than
reaching the frontend.

Adding an area is one line: add its module name to ``ROUTERS`` with the navigation section it
belongs to (the module defines ``router``, an ``APIRouter`` with paths relative to /api/v1).
Every route of a section answers 403 to a caller without that section before anything else
runs (``deps.section_guard``; spec/access.md).
"""

from __future__ import annotations

import importlib
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.utils import get_openapi
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount

from domain.observability.logs import new_request_id, set_request_id
from rxapp.api.deps import section_guard
from rxapp.api.errors import ApiErrorEnvelope, install_error_handlers

PREFIX = "/api/v1"
TITLE = "Venture Command Center API"
VERSION = "1.0"
MAX_BODY_BYTES = 1_000_000

# Modules of rxapp.api.routers, in the order the OpenAPI document lists them, each with the
# navigation section its routes belong to (None: no authentication at all).
ROUTERS: dict[str, str | None] = {
    "health": None,
    "me": "command_center",
    "quick_links": "command_center",
    "ventures": "command_center",
    "auth_tokens": "command_center",
    "incentives": "command_center",
    # Leadership's cross-venture overview (the domain: leadership only, their scope).
    "overview": "command_center",
    "freight": "freight",
    "operations": "operations",
    "hospitality": "hospitality",
    "saas": "saas",
    "holdings": "holdings",
    "bpo": "bpo",
    "admin_jobs": "admin",
    # The runs and their files: finance and accounting too, scoped by the domain.
    "job_runs": "command_center",
    "incentive_payouts": "command_center",
    # My points and the leaderboards (everyone); the config's editors are the domain's decision.
    "gamification": "command_center",
}

DESCRIPTION = """\
The same domain services as the web app, over HTTP. Authenticate with
`Authorization: Bearer <token>`: a personal API token (`vcc_...`) or a web-session token; the
browser app's `vcc_session` cookie works too. Every error is
`{"error": {"code", "message", "fields"?}}`: 400 invalid input (with `fields`), 401, 403
(also for an area of a section you do not have), 404 (also for anything outside your
ventures), 405, 409 (a duplicate names its field in `fields`), 413, 503. Lists are pages
`{items, next_cursor, has_more}`: pass `next_cursor` back as `cursor`; `limit` is 1-200.
"""

_ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def _allowed_methods(request: Request) -> list[str]:
    """The methods some route of this app serves at the request's path."""
    allowed = []
    for method in _ALL_METHODS:
        scope = {**request.scope, "method": method}
        for route in request.app.router.routes:
            if isinstance(route, Mount) or getattr(route, "endpoint", None) is _unmatched_api_path:
                continue  # the Reflex mount and this catch-all match every path
            if route.matches(scope)[0] is Match.FULL:
                allowed.append(method)
                break
    return allowed


def _unmatched_api_path(request: Request) -> None:
    """Any /api/ path no route serves: 405 when the path exists with other methods, else 404."""
    allowed = _allowed_methods(request)
    if allowed:
        raise StarletteHTTPException(
            405,
            f"{request.method} is not allowed here; use {', '.join(allowed)}.",
            headers={"Allow": ", ".join(allowed)},
        )
    raise StarletteHTTPException(404, f"No API route {request.url.path}.")


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The generated document, without FastAPI's 422 (this API answers 400 instead)."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        for path_item in schema.get("paths", {}).values():
            for operation in path_item.values():
                if isinstance(operation, dict):
                    operation.get("responses", {}).pop("422", None)
        components = schema.get("components", {}).get("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):
            components.pop(name, None)
        app.openapi_schema = schema
    return app.openapi_schema


class RequestIds:
    """ASGI middleware: each HTTP request gets a request id (a sane ``X-Request-ID`` it came
    with, or a new one) on every log line written while serving it and on the response. The id
    is not reset at the end: the request's task ends with it, and the 500 handler, which runs
    outside this middleware, still logs it."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        offered = Headers(scope=scope).get("x-request-id")
        rid = new_request_id(offered)
        set_request_id(rid)

        async def send_with_id(message: Any) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append("X-Request-ID", rid)
            await send(message)

        await self.app(scope, receive, send_with_id)


def create_api(*extra_routers: APIRouter) -> FastAPI:
    """Build the app: ``ROUTERS`` (plus ``extra_routers``, for tests), then the /api catch-all,
    which must stay last (a route added after it would never be reached)."""
    app = FastAPI(
        title=TITLE,
        version=VERSION,
        description=DESCRIPTION,
        openapi_url=f"{PREFIX}/openapi.json",
        docs_url=f"{PREFIX}/docs",
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=f"{PREFIX}/docs/oauth2-redirect",
        # operationId = the route function's name (unique across routers), for client generators.
        generate_unique_id_function=lambda route: route.name,
    )
    install_error_handlers(app)
    app.add_middleware(RequestIds)
    app.add_middleware(ApiErrorEnvelope)  # outermost: sees what the frameworks answer too
    for name, section in ROUTERS.items():
        module = importlib.import_module(f"rxapp.api.routers.{name}")
        app.include_router(
            module.router,
            prefix=PREFIX,
            # A router may allow bigger bodies (hospitality's CSV upload) with its own constant.
            max_body_size=getattr(module, "MAX_BODY_BYTES", MAX_BODY_BYTES),
            dependencies=[section_guard(section)] if section else None,
        )
    for router in extra_routers:
        app.include_router(router, prefix=PREFIX, max_body_size=MAX_BODY_BYTES)
    app.add_api_route(
        "/api/{rest:path}",
        _unmatched_api_path,
        methods=_ALL_METHODS,
        include_in_schema=False,
    )
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


api = create_api()


def envelope_api_errors(asgi_app: Any) -> Any:
    """Wrap the whole served app (Reflex's top-level app, which mounts ours) so that the answers
    it writes itself to /api paths (a 404 for a path no route can match) are the envelope too."""
    return ApiErrorEnvelope(asgi_app)


def mount_api() -> FastAPI:
    """The app to give Reflex: ``rx.App(api_transformer=mount_api())``."""
    return api
