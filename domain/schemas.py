"""Schemas at the boundary: ``Input`` models validated into ``Invalid`` (one message per field),
and ``View`` models, the plain data every service returns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from domain.errors import Invalid

M = TypeVar("M", bound=BaseModel)


# Integers every database stores (ids, counts, days): PostgreSQL INTEGER's range.
MAX_INT = 2**31 - 1


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
    """Base of every service input: strips whitespace, refuses unknown fields, and refuses values
    no database can store (NUL characters, lone surrogates, integers beyond 32 bits)."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        problem = _unstorable(value)
        if problem:
            raise ValueError(problem)
        return value


class View(BaseModel):
    """What services return: plain, immutable data (never ORM rows), JSON-ready for the API."""

    model_config = ConfigDict(frozen=True, from_attributes=True)


def _field_name(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in loc) or "body"


def invalid_from(exc: ValidationError) -> Invalid:
    fields: dict[str, str] = {}
    for err in exc.errors():
        name = _field_name(tuple(err.get("loc", ())))
        msg = str(err.get("msg", "is not valid"))
        msg = msg.removeprefix("Value error, ")
        fields.setdefault(name, msg)
    return Invalid(fields)


def parse(model: type[M], data: Mapping[str, Any] | M) -> M:
    """Validate ``data`` into ``model`` or raise ``Invalid`` naming each bad field."""
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        raise invalid_from(exc) from None
