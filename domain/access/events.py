"""The access domain events (spec/events-and-gamification.md): UserLoggedIn on every successful
login (password, email code) and when a session is resumed on a new business day of one of the
user's ventures. Recorded in the login's transaction; gamification awards FIRST_DAILY_LOGIN on it
(this package knows nothing of points)."""

from __future__ import annotations

from datetime import datetime

from domain.events.types import DomainEvent


class UserLoggedIn(DomainEvent):
    type = "UserLoggedIn"
    user_id: int
    method: str  # "password", "code" or "session" (a session resumed on a new business day)
    session_id: int
    logged_in_at: datetime


ACCESS_EVENTS = (UserLoggedIn,)
