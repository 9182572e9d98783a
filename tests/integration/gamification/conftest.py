"""Helpers for the gamification tests: read the awards and balances the real actions made."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from domain.db import read_only, unit_of_work
from domain.gamification.models import GamificationBalance, GamificationConfig, GamificationEvent


def awards(kind: str | None = None, venture: int | None = None) -> list[GamificationEvent]:
    with read_only() as uow:
        stmt = select(GamificationEvent).order_by(GamificationEvent.id)  # type: ignore[arg-type]
        if kind is not None:
            stmt = stmt.where(GamificationEvent.type == kind)
        if venture is not None:
            stmt = stmt.where(GamificationEvent.venture_id == venture)
        return list(uow.session.execute(stmt).scalars())


def balance(user: int, venture: int) -> int:
    with read_only() as uow:
        found = uow.session.execute(
            select(GamificationBalance.points).where(
                GamificationBalance.user_id == user, GamificationBalance.venture_id == venture
            )
        ).scalar_one_or_none()
    return int(found or 0)


def event_sum(user: int, venture: int) -> int:
    return sum(e.points for e in awards(venture=venture) if e.user_id == user)


def set_config(venture: int, **values: Any) -> None:
    """A venture's config row as the config page would leave it."""
    with unit_of_work() as uow:
        row = uow.session.execute(
            select(GamificationConfig).where(GamificationConfig.venture_id == venture)
        ).scalar_one_or_none() or GamificationConfig(venture_id=venture)
        for name, value in values.items():
            setattr(row, name, value)
        uow.session.add(row)
