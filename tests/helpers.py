"""Small helpers the tests share (actors of demo users, ids by code, a race of threads)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from domain.access.actor import Actor
from domain.access.scope import actor_for
from domain.db import read_only
from domain.org.models import Office, User, Venture


def actor(email: str) -> Actor:
    with read_only() as uow:
        user = uow.session.execute(select(User).where(User.email == email)).scalar_one()
        return actor_for(uow.session, user)


def venture_id(code: str) -> int:
    with read_only() as uow:
        return uow.session.execute(select(Venture.id).where(Venture.code == code)).scalar_one()


def office_id(code: str, name: str) -> int:
    with read_only() as uow:
        return uow.session.execute(
            select(Office.id)
            .join(Venture, Venture.id == Office.venture_id)
            .where(Venture.code == code, Office.name == name)
        ).scalar_one()


def user_id(email: str) -> int:
    with read_only() as uow:
        return uow.session.execute(select(User.id).where(User.email == email)).scalar_one()


def at_once(n: int, fn: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    """Run ``fn(i)`` in ``n`` threads released together by a barrier (each thread opens its own
    connection through the code under test): (results, errors)."""
    barrier = threading.Barrier(n)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work(i: int) -> None:
        try:
            barrier.wait(timeout=60)
            out = fn(i)
            with lock:
                results.append(out)
        except BaseException as exc:
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert not any(t.is_alive() for t in threads), "a thread is stuck"
    return results, errors
