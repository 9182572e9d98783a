"""Membership history (domain.org.services._sync_periods): who belonged to a venture with which
role on each day. Changes take effect on the venture's business date: the old period ends the
day before, a period begun today disappears."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from domain import clock
from domain.db import read_only, unit_of_work
from domain.org.models import MembershipPeriod
from domain.org.services import assign_role, deactivate_user, set_user_ventures
from tests.helpers import actor, user_id, venture_id

ADMIN = "admin@vcc.example"
CSR = "csr.afl@vcc.example"


def periods(email: str, code: str) -> list[tuple[str, object, object]]:
    with read_only() as uow:
        found = uow.session.execute(
            select(MembershipPeriod)
            .where(
                MembershipPeriod.user_id == user_id(email),
                MembershipPeriod.venture_id == venture_id(code),
            )
            .order_by(MembershipPeriod.valid_from, MembershipPeriod.id)
        ).scalars()
        return [(p.role.value, p.valid_from, p.valid_to) for p in found]


def today() -> object:
    return clock.today("America/New_York")


def test_a_role_change_closes_the_period_and_opens_one(demo) -> None:
    (before,) = periods(CSR, "AFL")
    assert before[0] == "CSR" and before[2] is None
    with unit_of_work() as uow:
        assign_role(uow, actor(ADMIN), user_id(CSR), "DISPATCHER")
    yesterday = today() - timedelta(days=1)  # type: ignore[operator]
    assert periods(CSR, "AFL") == [
        ("CSR", before[1], yesterday),
        ("DISPATCHER", today(), None),
    ]


def test_removal_closes_the_period(demo) -> None:
    with unit_of_work() as uow:
        set_user_ventures(uow, actor(ADMIN), user_id(CSR), [venture_id("MBR")])
    ((role, _, valid_to),) = periods(CSR, "AFL")
    assert role == "CSR" and valid_to == today() - timedelta(days=1)  # type: ignore[operator]
    assert periods(CSR, "MBR") == [("CSR", today(), None)]


def test_deactivation_closes_every_period(demo) -> None:
    email = "dispatch.rtr@vcc.example"  # in RTR and AFL
    with unit_of_work() as uow:
        deactivate_user(uow, actor(ADMIN), user_id(email))
    for code in ("RTR", "AFL"):
        ((_, _, valid_to),) = periods(email, code)
        assert valid_to == today() - timedelta(days=1)  # type: ignore[operator]


def test_added_and_removed_the_same_day_leaves_no_period(demo) -> None:
    afl, mbr = venture_id("AFL"), venture_id("MBR")
    with unit_of_work() as uow:
        set_user_ventures(uow, actor(ADMIN), user_id(CSR), [afl, mbr])
    assert periods(CSR, "MBR") == [("CSR", today(), None)]
    with unit_of_work() as uow:
        set_user_ventures(uow, actor(ADMIN), user_id(CSR), [afl])
    assert periods(CSR, "MBR") == []
    assert [p[2] for p in periods(CSR, "AFL")] == [None]  # AFL untouched
