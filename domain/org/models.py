"""Organisation tables: ventures, offices, users, memberships, quick links, sign-in throttles."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    UniqueConstraint,
    false,
    text,
)
from sqlmodel import Field, SQLModel

from domain import clock
from domain.access.roles import Role
from domain.columns import Money, UTCDateTime, enum_type


class VentureType(StrEnum):
    LOGISTICS = "LOGISTICS"
    TRANSPORT = "TRANSPORT"
    HOSPITALITY = "HOSPITALITY"
    BPO = "BPO"
    SAAS = "SAAS"
    HOLDINGS = "HOLDINGS"


# Venture type -> navigation section it opens (spec/access.md).
SECTION_OF_TYPE: dict[VentureType, str] = {
    VentureType.LOGISTICS: "freight",
    VentureType.TRANSPORT: "freight",
    VentureType.HOSPITALITY: "hospitality",
    VentureType.BPO: "bpo",
    VentureType.SAAS: "saas",
    VentureType.HOLDINGS: "holdings",
}


class Venture(SQLModel, table=True):
    __tablename__ = "venture"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=8, unique=True, index=True)
    slug: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=120)
    type: VentureType = Field(sa_type=enum_type(VentureType))
    currency: str = Field(max_length=3)
    timezone: str = Field(max_length=64)
    is_active: bool = Field(default=True)
    # Delivered loads at or above this bill amount reach the briefing as "big load delivered".
    critical_load_amount: Decimal = Field(default=Decimal("10000.00"), sa_type=Money)
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)


class Office(SQLModel, table=True):
    __tablename__ = "office"
    __table_args__ = (UniqueConstraint("venture_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    venture_id: int = Field(foreign_key="venture.id", index=True)
    name: str = Field(max_length=120)
    city: str = Field(default="", max_length=120)
    country: str = Field(default="", max_length=80)
    timezone: str = Field(max_length=64)
    is_active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)


class User(SQLModel, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)  # stored lower-case
    name: str = Field(max_length=120)
    role: Role = Field(sa_type=enum_type(Role), index=True)
    password_hash: str | None = Field(default=None, max_length=255)
    is_active: bool = Field(default=True)
    # A service account is not a person: it never signs in with a password or a code, and acts
    # only through API tokens a global admin creates for it (domain/access/auth.py).
    is_service_account: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    failed_attempts: int = Field(default=0)
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    password_changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    deactivated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class VentureUser(SQLModel, table=True):
    __tablename__ = "venture_user"
    __table_args__ = (UniqueConstraint("user_id", "venture_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    venture_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("venture.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )


class MembershipPeriod(SQLModel, table=True):
    """Who belonged to a venture, with which role, on which business dates (both ends included;
    ``valid_to`` None: still a member). VentureUser says who is a member now (scope); this keeps
    the history, so a past day's incentives recompute to the same rows after people join, leave
    or change role. At most one open period per (user, venture): a partial unique index.
    """

    __tablename__ = "membership_period"
    __table_args__ = (
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="period_order"),
        Index("ix_membership_period_venture_dates", "venture_id", "valid_from", "valid_to"),
        Index(
            "uq_membership_period_open",
            "user_id",
            "venture_id",
            unique=True,
            sqlite_where=text("valid_to IS NULL"),
            postgresql_where=text("valid_to IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    venture_id: int = Field(
        sa_column=Column(Integer, ForeignKey("venture.id", ondelete="CASCADE"), nullable=False)
    )
    role: Role = Field(sa_type=enum_type(Role))
    valid_from: date
    valid_to: date | None = Field(default=None)


class OfficeUser(SQLModel, table=True):
    __tablename__ = "office_user"
    __table_args__ = (UniqueConstraint("user_id", "office_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    office_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("office.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )


class QuickLinkOwner(StrEnum):
    GLOBAL = "global"
    VENTURE = "venture"
    PERSONAL = "personal"


class QuickLink(SQLModel, table=True):
    """A link with exactly one owner: global (neither id), a venture, or a user."""

    __tablename__ = "quick_link"
    __table_args__ = (
        CheckConstraint("venture_id IS NULL OR user_id IS NULL", name="one_owner"),
        Index("ix_quick_link_owner_position", "venture_id", "user_id", "position"),
    )

    id: int | None = Field(default=None, primary_key=True)
    label: str = Field(max_length=80)
    url: str = Field(max_length=2000)
    icon: str | None = Field(default=None, max_length=40)
    position: int = Field(default=0)
    venture_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("venture.id", ondelete="CASCADE"), nullable=True),
    )
    user_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=True, index=True
        ),
    )
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)

    @property
    def owner(self) -> QuickLinkOwner:
        if self.user_id is not None:
            return QuickLinkOwner.PERSONAL
        if self.venture_id is not None:
            return QuickLinkOwner.VENTURE
        return QuickLinkOwner.GLOBAL
