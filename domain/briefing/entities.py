"""Briefing items about an owned entity: who may read them is the entity's own rule.

An item's ``source_key`` says what it is about. A key ``<prefix>:<id>`` whose prefix a module
registered here (``load-lost:123``) is about one entity (load 123); a reader sees that item only
if they may open the entity, exactly as the entity's own ``get_*`` decides (non-manager roles
see what they own or are assigned, office-scoped roles their offices). Any other key
(``tasks-overdue``) is about the venture as a whole and keeps the venture rule.

The briefing stays generic: it never imports a vertical. A vertical registers, for each entity
type, the source-key prefixes of its items and a function returning the SQL condition "the
actor may open the entity whose id is this expression" (its own scope clause, reused). The
modules that register are named by each wing's manifest (``briefing_modules``) and imported before
the first query, so an item is never shown by the venture rule just because its wing was not
imported yet.
"""

from __future__ import annotations

import importlib
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Integer, case, cast, func, or_, true
from sqlalchemy.sql import ColumnElement

if TYPE_CHECKING:
    from domain.access.actor import Actor
    from domain.db import UnitOfWork

# (uow, actor, entity id expression) -> "actor may open that entity" as one SQL condition.
VisibleClause = Callable[["UnitOfWork", "Actor", ColumnElement[Any]], ColumnElement[bool]]

_PREFIX = re.compile(r"^[a-z][a-z0-9-]{0,60}$")  # no LIKE wildcards ("%", "_") by construction


@dataclass(frozen=True)
class EntityType:
    name: str
    prefixes: tuple[str, ...]
    visible: VisibleClause


_types: dict[str, EntityType] = {}
_by_prefix: dict[str, str] = {}
_loaded = False
_lock = threading.Lock()


def register_entity(name: str, prefixes: Iterable[str], visible: VisibleClause) -> None:
    """Items whose source key is ``<prefix>:<id>`` for one of ``prefixes`` are about the entity
    ``name`` with that id, visible where ``visible`` says."""
    prefixes = tuple(prefixes)
    for prefix in prefixes:
        if not _PREFIX.match(prefix):
            raise ValueError(f"briefing key prefix {prefix!r}: use a-z, 0-9 and '-' only")
        owner = _by_prefix.get(prefix)
        if owner is not None and owner != name:
            raise ValueError(f"briefing source-key prefix {prefix!r} already belongs to {owner}")
    for prefix in prefixes:
        _by_prefix[prefix] = name
    _types[name] = EntityType(name, prefixes, visible)


def load_entities() -> None:
    global _loaded
    if _loaded:
        return
    with _lock:
        if not _loaded:
            from domain.verticals import briefing_modules

            for module in briefing_modules():
                importlib.import_module(module)
            _loaded = True


def entity_source_key(prefix: str, entity_id: int) -> str:
    """The source key of an item about one entity (``load-lost:123``)."""
    return f"{prefix}:{int(entity_id)}"


def check_source_key(source_key: str) -> None:
    """A key with a registered prefix must name the entity's integer id (the visibility clause
    reads it back as an integer)."""
    load_entities()
    prefix, sep, rest = source_key.partition(":")
    entity = _by_prefix.get(prefix)
    if entity is not None and not (sep and rest.isascii() and rest.isdigit()):
        raise ValueError(
            f"briefing source key {source_key!r} is about a {entity}: it must be "
            f"'{prefix}:<{entity} id>'"
        )


def visibility_clause(uow: UnitOfWork, actor: Actor, source_key: Any) -> ColumnElement[bool]:
    """True for items about no registered entity, and for items about an entity ``actor`` may
    open; false for the rest."""
    load_entities()
    if not _types:
        return true()
    about_entity: list[ColumnElement[bool]] = []
    allowed: list[ColumnElement[bool]] = []
    for entity in _types.values():
        matches = [(source_key.like(f"{p}:%"), p) for p in entity.prefixes]
        # CASE keeps the cast away from keys of other prefixes (evaluation order is otherwise
        # the planner's choice, and PostgreSQL refuses to cast a non-number).
        entity_id = case(
            *((m, cast(func.substr(source_key, len(p) + 2), Integer)) for m, p in matches),
            else_=None,
        )
        is_this = or_(*(m for m, _ in matches))
        about_entity.append(is_this)
        allowed.append(is_this & entity.visible(uow, actor, entity_id))
    return ~or_(*about_entity) | or_(*allowed)


__all__ = [
    "check_source_key",
    "entity_source_key",
    "load_entities",
    "register_entity",
    "visibility_clause",
]
