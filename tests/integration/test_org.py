"""Organisation services and queries on a real database: scope, quick links, users, audit."""

import pytest
from sqlalchemy import func, select

from domain.access.audit import AuditFilter, list_audit
from domain.access.models import AuditLog
from domain.access.navigation import accessible_sections
from domain.access.roles import Role
from domain.access.scope import system_actor
from domain.db import read_only, unit_of_work
from domain.errors import Conflict, Forbidden, Invalid, NotFound
from domain.org import queries, services
from domain.org.models import QuickLink, User
from tests.helpers import actor, office_id, user_id, venture_id


def q(fn, *args, **kwargs):
    with read_only() as uow:
        return fn(uow, *args, **kwargs)


def w(fn, *args, **kwargs):
    with unit_of_work() as uow:
        return fn(uow, *args, **kwargs)


def test_user_of_venture_b_asking_for_venture_a_gets_not_found(demo) -> None:
    mbr_csr = actor("csr.mbr@vcc.example")
    assert q(queries.get_venture, mbr_csr, venture_id("MBR")).venture.code == "MBR"
    with pytest.raises(NotFound) as err:
        q(queries.get_venture, mbr_csr, venture_id("AFL"))
    with pytest.raises(NotFound) as missing:
        q(queries.get_venture, mbr_csr, 999_999)
    # Indistinguishable from a venture that does not exist (same type, same wording).
    assert str(err.value).replace(str(venture_id("AFL")), "X") == str(missing.value).replace(
        "999999", "X"
    )
    assert [v.code for v in q(queries.list_ventures, mbr_csr)] == ["MBR"]


def test_assigned_user_without_ventures_sees_nothing(demo) -> None:
    sys = None
    with unit_of_work() as uow:
        sys = system_actor(uow.session)
        services.create_user(
            uow, sys, {"email": "new.hire@vcc.example", "name": "New Hire", "role": "EMPLOYEE"}
        )
    a = actor("new.hire@vcc.example")
    assert q(queries.list_ventures, a) == []
    assert q(accessible_sections, a) == ["command_center"]
    groups = q(queries.visible_quick_links, a)
    assert [g.kind for g in groups] == ["global", "personal"]


@pytest.mark.parametrize(
    ("email", "sections"),
    [
        ("csr.afl@vcc.example", ["command_center", "freight", "operations"]),
        ("manager.hotels@vcc.example", ["command_center", "hospitality", "operations"]),
        (
            "finance@vcc.example",
            [
                "command_center",
                "freight",
                "hospitality",
                "bpo",
                "saas",
                "holdings",
                "operations",
                "admin",
            ],
        ),
        (
            "ceo@vcc.example",
            [
                "command_center",
                "freight",
                "hospitality",
                "bpo",
                "saas",
                "holdings",
                "operations",
                "admin",
            ],
        ),
        ("agent.pbp@vcc.example", ["command_center", "bpo", "operations"]),
        (
            "auditor@vcc.example",
            ["command_center", "freight", "hospitality", "bpo", "saas", "holdings", "operations"],
        ),
        (
            "hr@vcc.example",
            [
                "command_center",
                "freight",
                "hospitality",
                "bpo",
                "saas",
                "holdings",
                "operations",
                "admin",
            ],
        ),
    ],
)
def test_sections_of_demo_users(demo, email: str, sections: list[str]) -> None:
    assert q(accessible_sections, actor(email)) == sections


def test_inactive_venture_closes_its_section(demo) -> None:
    w(services.update_venture, actor("admin@vcc.example"), venture_id("HHG"), {"is_active": False})
    assert "hospitality" not in q(accessible_sections, actor("manager.hotels@vcc.example"))


def test_quick_link_visibility_for_every_owner_kind(demo) -> None:
    csr = actor("csr.afl@vcc.example")
    groups = q(queries.visible_quick_links, csr)
    assert [(g.kind, g.venture_code) for g in groups] == [
        ("global", None),
        ("venture", "AFL"),
        ("personal", None),
    ]
    assert [link.label for link in groups[-1].links] == ["My customer list"]
    # Global links are not editable by a CSR; personal ones are.
    assert not any(link.editable for link in groups[0].links)
    assert all(link.editable for link in groups[-1].links)

    # A venture link of an out-of-scope venture never appears, by any path.
    hhg_link = w(
        services.add_quick_link,
        actor("head.hotels@vcc.example"),
        {
            "label": "Night audit",
            "url": "https://audit.hhg.example/",
            "owner": "venture",
            "venture_id": venture_id("HHG"),
        },
    )
    labels = [link.label for g in q(queries.visible_quick_links, csr) for link in g.links]
    assert "Night audit" not in labels
    with pytest.raises(NotFound):
        w(services.update_quick_link, csr, hhg_link.id, {"label": "x"})
    with pytest.raises(NotFound):
        w(services.remove_quick_link, csr, hhg_link.id)
    with pytest.raises(NotFound):
        q(queries.get_venture, csr, venture_id("HHG"))

    # Someone else's personal link is invisible too.
    ceo_groups = q(queries.visible_quick_links, actor("ceo@vcc.example"))
    ceo_labels = [link.label for g in ceo_groups for link in g.links]
    assert "My customer list" not in ceo_labels and "Board pack" in ceo_labels
    # The CEO sees every venture's group, by venture name, after the global one.
    titles = [g.title for g in ceo_groups if g.kind == "venture"]
    assert titles == sorted(titles, key=str.lower) and len(titles) == 7


