"""Freight tables: customers, carriers (global), loads with their event history, quotes,
outreach messages with their recipients, and the pre-aggregated FreightKpiDaily.

Only LOGISTICS and TRANSPORT ventures hold freight rows (enforced by the services and by every
query, see ``domain.freight.access``). Child rows (LoadEvent, OutreachRecipient) carry no venture
of their own: they are always reached through their parent, which does.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain import clock
from domain.columns import Money, Rate, UTCDateTime, enum_type
from domain.org.models import VentureType

FREIGHT_VENTURE_TYPES = frozenset({VentureType.LOGISTICS, VentureType.TRANSPORT})


class LoadStatus(StrEnum):
    OPEN = "OPEN"
    WORKING = "WORKING"
    AT_RISK = "AT_RISK"
    COVERED = "COVERED"
    IN_TRANSIT = "IN_TRANSIT"
    DELIVERED = "DELIVERED"
    FELL_OFF = "FELL_OFF"
    DORMANT = "DORMANT"
    LOST = "LOST"


class LostReason(StrEnum):
    RATE = "RATE"
    CAPACITY = "CAPACITY"
    SERVICE_FAILURE = "SERVICE_FAILURE"
    CUSTOMER_CANCELLED = "CUSTOMER_CANCELLED"
    TENDER_REJECTED = "TENDER_REJECTED"
    COMPLIANCE = "COMPLIANCE"
    INTERNAL_ERROR = "INTERNAL_ERROR"
    OTHER = "OTHER"


class Equipment(StrEnum):
    DRY_VAN = "DRY_VAN"
    REEFER = "REEFER"
    FLATBED = "FLATBED"
    STEP_DECK = "STEP_DECK"
    POWER_ONLY = "POWER_ONLY"
    HOTSHOT = "HOTSHOT"
    CONESTOGA = "CONESTOGA"
    BOX_TRUCK = "BOX_TRUCK"


class AuthorityStatus(StrEnum):
    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"
    REVOKED = "REVOKED"
    PENDING = "PENDING"


class SafetyRating(StrEnum):
    SATISFACTORY = "SATISFACTORY"
    CONDITIONAL = "CONDITIONAL"
    UNSATISFACTORY = "UNSATISFACTORY"
    NOT_RATED = "NOT_RATED"


class QuoteStatus(StrEnum):
    DRAFT = "DRAFT"
    SENT = "SENT"
    NO_RESPONSE = "NO_RESPONSE"
    REJECTED = "REJECTED"
    COUNTERED = "COUNTERED"
    ACCEPTED = "ACCEPTED"
    BOOKED = "BOOKED"
    EXPIRED = "EXPIRED"


class OutreachChannel(StrEnum):
    SMS = "SMS"
    EMAIL = "EMAIL"


class RecipientStatus(StrEnum):
    QUEUED = "QUEUED"  # recorded with the outreach; delivered after commit through the outbox
    SENDING = "SENDING"  # claimed by a delivery; the provider's answer is not written yet
    SENT = "SENT"
    FAILED = "FAILED"


def _user_fk(nullable: bool, index: bool = False) -> Column[int]:
    return Column(Integer, ForeignKey("user_account.id"), nullable=nullable, index=index)


class Customer(SQLModel, table=True):
    __tablename__ = "freight_customer"
    __table_args__ = (UniqueConstraint("venture_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    venture_id: int = Field(foreign_key="venture.id", index=True)
    name: str = Field(max_length=160)
    code: str = Field(max_length=20)  # upper-case, unique in the venture
    sales_user_id: int | None = Field(default=None, sa_column=_user_fk(True, index=True))
    csr_user_id: int | None = Field(default=None, sa_column=_user_fk(True, index=True))
    is_active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)


class Carrier(SQLModel, table=True):
    """A motor carrier. Global (shared by every freight venture), identified by MC and DOT."""

    __tablename__ = "freight_carrier"

    id: int | None = Field(default=None, primary_key=True)
    mc_number: str = Field(max_length=12, unique=True)
    dot_number: str = Field(max_length=12, unique=True)
    name: str = Field(max_length=160, index=True)
    equipment: Equipment = Field(sa_type=enum_type(Equipment))
    phone: str | None = Field(default=None, max_length=32)
    email: str | None = Field(default=None, max_length=254)
    home_state: str | None = Field(default=None, max_length=2)
    is_active: bool = Field(default=True)
    is_blocked: bool = Field(default=False)
    blocked_reason: str | None = Field(default=None, max_length=300)
    # FMCSA snapshot (the last check; never checked = all None).
    authority_status: AuthorityStatus | None = Field(
        default=None, sa_type=enum_type(AuthorityStatus)
    )
    safety_rating: SafetyRating | None = Field(default=None, sa_type=enum_type(SafetyRating))
    insurance_on_file: bool | None = Field(default=None)
    fmcsa_checked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)


class FreightQuote(SQLModel, table=True):
    __tablename__ = "freight_quote"
    __table_args__ = (
        Index("ix_freight_quote_venture_created", "venture_id", "created_at", "id"),
        Index("ix_freight_quote_status_expires", "status", "expires_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    venture_id: int = Field(foreign_key="venture.id")
    customer_id: int = Field(foreign_key="freight_customer.id", index=True)
    sales_user_id: int = Field(sa_column=_user_fk(False, index=True))
    pickup_city: str = Field(max_length=80)
    pickup_state: str = Field(max_length=2)
    drop_city: str = Field(max_length=80)
    drop_state: str = Field(max_length=2)
    pickup_date: date | None = Field(default=None)
    miles: int | None = Field(default=None)
    equipment: Equipment = Field(sa_type=enum_type(Equipment))
    quoted_rate: Decimal = Field(sa_type=Money)
    status: QuoteStatus = Field(default=QuoteStatus.DRAFT, sa_type=enum_type(QuoteStatus))
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    converted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by_id: int | None = Field(default=None, sa_column=_user_fk(True))
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)


class Load(SQLModel, table=True):
    __tablename__ = "freight_load"
    __table_args__ = (
        UniqueConstraint("venture_id", "reference"),
        # The list order (created_at desc, id desc), with and without the venture filter. The
        # first also covers the KPI "created" read of a venture (customer_id rides along, so the
        # read never touches the table: 2-3x faster at the large size).
        Index("ix_freight_load_venture_created", "venture_id", "created_at", "id", "customer_id"),
        Index("ix_freight_load_created", "created_at", "id"),
        # KPI reads: loads covered / delivered / lost in a time range of a venture, each covered
        # by its index (delivered carries the carrier and the amounts).
        Index("ix_freight_load_venture_covered", "venture_id", "covered_at"),
        Index(
            "ix_freight_load_venture_delivered",
            "venture_id",
            "delivered_at",
            "carrier_id",
            "bill_amount",
            "cost_amount",
        ),
        Index("ix_freight_load_venture_lost", "venture_id", "lost_at"),
        # Incentive metrics: a venture's delivered loads by billing date, covering every column
        # the metrics read (domain/freight/metrics.py).
        Index(
            "ix_freight_load_venture_billing",
            "venture_id",
            "billing_date",
            "status",
            "sales_user_id",
            "bill_amount",
            "cost_amount",
            "miles",
        ),
        Index("ix_freight_load_customer_created", "customer_id", "created_at", "id"),
        # A non-manager's own loads, newest first: one seek per way of owning a load (sold,
        # dispatched, created), so the list of someone who owns a few loads never walks the
        # venture's (access.own_load_predicates, queries.loads.list_loads).
        Index("ix_freight_load_sales_created", "sales_user_id", "created_at", "id"),
        Index("ix_freight_load_dispatcher_created", "dispatcher_user_id", "created_at", "id"),
        Index("ix_freight_load_creator_created", "created_by_id", "created_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    venture_id: int = Field(foreign_key="venture.id")
    office_id: int = Field(foreign_key="office.id")
    reference: str = Field(max_length=40)
    customer_id: int = Field(foreign_key="freight_customer.id")
    carrier_id: int | None = Field(default=None, foreign_key="freight_carrier.id", index=True)
    # Set when the load came from a quote; unique, so a quote converts into one load only.
    quote_id: int | None = Field(default=None, foreign_key="freight_quote.id", unique=True)
    pickup_city: str = Field(max_length=80)
    pickup_state: str = Field(max_length=2)
    pickup_date: date
    drop_city: str = Field(max_length=80)
    drop_state: str = Field(max_length=2)
    drop_date: date
    miles: int | None = Field(default=None)
    equipment: Equipment = Field(sa_type=enum_type(Equipment))
    bill_amount: Decimal | None = Field(default=None, sa_type=Money)
    cost_amount: Decimal | None = Field(default=None, sa_type=Money)
    sales_user_id: int = Field(sa_column=_user_fk(False))
    dispatcher_user_id: int | None = Field(default=None, sa_column=_user_fk(True))
    created_by_id: int | None = Field(default=None, sa_column=_user_fk(True))
    status: LoadStatus = Field(default=LoadStatus.OPEN, sa_type=enum_type(LoadStatus))
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    covered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    lost_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    billing_date: date | None = Field(default=None)
    lost_reason: LostReason | None = Field(default=None, sa_type=enum_type(LostReason))
    lost_note: str | None = Field(default=None, max_length=500)


class LoadEvent(SQLModel, table=True):
    """One status change of a load (who, when, from, to, note); creation has no ``from``."""

    __tablename__ = "freight_load_event"
    __table_args__ = (Index("ix_freight_load_event_load_at", "load_id", "at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    load_id: int = Field(
        sa_column=Column(Integer, ForeignKey("freight_load.id", ondelete="CASCADE"), nullable=False)
    )
    at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    from_status: LoadStatus | None = Field(default=None, sa_type=enum_type(LoadStatus))
    to_status: LoadStatus = Field(sa_type=enum_type(LoadStatus))
    user_id: int | None = Field(default=None, sa_column=_user_fk(True))
    note: str | None = Field(default=None, max_length=500)


class Outreach(SQLModel, table=True):
    """A message about a load sent to 1-50 carriers; ``awarded_*`` once a carrier got it."""

    __tablename__ = "freight_outreach"
    __table_args__ = (
        Index("ix_freight_outreach_venture_created", "venture_id", "created_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    venture_id: int = Field(foreign_key="venture.id")
    load_id: int = Field(foreign_key="freight_load.id", index=True)
    channel: OutreachChannel = Field(sa_type=enum_type(OutreachChannel))
    subject: str | None = Field(default=None, max_length=200)
    body: str = Field(sa_type=Text)
    sent_by_id: int = Field(sa_column=_user_fk(False, index=True))
    created_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    sent_count: int = Field(default=0)
    failed_count: int = Field(default=0)
    awarded_carrier_id: int | None = Field(default=None, foreign_key="freight_carrier.id")
    awarded_by_id: int | None = Field(default=None, sa_column=_user_fk(True))
    awarded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class OutreachRecipient(SQLModel, table=True):
    __tablename__ = "freight_outreach_recipient"
    __table_args__ = (UniqueConstraint("outreach_id", "carrier_id"),)

    id: int | None = Field(default=None, primary_key=True)
    outreach_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("freight_outreach.id", ondelete="CASCADE"), nullable=False
        )
    )
    carrier_id: int = Field(foreign_key="freight_carrier.id", index=True)
    address: str = Field(max_length=254)  # phone number or email address used
    status: RecipientStatus = Field(
        default=RecipientStatus.QUEUED, sa_type=enum_type(RecipientStatus)
    )
    provider_message_id: str | None = Field(default=None, max_length=120)
    error: str | None = Field(default=None, max_length=500)
    # When the provider's answer was written (SENT or FAILED); None while QUEUED or SENDING.
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    attempts: int = Field(default=0)  # deliveries tried (the first one, then each manual retry)


class FreightKpiDaily(SQLModel, table=True):
    """Pre-aggregated freight numbers of one venture on one business date (see ``kpi.py``)."""

    __tablename__ = "freight_kpi_daily"
    __table_args__ = (UniqueConstraint("venture_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    venture_id: int = Field(foreign_key="venture.id")
    day: date
    loads_created: int = Field(default=0)
    loads_covered: int = Field(default=0)
    loads_delivered: int = Field(default=0)
    loads_lost: int = Field(default=0)
    revenue: Decimal = Field(default=Decimal("0.00"), sa_type=Money)
    cost: Decimal = Field(default=Decimal("0.00"), sa_type=Money)
    profit: Decimal = Field(default=Decimal("0.00"), sa_type=Money)
    margin_pct: Decimal | None = Field(default=None, sa_type=Rate)  # None when no revenue
    coverage_rate: Decimal | None = Field(default=None, sa_type=Rate)  # None when none created
    active_customers: int = Field(default=0)
    active_carriers: int = Field(default=0)
    computed_at: datetime = Field(default_factory=clock.now, sa_type=UTCDateTime)
    run_id: str | None = Field(default=None, max_length=64, index=True)
