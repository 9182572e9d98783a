"""The hotel KPI CSV: its template, and the parse that checks every line before anything is
written (spec/operations.md: "a CSV upload is all-or-nothing, with every bad row listed by line
number"). Pure: the caller gives the hotels the uploader may write and the venture's today.

Line numbers are the file's own (the header is line 1), so "line 12" is what a spreadsheet or an
editor shows. Each problem is keyed ``line N: field`` with its reason; a file-level problem is
keyed ``file`` or ``header``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain import csv_lines

COLUMNS = (
    "hotel_code",
    "date",
    "rooms_available",
    "rooms_sold",
    "room_revenue",
    "other_revenue",
    "cancellations",
    "no_shows",
)
REQUIRED = frozenset(COLUMNS[:5])  # the rest default to 0 when their column is left out
COUNTS = ("rooms_available", "rooms_sold", "cancellations", "no_shows")
AMOUNTS = ("room_revenue", "other_revenue")
MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # a year of 50 hotels is about 1 MB
MAX_ROWS = 50_000
MAX_COUNT = 100_000
MAX_AMOUNT = Decimal("999999999999.99")  # NUMERIC(14,2)


@dataclass(frozen=True)
class KpiLine:
    line: int
    hotel_code: str
    day: date
    rooms_available: int
    rooms_sold: int
    room_revenue: Decimal
    other_revenue: Decimal
    cancellations: int
    no_shows: int


def template_csv(example_codes: list[str] | None = None, day: date | None = None) -> str:
    """The header and, when hotel codes are given, one example line per hotel."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for code in example_codes or []:
        writer.writerow(
            [code, (day or date(2026, 1, 1)).isoformat(), 120, 96, "14400.00", "0", 0, 0]
        )
    return out.getvalue()


def decode(data: bytes) -> str:
    return csv_lines.decode(data, MAX_UPLOAD_BYTES, "split it by month")


_fail = csv_lines.fail
_amount = csv_lines.amount_cell


def _count(raw: str) -> tuple[int | None, str | None]:
    return csv_lines.count_cell(raw, MAX_COUNT)


def _day(raw: str, today: date) -> tuple[date | None, str | None]:
    return csv_lines.past_date_cell(raw, today)


def parse_kpi_csv(data: bytes, known_codes: set[str], today: date) -> list[KpiLine]:
    """Every line checked; ``Invalid`` listing each bad line and field, or all the lines."""
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise _fail({"header": "is missing"}) from None
    names = [h.strip().lower() for h in header]
    problems: dict[str, str] = {}
    unknown = [n for n in names if n not in COLUMNS]
    missing = [c for c in COLUMNS if c in REQUIRED and c not in names]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if unknown:
        problems["header"] = (
            f"unknown column(s) {', '.join(repr(u) for u in unknown)}; the columns are "
            f"{', '.join(COLUMNS)} (download the template)"
        )
    elif repeated:
        problems["header"] = f"column(s) {', '.join(repeated)} appear more than once"
    if missing:
        problems["columns"] = f"missing column(s): {', '.join(missing)}"
    if problems:
        raise _fail(problems)
    index = {n: i for i, n in enumerate(names)}
    lines: list[KpiLine] = []
    seen: dict[tuple[str, date], int] = {}
    rows = 0
    try:
        for record in reader:
            n = reader.line_num
            if not any(cell.strip() for cell in record):
                continue  # blank lines are skipped
            rows += 1
            if rows > MAX_ROWS:
                raise _fail({"file": f"has more than {MAX_ROWS:,} lines (split it by month)"})
            if len(record) != len(names):
                problems[f"line {n}"] = f"has {len(record)} fields, the header has {len(names)}"
                continue

            def cell(name: str, record: list[str] = record) -> str:
                return record[index[name]] if name in index else "0"

            before = len(problems)
            code = cell("hotel_code").strip().upper()
            if not code:
                problems[f"line {n}: hotel_code"] = "is required"
            elif code not in known_codes:
                problems[f"line {n}: hotel_code"] = (
                    f"{code[:20]!r} is not a hotel of this venture that you manage"
                )
            day, why = _day(cell("date"), today)
            if why:
                problems[f"line {n}: date"] = why
            counts: dict[str, int] = {}
            for name in COUNTS:
                value, why = _count(cell(name))
                if why:
                    problems[f"line {n}: {name}"] = why
                elif value is not None:
                    counts[name] = value
            amounts: dict[str, Decimal] = {}
            for name in AMOUNTS:
                amount, why = _amount(cell(name))
                if why:
                    problems[f"line {n}: {name}"] = why
                elif amount is not None:
                    amounts[name] = amount
            if (
                "rooms_available" in counts
                and "rooms_sold" in counts
                and counts["rooms_sold"] > counts["rooms_available"]
            ):
                problems[f"line {n}: rooms_sold"] = (
                    f"is more than rooms_available ({counts['rooms_available']})"
                )
            if code and day is not None:
                first = seen.setdefault((code, day), n)
                if first != n:
                    problems[f"line {n}: date"] = (
                        f"{code} on {day.isoformat()} is already on line {first}"
                    )
            if len(problems) == before and day is not None:
                lines.append(
                    KpiLine(
                        line=n,
                        hotel_code=code,
                        day=day,
                        rooms_available=counts["rooms_available"],
                        rooms_sold=counts["rooms_sold"],
                        room_revenue=amounts["room_revenue"],
                        other_revenue=amounts["other_revenue"],
                        cancellations=counts["cancellations"],
                        no_shows=counts["no_shows"],
                    )
                )
    except csv.Error as exc:
        problems[f"line {reader.line_num}"] = f"is not valid CSV ({exc})"
    if problems:
        raise _fail(problems)
    if not lines:
        raise _fail({"file": "has a header but no lines"})
    return lines
