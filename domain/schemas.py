"""Schemas at the boundary: ``Input`` models validated into ``Invalid`` (one message per field),
and ``View`` models, the plain data every service returns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from domain.errors import Invalid

M = TypeVar("M", bound=BaseModel)


class Input(BaseModel):
    """Base of every service input: strips whitespace, refuses unknown fields."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")


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
