"""Keyset pagination against a real database while rows are being inserted."""

from datetime import timedelta

from domain import clock
from domain.access.audit import AuditFilter, list_audit
from domain.access.scope import system_actor
from domain.db import read_only, unit_of_work
from domain.org.queries import list_users
from domain.org.services import create_user
from tests.helpers import actor


def test_every_user_exactly_once_while_inserting(demo) -> None:
    with unit_of_work() as uow:
        sys = system_actor(uow.session)
    hr = actor("hr@vcc.example")
    with read_only() as uow:
        before = {u.id for p in [list_users(uow, hr, limit=200)] for u in p.items}
    seen: list[int] = []
    cursor = None
    n = 0
    while True:
        with read_only() as uow:
            page = list_users(uow, hr, cursor=cursor, limit=5)
        seen += [u.id for u in page.items]
        # Insert users that sort before and after the cursor between page reads.
        with unit_of_work() as uow:
            for prefix in ("Aaron", "Zed"):
                n += 1
                create_user(
                    uow,
                    sys,
                    {"email": f"new{n}@vcc.example", "name": f"{prefix} {n}", "role": "EMPLOYEE"},
                )
        if not page.has_more:
            break
        cursor = page.next_cursor
    assert len(seen) == len(set(seen)), "a row appeared twice"
    assert before <= set(seen), "a row that existed before was skipped"


def test_timestamp_cursor_with_equal_timestamps(demo) -> None:
    """Rows sharing a timestamp are ordered by id, so none is lost at a page boundary."""
    from domain.access.audit import audit

    at = clock.now() - timedelta(days=1)
    with clock.frozen(at), unit_of_work() as uow:
        for i in range(7):
            audit(uow, None, "test.same_instant", detail={"i": i})
    admin = actor("admin@vcc.example")
    ids, cursor = [], None
    while True:
        with read_only() as uow:
            page = list_audit(
                uow, admin, AuditFilter(action="test.same_instant"), cursor=cursor, limit=3
            )
        ids += [r.id for r in page.items]
        if not page.has_more:
            break
        cursor = page.next_cursor
    assert len(ids) == 7 == len(set(ids))


def test_the_cheap_lists_count_what_the_filters_match(demo) -> None:
    from domain.access.roles import Role
    from domain.freight.queries import list_carriers

    hr = actor("hr@vcc.example")
    with read_only() as uow:
        everyone, n = [], None
        cursor = None
        while True:
            page = list_users(uow, hr, cursor=cursor, limit=7)
            assert n is None or page.total == n  # the same on every page
            n = page.total
            everyone += page.items
            if not page.has_more:
                break
            cursor = page.next_cursor
        assert n == len(everyone)
        csrs = list_users(uow, hr, role=Role.CSR, limit=1)
        assert csrs.total == len(list_users(uow, hr, role=Role.CSR, limit=200).items) >= 1
        nobody = list_users(uow, hr, search="no-such-person-anywhere")
        assert nobody.total == 0 and nobody.items == []

        ceo = actor("ceo@vcc.example")
        carriers = list_carriers(uow, ceo, search="zzzz-no-carrier", limit=5)
        assert carriers.total == 0
        some = list_carriers(uow, ceo, limit=5)
        assert some.total is not None and some.total >= len(some.items)
