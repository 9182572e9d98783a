"""At most 50 personal quick links per user (spec access.md), even when many requests add one
at the same moment: each from its own connection and unit of work, released together."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from domain.db import unit_of_work
from domain.errors import Invalid
from domain.org.models import QuickLink
from domain.org.services import MAX_PERSONAL_LINKS, add_quick_link
from tests.helpers import actor, user_id

if TYPE_CHECKING:
    from tests.conftest import TestDatabase

PARALLEL = 24


def _personal_links(uid: int) -> int:
    with unit_of_work() as uow:
        return int(
            uow.session.execute(
                select(func.count()).select_from(QuickLink).where(QuickLink.user_id == uid)
            ).scalar_one()
        )


def _fill(email: str, upto: int) -> None:
    who = actor(email)
    with unit_of_work() as uow:
        for n in range(_personal_links(who.user_id), upto):
            add_quick_link(uow, who, {"label": f"Link {n}", "url": f"https://example.com/{n}"})


def test_parallel_adds_at_49_links_stop_at_exactly_50(demo: TestDatabase) -> None:
    email = "csr.afl@vcc.example"
    _fill(email, MAX_PERSONAL_LINKS - 1)
    assert _personal_links(user_id(email)) == MAX_PERSONAL_LINKS - 1
    who = actor(email)
    barrier = threading.Barrier(PARALLEL)
    outcomes: list[Any] = [None] * PARALLEL

    def add(i: int) -> None:
        barrier.wait()
        try:
            with unit_of_work() as uow:
                outcomes[i] = add_quick_link(
                    uow, who, {"label": f"Race {i}", "url": f"https://example.com/race/{i}"}
                )
        except Exception as exc:
            outcomes[i] = exc

    threads = [threading.Thread(target=add, args=(i,)) for i in range(PARALLEL)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    created = [o for o in outcomes if not isinstance(o, Exception)]
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert _personal_links(who.user_id) == MAX_PERSONAL_LINKS
    assert len(created) == 1 and len(refused) == PARALLEL - 1
    assert all(isinstance(e, Invalid) for e in refused), refused  # the clear error, no 500
    assert "50 personal links" in str(refused[0])


def test_the_fifty_first_link_is_refused(demo: TestDatabase) -> None:
    email = "csr.mbr@vcc.example"
    _fill(email, MAX_PERSONAL_LINKS)
    with pytest.raises(Invalid), unit_of_work() as uow:
        add_quick_link(uow, actor(email), {"label": "One more", "url": "https://example.com/x"})
    assert _personal_links(user_id(email)) == MAX_PERSONAL_LINKS
