"""The four failures a use case can end in, plus authentication failures.

Interfaces translate them once: the API to ``{error: {code, message, fields?}}`` with 404 / 403 /
400 / 409 / 401, the UI to a message or the 403/404 page, the CLI to a one-line error.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any


class DomainError(Exception):
    code = "error"
    http_status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message}


class NotFound(DomainError):
    """The row does not exist *or is outside the actor's scope*: the two are indistinguishable."""

    code = "not_found"
    http_status = 404

    def __init__(self, entity: str, key: object | None = None) -> None:
        super().__init__(f"{entity} not found" if key is None else f"{entity} {key} not found")
        self.entity = entity
        self.key = key


class Forbidden(DomainError):
    """The actor can see the data but may not do this to it."""

    code = "forbidden"
    http_status = 403

    def __init__(self, message: str = "You are not allowed to do this.", action: str = "") -> None:
        super().__init__(message)
        self.action = action


class Invalid(DomainError):
    """Bad input: ``fields`` maps each offending field to a message naming the reason."""

    code = "invalid"
    http_status = 400

    def __init__(self, fields: dict[str, str] | None = None, message: str | None = None) -> None:
        self.fields = dict(fields or {})
        if message is None:
            message = (
                "; ".join(f"{k}: {v}" for k, v in self.fields.items()) or "The input is not valid."
            )
        super().__init__(message)

    @classmethod
    def field(cls, name: str, reason: str) -> Invalid:
        return cls({name: reason})

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "fields": self.fields}


class Conflict(DomainError):
    """The change collides with the current state (duplicate, already resolved, locked row...)."""

    code = "conflict"
    http_status = 409


class RateLimited(DomainError):
    """Too many attempts from one account or address in a short window."""

    code = "rate_limited"
    http_status = 429

    def __init__(self, message: str, retry_after_seconds: int = 900) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class Unauthenticated(DomainError):
    """Login failed, or the session/token is missing, expired or revoked."""

    code = "unauthenticated"
    http_status = 401

    def __init__(
        self,
        message: str = "Please log in.",
        reason: str = "invalid",
        until: datetime | None = None,
    ) -> None:
        super().__init__(message)
        self.reason = reason  # invalid | locked | expired | inactive
        self.until = until
