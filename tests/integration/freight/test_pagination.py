"""Cursor pagination of loads returns every row exactly once while rows are being inserted."""

from datetime import timedelta

from domain import clock
from domain.db import read_only, unit_of_work
from domain.freight import queries, services
from domain.freight.queries import LoadFilter
from tests.helpers import actor, venture_id
from tests.integration.freight.conftest import load_data


def test_every_load_exactly_once_while_inserting(demo) -> None:
    ceo = actor("ceo@vcc.example")
    f = LoadFilter(venture_id=venture_id("RTR"))
    before: set[int] = set()  # what exists before paging starts
    cursor = None
    while True:
        with read_only() as uow:
            page = queries.list_loads(uow, ceo, f, cursor=cursor, limit=200)
        before |= {x.id for x in page.items}
        if not page.has_more:
            break
        cursor = page.next_cursor
    assert len(before) > 150
    data = load_data("RTR", "Secaucus Yard")
    seen: list[int] = []
    cursor, n = None, 0
    while True:
        with read_only() as uow:
            page = queries.list_loads(uow, ceo, f, cursor=cursor, limit=37)
        seen += [x.id for x in page.items]
        # New loads land before the cursor (now), and in the middle of history (backdated).
        n += 1
        with unit_of_work() as uow:
            services.create_load(uow, ceo, data)
        back = clock.now() - timedelta(days=3 * n)
        with clock.frozen(back), unit_of_work() as uow:
            services.create_load(uow, ceo, data)
        if not page.has_more:
            break
        cursor = page.next_cursor
    assert len(seen) == len(set(seen)), "a load appeared twice"
    assert before <= set(seen), "a load that existed before was skipped"


def test_filters(demo) -> None:
    ceo = actor("ceo@vcc.example")
    with read_only() as uow:
        page = queries.list_loads(
            uow, ceo, LoadFilter(venture_id=venture_id("AFL"), statuses=["DELIVERED"]), limit=20
        )
        assert page.items and {x.status.value for x in page.items} == {"DELIVERED"}
        ref = page.items[0].reference
        found = queries.list_loads(uow, ceo, LoadFilter(search=ref.lower()[-5:]), limit=200)
        assert ref in {x.reference for x in found.items}
        today = clock.today("America/New_York")
        recent = queries.list_loads(
            uow,
            ceo,
            LoadFilter(venture_id=venture_id("AFL"), date_from=today - timedelta(days=2)),
            limit=200,
        )
        assert recent.items
        assert all(
            clock.business_date(x.created_at, "America/New_York") >= today - timedelta(days=2)
            for x in recent.items
        )
        created = [x.created_at for x in recent.items]
        assert created == sorted(created, reverse=True)


def test_a_non_manager_s_pages_are_exactly_what_the_scope_rule_gives(demo) -> None:
    """The own-work list seeks each way of owning a load separately; its pages must be exactly
    the loads ``load_clause`` (the OR of those ways) gives, newest first, each once, whatever
    the filters: a CSR, a dispatcher (the coverage board too) and the carrier team."""
    from sqlmodel import col, select

    from domain.freight.access import load_clause
    from domain.freight.models import Load, LoadStatus

    cases = [
        ("csr.afl@vcc.example", LoadFilter()),
        ("csr.afl@vcc.example", LoadFilter(statuses=[LoadStatus.DELIVERED])),
        ("dispatch.rtr@vcc.example", LoadFilter()),
        ("dispatch.rtr@vcc.example", LoadFilter(venture_id=venture_id("AFL"))),
        ("carriers.afl@vcc.example", LoadFilter(needs_cover=True)),
    ]
    for email, f in cases:
        who = actor(email)
        with read_only() as uow:
            stmt = select(Load.id).where(load_clause(uow, who, f.venture_id))
            if f.statuses:
                stmt = stmt.where(col(Load.status).in_(f.statuses))
            if f.needs_cover:
                stmt = stmt.where(col(Load.status).in_(sorted(queries.NEEDS_COVER)))
            expected = list(
                uow.session.execute(
                    stmt.order_by(col(Load.created_at).desc(), col(Load.id).desc())
                ).scalars()
            )
        seen: list[int] = []
        cursor = None
        while True:
            with read_only() as uow:
                page = queries.list_loads(uow, who, f, cursor=cursor, limit=17)
            seen += [x.id for x in page.items]
            if not page.has_more:
                break
            cursor = page.next_cursor
        assert expected, (email, f)
        assert seen == expected, (email, f)
