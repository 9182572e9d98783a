"""CSV export helpers: every page walked once, the limit honoured and reported, formulas defused."""

from __future__ import annotations

import csv
import io

import pytest

from domain.pagination import Page
from rxapp.export import collect_pages, to_csv


def _source(n: int):
    """A keyset-paged list of 0..n-1 (the cursor is the next index), recording the calls."""
    calls: list[tuple[str | None, int]] = []

    def fetch(cursor: str | None, size: int) -> Page[int]:
        calls.append((cursor, size))
        start = int(cursor or 0)
        items = list(range(start, min(start + size, n)))
        more = start + size < n
        return Page(items, str(start + size) if more else None, more)

    return fetch, calls


@pytest.mark.parametrize(
    ("n", "limit", "expect_rows", "truncated"),
    [
        (0, 10, 0, False),
        (5, 10, 5, False),
        (10, 10, 10, False),
        (11, 10, 10, True),
        (450, 1000, 450, False),
        (600, 600, 600, False),
        (601, 600, 600, True),
        (1000, 250, 250, True),
    ],
)
def test_collect_pages_walks_each_row_once_up_to_the_limit(n, limit, expect_rows, truncated):
    fetch, calls = _source(n)
    rows, more = collect_pages(fetch, lambda i: [i], limit=limit)
    assert [r[0] for r in rows] == list(range(expect_rows))
    assert more is truncated
    assert all(size <= 200 for _c, size in calls)  # never above the domain's page cap


def test_to_csv_quotes_and_defuses_formulas() -> None:
    text = to_csv(
        ["a", "b"],
        [["=SUM(A1)", 'x, "y"'], ["-12.50", 2], ["@cmd", None], ["-1+cmd|' /C calc'!A0", "+1"]],
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        ["a", "b"],
        ["'=SUM(A1)", 'x, "y"'],
        ["-12.50", "2"],  # a negative amount stays a number
        ["'@cmd", ""],
        ["'-1+cmd|' /C calc'!A0", "+1"],
    ]
