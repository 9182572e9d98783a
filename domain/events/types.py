"""Domain events as data: a ``DomainEvent`` is what a service records, a ``RecordedEvent`` is what
a handler receives (the stored row, with its id)."""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict

E = TypeVar("E", bound="DomainEvent")

# Every event class by its type name (filled by subclassing).
EVENT_TYPES: dict[str, type[DomainEvent]] = {}


class DomainEvent(BaseModel):
    """Base of every event. Subclasses set ``type`` (the stored name) and their payload fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: ClassVar[str] = ""
    venture_id: int | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        name = cls.__dict__.get("type")
        if name:
            if name in EVENT_TYPES and EVENT_TYPES[name] is not cls:
                raise RuntimeError(f"event type {name!r} defined twice")
            EVENT_TYPES[name] = cls

    def payload(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


@dataclass(frozen=True)
class RecordedEvent:
    """An event as stored in the outbox and handed to handlers."""

    id: int
    type: str
    venture_id: int | None
    payload: dict[str, Any]
    created_at: datetime
    attempts: int

    def parse(self, cls: builtins.type[E]) -> E:
        """The payload as its event class (``ev.parse(LoadDelivered)``)."""
        if cls.type != self.type:
            raise TypeError(f"event {self.id} is {self.type}, not {cls.type}")
        return cls.model_validate(self.payload)
