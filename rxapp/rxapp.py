"""The Venture Command Center app: ONE route table, so the guard of every page is reviewable.

The signed-in pages are exactly ``domain.access.navigation.PAGES`` (route, title, permission);
each page module declares its component and loader with ``@page(key, on_load=...)``. Every such
on_load is a handler that starts with ``SessionState._enter(page_key)``: it resolves the Actor
from the session cookie against the database, fills the shell (sidebar, header) and checks
``can_open(page_key)``; only then does it load the page's data. tests/rx asserts that every
route below is in this table with a guarded loader, and that only /login and the 404 page are
public.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import reflex as rx

from rxapp.api.app import api, envelope_api_errors
from rxapp.components.brand import PRODUCT_NAME
from rxapp.components.layout import PALETTE_SHORTCUT_JS
from rxapp.errors import on_backend_error
from rxapp.pages import registered_pages
from rxapp.pages.errors import not_found_page
from rxapp.pages.login import login_page
from rxapp.state.login import LoginState
from rxapp.state.session import TIMEZONE_COOKIE_JS


@dataclass(frozen=True)
class Route:
    path: str
    page_key: str | None  # navigation key (None: public page)
    component: Callable[[], rx.Component]
    title: str
    on_load: Any = None


PUBLIC_ROUTES: tuple[Route, ...] = (Route("/login", None, login_page, "Sign in", LoginState.load),)
# Every page of domain.access.navigation.PAGES, with its route and title from there and its
# component and loader from its ``@page`` declaration in rxapp/pages.
ROUTES: tuple[Route, ...] = PUBLIC_ROUTES + tuple(
    Route(p.spec.path, p.spec.key, p.component, p.spec.page_title, p.on_load)
    for p in registered_pages()
)


class App(rx.App):
    """``rx.App`` whose served ASGI app answers every /api error with the JSON envelope, also the
    ones Reflex's top-level app writes itself (a 404 for a path no route can match, e.g. one
    with a newline). Everything else is Reflex's, untouched."""

    def __call__(self) -> Any:
        return envelope_api_errors(super().__call__())


app = App(
    head_components=[rx.script(TIMEZONE_COOKIE_JS), rx.script(PALETTE_SHORTCUT_JS)],
    stylesheets=["/styles.css"],
    # /api/v1 (FastAPI) answers first; everything else falls through to Reflex.
    api_transformer=api,
    # An exception in a page event: an ErrorEvent row (and Sentry when configured), a kind toast.
    backend_exception_handler=on_backend_error,
)

for route in ROUTES:
    app.add_page(
        route.component,
        route=route.path,
        title=f"{route.title} · {PRODUCT_NAME}",
        on_load=route.on_load,
    )
app.add_page(not_found_page, route="404", title=f"Page not found · {PRODUCT_NAME}")


def _refuse_unmigrated_database() -> None:
    """Refuse to serve on a database whose schema is not the code's (spec/platform.md). Runs when
    the server starts, not at import, so compiling the frontend needs no database."""
    from domain.db import NotMigrated, require_migrated

    try:
        require_migrated()
    except NotMigrated as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        raise


app.register_lifespan_task(_refuse_unmigrated_database)


def _configure_logging() -> None:
    """The product's log lines (JSON in production, with request ids) from the server worker;
    WARNING and up unless VCC_LOG_LEVEL says otherwise (production: INFO)."""
    import os

    from domain.observability.logs import configure_logging, wants_json

    configure_logging(
        level=os.environ.get("VCC_LOG_LEVEL") or ("INFO" if wants_json() else "WARNING")
    )


app.register_lifespan_task(_configure_logging)