def test_venture_head_manages_only_own_venture_links(demo) -> None:
    head = actor("head.hotels@vcc.example")
    with pytest.raises(NotFound):
        w(
            services.add_quick_link,
            head,
            {
                "label": "x",
                "url": "https://x.example/",
                "owner": "venture",
                "venture_id": venture_id("AFL"),
            },
        )
    with pytest.raises(Forbidden):
        w(
            services.add_quick_link,
            head,
            {"label": "x", "url": "https://x.example/", "owner": "global"},
        )
    with pytest.raises(Forbidden):
        w(
            services.add_quick_link,
            actor("csr.afl@vcc.example"),
            {
                "label": "x",
                "url": "https://x.example/",
                "owner": "venture",
                "venture_id": venture_id("AFL"),
            },
        )


def test_personal_links_add_rename_reorder_remove(demo) -> None:
    csr = actor("csr.afl@vcc.example")
    a = w(services.add_quick_link, csr, {"label": "Rates", "url": "https://rates.example/"})
    b = w(services.add_quick_link, csr, {"label": "Docs", "url": "http://docs.example/x?y=1"})
    w(services.update_quick_link, csr, a.id, {"label": "Rate sheet"})
    mine = q(queries.visible_quick_links, csr)[-1].links
    first = mine[0].id
    w(services.reorder_quick_links, csr, [b.id, a.id, first])
    assert [link.label for link in q(queries.visible_quick_links, csr)[-1].links] == [
        "Docs",
        "Rate sheet",
        "My customer list",
    ]
    with pytest.raises(Invalid) as err:
        w(services.reorder_quick_links, csr, [b.id, a.id])
    assert "ids" in err.value.fields
    w(services.remove_quick_link, csr, a.id)
    assert len(q(queries.visible_quick_links, csr)[-1].links) == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"label": "x", "url": "javascript:alert(1)"}, "url"),
        ({"label": "x", "url": "ftp://files.example/"}, "url"),
        ({"label": "x", "url": "https://x.example/" + "a" * 2000}, "url"),
        ({"label": "", "url": "https://x.example/"}, "label"),
        ({"label": "x", "url": "https://x.example/", "owner": "venture"}, "venture_id"),
    ],
)
def test_bad_links_name_the_field_and_write_nothing(demo, data: dict, field: str) -> None:
    before = q(
        lambda uow: uow.session.execute(select(func.count()).select_from(QuickLink)).scalar()
    )
    with pytest.raises(Invalid) as err:
        w(services.add_quick_link, actor("csr.afl@vcc.example"), data)
    assert field in err.value.fields
    after = q(lambda uow: uow.session.execute(select(func.count()).select_from(QuickLink)).scalar())
    assert before == after


def test_personal_link_limit(demo) -> None:
    csr = actor("csr.afl@vcc.example")
    for i in range(49):  # one already exists
        w(services.add_quick_link, csr, {"label": f"L{i}", "url": f"https://l{i}.example/"})
    with pytest.raises(Invalid, match="50 personal links"):
        w(services.add_quick_link, csr, {"label": "one too many", "url": "https://x.example/"})


def test_create_user_validation_is_all_or_nothing(demo) -> None:
    hr = actor("hr@vcc.example")
    with pytest.raises(Invalid) as err:
        w(services.create_user, hr, {"email": "not-an-email", "name": "", "role": "WIZARD"})
    assert set(err.value.fields) == {"email", "name", "role"}
    with pytest.raises(Invalid) as err:
        w(
            services.create_user,
            hr,
            {
                "email": "a@vcc.example",
                "name": "A",
                "role": "CSR",
                "venture_ids": [venture_id("AFL")],
                "office_ids": [office_id("PBP", "Salt Lake")],
            },
        )
    assert "office_ids" in err.value.fields
    with pytest.raises(Conflict) as dup:  # a duplicate key is a conflict (409), not bad input
        w(services.create_user, hr, {"email": "CSR.AFL@vcc.example", "name": "Dup", "role": "CSR"})
    assert dup.value.fields == {"email": "is already used by another user"}
    with pytest.raises(Invalid) as err:
        w(
            services.create_user,
            hr,
            {"email": "b@vcc.example", "name": "B", "role": "CSR", "password": "password1234"},
        )
    assert "password" in err.value.fields
    assert (
        q(
            lambda uow: uow.session.execute(
                select(func.count())
                .select_from(User)
                .where(User.email.in_(["a@vcc.example", "b@vcc.example"]))
            ).scalar()
        )
        == 0
    )


