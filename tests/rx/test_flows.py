"""The handlers doing their job for the users allowed to: sign-in messages, user admin with
field errors, act-as, personal quick links, API tokens, the audit log pages."""

from __future__ import annotations

import csv
import io
import json
import re

from sqlalchemy import select

from domain.access.audit import audit
from domain.access.auth import BAD_CREDENTIALS, authenticate
from domain.db import read_only, unit_of_work
from domain.demo import DEMO_PASSWORD
from domain.org.models import QuickLink, User
from rxapp.state.admin_users import AdminUsersState
from rxapp.state.audit import AuditState
from rxapp.state.login import LoginState
from rxapp.state.profile import ProfileState
from rxapp.state.quick_links import QuickLinksState
from rxapp.state.session import SessionState
from rxapp.state.ventures import MyDayState
from tests.helpers import user_id, venture_id
from tests.rx.conftest import Tab, downloaded_text, redirect_target, toasts


def test_login_messages_lock_and_next(demo) -> None:
    tab = Tab("/login?next=/ventures")
    tab.navigate("/login?next=/ventures")
    tab.call(LoginState, "load")
    login = tab.state(LoginState)
    assert login.next_path == "/ventures"
    email = "carriers.afl@vcc.example"
    for _ in range(5):
        tab.call(LoginState, "submit", {"email": email, "password": "not-the-password"})
        assert login.notice == BAD_CREDENTIALS and login.notice_kind == "error"
    # Locked now: the right password is refused with the very same words (an unknown address
    # gets them too), so the page does not tell that the account exists.
    tab.call(LoginState, "submit", {"email": email, "password": DEMO_PASSWORD})
    assert login.notice == BAD_CREDENTIALS and tab.session.token == ""
    assert "15 minutes" in login.notice

    events = tab.call(
        LoginState, "submit", {"email": "CSR.AFL@vcc.example ", "password": DEMO_PASSWORD}
    )
    assert redirect_target(events) == "/ventures"
    assert authenticate(tab.session.token).email == "csr.afl@vcc.example"


def test_login_with_an_emailed_code(demo, mailbox) -> None:
    tab = Tab("/login")
    tab.call(LoginState, "toggle_code_mode")
    tab.call(LoginState, "submit", {"email": "manager.hotels@vcc.example"})
    login = tab.state(LoginState)
    assert login.mode == "enter_code" and login.notice_kind == "success"
    code = re.search(r"\b(\d{6})\b", mailbox.last_to("manager.hotels@vcc.example").body)[1]
    wrong = "000000" if code != "000000" else "111111"
    tab.call(LoginState, "submit", {"code": wrong})
    assert login.notice_kind == "error" and tab.session.token == ""
    events = tab.call(LoginState, "submit", {"code": code})
    assert redirect_target(events) == "/"
    assert authenticate(tab.session.token).email == "manager.hotels@vcc.example"


def test_admin_creates_a_user_with_field_errors_first(demo) -> None:
    tab = Tab("/admin/users")
    tab.login("admin@vcc.example")
    tab.call(AdminUsersState, "load")
    users = tab.state(AdminUsersState)
    assert tab.session.ready_page == "admin_users" and users.rows
    tab.call(AdminUsersState, "open_create")
    afl, hhg_office = venture_id("AFL"), _office("HHG")
    tab.call(
        AdminUsersState,
        "save_user",
        {"email": "not-an-email", "name": "", "role": "CSR", f"office_{hhg_office}": "on"},
    )
    assert users.err["email"] == "Email is not an email address"
    assert users.err["name"] == "Name is required"
    assert len(users.errors) >= 2 and users.form_open
    tab.call(
        AdminUsersState,
        "save_user",
        {
            "email": "new.csr@vcc.example",
            "name": "New Csr",
            "role": "CSR",
            f"venture_{afl}": "on",
            f"office_{hhg_office}": "on",
        },
    )
    assert users.err["office_ids"].startswith("Offices every office must belong")
    events = tab.call(
        AdminUsersState,
        "save_user",
        {"email": "new.csr@vcc.example", "name": "New Csr", "role": "CSR", f"venture_{afl}": "on"},
    )
    assert toasts(events) and not users.form_open
    assert [r.email for r in users.rows] == ["new.csr@vcc.example"]
    assert users.rows[0].ventures == "AFL" and users.page_summary == "Showing 1 to 1 of 1"

    # Export: what the filters match (here the search for the new user), with plain values.
    rows = list(csv.reader(io.StringIO(downloaded_text(tab.call(AdminUsersState, "export_csv")))))
    assert rows[0][:4] == ["Name", "Email", "Role", "Status"]
    assert rows[1][:6] == [
        "New Csr",
        "new.csr@vcc.example",
        "Customer service rep",
        "Active",
        "AFL",
        "",
    ]
    assert rows[1][6] == "" and rows[1][7].endswith("+00:00") and len(rows) == 2


