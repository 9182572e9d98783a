"""Freight's part of the briefing: items about a load ("load lost", "big load delivered") are
read by exactly the people who may open that load (``access.load_clause``, the rule of
``get_load``), never by everyone in the venture."""

from __future__ import annotations

from typing import Any

from sqlalchemy import false
from sqlalchemy.sql import ColumnElement
from sqlmodel import col, select

from domain.access.actor import Actor
from domain.briefing.entities import register_entity
from domain.db import UnitOfWork
from domain.freight.access import load_clause
from domain.freight.models import Load

LOAD_ITEM_PREFIXES = ("load-lost", "load-delivered")


def load_visible(uow: UnitOfWork, actor: Actor, load_id: ColumnElement[Any]) -> ColumnElement[bool]:
    if not actor.can("freight.loads.read"):
        return false()
    return select(Load.id).where(col(Load.id) == load_id, load_clause(uow, actor)).exists()


register_entity("load", LOAD_ITEM_PREFIXES, load_visible)
