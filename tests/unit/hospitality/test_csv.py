"""Bad CSV input (issue 13, "Bad input"): the wrong header, a missing column, a non-numeric
value, a negative count, a date in the future, an unknown hotel code, duplicate (hotel, date)
lines, a file too large or not UTF-8: a clear message naming the line and field; no lines."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import Invalid
from domain.hospitality.csv_upload import MAX_UPLOAD_BYTES, parse_kpi_csv, template_csv

TODAY = date(2026, 11, 30)
CODES = {"HHG-INN", "HHG-TWR"}
HEADER = (
    "hotel_code,date,rooms_available,rooms_sold,room_revenue,other_revenue,cancellations,no_shows"
)
GOOD = "HHG-INN,2026-11-29,12,10,1500.00,20.00,1,0"


def _refused(text: str | bytes) -> dict[str, str]:
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(Invalid) as exc:
        parse_kpi_csv(data, CODES, TODAY)
    return exc.value.fields


def test_a_good_file_gives_its_lines() -> None:
    (line,) = parse_kpi_csv(f"{HEADER}\n{GOOD}\n".encode(), CODES, TODAY)
    assert (line.line, line.hotel_code, line.rooms_sold, str(line.room_revenue)) == (
        2,
        "HHG-INN",
        10,
        "1500.00",
    )


def test_the_template_parses_as_a_file() -> None:
    text = template_csv(["HHG-INN"], date(2026, 11, 29))
    assert parse_kpi_csv(text.encode(), CODES, TODAY)[0].hotel_code == "HHG-INN"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"hotel,date,sold\n{GOOD}\n", "header"),
        ("hotel_code,date,rooms_available,room_revenue\nHHG-INN,2026-11-29,12,100\n", "columns"),
        (f"{HEADER}\nHHG-INN,2026-11-29,twelve,10,1500.00,0,0,0\n", "line 2: rooms_available"),
        (f"{HEADER}\nHHG-INN,2026-11-29,12,10,lots,0,0,0\n", "line 2: room_revenue"),
        (f"{HEADER}\nHHG-INN,2026-11-29,12,-1,0,0,0,0\n", "line 2: rooms_sold"),
        (f"{HEADER}\nHHG-INN,2026-12-01,12,10,1500.00,0,0,0\n", "line 2: date"),
        (f"{HEADER}\nHHG-INN,29/11/2026,12,10,1500.00,0,0,0\n", "line 2: date"),
        (f"{HEADER}\nXYZ-1,2026-11-29,12,10,1500.00,0,0,0\n", "line 2: hotel_code"),
        (f"{HEADER}\nHHG-INN,2026-11-29,12,13,1500.00,0,0,0\n", "line 2: rooms_sold"),
        (f"{HEADER}\n{GOOD}\n{GOOD}\n", "line 3: date"),
        (f"{HEADER}\nHHG-INN,2026-11-29,12\n", "line 2"),
        (f"{HEADER}\n", "file"),
        ("", "file"),
    ],
)
def test_each_bad_input_is_named(text: str, expected: str) -> None:
    fields = _refused(text)
    assert expected in fields, fields


def test_every_bad_line_is_listed_by_its_line_number() -> None:
    text = "\n".join(
        [HEADER, GOOD, "HHG-TWR,2026-11-29,300,301,1.00,0,0,0", "HHG-TWR,2026-11-28,-3,0,0,0,0,0"]
    )
    assert _refused(text) == {
        "line 3: rooms_sold": "is more than rooms_available (300)",
        "line 4: rooms_available": "must be 0 or more",
    }


def test_a_file_too_large_or_not_utf8_is_refused_before_parsing() -> None:
    big = HEADER.encode() + b"\n" + b"x" * (MAX_UPLOAD_BYTES + 1)
    assert "over the limit of 5 MB" in _refused(big)["file"]
    latin1 = f"{HEADER}\nHHG-INN,2026-11-29,12,10,1500.00,0,0,0 caf\xe9\n".encode("latin-1")
    assert "is not UTF-8" in _refused(latin1)["file"]