def test_hr_cannot_grant_admin(demo) -> None:
    tab = Tab()
    tab.login("hr@vcc.example")
    tab.call(AdminUsersState, "load")
    users = tab.state(AdminUsersState)
    assert "ADMIN" not in {o.value for o in users.grantable_roles}
    tab.call(AdminUsersState, "open_edit", user_id("csr.afl@vcc.example"))
    tab.call(AdminUsersState, "save_user", {"name": "Emily Carter", "role": "ADMIN"})
    assert users.err["role"] == "Role you cannot grant the ADMIN role"
    with read_only() as uow:
        role = uow.session.execute(
            select(User.role).where(User.email == "csr.afl@vcc.example")
        ).scalar_one()
    assert role.value == "CSR"


def test_act_as_shows_the_other_users_world_and_stops(demo) -> None:
    tab = Tab()
    tab.login("ceo@vcc.example")
    tab.call(AdminUsersState, "load")
    users = tab.state(AdminUsersState)
    ceo_row = next(r for r in users.rows if r.email == "ceo@vcc.example")
    assert not ceo_row.can_act_as
    users.search_text = "manager.hotels"
    tab.call(AdminUsersState, "apply_filters", {"search": "manager.hotels"})
    target = users.rows[0]
    assert target.can_act_as
    tab.call(AdminUsersState, "ask", "act_as", target.id)
    assert "audit log" in users.confirm_text
    events = tab.call(AdminUsersState, "confirm")
    assert redirect_target(events) == "/"
    tab.call(MyDayState, "load")
    session = tab.session
    assert session.impersonating and session.user_name == "Grace Kim"
    assert session.real_user_name == "Maya Chen"
    assert [s.key for s in session.nav] == ["command_center", "hospitality", "operations"]
    assert redirect_target(tab.call(SessionState, "stop_acting")) == "/admin/users"
    tab.call(MyDayState, "load")
    assert not session.impersonating and "admin" in [s.key for s in session.nav]


def test_personal_quick_links_add_rename_reorder_remove(demo) -> None:
    tab = Tab()
    tab.login("csr.afl@vcc.example")
    tab.call(MyDayState, "load")
    links = tab.state(QuickLinksState)
    assert [g.kind for g in links.groups] == ["global", "venture", "personal"]
    tab.call(QuickLinksState, "open_add", "personal")
    tab.call(QuickLinksState, "save_link", {"label": "", "url": "ftp://x"})
    assert links.label_error and links.url_error.startswith("must be an http")
    tab.call(QuickLinksState, "save_link", {"label": "Rate sheet", "url": "https://rates.example"})
    personal = links.groups[-1]
    assert [q.label for q in personal.links] == ["My customer list", "Rate sheet"]
    new_id = personal.links[1].id
    tab.call(QuickLinksState, "move_link", new_id, -1)
    assert [q.label for q in links.groups[-1].links] == ["Rate sheet", "My customer list"]
    tab.call(QuickLinksState, "open_edit", new_id)
    tab.call(QuickLinksState, "save_link", {"label": "Rates", "url": "https://rates.example"})
    assert links.groups[-1].links[0].label == "Rates"
    tab.call(QuickLinksState, "remove_link", new_id)
    assert [q.label for q in links.groups[-1].links] == ["My customer list"]
    # venture links are read-only for a CSR
    assert not any(q.editable for g in links.groups[:-1] for q in g.links)
    with read_only() as uow:
        assert uow.session.get(QuickLink, new_id) is None


