from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import Invalid
from domain.pagination import MAX_PAGE_SIZE, clamp_limit, decode_cursor, encode_cursor

values = st.one_of(
    st.integers(min_value=-(2**53), max_value=2**53),
    st.text(max_size=30),
    st.none(),
    st.dates().map(lambda d: d),
    st.datetimes(timezones=st.just(UTC)),
    st.decimals(
        allow_nan=False, allow_infinity=False, places=2, min_value=-(10**9), max_value=10**9
    ),
)


@given(st.lists(values, min_size=1, max_size=4))
def test_cursor_round_trip(vals: list[object]) -> None:
    assert decode_cursor(encode_cursor(vals), len(vals)) == vals


def test_cursor_is_opaque_text() -> None:
    c = encode_cursor([datetime(2026, 1, 1, tzinfo=UTC), 42])
    assert "2026" not in c and c.isascii()
    assert decode_cursor(c, 2) == [datetime(2026, 1, 1, tzinfo=UTC), 42]
    assert decode_cursor(encode_cursor([date(2026, 1, 2), Decimal("1.50")]), 2) == [
        date(2026, 1, 2),
        Decimal("1.50"),
    ]


@pytest.mark.parametrize("bad", ["", "!!!", "bm90IGpzb24", encode_cursor([1])])
def test_tampered_cursor_names_the_field(bad: str) -> None:
    with pytest.raises(Invalid) as err:
        decode_cursor(bad, 2)
    assert "cursor" in err.value.fields


def test_page_size_is_capped() -> None:
    assert clamp_limit(None) == 50
    assert clamp_limit(1000) == MAX_PAGE_SIZE == 200
    with pytest.raises(Invalid):
        clamp_limit(0)
