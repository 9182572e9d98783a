"""Every page's on_load resolves the user from the session token against the database: a
forged, expired or revoked token gets no data and is sent to /login; a page the role may not
open shows the 403 panel; a venture outside scope (or nonexistent) is "no access"."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from domain import clock
from domain.access.auth import logout
from domain.db import unit_of_work
from rxapp.rxapp import ROUTES
from rxapp.state.session import SessionState, safe_next
from rxapp.state.ventures import MyDayState, VentureDetailState
from tests.helpers import venture_id
from tests.rx.conftest import Tab, redirect_target

GUARDED = [r for r in ROUTES if r.page_key is not None]
DATA_VARS = (
    "ventures",
    "rows",
    "groups",
    "tokens",
    "members",
    "people",
    "nav",
    "venture_options",
)


def _data(tab: Tab, state_cls: Any) -> dict[str, Any]:
    state = tab.state(state_cls)
    return {v: getattr(state, v) for v in DATA_VARS if hasattr(state, v)}


def _load(tab: Tab, route: Any) -> tuple[list[Any], Any]:
    spec = route.on_load
    handler = getattr(spec, "handler", spec)
    state_cls = handler.state
    args = [v._var_value for _, v in getattr(spec, "args", ())]
    tab.navigate(route.path.replace("[venture_id]", "1"))
    return tab.call(state_cls, handler.fn.__name__, *args), state_cls


def test_the_route_table_guards_every_signed_in_page() -> None:
    from domain.access.navigation import PAGES_BY_KEY

    public = {r.path for r in ROUTES if r.page_key is None}
    assert public == {"/login"}
    for route in GUARDED:
        assert route.page_key in PAGES_BY_KEY, route.path
        assert PAGES_BY_KEY[route.page_key].path == route.path
        handler = getattr(route.on_load, "handler", route.on_load)
        assert issubclass(handler.state, SessionState), route.path
    # every page of the navigation registry has a route
    assert {p.key for p in PAGES_BY_KEY.values()} <= {r.page_key for r in GUARDED}


def test_the_web_app_has_exactly_the_domain_pages() -> None:
    """Both ways: each page of domain.access.navigation.PAGES has one component and route, and
    no page component is declared for a key the domain does not know."""
    from domain.access.navigation import PAGES
    from rxapp.pages import REGISTRY, page, registered_pages

    assert [e.spec.key for e in registered_pages()] == [p.key for p in PAGES]
    assert set(REGISTRY) == {p.key for p in PAGES}
    assert sorted(r.page_key for r in GUARDED) == sorted(p.key for p in PAGES)
    for route in GUARDED:
        spec = next(p for p in PAGES if p.key == route.page_key)
        assert (route.path, route.title) == (spec.path, spec.page_title)
    with pytest.raises(LookupError, match="not_a_page"):
        page("not_a_page", on_load=None)(lambda: None)  # type: ignore[arg-type, return-value]
    with pytest.raises(ValueError, match="declared twice"):
        page("my_day", on_load=None)(lambda: None)  # type: ignore[arg-type, return-value]
    entry = REGISTRY.pop("freight_outreach")
    try:
        with pytest.raises(LookupError, match="freight_outreach"):
            registered_pages()
    finally:
        REGISTRY["freight_outreach"] = entry
    assert set(REGISTRY) == {p.key for p in PAGES}


@pytest.mark.parametrize("token", ["", "forged-token", "vcc_not-a-session"])
def test_a_missing_or_forged_token_gets_no_data_and_goes_to_login(demo, token: str) -> None:
    for route in GUARDED:
        tab = Tab()
        tab.session.token = token
        events, state_cls = _load(tab, route)
        target = redirect_target(events)
        assert target is not None and target.startswith("/login"), route.path
        assert tab.session.ready_page == "" and tab.session.denied_page == ""
        assert tab.session.user_name == "" and tab.session.token == ""
        assert all(not v for v in _data(tab, state_cls).values()), route.path


def test_the_login_redirect_remembers_the_page(demo) -> None:
    tab = Tab("/ventures")
    tab.session.token = "forged"
    from rxapp.state.ventures import VenturesState

    events = tab.call(VenturesState, "load")
    assert redirect_target(events) == "/login?next=/ventures&ended=1"
    assert safe_next("//evil.example/x") == "/" and safe_next("https://evil.example") == "/"


def test_an_expired_session_is_refused(demo) -> None:
    tab = Tab()
    tab.login("csr.afl@vcc.example")
    tab.call(MyDayState, "load")
    assert tab.session.ready_page == "my_day"
    with clock.frozen(clock.now() + timedelta(hours=13)):  # 12 h idle limit
        events = tab.call(MyDayState, "load")
    assert redirect_target(events) == "/login?ended=1"
    assert tab.session.ready_page == "" and tab.session.nav == []


def test_a_logged_out_session_is_refused(demo) -> None:
    tab = Tab()
    token = tab.login("csr.afl@vcc.example")
    with unit_of_work() as uow:
        logout(uow, token)
    tab.session.token = token  # the browser replays the old cookie
    events = tab.call(MyDayState, "load")
    assert redirect_target(events) == "/login?ended=1"


def test_a_page_outside_the_role_shows_403_without_data(demo) -> None:
    from rxapp.state.admin_users import AdminUsersState
    from rxapp.state.audit import AuditState

    tab = Tab()
    tab.login("csr.afl@vcc.example")
    for state_cls, key in ((AdminUsersState, "admin_users"), (AuditState, "audit")):
        events = tab.call(state_cls, "load")
        assert redirect_target(events) is None
        assert tab.session.denied_page == key and tab.session.ready_page == ""
        assert tab.state(state_cls).rows == []


def test_a_venture_outside_scope_is_no_access(demo) -> None:
    tab = Tab()
    tab.login("csr.afl@vcc.example")
    for vid in (venture_id("HHG"), 99999):
        tab.navigate(f"/ventures/{vid}")
        tab.call(VentureDetailState, "load")
        assert tab.session.denied_page == "venture_detail"
        detail = tab.state(VentureDetailState)
        assert detail.venture.name == "" and detail.members == []
    tab.navigate(f"/ventures/{venture_id('AFL')}/")
    tab.call(VentureDetailState, "load")
    assert tab.session.ready_page == "venture_detail"
    assert tab.state(VentureDetailState).venture.code == "AFL"


def test_the_sidebar_is_exactly_the_domain_navigation(demo) -> None:
    from domain.access.navigation import navigation
    from domain.db import read_only
    from tests.helpers import actor

    for email in ("csr.afl@vcc.example", "manager.hotels@vcc.example", "finance@vcc.example"):
        tab = Tab()
        tab.login(email)
        tab.call(MyDayState, "load")
        with read_only() as uow:
            expected = navigation(uow, actor(email))
        shown = [(s.key, [p.key for p in s.pages]) for s in tab.session.nav]
        assert shown == [(s.key, [p.key for p in s.pages]) for s in expected]


def test_a_forged_venture_filter_is_ignored(demo) -> None:
    tab = Tab()
    tab.login("csr.afl@vcc.example")
    tab.session.venture_filter = str(venture_id("HHG"))  # a client-storage var: forgeable
    tab.call(MyDayState, "load")
    assert tab.session.venture_filter == ""
    assert [v.code for v in tab.state(MyDayState).ventures] == ["AFL"]
    tab.call(SessionState, "set_venture_filter", str(venture_id("PBP")))
    assert tab.session.venture_filter == ""