def test_venture_filter_narrows_my_day(demo) -> None:
    tab = Tab()
    tab.login("dispatch.rtr@vcc.example")
    tab.call(MyDayState, "load")
    assert sorted(v.code for v in tab.state(MyDayState).ventures) == ["AFL", "RTR"]
    tab.call(SessionState, "set_venture_filter", str(venture_id("RTR")))
    tab.call(MyDayState, "load")
    assert [v.code for v in tab.state(MyDayState).ventures] == ["RTR"]
    venture_groups = [g.code for g in tab.state(QuickLinksState).groups if g.kind == "venture"]
    assert venture_groups == ["RTR"]


def test_api_tokens_shown_once_and_revoked(demo) -> None:
    tab = Tab()
    tab.login("finance@vcc.example")
    tab.call(ProfileState, "load")
    profile = tab.state(ProfileState)
    tab.call(ProfileState, "create_token", {"name": "Export", "days": "400"})
    assert profile.token_days_error and profile.new_token == ""
    tab.call(ProfileState, "create_token", {"name": "Export", "days": "30"})
    assert profile.new_token.startswith("vcc_") and profile.tokens[0].status == "Active"
    tab.call(ProfileState, "dismiss_token")
    assert profile.new_token == ""
    tab.call(ProfileState, "revoke_token", profile.tokens[0].id)
    assert profile.tokens[0].status == "Revoked"


def test_audit_log_filters_and_pages(demo) -> None:
    tab = Tab()
    for _ in range(3):
        tab.login("csr.afl@vcc.example")
    tab.login("auditor@vcc.example")
    tab.call(AuditState, "load")
    audit = tab.state(AuditState)
    assert tab.session.ready_page == "audit" and audit.rows
    assert any(p.label.startswith("Emily Carter") for p in audit.people)
    csr = str(user_id("csr.afl@vcc.example"))
    tab.call(AuditState, "apply_filters", {"user": csr, "action": "auth.login"})
    assert len(audit.rows) == 3 and {r.who for r in audit.rows} == {"csr.afl@vcc.example"}
    tab.call(AuditState, "apply_filters", {"from": "2026-12-02", "to": "2026-12-01"})
    assert audit.filter_error
    tab.call(AuditState, "clear_filters")
    assert not audit.has_newer and audit.f_user == "all"


def test_audit_log_older_and_newer_walk_every_entry_once(demo) -> None:
    # More entries than two pages of 50: the pager must step through them all, each once.
    csr = user_id("csr.afl@vcc.example")
    with unit_of_work() as uow:
        for n in range(120):
            audit(uow, None, "auth.login_failed", detail={"n": n}, user_id=csr)
    tab = Tab()
    tab.login("auditor@vcc.example")
    tab.call(AuditState, "load")
    state = tab.state(AuditState)
    tab.call(AuditState, "apply_filters", {"action": "auth.login_failed"})
    assert state.page_summary == "Entries 1 to 50, newest first" and not state.has_newer
    seen: list[int] = []
    while True:
        seen += [r.id for r in state.rows]
        if not state.has_older:
            break
        tab.call(AuditState, "older")
    assert state.page_index == 2 and state.page_summary.startswith("Entries 101 to ")
    assert len(seen) == len(set(seen)) and len(seen) >= 120
    tab.call(AuditState, "older")  # nothing older: stays on the last page
    assert state.page_index == 2
    tab.call(AuditState, "newer")
    tab.call(AuditState, "newer")
    tab.call(AuditState, "newer")  # already the newest page: stays there
    assert state.page_index == 0 and [r.id for r in state.rows] == seen[:50]

    # The CSV holds every entry the filters match, not just the page on screen.
    rows = list(csv.reader(io.StringIO(downloaded_text(tab.call(AuditState, "export_csv")))))
    assert rows[0][:3] == ["Time (UTC)", "Action", "Description"]
    assert len(rows) - 1 == len(seen) and {r[1] for r in rows[1:]} == {"auth.login_failed"}
    assert {json.loads(r[8])["n"] for r in rows[1:] if '"n"' in r[8]} == set(range(120))
    assert all(r[0].endswith("+00:00") for r in rows[1:]) and not state.exporting
    # A refused filter is not exported as if it were empty.
    tab.call(AuditState, "apply_filters", {"from": "2026-12-02", "to": "2026-12-01"})
    assert "Fix the filters first" in " ".join(toasts(tab.call(AuditState, "export_csv")))


