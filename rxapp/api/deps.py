"""Who is calling: the current-actor dependency of every authenticated route.

Authentication rules of /api/v1
-------------------------------
1. ``Authorization: Bearer <token>`` wins when present.
   - A token starting with ``vcc_`` is a **personal API token** (``vcc token create`` or
     ``POST /api/v1/auth/tokens``): valid until it expires or is revoked, for the token's owner
     (never impersonated: API tokens cannot act as someone else).
   - Any other bearer token is a **web-session token**, checked exactly like a page load of the
     web app (12 h idle, 7 days absolute, revoked on logout or password change). Impersonation
     started in the web session applies, as in the UI.
   - An ``Authorization`` header that is not ``Bearer <token>`` is refused (401); it never falls
     back to the cookie.
2. Otherwise the web session cookie ``vcc_session`` (so the browser app can call the API).
3. Otherwise 401 ``unauthenticated``.

A forged, expired or revoked credential is 401 with the error envelope and a
``WWW-Authenticate: Bearer`` header; the Actor always comes from the database, on every request.
What the actor may then see or do is decided by the domain services, never here.

Sections: every router but health belongs to a navigation section (``app.ROUTERS``), and
``section_guard`` asks the domain (``require_section``) before anything else of the route runs:
a caller without the section gets 403, never an empty list or a 404 (spec/access.md).

Cookie-authenticated writes and CSRF: a browser marks a request another site makes with
``Sec-Fetch-Site: cross-site``; such a request may read with the cookie but not change anything
(403). Besides, every body is JSON only (FastAPI's strict content type: a cross-site HTML form
cannot send one), and a cross-site ``fetch`` with a JSON body or a ``PATCH``/``DELETE`` needs a
CORS preflight, which only the app's own origins pass. Bearer tokens are not sent by browsers on
their own, so they need none of this.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.params import Depends as DependsParam
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from domain.access.actor import Actor
from domain.access.auth import TOKEN_PREFIX, authenticate, authenticate_api_token
from domain.access.navigation import SECTION_TITLES, require_section
from domain.db import read_only
from domain.errors import Forbidden, Unauthenticated

SESSION_COOKIE = "vcc_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description="A personal API token (`vcc_...`) or a web-session token.",
)
cookie_scheme = APIKeyCookie(
    name=SESSION_COOKIE,
    auto_error=False,
    scheme_name="session_cookie",
    description="The web app's session cookie.",
)


def current_actor(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    cookie: Annotated[str | None, Depends(cookie_scheme)],
) -> Actor:
    actor = _resolve(request, bearer, cookie)
    request.state.user_id = actor.real_user_id  # who was calling, should the call fail (errors)
    return actor


def _resolve(
    request: Request, bearer: HTTPAuthorizationCredentials | None, cookie: str | None
) -> Actor:
    if bearer is not None:
        token = bearer.credentials.strip()
        if token.startswith(TOKEN_PREFIX):
            return authenticate_api_token(token)
        return authenticate(token)
    if request.headers.get("authorization"):
        raise Unauthenticated("The Authorization header must be `Bearer <token>`.")
    if cookie:
        if request.method not in SAFE_METHODS and (
            request.headers.get("sec-fetch-site") == "cross-site"
        ):
            raise Forbidden("Another site cannot change data with your session.")
        return authenticate(cookie)
    raise Unauthenticated(
        "Authentication required: send `Authorization: Bearer <token>` or sign in."
    )


CurrentActor = Annotated[Actor, Depends(current_actor)]


def auth_kind(actor: Actor) -> str:
    return "token" if actor.token_id is not None else "session"


def section_guard(section: str) -> DependsParam:
    """A router dependency: the caller must have ``section`` (403 otherwise), checked before the
    route's own parameters and body are used. The Command center is everyone's: no query."""
    if section not in SECTION_TITLES:
        raise ValueError(f"unknown section {section!r}")

    def require(actor: CurrentActor) -> None:
        if section == "command_center":
            return
        with read_only() as uow:
            require_section(uow, actor, section)

    require.__name__ = f"require_section_{section}"
    return Depends(require)
