"""Schemas at the boundary: ``Input`` models validated into ``Invalid`` (one message per field),
and ``View`` models, the plain data every service returns."""

from __future__ import annotations

import types
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Annotated, Any, ClassVar, TypeVar, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from domain import clock
from domain.errors import Invalid

M = TypeVar("M", bound=BaseModel)


# Integers every database stores (ids, counts, days): PostgreSQL INTEGER's range.
MAX_INT = 2**31 - 1

# A row id in an input: a JSON integer, never a boolean, a float or a numeric string (``true``
# is not venture 1), and one a primary key can hold.
Id = Annotated[int, Strict(), Field(ge=1, le=MAX_INT)]


# -- business dates -------------------------------------------------------------------------------

# A business date in an input (a pickup, a delivery's billing date, a KPI range) lies within
# this many years of today, unless its field says otherwise: 9999-12-31 is a typo, not a plan,
# and a date near the calendar's ends would overflow the day arithmetic done with it.
BUSINESS_DATE_YEARS = 5


def _years_from(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def business_date_bounds() -> tuple[date, date]:
    """The first and last business date an input may name (today +- BUSINESS_DATE_YEARS)."""
    today = clock.today("UTC")
    return _years_from(today, -BUSINESS_DATE_YEARS), _years_from(today, BUSINESS_DATE_YEARS)


def business_date_problem(value: date) -> str | None:
    """Why ``value`` is not an acceptable business date, or None (for services that take dates
    as arguments rather than through an ``Input``)."""
    lo, hi = business_date_bounds()
    if not lo <= value <= hi:
        return f"must be between {lo.isoformat()} and {hi.isoformat()}"
    return None


def _business_date(value: date) -> date:
    problem = business_date_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _business_instant(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("must include a timezone (e.g. 2026-11-27T15:00:00Z)")
    try:
        day = value.astimezone(UTC).date()
    except OverflowError:
        day = date.min if value.year == 1 else date.max
    problem = business_date_problem(day)
    if problem:
        raise ValueError(problem)
    return value


# Every business-date field of an Input or Patch, and the date parameters of the API, use this.
BusinessDate = Annotated[date, AfterValidator(_business_date)]
# An instant of the business (delivered at, checked at, expires at): timezone-aware, and on a day
# a BusinessDate allows.
BusinessInstant = Annotated[datetime, AfterValidator(_business_instant)]


# -- inputs ---------------------------------------------------------------------------------------


def _admits_bool(annotation: Any) -> bool:
    """Whether a field of this type may be given ``true``/``false``."""
    if annotation is bool or annotation is Any:
        return True
    origin = get_origin(annotation)
    if origin is Annotated:
        return _admits_bool(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return any(_admits_bool(a) for a in get_args(annotation))
    return False


def _element_type(annotation: Any) -> Any:
    """The element type of a ``list[X]`` / ``list[X] | None`` field, else None."""
    origin = get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        found = [e for e in map(_element_type, get_args(annotation)) if e is not None]
        return found[0] if found else None
    if origin in (list, tuple, set, frozenset):
        args = get_args(annotation)
        return args[0] if args else None
    return None


def _unstorable(value: Any) -> str | None:
    """Why ``value`` cannot be stored as given (a database error later would be a 500)."""
    if isinstance(value, str):
        if "\x00" in value:
            return "must not contain NUL characters"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "is not valid text"
    elif isinstance(value, int) and not isinstance(value, bool):
        if not -MAX_INT <= value <= MAX_INT:
            return "is out of range"
    elif isinstance(value, list | tuple | set | frozenset):
        return next((p for p in map(_unstorable, value) if p), None)
    elif isinstance(value, dict):
        return next((p for p in map(_unstorable, value.values()) if p), None)
    return None


class Input(BaseModel):
    """Base of every service input: strips whitespace, refuses unknown fields, refuses values no
    database can store (NUL characters, lone surrogates, integers beyond 32 bits), and refuses a
    boolean where the field is not one (``true`` is not the number 1)."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _storable(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        if field is not None:
            if isinstance(value, bool) and not _admits_bool(field.annotation):
                raise ValueError("must not be true or false")
            element = _element_type(field.annotation)
            if (
                element is not None
                and isinstance(value, list | tuple)
                and not _admits_bool(element)
                and any(isinstance(v, bool) for v in value)
            ):
                raise ValueError("must not contain true or false")
        problem = _unstorable(value)
        if problem:
            raise ValueError(problem)
        return value


class Patch(Input):
    """Base of every partial update (``PATCH``): only the fields sent change, an omitted field is
    untouched. ``null`` clears a field only when the schema lists it in ``clearable`` (an optional
    column: a dispatcher, a carrier's phone); for any other field it is refused, naming the
    field, rather than ignored or written into a required column. ``patch_values`` applies the
    rule; every service that patches goes through it."""

    clearable: ClassVar[frozenset[str]] = frozenset()


# The message for ``null`` sent to a field that cannot be cleared.
NOT_CLEARABLE = "cannot be empty"


def patch_values(patch: Patch) -> dict[str, Any]:
    """The fields ``patch`` sets, by name: omitted fields are absent, ``None`` means "clear it".
    Raises ``Invalid`` naming every field sent as ``null`` that its schema does not let clear."""
    changes = patch.model_dump(exclude_unset=True)
    refused = {
        name: NOT_CLEARABLE
        for name, value in changes.items()
        if value is None and name not in patch.clearable
    }
    if refused:
        raise Invalid(refused)
    return changes


def apply_patch(row: Any, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Write ``changes`` (from ``patch_values``, once the service has checked them) onto ``row``;
    returns the previous values of those fields, for the audit log's ``before``."""
    before = {name: getattr(row, name) for name in changes}
    for name, value in changes.items():
        setattr(row, name, value)
    return before


class View(BaseModel):
    """What services return: plain, immutable data (never ORM rows), JSON-ready for the API."""

    model_config = ConfigDict(frozen=True, from_attributes=True)


def _field_name(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in loc) or "body"


# Pydantic's wording -> ours, the same on every form and in every API answer.
_PYDANTIC_WORDING = {
    "Field required": "is required",
    "String should have at least 1 character": "is required",
    "Input should be a valid integer": "must be a whole number",
    "Input should be a valid decimal": "must be a number",
    "Input should be a valid number": "must be a number",
    "Input should be a valid date": "must be a date (YYYY-MM-DD)",
    "Input should be a valid datetime": "must be a date and time (ISO 8601, with its timezone)",
    "Input should be a valid boolean": "must be true or false",
    "Extra inputs are not permitted": "is not a field of this form",
}


def friendly_message(message: str) -> str:
    """One field's validation message in the product's words (``is required``, ``must be a
    number``...), whether it came from Pydantic or from our own validators."""
    message = message.removeprefix("Value error, ")
    for prefix, text in _PYDANTIC_WORDING.items():
        if message.startswith(prefix):
            return text
    if message.startswith("String should have at most "):
        return "is too long (" + message.removeprefix("String should have at most ") + " at most)"
    if message.startswith("Input should be greater than or equal to 0"):
        return "must be 0 or more"
    if message.startswith("Input should be "):
        rest = message.removeprefix("Input should be ")
        return "must be " + rest
    return message


def invalid_from(exc: ValidationError) -> Invalid:
    fields: dict[str, str] = {}
    for err in exc.errors():
        name = _field_name(tuple(err.get("loc", ())))
        fields.setdefault(name, friendly_message(str(err.get("msg", "is not valid"))))
    return Invalid(fields)


def parse(model: type[M], data: Mapping[str, Any] | M) -> M:
    """Validate ``data`` into ``model`` or raise ``Invalid`` naming each bad field."""
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        raise invalid_from(exc) from None
