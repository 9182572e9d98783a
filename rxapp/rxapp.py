"""The Venture Command Center app: ONE route table, so the guard of every page is reviewable.

Every signed-in page's on_load is a handler that starts with ``SessionState._enter(page_key)``:
it resolves the Actor from the session cookie against the database, fills the shell (sidebar,
header) and checks ``can_open(page_key)``; only then does it load the page's data. ``page_key``
is the key in ``domain.access.navigation.PAGES``. tests/rx asserts that every route below is in
this table with a guarded loader, and that only /login and the 404 page are public.
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
from rxapp.pages.admin_errors import admin_errors_page
from rxapp.pages.admin_jobs import admin_jobs_page
from rxapp.pages.admin_links import admin_links_page
from rxapp.pages.admin_users import admin_users_page
from rxapp.pages.admin_ventures import admin_ventures_page
from rxapp.pages.audit import audit_page
from rxapp.pages.errors import not_found_page
from rxapp.pages.freight_carriers import freight_carrier_page, freight_carriers_page
from rxapp.pages.freight_dashboard import freight_dashboard_page
from rxapp.pages.freight_load import freight_load_page
from rxapp.pages.freight_load_form import freight_load_edit_page, freight_load_new_page
from rxapp.pages.freight_loads import freight_loads_page
from rxapp.pages.freight_outreach import freight_outreach_page
from rxapp.pages.freight_quotes import freight_quotes_page
from rxapp.pages.login import login_page
from rxapp.pages.my_day import my_day_page
from rxapp.pages.profile import profile_page
from rxapp.pages.ventures import (
    admin_home_page,
    section_page,
    venture_detail_page,
    ventures_page,
)
from rxapp.state.admin_errors import AdminErrorsState
from rxapp.state.admin_jobs import AdminJobsState
from rxapp.state.admin_users import AdminUsersState
from rxapp.state.admin_ventures import AdminVenturesState
from rxapp.state.audit import AuditState
from rxapp.state.freight_carriers import FreightCarriersState, FreightCarrierState
from rxapp.state.freight_dashboard import FreightDashboardState
from rxapp.state.freight_load import FreightLoadState
from rxapp.state.freight_load_form import FreightLoadFormState
from rxapp.state.freight_loads import FreightLoadsState
from rxapp.state.freight_outreach import FreightOutreachState
from rxapp.state.freight_quotes import FreightQuotesState
from rxapp.state.login import LoginState
from rxapp.state.profile import ProfileState
from rxapp.state.quick_links import QuickLinksState
from rxapp.state.session import TIMEZONE_COOKIE_JS
from rxapp.state.ventures import SECTION_PAGES, MyDayState, VentureDetailState, VenturesState


@dataclass(frozen=True)
class Route:
    path: str
    page_key: str | None  # navigation key (None: public page)
    component: Callable[[], rx.Component]
    title: str
    on_load: Any = None


def _section(key: str) -> Route:
    title = SECTION_PAGES[key]
    return Route(
        f"/{key}",
        f"{key}_home",
        lambda: section_page(key, title),
        title,
        VenturesState.load_section(key),
    )


ROUTES: tuple[Route, ...] = (
    Route("/login", None, login_page, "Sign in", LoginState.load),
    Route("/", "my_day", my_day_page, "My Day", MyDayState.load),
    Route("/ventures", "ventures", ventures_page, "Ventures", VenturesState.load),
    Route(
        "/ventures/[venture_id]",
        "venture_detail",
        venture_detail_page,
        "Venture",
        VentureDetailState.load,
    ),
    Route("/profile", "profile", profile_page, "Profile", ProfileState.load),
    *(_section(k) for k in ("freight", "hospitality", "bpo", "saas", "holdings", "operations")),
    # -- freight --
    Route(
        "/freight/dashboard",
        "freight_dashboard",
        freight_dashboard_page,
        "Freight dashboard",
        FreightDashboardState.load,
    ),
    Route("/freight/loads", "freight_loads", freight_loads_page, "Loads", FreightLoadsState.load),
    Route(
        "/freight/loads/new",
        "freight_load_new",
        freight_load_new_page,
        "New load",
        FreightLoadFormState.load_new,
    ),
    Route(
        "/freight/loads/[load_id]",
        "freight_load",
        freight_load_page,
        "Load",
        FreightLoadState.load,
    ),
    Route(
        "/freight/loads/[load_id]/edit",
        "freight_load_edit",
        freight_load_edit_page,
        "Edit load",
        FreightLoadFormState.load_edit,
    ),
    Route(
        "/freight/quotes", "freight_quotes", freight_quotes_page, "Quotes", FreightQuotesState.load
    ),
    Route(
        "/freight/carriers",
        "freight_carriers",
        freight_carriers_page,
        "Carriers",
        FreightCarriersState.load,
    ),
    Route(
        "/freight/carriers/[carrier_id]",
        "freight_carrier",
        freight_carrier_page,
        "Carrier",
        FreightCarrierState.load,
    ),
    Route(
        "/freight/outreach",
        "freight_outreach",
        freight_outreach_page,
        "Outreach",
        FreightOutreachState.load,
    ),
    Route("/admin", "admin_home", admin_home_page, "Admin", VenturesState.load_section("admin")),
    Route("/admin/users", "admin_users", admin_users_page, "Users", AdminUsersState.load),
    Route(
        "/admin/ventures",
        "admin_ventures",
        admin_ventures_page,
        "Ventures & offices",
        AdminVenturesState.load,
    ),
    Route(
        "/admin/quick-links",
        "admin_quick_links",
        admin_links_page,
        "Quick links",
        QuickLinksState.load_admin,
    ),
    Route("/admin/jobs", "admin_jobs", admin_jobs_page, "Jobs", AdminJobsState.load),
    Route("/admin/errors", "admin_errors", admin_errors_page, "Errors", AdminErrorsState.load),
    Route("/audit", "audit", audit_page, "Audit log", AuditState.load),
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
