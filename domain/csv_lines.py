"""The shared pieces of an all-or-nothing CSV import (hotel KPI days, BPO call logs, ...):
decoding, the header check, one error per bad line and field, and the cell parsers.

Line numbers are the file's own (the header is line 1). Each problem is keyed ``line N: field``
with its reason; a file-level problem is keyed ``file``, ``header`` or ``columns``. Pure.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from domain.errors import Invalid
from domain.schemas import business_date_problem

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_AMOUNT = Decimal("999999999999.99")  # NUMERIC(14,2)


def fail(fields: dict[str, str], written: str = "nothing was written") -> Invalid:
    """``Invalid`` for a file: "N bad lines in the file: nothing was written" and every field."""
    bad_lines = {k.split(":", 1)[0] for k in fields if k.startswith("line ")}
    if bad_lines:
        noun = "line" if len(bad_lines) == 1 else "lines"
        message = f"{len(bad_lines)} bad {noun} in the file: {written}."
    else:
        message = "; ".join(f"{k}: {v}" for k, v in fields.items()) + f" ({written})."
    return Invalid(fields, message=message)


def decode(data: bytes, max_bytes: int = MAX_UPLOAD_BYTES, split_hint: str = "split it") -> str:
    if len(data) > max_bytes:
        raise fail({"file": f"is over the limit of {max_bytes // 1_048_576} MB ({split_hint})"})
    if not data.strip():
        raise fail({"file": "is empty"})
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(
            {"file": f'is not UTF-8 text (byte {exc.start + 1}): save it as "CSV UTF-8"'}
        ) from None


def count_cell(raw: str, max_value: int = 100_000) -> tuple[int | None, str | None]:
    text = raw.strip()
    if not text:
        return None, "is required"
    try:
        value = int(text)
    except ValueError:
        return None, f"must be a whole number, not {text[:20]!r}"
    if value < 0:
        return None, "must be 0 or more"
    if value > max_value:
        return None, f"must be at most {max_value:,}"
    return value, None


def amount_cell(raw: str) -> tuple[Decimal | None, str | None]:
    text = raw.strip()
    if not text:
        return None, "is required"
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, f"must be a number, not {text[:20]!r}"
    if not value.is_finite():
        return None, f"must be a number, not {text[:20]!r}"
    if value < 0:
        return None, "must be 0 or more"
    if value > MAX_AMOUNT:
        return None, "is too large"
    if value != value.quantize(Decimal("0.01")):
        return None, "must have at most 2 decimals"
    return value.quantize(Decimal("0.01")), None


_TRUE = {"1", "true", "yes", "y"}
_FALSE = {"", "0", "false", "no", "n"}


def bool_cell(raw: str) -> tuple[bool | None, str | None]:
    text = raw.strip().lower()
    if text in _TRUE:
        return True, None
    if text in _FALSE:
        return False, None
    return None, f"must be yes/no (or 1/0), not {raw.strip()[:20]!r}"


def instant_cell(raw: str, *, required: bool = True) -> tuple[datetime | None, str | None]:
    """An ISO 8601 instant with its offset (2026-11-27T15:00:00+05:30)."""
    text = raw.strip()
    if not text:
        return None, "is required" if required else None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None, f"must be a date and time (ISO 8601), not {text[:25]!r}"
    if value.tzinfo is None:
        return None, "must include a timezone offset (e.g. +05:30 or Z)"
    return value, None


def date_cell(raw: str) -> tuple[date | None, str | None]:
    text = raw.strip()
    if not text:
        return None, "is required"
    try:
        return date.fromisoformat(text), None
    except ValueError:
        return None, f"must be a date (YYYY-MM-DD), not {text[:20]!r}"


def past_date_cell(raw: str, today: date) -> tuple[date | None, str | None]:
    """A business date (YYYY-MM-DD) not after ``today`` (the venture's) and within the bounds
    every business date keeps."""
    value, why = date_cell(raw)
    if value is None:
        return None, why
    if value > today:
        return None, f"is in the future (today is {today.isoformat()} for this venture)"
    problem = business_date_problem(value)
    if problem:
        return None, problem
    return value, None


def decimal_cell(raw: str, places: int) -> tuple[Decimal | None, str | None]:
    """An optional number with at most ``places`` decimals (blank: None); ranges are the
    caller's rule."""
    text = raw.strip()
    if not text:
        return None, None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, f"must be a number, not {text[:20]!r}"
    if not value.is_finite():
        return None, f"must be a number, not {text[:20]!r}"
    if abs(value) >= 10**12:
        return None, "is too large"
    quantum = Decimal(1).scaleb(-places)
    if value != value.quantize(quantum):
        return None, f"must have at most {places} decimals"
    return value.quantize(quantum), None


class Lines:
    """The data lines of a CSV after its header is checked; ``problems`` gathers every error.

    Iterating yields ``(line number, cells by column)`` for the non-blank lines of the right
    width; a column left out (not required) reads as ``default``.
    """

    def __init__(
        self,
        data: bytes,
        columns: Sequence[str],
        required: frozenset[str],
        *,
        max_rows: int = 50_000,
        default: str = "",
    ) -> None:
        self.columns = tuple(columns)
        self.max_rows = max_rows
        self.default = default
        self.problems: dict[str, str] = {}
        self._reader = csv.reader(io.StringIO(decode(data), newline=""))
        try:
            header = next(self._reader)
        except (StopIteration, csv.Error):
            raise fail({"header": "is missing"}) from None
        self.names = [h.strip().lower() for h in header]
        unknown = [n for n in self.names if n not in self.columns]
        missing = [c for c in self.columns if c in required and c not in self.names]
        repeated = sorted({n for n in self.names if self.names.count(n) > 1})
        if unknown:
            self.problems["header"] = (
                f"unknown column(s) {', '.join(repr(u) for u in unknown)}; the columns are "
                f"{', '.join(self.columns)} (download the template)"
            )
        elif repeated:
            self.problems["header"] = f"column(s) {', '.join(repeated)} appear more than once"
        if missing:
            self.problems["columns"] = f"missing column(s): {', '.join(missing)}"
        if self.problems:
            raise fail(self.problems)
        self.index = {n: i for i, n in enumerate(self.names)}

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        rows = 0
        try:
            for record in self._reader:
                n = self._reader.line_num
                if not any(cell.strip() for cell in record):
                    continue
                rows += 1
                if rows > self.max_rows:
                    raise fail({"file": f"has more than {self.max_rows:,} lines (split it)"})
                if len(record) != len(self.names):
                    self.problems[f"line {n}"] = (
                        f"has {len(record)} fields, the header has {len(self.names)}"
                    )
                    continue
                yield (
                    n,
                    {
                        c: record[self.index[c]] if c in self.index else self.default
                        for c in self.columns
                    },
                )
        except csv.Error as exc:
            self.problems[f"line {self._reader.line_num}"] = f"is not valid CSV ({exc})"

    def add(self, line: int, field: str, reason: str) -> None:
        self.problems[f"line {line}: {field}"] = reason

    def finish(self, parsed: int) -> None:
        """Raise with every problem, or when the file had no line at all."""
        if self.problems:
            raise fail(self.problems)
        if not parsed:
            raise fail({"file": "has a header but no lines"})
