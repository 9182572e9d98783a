"""Shapes of /api/v1 that the domain does not define: the error envelope, the page envelope, a
few response wrappers, and the request bodies (the domain ``Input`` models, tightened at the HTTP
boundary: ids bounded, text that no database can store refused).

Responses reuse the domain ``View`` models wherever they fit, so the API shows exactly what the
services return.
"""

from __future__ import annotations

from typing import Annotated, Generic, Literal, TypeVar

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.json_schema import JsonDict

from domain.access.auth import TokenView
from domain.access.roles import Role
from domain.org.models import QuickLinkOwner
from domain.org.schemas import MAX_URL, QuickLinkInput, QuickLinkPatch, VentureView
from domain.schemas import MAX_INT, Id, Input

T = TypeVar("T")

# Primary keys are 32-bit integers on PostgreSQL; a larger number cannot name a row, and SQLite
# cannot even bind one past 2**63. Refusing it as a bad input keeps it away from the driver.
MAX_ID = MAX_INT
# An id in a body: the domain's strict ``Id`` (a JSON integer; ``true``, ``1.0``, ``"1"`` are 400).
DbId = Id
# An id in the path (text by nature): digits, in range.
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]


# -- errors ---------------------------------------------------------------------------------------


class ErrorBody(BaseModel):
    code: str = Field(description="Stable machine code: invalid, unauthenticated, forbidden, ...")
    message: str = Field(description="A sentence a person can read.")
    fields: dict[str, str] | None = Field(
        default=None, description="For `invalid`: each bad field with the reason."
    )


class ErrorEnvelope(BaseModel):
    """Every error answer of the API: ``{"error": {"code", "message", "fields"?}}``."""

    error: ErrorBody


def error_responses(*statuses: int) -> dict[int | str, dict[str, object]]:
    """OpenAPI ``responses`` entries documenting the error envelope for ``statuses``."""
    text = {
        400: "The input is not valid (`fields` names each bad field).",
        401: "No valid session or API token.",
        403: "The role may not do this.",
        404: "Not found, or outside the caller's ventures (the two are indistinguishable).",
        409: "The change collides with the current state (a duplicate key names its field).",
        503: "The database is unreachable or not migrated.",
    }
    return {s: {"model": ErrorEnvelope, "description": text.get(s, "Error")} for s in statuses}


# -- pages ----------------------------------------------------------------------------------------


class PageOut(BaseModel, Generic[T]):
    """One page of a list. Pass ``next_cursor`` back as ``cursor`` while ``has_more``."""

    items: list[T]
    next_cursor: str | None = None
    has_more: bool = False


class ItemsOut(BaseModel, Generic[T]):
    """A short, complete list (never paginated)."""

    items: list[T]


# -- request bodies -------------------------------------------------------------------------------


class SafeText(BaseModel):
    """Refuses text a database cannot store (PostgreSQL rejects NUL; neither driver can encode a
    lone surrogate): otherwise a valid-looking body would end in a driver error, not a 400."""

    @field_validator("*", mode="before")
    @classmethod
    def _storable_text(cls, value: object) -> object:
        if isinstance(value, str):
            if "\x00" in value:
                raise ValueError("must not contain NUL characters")
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError("must be valid Unicode text") from None
        return value


# What the domain's URL check accepts, published in the OpenAPI document (the check itself stays
# the domain's, with its wording): clients see the rule, and generated requests can pass it.
URL_SCHEMA: JsonDict = {"format": "uri", "pattern": r"^https?://[^\s/?#]+", "maxLength": MAX_URL}


class QuickLinkCreate(QuickLinkInput, SafeText):
    """A new quick link. ``owner`` defaults to ``personal``; ``venture`` links need
    ``venture_id``; global and venture links need a role that may manage them."""

    url: str = Field(min_length=1, json_schema_extra=URL_SCHEMA)
    venture_id: DbId | None = None


class QuickLinkUpdate(QuickLinkPatch, SafeText):
    """Rename, re-point or re-icon a link: only the fields sent change."""

    url: str | None = Field(default=None, json_schema_extra=URL_SCHEMA)


class QuickLinkOrder(Input, SafeText):
    """The new order of one owner's links: ``ids`` lists each of those links exactly once."""

    ids: list[DbId] = Field(max_length=1000)
    owner: QuickLinkOwner = QuickLinkOwner.PERSONAL
    venture_id: DbId | None = None


class TokenCreate(Input, SafeText):
    """A personal API token (or, for global admins, one for a service account: ``user_id``)."""

    name: str = Field(default="API token", max_length=80)
    days: int | None = Field(
        default=None, ge=1, le=366, description="Validity in days (default 90)."
    )
    user_id: DbId | None = None


# -- responses ------------------------------------------------------------------------------------


class UserRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    email: str
    name: str
    role: Role
    role_label: str


class RealUserRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    email: str
    name: str
    role: Role


class MeOut(BaseModel):
    user: UserRef = Field(description="The effective user (the impersonated one while acting).")
    role: Role
    impersonating: bool
    real_user: RealUserRef | None = Field(
        default=None, description="The person at the keyboard, while impersonating."
    )
    auth: Literal["session", "token"]
    ventures: list[VentureView]


class SectionOut(BaseModel):
    key: str
    title: str


class TokenCreated(BaseModel):
    raw_token: str = Field(description="The token itself: shown this once, never stored.")
    token: TokenView
