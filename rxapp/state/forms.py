"""Reading what a form or a client sent: every value arrives as text a client chose, so each
parser returns a clean value or None (or the text as typed, for the domain to name the field).
Also ``Option``, the value/label pair every select shows. Pure functions; no state, no database.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any


@dataclasses.dataclass
class Option:
    value: str = ""
    label: str = ""


def as_int(value: Any) -> int | None:
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return n if 0 < n < 2**31 else None


def query_params(state: Any) -> dict[str, str]:
    """The page URL's query parameters (links from elsewhere: ``?status=LOST``, ``?date=...``);
    empty without router data (unit tests)."""
    try:
        return {str(k): str(v) for k, v in dict(state.router.url.query_parameters).items()}
    except Exception:
        return {}


def as_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value).strip()) if value else None
    except ValueError:
        return None


def as_text(value: Any, limit: int = 500) -> str:
    return str(value if value is not None else "").strip()[:limit]


def as_amount(value: Any) -> str | None:
    """A money field as typed ("$2,400.50", "2400.5") for the domain to validate; None if empty.
    Anything that is not a number is passed on as typed, so the domain names the field."""
    text = as_text(value, 40).replace("$", "").replace(",", "").replace("₹", "").strip()
    if not text:
        return None
    try:
        Decimal(text)
    except InvalidOperation:
        return text
    return text
