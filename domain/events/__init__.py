"""Domain events: the transactional outbox, the dispatcher, the sweeper and the handler registry.

``record(uow, event)`` in a service; handlers with ``@handles("Type")``; ``sweep()`` from the job
runner; ``stats()`` for the admin jobs page.
"""

from domain.events import dispatcher as _dispatcher
from domain.events.outbox import install_dispatcher, record, stats
from domain.events.registry import handles
from domain.events.types import DomainEvent, RecordedEvent

install_dispatcher(lambda ids, engine: _dispatcher.dispatch(ids, engine=engine))

__all__ = ["DomainEvent", "RecordedEvent", "handles", "record", "stats"]
