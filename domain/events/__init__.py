"""Domain events: the transactional outbox, the dispatcher, the sweeper and the handler registry.

``record(uow, event)`` in a service; handlers with ``@handles("Type")``; ``sweep()`` from the job
runner; ``stats()`` for the admin jobs page.
"""

from domain.events.outbox import record, stats
from domain.events.registry import handles
from domain.events.types import DomainEvent, RecordedEvent

__all__ = ["DomainEvent", "RecordedEvent", "handles", "record", "stats"]
