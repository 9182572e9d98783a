"""A client can call any public handler directly, with any arguments. An EMPLOYEE doing so with
the admin handlers is refused by the domain, and nothing changes in the database."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from domain.access.auth import authenticate, login_with_password
from domain.access.models import AuditLog
from domain.db import read_only, unit_of_work
from domain.demo import DEMO_PASSWORD
from domain.org.models import QuickLink, User, Venture
from rxapp.state.admin_users import AdminUsersState
from rxapp.state.admin_ventures import AdminVenturesState
from rxapp.state.audit import AuditState
from rxapp.state.palette import PaletteState
from rxapp.state.profile import ProfileState
from rxapp.state.quick_links import QuickLinksState
from tests.helpers import user_id, venture_id
from tests.rx.conftest import Tab, toasts

EMPLOYEE = "frontdesk.hhg@vcc.example"


def _snapshot() -> dict[str, Any]:
    with read_only() as uow:
        s = uow.session
        return {
            "users": s.execute(select(func.count()).select_from(User)).scalar_one(),
            "active": s.execute(select(func.count()).where(User.is_active)).scalar_one(),
            "ventures": s.execute(select(func.count()).select_from(Venture)).scalar_one(),
            "links": s.execute(select(func.count()).select_from(QuickLink)).scalar_one(),
            "roles": sorted(s.execute(select(User.email, User.role)).all()),
            "changes": s.execute(
                select(func.count())
                .select_from(AuditLog)
                .where(~AuditLog.action.startswith("auth.login"))
            ).scalar_one(),
        }


@pytest.fixture
def employee(demo) -> Tab:
    tab = Tab()
    tab.login(EMPLOYEE)
    return tab


def test_employee_calling_admin_user_handlers_changes_nothing(employee: Tab) -> None:
    before = _snapshot()
    tab, ceo, csr = employee, user_id("ceo@vcc.example"), user_id("csr.afl@vcc.example")

    tab.call(AdminUsersState, "load")
    assert tab.session.denied_page == "admin_users" and tab.state(AdminUsersState).rows == []

    tab.call(AdminUsersState, "open_create")
    tab.call(
        AdminUsersState,
        "save_user",
        {"email": "intruder@vcc.example", "name": "Intruder", "role": "CEO", "venture_0": "on"},
    )
    state = tab.state(AdminUsersState)
    assert state.errors, "the refusal is shown"

    tab.call(AdminUsersState, "set_form_open", False)
    events = tab.call(AdminUsersState, "open_edit", ceo)
    assert toasts(events) and not state.form_open

    # Even with the server-side selection forced (as if a dialog had been opened), the
    # domain refuses every change.
    for action, target in (("deactivate", csr), ("act_as", csr), ("reactivate", csr)):
        state._confirm_action, state._confirm_id = action, target
        assert toasts(tab.call(AdminUsersState, "confirm"))
    state.form_mode, state._edit_id = "edit", csr
    tab.call(AdminUsersState, "save_user", {"name": "Renamed", "role": "ADMIN", "venture_1": "on"})
    assert state.errors
    state._edit_id, state.reset_name = csr, "Emily"
    tab.call(AdminUsersState, "reset_password", {"new_password": "a-brand-new-password-1"})
    assert state.reset_error

    assert _snapshot() == before
    with unit_of_work() as uow:  # the CSR's password is unchanged
        login_with_password(uow, "csr.afl@vcc.example", DEMO_PASSWORD)
    assert not authenticate(tab.session.token).impersonating


def test_employee_calling_venture_and_link_admin_handlers_changes_nothing(employee: Tab) -> None:
    before = _snapshot()
    tab = employee

    tab.call(AdminVenturesState, "load")
    assert tab.session.denied_page == "admin_ventures"
    tab.call(AdminVenturesState, "open_create_venture")
    tab.call(
        AdminVenturesState,
        "save_venture",
        {
            "code": "EVIL",
            "slug": "evil",
            "name": "Evil Co",
            "type": "SAAS",
            "currency": "USD",
            "timezone": "UTC",
        },
    )
    assert tab.state(AdminVenturesState).v_summary
    ventures = tab.state(AdminVenturesState)
    ventures._venture_id = venture_id("HHG")
    tab.call(AdminVenturesState, "save_venture", {"name": "Renamed", "timezone": "UTC"})
    ventures._office_id = None
    tab.call(AdminVenturesState, "save_office", {"name": "Back room"})

    links = tab.state(QuickLinksState)
    for group in ("global", f"venture:{venture_id('HHG')}", f"venture:{venture_id('AFL')}"):
        links._edit_group, links._edit_id = group, None
        tab.call(QuickLinksState, "save_link", {"label": "Phish", "url": "https://evil.example"})
        assert links.form_error or links.label_error or links.url_error
    # someone else's personal link, and a global one, by id
    with read_only() as uow:
        others = uow.session.execute(select(QuickLink.id)).scalars().all()
    for link_id in others:
        assert toasts(tab.call(QuickLinksState, "remove_link", link_id))
        links._edit_group, links._edit_id = "personal", link_id
        tab.call(QuickLinksState, "save_link", {"label": "Mine now", "url": "https://x.example"})
    tab.call(QuickLinksState, "load_admin")
    assert tab.session.denied_page == "admin_quick_links" and links.groups == []

    assert _snapshot() == before


def test_employee_reads_no_audit_log_and_finds_no_people(employee: Tab) -> None:
    tab = employee
    tab.call(AuditState, "load")
    assert tab.session.denied_page == "audit"
    tab.call(AuditState, "apply_filters", {"user": "all"})
    assert tab.state(AuditState).rows == [] and tab.state(AuditState).filter_error
    tab.call(AuditState, "older")
    assert tab.state(AuditState).rows == []
    tab.call(PaletteState, "search", "ma")
    assert tab.state(PaletteState).people == []


def test_tokens_of_another_user_cannot_be_revoked(demo) -> None:
    from domain.access.auth import create_api_token
    from tests.helpers import actor

    with unit_of_work() as uow:
        view, _raw = create_api_token(uow, actor("ceo@vcc.example"), name="CEO script")
    tab = Tab()
    tab.login(EMPLOYEE)
    assert toasts(tab.call(ProfileState, "revoke_token", view.id))
    with read_only() as uow:
        from domain.access.models import ApiToken

        assert uow.session.get(ApiToken, view.id).revoked_at is None