def _office(code: str) -> int:
    from domain.org.models import Office, Venture

    with read_only() as uow:
        return (
            uow.session.execute(
                select(Office.id)
                .join(Venture, Venture.id == Office.venture_id)
                .where(Venture.code == code)
            )
            .scalars()
            .first()
        )


def test_a_venture_head_manages_their_ventures_links_only(demo) -> None:
    from rxapp.state.ventures import VentureDetailState

    tab = Tab()
    tab.login("head.hotels@vcc.example")
    hhg = venture_id("HHG")
    tab.navigate(f"/ventures/{hhg}")
    tab.call(VentureDetailState, "load")
    links = tab.state(QuickLinksState)
    assert tab.session.ready_page == "venture_detail"
    assert [g.key for g in links.groups] == [f"venture:{hhg}"] and links.groups[0].can_add
    tab.call(QuickLinksState, "open_add", f"venture:{hhg}")
    tab.call(QuickLinksState, "save_link", {"label": "Night audit", "url": "https://na.example"})
    assert "Night audit" in [q.label for q in links.groups[0].links]
    # another venture's group, forced: refused by the domain
    links._edit_group, links._edit_id = f"venture:{venture_id('AFL')}", None
    tab.call(QuickLinksState, "save_link", {"label": "Nope", "url": "https://x.example"})
    assert links.form_error
    with read_only() as uow:
        labels = uow.session.execute(select(QuickLink.label)).scalars().all()
    assert "Nope" not in labels


def test_times_are_shown_in_the_browser_timezone(demo) -> None:
    tab = Tab()
    tab.login("auditor@vcc.example")
    tab.session.browser_timezone = "Asia%2FKolkata"  # as the page-head script writes it
    tab.call(AuditState, "load")
    audit = tab.state(AuditState)
    assert audit.tz_label == "IST" and audit.rows
    assert audit.dates_caption.endswith("Times are shown in your timezone (IST).")
    assert all(r.at.endswith(" IST") for r in audit.rows)
    # A forged cookie is only a display hint: it falls back to the group timezone.
    tab.session.browser_timezone = "../../etc/passwd"
    tab.call(AuditState, "load")
    assert audit.tz_label in ("EST", "EDT") and audit.rows[0].at[-3:] in ("EST", "EDT")
    assert "your timezone" not in audit.dates_caption


def test_venture_and_office_forms_share_one_submit_path(tab: Tab) -> None:
    """Field errors under the fields and in the summary with the dialog kept open; once saved,
    the dialog closes, the list shows the change and a toast says so. An office timezone left
    empty when editing keeps the office's zone."""
    from rxapp.state.admin_ventures import AdminVenturesState

    tab.login("admin@vcc.example")
    tab.call(AdminVenturesState, "load")
    page = tab.state(AdminVenturesState)
    hhg = venture_id("HHG")
    tab.call(AdminVenturesState, "open_edit_venture", hhg)
    tab.call(AdminVenturesState, "save_venture", {"name": "", "timezone": "Mars/Olympus"})
    assert page.v_errors["name"] == "Name is required"
    assert page.v_errors["timezone"].startswith("Timezone is not a known IANA timezone")
    assert len(page.v_summary) == 2 and page.venture_open
    events = tab.call(
        AdminVenturesState,
        "save_venture",
        {"name": "Harbor Hotels", "timezone": "America/New_York", "is_active": "on"},
    )
    assert not page.venture_open and page.v_summary == [] and page.v_errors["name"] == ""
    assert "Harbor Hotels saved." in toasts(events)[0]
    assert [v.name for v in page.ventures if v.id == hhg] == ["Harbor Hotels"]

    office = next(o for v in page.ventures if v.id == hhg for o in v.offices)
    tab.call(AdminVenturesState, "open_edit_office", office.id)
    assert page.office_open
    events = tab.call(
        AdminVenturesState,
        "save_office",
        {
            "name": "Front desk",
            "city": "Newark",
            "country": "US",
            "timezone": "",
            "is_active": "on",
        },
    )
    assert not page.office_open and "Office Front desk saved." in toasts(events)[0]
    saved = next(o for v in page.ventures if v.id == hhg for o in v.offices if o.id == office.id)
    assert (saved.name, saved.timezone) == ("Front desk", office.timezone)
