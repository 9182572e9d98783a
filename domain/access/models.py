"""Access tables: server-side sessions, one-time login codes, API tokens, the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, ForeignKey, Index, Integer
from sqlmodel import Field, SQLModel

from domain import clock
from domain.columns import JSONType, UTCDateTime


def _user_fk(nullable: bool = False, index: bool = True) -> Any:
    return Column(
        Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=nullable, index=index
    )


class AuthSession(SQLModel, table=True):
    """A web session. The browser holds a random 256-bit token; only its SHA-256 is stored."""

    __tablename__ = "auth_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(sa_column=_user_fk())
    method: str = Field(max_length=16)  # password | code
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)  # absolute limit
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_reason: str | None = Field(default=None, max_length=32)
    # Impersonation ("act as"): the session's effective user while it lasts.
    acting_as_user_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
        ),
    )
    acting_since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ip: str | None = Field(default=None, max_length=64)
    user_agent: str | None = Field(default=None, max_length=255)


class LoginCode(SQLModel, table=True):
    """An emailed six-digit code: valid ten minutes, single use, stored hashed."""

    __tablename__ = "login_code"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=_user_fk())
    code_hash: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ApiToken(SQLModel, table=True):
    """A personal API token (``Authorization: Bearer``): shown once, stored hashed."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=_user_fk())
    name: str = Field(max_length=80)
    token_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=12)  # shown in lists so a user can tell tokens apart
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    created_by_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
        ),
    )
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AuditLog(SQLModel, table=True):
    """Who (real and effective user) did what, when, to which entity, in which venture."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at_id", "at", "id"),
        Index("ix_audit_log_action_at", "action", "at"),
        Index("ix_audit_log_venture_at", "venture_id", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    real_user_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True, index=True
        ),
    )
    effective_user_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
        ),
    )
    action: str = Field(max_length=64)
    entity_type: str | None = Field(default=None, max_length=40)
    entity_id: str | None = Field(default=None, max_length=64)
    venture_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("venture.id", ondelete="SET NULL"), nullable=True),
    )
    detail: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    ip: str | None = Field(default=None, max_length=64)


class LoginThrottle(SQLModel, table=True):
    """Sign-in attempts per key (``ip:<address>``, ``code-ip:<address>``, ``code-user:<id>``)
    and fixed 15-minute window.

    Each attempt adds one with a single atomic upsert *before* the expensive check, so attempts
    made at the same moment by many workers each see all the others (domain/access/auth.py).
    """

    __tablename__ = "login_throttle"

    key: str = Field(max_length=120, primary_key=True)
    window_start: datetime = Field(sa_type=UTCDateTime, primary_key=True)
    attempts: int = Field(default=0)