def test_role_grants_are_limited(demo) -> None:
    hr = actor("hr@vcc.example")
    csr_id = user_id("csr.afl@vcc.example")
    with pytest.raises(Invalid) as err:
        w(services.assign_role, hr, csr_id, Role.ADMIN)
    assert "role" in err.value.fields
    with pytest.raises(Forbidden):
        w(services.assign_role, hr, user_id("ceo@vcc.example"), Role.COO)
    with pytest.raises(Forbidden):
        w(services.assign_role, actor("finance@vcc.example"), csr_id, Role.DISPATCHER)
    view = w(services.assign_role, hr, csr_id, "dispatcher")
    assert view.role is Role.DISPATCHER


def test_audit_rows_for_role_and_venture_changes(demo) -> None:
    admin = actor("admin@vcc.example")
    uid = user_id("csr.afl@vcc.example")
    w(services.assign_role, admin, uid, Role.CARRIER_TEAM)
    w(services.set_user_ventures, admin, uid, [venture_id("AFL"), venture_id("MBR")])
    with read_only() as uow:
        rows = list(
            uow.session.execute(
                select(AuditLog)
                .where(AuditLog.entity_id == str(uid), AuditLog.entity_type == "user")
                .order_by(AuditLog.id)
            ).scalars()
        )
    assert [r.action for r in rows] == ["user.role_changed", "user.ventures_changed"]
    assert rows[0].detail == {"from": "CSR", "to": "CARRIER_TEAM"}
    assert rows[0].real_user_id == admin.user_id
    # Ventures changed: the user's scope follows on the next resolution.
    assert {v.code for v in q(queries.list_ventures, actor("csr.afl@vcc.example"))} == {
        "AFL",
        "MBR",
    }


def test_audit_log_query_filters_and_pages(demo) -> None:
    admin = actor("admin@vcc.example")
    uid = user_id("csr.afl@vcc.example")
    for role in [Role.DISPATCHER, Role.CSR, Role.DISPATCHER, Role.CSR, Role.DISPATCHER]:
        w(services.assign_role, admin, uid, role)
    page = q(list_audit, admin, AuditFilter(action="user.role_changed"), limit=2)
    seen = [r.id for r in page.items]
    while page.has_more:
        page = q(
            list_audit,
            admin,
            AuditFilter(action="user.role_changed"),
            cursor=page.next_cursor,
            limit=2,
        )
        seen += [r.id for r in page.items]
    assert len(seen) == 5 and len(set(seen)) == 5 and seen == sorted(seen, reverse=True)
    assert q(list_audit, admin, AuditFilter(action="user."), limit=200).items
    with pytest.raises(Forbidden):
        q(list_audit, actor("csr.afl@vcc.example"))
    assert q(list_audit, actor("auditor@vcc.example"), AuditFilter(user_id=admin.user_id)).items


def test_offices_and_ventures_admin(demo) -> None:
    admin = actor("admin@vcc.example")
    v = w(
        services.create_venture,
        admin,
        {
            "code": "nwv",
            "slug": "new-venture",
            "name": "New V",
            "type": "BPO",
            "currency": "inr",
            "timezone": "Asia/Kolkata",
        },
    )
    assert v.code == "NWV" and v.currency == "INR" and v.section == "bpo"
    with pytest.raises(Invalid) as err:
        w(
            services.create_venture,
            admin,
            {
                "code": "NWV",
                "slug": "new-venture",
                "name": "X",
                "type": "BPO",
                "currency": "EUR",
                "timezone": "Mars/Base",
            },
        )
    assert set(err.value.fields) == {"currency", "timezone"}
    o = w(services.create_office, admin, v.id, {"name": "Howrah", "city": "Howrah"})
    assert o.timezone == "Asia/Kolkata"
    with pytest.raises(Conflict) as dup:
        w(services.create_office, admin, v.id, {"name": "Howrah"})
    assert set(dup.value.fields) == {"name"}
    with pytest.raises(Forbidden):
        w(services.create_office, actor("head.bpo@vcc.example"), venture_id("PBP"), {"name": "X"})
    with pytest.raises(NotFound):
        w(services.update_office, actor("csr.afl@vcc.example"), o.id, {"name": "Y"})


