"""Small helpers the tests share (actors of demo users, ids by code)."""

from __future__ import annotations

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
