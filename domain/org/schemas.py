"""Inputs and views of the organisation use cases."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Literal
from urllib.parse import urlparse

from pydantic import Field, field_validator

from domain.access.roles import Role, parse_role
from domain.clock import is_valid_timezone
from domain.money import parse_currency
from domain.org.models import QuickLinkOwner, VentureType
from domain.schemas import Input, Patch, View

CODE_RE = re.compile(r"^[A-Z]{2,8}$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_URL = 2000


def _timezone(value: str) -> str:
    if not is_valid_timezone(value):
        raise ValueError("is not a known IANA timezone (e.g. America/New_York, Asia/Kolkata)")
    return value


class VentureInput(Input):
    code: str = Field(min_length=2, max_length=8)
    slug: str = Field(min_length=2, max_length=64)
    name: str = Field(min_length=1, max_length=120)
    type: VentureType
    currency: str
    timezone: str
    critical_load_amount: Decimal = Field(
        default=Decimal("10000.00"), ge=0, max_digits=14, decimal_places=2
    )

    @field_validator("code")
    @classmethod
    def _code(cls, v: str) -> str:
        v = v.upper()
        if not CODE_RE.match(v):
            raise ValueError("must be 2 to 8 letters A-Z")
        return v

    @field_validator("slug")
    @classmethod
    def _slug(cls, v: str) -> str:
        v = v.lower()
        if not SLUG_RE.match(v):
            raise ValueError("must be lower-case letters, digits and single hyphens")
        return v

    @field_validator("currency")
    @classmethod
    def _currency(cls, v: str) -> str:
        return parse_currency(v).value

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        return _timezone(v)


class VenturePatch(Patch):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    timezone: str | None = None
    is_active: bool | None = None
    critical_load_amount: Decimal | None = Field(
        default=None, ge=0, max_digits=14, decimal_places=2
    )

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str | None) -> str | None:
        return None if v is None else _timezone(v)


class OfficeInput(Input):
    name: str = Field(min_length=1, max_length=120)
    city: str = Field(default="", max_length=120)
    country: str = Field(default="", max_length=80)
    timezone: str | None = None  # defaults to the venture's

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str | None) -> str | None:
        return None if v is None else _timezone(v)


class OfficePatch(Patch):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    city: str | None = Field(default=None, max_length=120)
    country: str | None = Field(default=None, max_length=80)
    timezone: str | None = None
    is_active: bool | None = None

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str | None) -> str | None:
        return None if v is None else _timezone(v)


class UserInput(Input):
    email: str = Field(max_length=254)
    name: str = Field(min_length=1, max_length=120)
    role: Role
    venture_ids: list[int] = Field(default_factory=list)
    office_ids: list[int] = Field(default_factory=list)
    password: str | None = None
    is_service_account: bool = False

    @field_validator("email")
    @classmethod
    def _email(cls, v: str) -> str:
        v = v.strip().lower()
        if not EMAIL_RE.match(v):
            raise ValueError("is not an email address")
        return v

    @field_validator("role", mode="before")
    @classmethod
    def _role(cls, v: object) -> object:
        return parse_role(v) if isinstance(v, str) else v


class UserPatch(Patch):
    name: str | None = Field(default=None, min_length=1, max_length=120)


def check_url(v: str) -> str:
    if len(v) > MAX_URL:
        raise ValueError(f"must be at most {MAX_URL} characters")
    parsed = urlparse(v)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValueError("must be an http:// or https:// address")
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in v):
        raise ValueError("must not contain spaces or control characters")
    return v


class QuickLinkInput(Input):
    label: str = Field(min_length=1, max_length=80)
    url: str = Field(min_length=1)
    icon: str | None = Field(default=None, max_length=40)
    owner: QuickLinkOwner = QuickLinkOwner.PERSONAL
    venture_id: int | None = None

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        return check_url(v)


class QuickLinkPatch(Patch):
    clearable = frozenset({"icon"})

    label: str | None = Field(default=None, min_length=1, max_length=80)
    url: str | None = None
    icon: str | None = Field(default=None, max_length=40)

    @field_validator("url")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        return None if v is None else check_url(v)


# -- views ----------------------------------------------------------------------------------------


class VentureView(View):
    id: int
    code: str
    slug: str
    name: str
    type: VentureType
    section: str
    currency: str
    timezone: str
    is_active: bool
    critical_load_amount: Decimal


class OfficeView(View):
    id: int
    venture_id: int
    name: str
    city: str
    country: str
    timezone: str
    is_active: bool


class MemberView(View):
    user_id: int
    name: str
    email: str
    role: Role


class QuickLinkView(View):
    id: int
    label: str
    url: str
    icon: str | None
    position: int
    owner: QuickLinkOwner
    venture_id: int | None
    editable: bool = False


class QuickLinkGroup(View):
    kind: Literal["global", "venture", "personal"]
    title: str
    venture_id: int | None = None
    venture_code: str | None = None
    links: list[QuickLinkView]


class VentureDetail(View):
    venture: VentureView
    offices: list[OfficeView]
    members: list[MemberView] | None  # None when the actor may not list members
    links: list[QuickLinkView]


class UserView(View):
    id: int
    email: str
    name: str
    role: Role
    is_active: bool
    is_service_account: bool
    venture_ids: list[int]
    venture_codes: list[str]
    office_ids: list[int]
    office_names: list[str]
    locked_until: datetime | None
    last_login_at: datetime | None
    created_at: datetime
    # What the reader may do to this user (set by the queries that know the reader).
    can_manage: bool = False
    can_act_as: bool = False