def test_navigation_places_pages_in_their_sections(demo) -> None:
    from domain.access.navigation import can_open, navigation

    auditor = actor("auditor@vcc.example")
    nav = {s.key: [p.key for p in s.pages] for s in q(navigation, auditor)}
    assert "admin" not in nav and "audit" in nav["command_center"]
    ceo_nav = {s.key: [p.key for p in s.pages] for s in q(navigation, actor("ceo@vcc.example"))}
    assert "audit" in ceo_nav["admin"] and "audit" not in ceo_nav["command_center"]
    csr = actor("csr.afl@vcc.example")
    assert list({s.key for s in q(navigation, csr)}) and q(can_open, csr, "freight_home")
    assert not q(can_open, csr, "hospitality_home")
    assert not q(can_open, csr, "admin_users")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"label": "nul\x00byte", "url": "https://x.example/"}, "label"),
        ({"label": "surrogate \ud800", "url": "https://x.example/"}, "label"),
        ({"label": "x", "url": "https://x.example/a b"}, "url"),
        ({"label": "x", "url": "https://x.example/\x07"}, "url"),
        (
            {"label": "x", "url": "https://x.example/", "owner": "venture", "venture_id": 2**63},
            "venture_id",
        ),
    ],
)
def test_unstorable_input_is_a_field_error_not_a_crash(demo, data: dict, field: str) -> None:
    with pytest.raises(Invalid) as err:
        w(services.add_quick_link, actor("admin@vcc.example"), data)
    assert field in err.value.fields


def test_the_user_view_says_what_the_reader_may_do(demo) -> None:
    """One rule each, from the domain: only a CEO changes a CEO (access.md), acting as someone
    is for the CEO and ADMIN in a web session and never of a CEO or oneself."""
    ceo, csr = user_id("ceo@vcc.example"), user_id("csr.afl@vcc.example")
    hr = actor("hr@vcc.example")
    assert q(queries.get_user, hr, csr).can_manage
    assert not q(queries.get_user, hr, ceo).can_manage
    assert not q(queries.get_user, hr, csr).can_act_as  # HR may not act as anyone
    assert q(queries.get_user, actor("ceo@vcc.example"), ceo).can_manage
    api_admin = actor("admin@vcc.example")  # no web session behind this actor
    assert not q(queries.get_user, api_admin, csr).can_act_as
    from domain.access.auth import authenticate, login_with_password
    from domain.demo import DEMO_PASSWORD

    with unit_of_work() as uow:
        token = login_with_password(uow, "admin@vcc.example", DEMO_PASSWORD).token
    web_admin = authenticate(token)
    assert q(queries.get_user, web_admin, csr).can_act_as
    assert not q(queries.get_user, web_admin, ceo).can_act_as
    assert not q(queries.get_user, web_admin, web_admin.user_id).can_act_as


def test_business_dates_are_the_venture_s_own(demo) -> None:
    """A load created at 20:00 in New York is dated that day for AFL; the same instant is the next
    day in Kolkata (PBP), and a timezone edit applies at once in this process."""
    from datetime import UTC, date, datetime

    instant = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)  # 1 Dec 20:00 EST, 2 Dec 06:30 IST
    assert queries.business_date_in(venture_id("AFL"), instant) == date(2026, 12, 1)
    assert queries.business_date_in(venture_id("PBP"), instant) == date(2026, 12, 2)
    try:
        with unit_of_work() as uow:
            services.update_venture(
                uow, actor("ceo@vcc.example"), venture_id("AFL"), {"timezone": "Asia/Kolkata"}
            )
        assert queries.business_date_in(venture_id("AFL"), instant) == date(2026, 12, 2)
    finally:  # the database is reset after the test; the process cache must not outlive it
        queries.forget_venture_timezone(venture_id("AFL"))


def test_my_offices_is_the_rule_the_services_check(demo) -> None:
    """An office manager works in their assigned offices only; leadership in every office of
    their ventures. The load form offers exactly these (the same rule create_load checks)."""
    from domain.freight.queries import load_form_options

    manager, head = actor("manager.afl@vcc.example"), actor("head.freight@vcc.example")
    afl = venture_id("AFL")
    mine = {o.id for o in q(queries.my_offices, manager, [afl])}
    every = {o.id for o in q(queries.my_offices, head, [afl])}
    assert mine and mine < every
    assert all(manager.scope.allows_office(o, afl) for o in mine)
    assert {c.id for c in q(load_form_options, manager, afl).offices} == mine
    assert {c.id for c in q(load_form_options, head, afl).offices} == every
