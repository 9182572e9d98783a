"""The handler registry: event type -> named handlers.

Handlers are plain functions ``fn(uow, event)`` registered with ``@handles("LoadDelivered")``.
They run after the event's transaction committed, each in its own unit of work together with its
delivery record, and must be idempotent (delivering an event twice changes nothing the second
time). The registry is open: a wing lists its handler modules in its manifest
(``domain.verticals``), a shared module adds its name to ``HANDLER_MODULES`` (cache invalidation,
...); both decorate their functions.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from domain.db import UnitOfWork
    from domain.events.types import RecordedEvent

Handler = Callable[["UnitOfWork", "RecordedEvent"], None]

# Shared modules whose import registers handlers; each wing's come from its manifest
# (``domain.verticals``) and run first, in the order of the wings. Append, never reorder: handlers
# run in this order.
HANDLER_MODULES: list[str] = []

_handlers: dict[str, dict[str, Handler]] = {}
_loaded = False


def register(event_type: str, name: str, fn: Handler) -> None:
    """Register ``fn`` under a stable ``name`` (the delivery record's key: renaming a handler
    makes it run again for unprocessed events)."""
    by_name = _handlers.setdefault(event_type, {})
    if name in by_name and by_name[name] is not fn:
        raise RuntimeError(f"handler {name!r} already registered for {event_type}")
    by_name[name] = fn


def unregister(event_type: str, name: str) -> None:
    _handlers.get(event_type, {}).pop(name, None)


def handles(*event_types: str, name: str | None = None) -> Callable[[Handler], Handler]:
    def decorate(fn: Handler) -> Handler:
        key = name or f"{fn.__module__}.{fn.__name__}"
        for event_type in event_types:
            register(event_type, key, fn)
        return fn

    return decorate


def load_handlers() -> None:
    """Import every handler module once (dispatchers call this before delivering)."""
    global _loaded
    if _loaded:
        return
    from domain.verticals import handler_modules

    for module in [*handler_modules(), *HANDLER_MODULES]:
        importlib.import_module(module)
    _loaded = True


def handlers_for(event_type: str) -> list[tuple[str, Handler]]:
    load_handlers()
    return list(_handlers.get(event_type, {}).items())
